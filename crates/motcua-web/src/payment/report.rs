//! Đối soát — a day's payments as a finance officer checks them against the gateway's
//! statement and the counter's receipts: by collecting agency, procedure, channel, gateway,
//! method and state, with totals; the same lines on the page, in Excel and in the API, each
//! officer seeing the agencies where they hold a role (an administrator, all).

use chrono::NaiveDate;
use motcua_db::{DbError, ReconLine};
use motcua_domain::payment::PaymentState;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Serialize;

use crate::AppState;

/// A line with its agency's name.
#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub agency: String,
    #[serde(flatten)]
    pub line: ReconLine,
}

/// A day's reconciliation.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    pub lines: Vec<Line>,
    /// Paid: how many and how much; still pending; failed.
    pub paid: (i64, i64),
    pub pending: (i64, i64),
    pub failed: (i64, i64),
}

/// The payments of `date` that officer `staff_id` may see.
pub async fn day(app: &AppState, staff_id: i64, date: NaiveDate) -> Result<Day, DbError> {
    let from = motcua_db::day_start(date);
    let visible = crate::access::visible_agencies(&app.db, staff_id).await?;
    let agencies = app.db.agencies().all().await?;
    let mut out = Day {
        date,
        lines: Vec::new(),
        paid: (0, 0),
        pending: (0, 0),
        failed: (0, 0),
    };
    for line in app
        .db
        .payments()
        .reconciliation(from, from + 24 * 3600)
        .await?
    {
        if visible
            .as_ref()
            .is_some_and(|v| !v.contains(&line.agency_id))
        {
            continue;
        }
        let total = match line.state {
            PaymentState::Paid => &mut out.paid,
            PaymentState::Pending => &mut out.pending,
            PaymentState::Failed => &mut out.failed,
        };
        total.0 += line.count;
        total.1 += line.amount_vnd;
        out.lines.push(Line {
            agency: agencies
                .iter()
                .find(|a| a.id == line.agency_id)
                .map_or_else(|| line.agency_id.to_string(), |a| a.name.clone()),
            line,
        });
    }
    Ok(out)
}

/// The day as an .xlsx workbook.
pub fn workbook(day: &Day) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Đối soát")?;
    let bold = Format::new().set_bold().set_text_wrap();
    let money = Format::new().set_num_format("#,##0");
    sheet.write_string_with_format(
        0,
        0,
        format!("Đối soát thanh toán ngày {}", day.date.format("%d/%m/%Y")),
        &bold,
    )?;
    let headers = [
        "Cơ quan tiếp nhận",
        "Thủ tục",
        "Kênh nộp",
        "Cổng / nơi thu",
        "Hình thức",
        "Trạng thái",
        "Số giao dịch",
        "Số tiền (đồng)",
    ];
    for (i, h) in headers.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(2, col, *h, &bold)?;
        sheet.set_column_width(col, if i == 0 { 40 } else { 16 })?;
    }
    let mut r = 3u32;
    for l in &day.lines {
        sheet.write_string(r, 0, &l.agency)?;
        sheet.write_string(r, 1, &l.line.procedure_code)?;
        sheet.write_string(r, 2, &l.line.channel)?;
        sheet.write_string(r, 3, &l.line.gateway)?;
        sheet.write_string(r, 4, l.line.method.label_vi())?;
        sheet.write_string(r, 5, l.line.state.label_vi())?;
        sheet.write_number_with_format(r, 6, l.line.count as f64, &money)?;
        sheet.write_number_with_format(r, 7, l.line.amount_vnd as f64, &money)?;
        r += 1;
    }
    for (label, (n, amount)) in [
        ("Đã thanh toán", day.paid),
        ("Đang chờ xác nhận", day.pending),
        ("Không thành công", day.failed),
    ] {
        sheet.write_string_with_format(r, 5, label, &bold)?;
        sheet.write_number_with_format(r, 6, n as f64, &money)?;
        sheet.write_number_with_format(r, 7, amount as f64, &money)?;
        r += 1;
    }
    book.save_to_buffer()
}
