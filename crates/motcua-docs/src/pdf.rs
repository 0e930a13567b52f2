//! Ghi PDF — turns laid-out pages into PDF/A-2b bytes with krilla: embedded, subset Liberation
//! Serif with a ToUnicode map, so the text copies and searches with its diacritics.

use chrono::{Datelike, NaiveDate};
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};

use crate::error::DocsError;
use crate::layout::fonts::face_bytes;
use crate::layout::{Op, PageOut};
use crate::template::Style;

fn font(style: Style) -> Result<Font, DocsError> {
    Font::new(face_bytes(style).into(), 0)
        .ok_or_else(|| DocsError::Pdf("phông chữ đi kèm bị hỏng".to_string()))
}

/// Writes `pages` as a PDF titled `title`, dated `date` (the form's date, so the same data
/// always gives the same bytes).
pub(crate) fn write(pages: &[PageOut], title: &str, date: NaiveDate) -> Result<Vec<u8>, DocsError> {
    let fonts = [
        font(Style::Regular)?,
        font(Style::Bold)?,
        font(Style::Italic)?,
    ];
    let pick = |style: Style| match style {
        Style::Regular => fonts[0].clone(),
        Style::Bold | Style::BoldItalic => fonts[1].clone(),
        Style::Italic => fonts[2].clone(),
    };
    // PDF/A-2b: results are kept for years, and archives ask for self-contained files.
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| DocsError::Pdf(format!("{e:?}")))?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language("vi".to_string())
            .creator("motcua".to_string())
            .creation_date(
                DateTime::new(u16::try_from(date.year()).unwrap_or(0))
                    .month(u8::try_from(date.month()).unwrap_or(1))
                    .day(u8::try_from(date.day()).unwrap_or(1))
                    .utc_offset_hour(7),
            ),
    );
    for page in pages {
        let settings = PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| DocsError::Pdf("khổ giấy không hợp lệ".to_string()))?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        for op in &page.ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    style,
                    text,
                } => {
                    surface.set_fill(Some(Fill::default()));
                    surface.set_stroke(None);
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        pick(*style),
                        *size,
                        text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
                Op::Fill { x, y, w, h } => {
                    let mut builder = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        builder.push_rect(rect);
                    }
                    if let Some(path) = builder.finish() {
                        surface.set_fill(Some(Fill::default()));
                        surface.set_stroke(None);
                        surface.draw_path(&path);
                    }
                }
                Op::Line { x1, y1, x2, y2 } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(*x1, *y1);
                    builder.line_to(*x2, *y2);
                    if let Some(path) = builder.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: 0.6,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        pdf_page.finish();
    }
    document
        .finish()
        .map_err(|e| DocsError::Pdf(format!("{e:?}")))
}
