//! `motcua report statistics`: a period's figures from the command line, as a table or as
//! the same JSON the API returns.

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use motcua_db::{Durability, StatsFilter};

use super::database::DatabaseArgs;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Statistics of a period: received, resolved early / on time / late, in progress,
    /// overdue, paused, online share…, by agency, field, channel and month.
    Statistics(StatisticsArgs),
}

#[derive(Debug, Subcommand)]
pub enum StatisticsCommand {
    /// Recompute every statistics counter from the stored dossiers (after a damaged
    /// counter record, or a restore). Refused while `serve` runs on the same SQLite file.
    Rebuild,
}

/// `motcua statistics rebuild`.
pub async fn statistics(db_args: &DatabaseArgs, command: StatisticsCommand) -> anyhow::Result<()> {
    let StatisticsCommand::Rebuild = command;
    let _owner = super::owner::take(db_args, "dựng lại số liệu thống kê")?;
    let db = db_args.open(Durability::Full).await?;
    let rows = db.statistics().rebuild_statistics().await;
    db.close().await;
    let rows = rows.context("không dựng lại được số liệu thống kê")?;
    println!("Đã dựng lại số liệu thống kê từ hồ sơ đã lưu: {rows} dòng đếm.");
    Ok(())
}

#[derive(Debug, Args)]
pub struct StatisticsArgs {
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    from: NaiveDate,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    to: NaiveDate,
    /// An agency (its code, e.g. 000.00.03.H56): it and its sub-tree.
    #[arg(long)]
    agency: Option<String>,
    /// A field (lĩnh vực) code.
    #[arg(long)]
    field: Option<String>,
    /// A procedure code.
    #[arg(long)]
    procedure: Option<String>,
    /// online, counter or post.
    #[arg(long)]
    channel: Option<String>,
    /// Print the report as JSON (the API's format).
    #[arg(long)]
    json: bool,
}

pub async fn run(db_args: &DatabaseArgs, command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Statistics(args) = command;
    let db = db_args.open(Durability::Full).await?;
    let agency_id = match &args.agency {
        Some(code) => Some(
            db.agencies()
                .agency_by_code(code)
                .await?
                .with_context(|| format!("không có cơ quan mã “{code}”"))?
                .id,
        ),
        None => None,
    };
    let channel = match &args.channel {
        Some(c) => Some(
            serde_json::from_value(serde_json::Value::String(c.clone()))
                .ok()
                .with_context(|| format!("kênh “{c}” không hợp lệ (online, counter, post)"))?,
        ),
        None => None,
    };
    let filter = StatsFilter {
        from: args.from,
        to: args.to,
        agency_id,
        field_code: args.field.clone(),
        procedure_code: args.procedure.clone(),
        level: None,
        channel,
    };
    let report = db.statistics().statistics_report(&filter, true).await;
    db.close().await;
    let report = report?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0));
    println!("Thống kê từ {} đến {}", args.from, args.to);
    println!(
        "{:<44} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "", "tồn", "nhận", "trước", "đúng", "quá", "xin lỗi", "đang TH", "quá hạn", "đúng hạn"
    );
    let line = |name: &str, s: &motcua_db::Summary| {
        let f = &s.figures;
        let name: String = name.chars().take(44).collect();
        println!(
            "{:<44} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
            name,
            f.carried_over,
            f.received,
            f.early,
            f.on_time,
            f.late,
            f.apologised,
            s.in_progress_on_time,
            f.overdue_at_end,
            pct(s.on_time_rate)
        );
    };
    for row in &report.by_agency {
        line(&row.name, &row.summary);
    }
    line("Tổng cộng", &report.total);
    println!(
        "Trực tuyến {}; có thành phần số hóa {}; kết quả điện tử {}",
        pct(report.total.online_share),
        pct(report.total.digitised_share),
        pct(report.total.e_result_share)
    );
    Ok(())
}
