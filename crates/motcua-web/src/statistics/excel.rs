//! Xuất Excel — a statistics report as an .xlsx workbook: one sheet per cut, Vietnamese
//! headers, the same numbers as the pages and the API.

use motcua_db::{Named, StatisticsReport, Summary};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The columns of every cut's sheet after the name.
const HEADERS: [&str; 19] = [
    "Tồn kỳ trước",
    "Tiếp nhận trong kỳ",
    "Trực tuyến",
    "Trực tiếp",
    "Bưu chính",
    "Giải quyết trước hạn",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Xin lỗi, hẹn lại",
    "Không tiếp nhận",
    "Rút hồ sơ",
    "Dừng xử lý",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
    "Tạm dừng (chờ bổ sung, nghĩa vụ tài chính)",
    "Tỷ lệ đúng hạn (%)",
    "Tỷ lệ trực tuyến (%)",
    "Tỷ lệ có thành phần số hóa (%)",
    "Tỷ lệ kết quả điện tử (%)",
];

fn values(s: &Summary) -> [Option<f64>; 19] {
    let f = &s.figures;
    let n = |v: i64| Some(v as f64);
    let pct = |v: Option<f64>| v.map(|x| (x * 1000.0).round() / 10.0);
    [
        n(f.carried_over),
        n(f.received),
        n(f.received_online),
        n(f.received_counter),
        n(f.received_post),
        n(f.early),
        n(f.on_time),
        n(f.late),
        n(f.apologised),
        n(f.refused),
        n(f.withdrawn),
        n(f.stopped),
        n(s.in_progress_on_time),
        n(f.overdue_at_end),
        n(f.paused_at_end),
        pct(s.on_time_rate),
        pct(s.online_share),
        pct(s.digitised_share),
        pct(s.e_result_share),
    ]
}

fn cut_sheet(
    sheet: &mut Worksheet,
    name: &str,
    first: &str,
    rows: &[Named],
    total: &Summary,
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.write_string_with_format(0, 0, first, bold)?;
    sheet.set_column_width(0, 40)?;
    for (i, h) in HEADERS.iter().enumerate() {
        let col = u16::try_from(i + 1).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, *h, bold)?;
        sheet.set_column_width(col, 14)?;
    }
    let mut r = 1u32;
    for row in rows {
        sheet.write_string(r, 0, &row.name)?;
        write_values(sheet, r, &row.summary)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "Tổng cộng", bold)?;
    write_values(sheet, r, total)?;
    Ok(())
}

fn write_values(sheet: &mut Worksheet, r: u32, s: &Summary) -> Result<(), XlsxError> {
    for (i, v) in values(s).iter().enumerate() {
        if let Some(v) = v {
            sheet.write_number(r, u16::try_from(i + 1).unwrap_or(u16::MAX), *v)?;
        }
    }
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(report: &StatisticsReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let period = format!(
        "Từ ngày {} đến ngày {}",
        report.filter.from.format("%d/%m/%Y"),
        report.filter.to.format("%d/%m/%Y")
    );
    let total_row = [Named {
        key: String::new(),
        name: period.clone(),
        summary: report.total.clone(),
    }];
    let cuts: [(&str, &str, &[Named]); 5] = [
        ("Tổng hợp", "Kỳ thống kê", &total_row),
        ("Theo cơ quan", "Cơ quan", &report.by_agency),
        ("Theo lĩnh vực", "Lĩnh vực", &report.by_field),
        ("Theo kênh", "Kênh tiếp nhận", &report.by_channel),
        ("Theo tháng", "Tháng", &report.by_month),
    ];
    for (name, first, rows) in cuts {
        cut_sheet(
            book.add_worksheet(),
            name,
            first,
            rows,
            &report.total,
            &bold,
        )?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Đánh giá")?;
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(3, 90)?;
    sheet.write_string_with_format(0, 0, "Nhóm / chỉ số", &bold)?;
    sheet.write_string_with_format(0, 1, "Điểm", &bold)?;
    sheet.write_string_with_format(0, 2, "Tối đa", &bold)?;
    sheet.write_string_with_format(0, 3, "Công thức / ghi chú", &bold)?;
    let mut r = 1u32;
    for (i, v) in report.evaluation.indicators.0.iter().enumerate() {
        sheet.write_string(r, 0, format!("TT 01/2018 — Chỉ số {}", i + 1))?;
        match v {
            Some(v) => sheet.write_number(r, 1, *v)?,
            None => sheet.write_string(r, 3, "chưa có dữ liệu trong motcua")?,
        };
        sheet.write_number(r, 2, 2.0)?;
        r += 1;
    }
    if let (Some(points), Some(class)) = (report.evaluation.score_18, report.evaluation.class) {
        sheet.write_string(r, 0, "TT 01/2018 — Điểm (thang 18) và xếp loại")?;
        sheet.write_number(r, 1, points)?;
        sheet.write_number(r, 2, 18.0)?;
        sheet.write_string(r, 3, class.label_vi())?;
        r += 1;
    }
    for g in &report.evaluation.groups_766 {
        sheet.write_string(
            r,
            0,
            format!("QĐ 766 — {} {}", g.group.code(), g.group.label_vi()),
        )?;
        if let Some(s) = g.score {
            sheet.write_number(r, 1, s)?;
        }
        sheet.write_number(r, 2, g.max)?;
        let note = match (g.formula.is_empty(), g.missing.is_empty()) {
            (false, false) => format!("{}; chưa tính: {}", g.formula, g.missing),
            (false, true) => g.formula.to_string(),
            _ => format!("không tính được: {}", g.missing),
        };
        sheet.write_string(r, 3, note)?;
        r += 1;
    }
    book.save_to_buffer()
}
