//! Mã QR — the module matrix of a QR code for the tracking link, drawn by the layout as
//! filled rectangles (no image needed).

use qrcode::{Color, EcLevel, QrCode};

use crate::error::DocsError;

/// Rows of modules (true = dark), with the four-module quiet zone left to the page margin.
pub(crate) fn modules(data: &str) -> Result<Vec<Vec<bool>>, DocsError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| DocsError::Qr(e.to_string()))?;
    let width = code.width();
    let colors = code.to_colors();
    Ok(colors
        .chunks(width)
        .map(|row| row.iter().map(|c| *c == Color::Dark).collect())
        .collect())
}

/// The QR code of `data` as a standalone SVG image (dark modules as one path, a quiet zone
/// of four modules), for web pages; `size` is its width and height in CSS pixels.
pub fn qr_svg(data: &str, size: u32) -> Result<String, DocsError> {
    let rows = modules(data)?;
    let n = rows.len() + 8;
    let mut path = String::new();
    for (y, row) in rows.iter().enumerate() {
        for (x, dark) in row.iter().enumerate() {
            if *dark {
                path.push_str(&format!("M{} {}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {n} {n}\" width=\"{size}\" height=\"{size}\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"{n}\" height=\"{n}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracking_link_makes_a_square_matrix() {
        let m = modules("https://motcua.example/tra-cuu?ma=000.00.01.H56-261124-0001").unwrap();
        assert!(m.len() >= 21);
        assert!(m.iter().all(|row| row.len() == m.len()));
        // The finder pattern's top-left corner is dark.
        assert!(m[0][0] && m[0][6] && m[6][0]);
    }

    #[test]
    fn the_svg_draws_the_same_modules() {
        let svg = qr_svg("https://motcua.example/tra-cuu?code=X&secret=Y", 120).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("width=\"120\"") && svg.contains("M4 4h1v1h-1z"));
        assert!(!svg.contains("<script"));
    }
}
