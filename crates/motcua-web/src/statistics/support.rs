//! Thống kê hỗ trợ in a workbook: the desk's counts by agency and kind, and per agency the
//! hotline calls, TT 01's indicator 8 and ND 61's criterion (g) — the numbers of the page
//! and the API.

use motcua_db::SupportReport;
use motcua_domain::support::Tally;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const TALLY: [&str; 9] = [
    "Tiếp nhận",
    "Xử lý đúng hạn",
    "Xử lý quá hạn",
    "Đã trả lời",
    "Chuyển cơ quan có thẩm quyền",
    "Không tiếp nhận",
    "Đã công khai",
    "Đang xử lý cuối kỳ",
    "Trong đó quá hạn",
];

fn tally_values(t: &Tally) -> [i64; 9] {
    [
        t.received,
        t.on_time,
        t.late,
        t.answered,
        t.forwarded,
        t.refused,
        t.published,
        t.open,
        t.overdue,
    ]
}

/// The workbook's bytes.
pub fn workbook(report: &SupportReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let score = Format::new().set_num_format("0.0");
    let period = format!(
        "Từ ngày {} đến ngày {}",
        report.from.format("%d/%m/%Y"),
        report.to.format("%d/%m/%Y")
    );
    let sheet = book.add_worksheet();
    sheet.set_name("Theo cơ quan và loại")?;
    sheet.write_string_with_format(0, 0, &period, &bold)?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 44)?;
    sheet.write_string_with_format(1, 0, "Cơ quan", &bold)?;
    sheet.write_string_with_format(1, 1, "Loại", &bold)?;
    for (i, h) in TALLY.iter().enumerate() {
        sheet.write_string_with_format(1, 2 + i as u16, *h, &bold)?;
    }
    let mut r = 2u32;
    for row in &report.rows {
        sheet.write_string(r, 0, &row.agency_name)?;
        sheet.write_string(r, 1, row.kind.label_vi())?;
        for (i, v) in tally_values(&row.tally).iter().enumerate() {
            sheet.write_number(r, 2 + i as u16, *v as f64)?;
        }
        r += 1;
    }
    for (label, t) in [
        ("Tổng — hỏi đáp", &report.questions),
        ("Tổng — phản ánh, kiến nghị", &report.feedback),
    ] {
        sheet.write_string_with_format(r, 0, label, &bold)?;
        for (i, v) in tally_values(t).iter().enumerate() {
            sheet.write_number_with_format(r, 2 + i as u16, *v as f64, &bold)?;
        }
        r += 1;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Đánh giá theo cơ quan")?;
    sheet.set_column_width(0, 40)?;
    let heads = [
        "Cơ quan",
        "Cuộc gọi tổng đài",
        "Thời lượng (phút)",
        "Câu hỏi tiếp nhận",
        "Phản ánh tiếp nhận",
        "Phản ánh xử lý đúng hạn",
        "Phản ánh xử lý quá hạn",
        "Phản ánh quá hạn chưa xử lý",
        "TT 01/2018 — Chỉ số 8",
        "NĐ 61/2018 — Tiêu chí (g)",
    ];
    for (i, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    let mut r = 1u32;
    for a in &report.agencies {
        sheet.write_string(r, 0, &a.agency_name)?;
        let counts = [
            a.calls,
            a.call_seconds / 60,
            a.questions.received,
            a.feedback.received,
            a.feedback.on_time,
            a.feedback.late,
            a.feedback.overdue,
        ];
        for (i, v) in counts.iter().enumerate() {
            sheet.write_number(r, 1 + i as u16, *v as f64)?;
        }
        sheet.write_number_with_format(r, 8, a.indicator_8, &score)?;
        sheet.write_number_with_format(r, 9, a.criterion_g, &score)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "Toàn bộ phạm vi", &bold)?;
    sheet.write_number_with_format(r, 1, report.calls as f64, &bold)?;
    sheet.write_number_with_format(r, 8, report.indicator_8, &score)?;
    sheet.write_number_with_format(r, 9, report.criterion_g, &score)?;
    sheet.write_string(
        r + 2,
        0,
        "Chỉ số 8: 2 điểm khi không có phản ánh hoặc 100% xử lý đúng hạn; 1 điểm khi từ 90%; 0 điểm khi dưới 90% hoặc có phản ánh kéo dài. Tiêu chí (g): trung bình mỗi phản ánh — trả lời đúng hạn 2, trả lời chậm 1, quá hạn chưa trả lời 0; 2 khi không có phản ánh.",
    )?;
    book.save_to_buffer()
}
