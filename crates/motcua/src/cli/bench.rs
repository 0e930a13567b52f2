//! `motcua bench`: the speed figures, measured and printed next to their targets.

use anyhow::Context;
use chrono::DateTime;
use clap::Args;
use motcua_domain::calendar::{
    CalendarConfig, DeadlinePolicy, WorkCalendar, shipped_overrides, vietnam_offset,
};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// A short run (about a minute).
    #[arg(long)]
    quick: bool,
    /// Write the figures as JSON to this file too.
    #[arg(long)]
    json: Option<std::path::PathBuf>,
}

/// Deadline computations per second on one core, over 1–30 working days from instants
/// spread over 2000–2099, median of several rounds.
fn deadlines(rounds: usize, per_round: u64) -> anyhow::Result<f64> {
    let calendar = WorkCalendar::new(CalendarConfig {
        overrides: shipped_overrides()?,
        ..CalendarConfig::default()
    })?;
    let policies: Vec<DeadlinePolicy> = (1..=30).map(DeadlinePolicy::working_days).collect();
    let base = 946_659_600i64; // 2000-01-01T00:00:00+07:00
    let span = 100 * 365 * 86_400i64;
    let vn = vietnam_offset();
    let mut rates = Vec::with_capacity(rounds);
    let mut checksum = 0i64;
    for round in 0..rounds {
        let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ round as u64;
        let started = Instant::now();
        for i in 0..per_round {
            // xorshift: cheap, deterministic spread of instants.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let offset = (state % span as u64) as i64;
            let received = DateTime::from_timestamp(base + offset, 0)
                .context("instant")?
                .with_timezone(&vn);
            let policy = &policies[(i % 30) as usize];
            let d = calendar.deadline(policy, received)?;
            checksum = checksum.wrapping_add(d.due.timestamp());
        }
        let seconds = started.elapsed().as_secs_f64();
        rates.push(per_round as f64 / seconds);
    }
    std::hint::black_box(checksum);
    rates.sort_by(f64::total_cmp);
    Ok(rates[rates.len() / 2])
}

pub fn run(args: BenchArgs) -> anyhow::Result<()> {
    let (rounds, per_round) = if args.quick {
        (5, 1_000_000)
    } else {
        (9, 5_000_000)
    };
    let rate = deadlines(rounds, per_round)?;
    let target = 5_000_000.0;
    let verdict = if rate >= target {
        "đạt / met"
    } else {
        "CHƯA ĐẠT / MISSED"
    };
    let header = ["figure", "measured", "target", "verdict"];
    println!(
        "{:<34} {:>16} {:>16}  {}",
        header[0], header[1], header[2], header[3]
    );
    println!(
        "{:<34} {:>16.0} {:>16.0}  {}",
        "deadlines per second (one core)", rate, target, verdict
    );
    if let Some(path) = args.json {
        let figures = serde_json::json!({
            "deadlines_per_second": {"measured": rate, "target": target, "met": rate >= target}
        });
        std::fs::write(&path, serde_json::to_vec_pretty(&figures)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
