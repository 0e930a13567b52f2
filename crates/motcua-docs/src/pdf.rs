//! Ghi PDF — turns laid-out pages into PDF bytes with krilla: embedded, subset Liberation
//! Serif with a ToUnicode map, so the text copies and searches with its diacritics.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use crate::error::DocsError;
use crate::layout::fonts::face_bytes;
use crate::layout::{Op, PageOut};
use crate::template::Style;

fn font(style: Style) -> Result<Font, DocsError> {
    Font::new(face_bytes(style).into(), 0)
        .ok_or_else(|| DocsError::Pdf("phông chữ đi kèm bị hỏng".to_string()))
}

/// Writes `pages` as a PDF titled `title`.
pub(crate) fn write(pages: &[PageOut], title: &str) -> Result<Vec<u8>, DocsError> {
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
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language("vi".to_string())
            .creator("motcua".to_string()),
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
