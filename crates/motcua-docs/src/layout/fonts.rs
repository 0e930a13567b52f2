//! Phông chữ — the bundled Liberation Serif (metric-compatible with Times New Roman, the
//! typeface of Vietnamese administrative documents) and text measurement.

use crate::error::DocsError;
use crate::template::Style;

pub(crate) const REGULAR: &[u8] = include_bytes!("../../data/fonts/LiberationSerif-Regular.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../../data/fonts/LiberationSerif-Bold.ttf");
pub(crate) const ITALIC: &[u8] = include_bytes!("../../data/fonts/LiberationSerif-Italic.ttf");

/// The bytes of the face used for `style` (bold italic is set in bold: it is rare on forms).
pub(crate) fn face_bytes(style: Style) -> &'static [u8] {
    match style {
        Style::Regular => REGULAR,
        Style::Bold | Style::BoldItalic => BOLD,
        Style::Italic => ITALIC,
    }
}

/// Advance widths of the three faces, for line breaking and alignment.
pub(crate) struct Metrics {
    faces: [ttf_parser::Face<'static>; 3],
}

impl Metrics {
    pub(crate) fn load() -> Result<Self, DocsError> {
        let face = |bytes: &'static [u8]| {
            ttf_parser::Face::parse(bytes, 0)
                .map_err(|e| DocsError::Pdf(format!("phông chữ đi kèm bị hỏng: {e}")))
        };
        Ok(Self {
            faces: [face(REGULAR)?, face(BOLD)?, face(ITALIC)?],
        })
    }

    fn face(&self, style: Style) -> &ttf_parser::Face<'static> {
        match style {
            Style::Regular => &self.faces[0],
            Style::Bold | Style::BoldItalic => &self.faces[1],
            Style::Italic => &self.faces[2],
        }
    }

    /// `text` with what the face cannot print replaced: control characters by a space,
    /// characters without a glyph by "?" (PDF/A forbids the empty .notdef glyph, and a
    /// question mark shows the reader that something was there).
    pub(crate) fn printable(&self, text: &str, style: Style) -> String {
        let face = self.face(style);
        text.chars()
            .map(|c| {
                if c.is_control() {
                    ' '
                } else if face.glyph_index(c).is_some() {
                    c
                } else {
                    '?'
                }
            })
            .collect()
    }

    /// Width of `text` in points at `size` (kerning ignored: lines come out a hair short,
    /// never too long).
    pub(crate) fn width(&self, text: &str, style: Style, size: f32) -> f32 {
        let face = self.face(style);
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                u32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 * size / f32::from(face.units_per_em())
    }
}
