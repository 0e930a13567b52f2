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
}
