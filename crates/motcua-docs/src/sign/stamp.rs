//! Dấu chữ ký — the visible stamp of a signature: who signed, for which agency, when, and
//! the QR code of the page that verifies it. It is drawn as a small PDF page by the same writer
//! as the forms (the bundled font, subset, with its Unicode map), and that page becomes the
//! signature field's appearance on the signed page.

use chrono::NaiveDate;

use crate::error::DocsError;
use crate::layout::fonts::Metrics;
use crate::layout::{Op, PageOut};
use crate::template::Style;

/// What the stamp shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stamp {
    /// Its lines, the first in bold (the signer); at most four are drawn.
    pub lines: Vec<String>,
    /// The address the QR code carries (the verification page), if any.
    pub link: Option<String>,
    /// Where its top edge goes on the last page, in points from the page's top: just under
    /// the content of a form that kept room for it (`RenderedForm::stamp_top`). Without it,
    /// the stamp goes in the bottom margin, which it fits when the margin is the 20 mm an
    /// administrative document has (Decree 30/2020).
    pub top: Option<f32>,
}

/// The stamp's size in points (about 81 × 17 mm): it fits in the bottom margin of an
/// administrative document (20–25 mm, Decree 30/2020).
pub(crate) const WIDTH: f32 = 230.0;
pub(crate) const HEIGHT: f32 = 48.0;
/// Most lines drawn.
const LINES: usize = 4;
const SIZE: f32 = 7.0;
const MARGIN: f32 = 4.0;

/// `text` cut to fit `width` at `size`, ending with "…" when cut.
fn fit(metrics: &Metrics, text: &str, style: Style, width: f32) -> String {
    let text = metrics.printable(text, style);
    if metrics.width(&text, style, SIZE) <= width {
        return text;
    }
    let mut kept: String = text.clone();
    while !kept.is_empty() && metrics.width(&format!("{kept}…"), style, SIZE) > width {
        kept.pop();
    }
    format!("{}…", kept.trim_end())
}

/// The stamp as a one-page PDF of [`WIDTH`] × [`HEIGHT`] points, dated `date`.
pub(crate) fn page(stamp: &Stamp, date: NaiveDate) -> Result<Vec<u8>, DocsError> {
    let metrics = Metrics::load()?;
    let mut ops = Vec::new();
    let (l, t, r, b) = (0.5, 0.5, WIDTH - 0.5, HEIGHT - 0.5);
    for (x1, y1, x2, y2) in [(l, t, r, t), (r, t, r, b), (r, b, l, b), (l, b, l, t)] {
        ops.push(Op::Line { x1, y1, x2, y2 });
    }
    let mut text_right = WIDTH - MARGIN;
    if let Some(link) = &stamp.link {
        let rows = crate::qr::modules(link)?;
        let side = HEIGHT - 2.0 * MARGIN;
        let cell = side / rows.len().max(1) as f32;
        let left = WIDTH - MARGIN - side;
        for (y, row) in rows.iter().enumerate() {
            for (x, dark) in row.iter().enumerate() {
                if *dark {
                    ops.push(Op::Fill {
                        x: left + x as f32 * cell,
                        y: MARGIN + y as f32 * cell,
                        w: cell,
                        h: cell,
                    });
                }
            }
        }
        text_right = left - MARGIN;
    }
    let width = text_right - 2.0 * MARGIN;
    for (i, line) in stamp.lines.iter().take(LINES).enumerate() {
        let style = if i == 0 { Style::Bold } else { Style::Regular };
        ops.push(Op::Text {
            x: 2.0 * MARGIN,
            y: MARGIN + 8.0 + i as f32 * 10.0,
            size: SIZE,
            style,
            text: fit(&metrics, line, style, width),
        });
    }
    crate::pdf::write(
        &[PageOut {
            width: WIDTH,
            height: HEIGHT,
            ops,
        }],
        "Chữ ký số",
        date,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_to_the_stamp() {
        let metrics = Metrics::load().unwrap();
        let long = "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa — Sở Tư pháp — Phòng Hành chính tư pháp";
        let cut = fit(&metrics, long, Style::Regular, 120.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(metrics.width(&cut, Style::Regular, SIZE) <= 120.0);
        assert_eq!(fit(&metrics, "Ngắn", Style::Regular, 120.0), "Ngắn");
    }

    #[test]
    fn the_stamp_is_a_small_pdf_page() {
        let stamp = Stamp {
            lines: vec![
                "Ký bởi: Sở Tư pháp".into(),
                "Ngày ký: 24/11/2026 15:02".into(),
            ],
            link: Some("https://motcua.example/xac-thuc/ABCDEFGHJKLMNPQRSTUV".into()),
            top: None,
        };
        let pdf = page(&stamp, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
