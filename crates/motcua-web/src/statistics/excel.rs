//! Xuất Excel — a statistics report as an .xlsx workbook: one sheet per cut, Vietnamese
//! headers, the same numbers as the pages and the API.

use motcua_db::{Named, StatisticsReport, Summary};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// How a column's values are written: a count, or a share shown as a percentage with one
/// decimal (the reader's Excel writes it in its own locale: 85,1 % in Vietnamese).
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Share,
}

/// The columns of every cut's sheet after the name.
const COLUMNS: [(&str, Kind); 26] = [
    ("Tồn kỳ trước", Kind::Count),
    ("Tiếp nhận trong kỳ (nộp)", Kind::Count),
    ("Trực tuyến", Kind::Count),
    ("Trực tiếp", Kind::Count),
    ("Bưu chính", Kind::Count),
    ("Tiếp nhận chính thức", Kind::Count),
    ("Giải quyết trước hạn", Kind::Count),
    ("Giải quyết đúng hạn", Kind::Count),
    ("Giải quyết quá hạn", Kind::Count),
    ("Xin lỗi, hẹn lại", Kind::Count),
    ("Không tiếp nhận", Kind::Count),
    ("Rút hồ sơ", Kind::Count),
    ("Dừng xử lý", Kind::Count),
    ("Đang giải quyết trong hạn", Kind::Count),
    ("Đang giải quyết quá hạn", Kind::Count),
    ("Tạm dừng (chờ bổ sung, nghĩa vụ tài chính)", Kind::Count),
    ("Văn bản xin lỗi đã ban hành", Kind::Count),
    ("Trong đó ban hành muộn", Kind::Count),
    ("Đã đồng bộ lên Cổng DVCQG", Kind::Count),
    ("Có phí, lệ phí", Kind::Count),
    ("Trong đó thanh toán trực tuyến", Kind::Count),
    ("Dùng lại giấy tờ từ kho dữ liệu", Kind::Count),
    ("Tỷ lệ đúng hạn", Kind::Share),
    (
        "Tỷ lệ trực tuyến (trên hồ sơ tiếp nhận chính thức)",
        Kind::Share,
    ),
    ("Tỷ lệ có thành phần số hóa", Kind::Share),
    ("Tỷ lệ kết quả điện tử", Kind::Share),
];

fn values(s: &Summary) -> [Option<f64>; 26] {
    let f = &s.figures;
    let n = |v: i64| Some(v as f64);
    [
        n(f.carried_over),
        n(f.received),
        n(f.received_online),
        n(f.received_counter),
        n(f.received_post),
        n(f.accepted),
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
        n(f.apologies),
        n(f.apologies_late),
        n(f.synced),
        n(f.fee_bearing),
        n(f.paid_online),
        n(f.reused),
        s.on_time_rate,
        s.online_share,
        s.digitised_share,
        s.e_result_share,
    ]
}

/// The number formats: whole counts, and shares as "0.0%".
struct Formats {
    bold: Format,
    count: Format,
    share: Format,
    score: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            bold: Format::new().set_bold().set_text_wrap(),
            count: Format::new().set_num_format("#,##0"),
            share: Format::new().set_num_format("0.0%"),
            score: Format::new().set_num_format("0.0"),
        }
    }
}

fn cut_sheet(
    sheet: &mut Worksheet,
    name: &str,
    first: &str,
    rows: &[Named],
    total: &Summary,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    sheet.write_string_with_format(0, 0, first, &formats.bold)?;
    sheet.set_column_width(0, 48)?;
    for (i, (h, _)) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(i + 1).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, *h, &formats.bold)?;
        sheet.set_column_width(col, 14)?;
    }
    let mut r = 1u32;
    for row in rows {
        sheet.write_string(r, 0, &row.name)?;
        write_values(sheet, r, &row.summary, formats)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, "Tổng cộng", &formats.bold)?;
    write_values(sheet, r, total, formats)?;
    Ok(())
}

fn write_values(
    sheet: &mut Worksheet,
    r: u32,
    s: &Summary,
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (i, (v, (_, kind))) in values(s).iter().zip(COLUMNS).enumerate() {
        if let Some(v) = v {
            let format = match kind {
                Kind::Count => &formats.count,
                Kind::Share => &formats.share,
            };
            let col = u16::try_from(i + 1).unwrap_or(u16::MAX);
            sheet.write_number_with_format(r, col, *v, format)?;
        }
    }
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(report: &StatisticsReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    let bold = &formats.bold;
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
            &formats,
        )?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Đánh giá")?;
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(3, 90)?;
    sheet.write_string_with_format(0, 0, "Nhóm / chỉ số", bold)?;
    sheet.write_string_with_format(0, 1, "Điểm", bold)?;
    sheet.write_string_with_format(0, 2, "Tối đa", bold)?;
    sheet.write_string_with_format(0, 3, "Công thức / ghi chú", bold)?;
    let mut r = 1u32;
    for (i, v) in report.evaluation.indicators.0.iter().enumerate() {
        sheet.write_string(r, 0, format!("TT 01/2018 — Chỉ số {}", i + 1))?;
        match v {
            Some(v) => sheet.write_number_with_format(r, 1, *v, &formats.score)?,
            None => sheet.write_string(r, 3, "chưa tính: chưa có dữ liệu trong motcua")?,
        };
        sheet.write_number(r, 2, 2.0)?;
        r += 1;
    }
    if let Some(standing) = &report.evaluation.standing {
        sheet.write_string(r, 0, "TT 01/2018 — Điểm (thang 18) và xếp loại")?;
        sheet.write_number_with_format(r, 1, standing.points, &formats.score)?;
        sheet.write_number(r, 2, 18.0)?;
        sheet.write_string(r, 3, standing.describe_vi())?;
        r += 1;
    }
    for g in &report.evaluation.groups_766 {
        sheet.write_string(
            r,
            0,
            format!("QĐ 766 — {} {}", g.group.code(), g.group.label_vi()),
        )?;
        if let Some(s) = g.score {
            sheet.write_number_with_format(r, 1, s, &formats.score)?;
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
