//! Chữ ký trên bàn ký — the applicant's signature drawn at the counter on a tablet or a
//! signature pad, kept as strokes (not an image): what counts as a signature drawing, and its
//! compact stored form, which the receipt (Mẫu 01) draws in the applicant's signature box.

use serde::Deserialize;

/// Coordinates run from 0 to this in both directions, whatever the pad's size.
pub const SCALE: u16 = 1000;
/// The pad's width over its height: a drawing is shown and printed in these proportions.
pub const ASPECT: f32 = 3.0;
/// Most strokes, and most points in all, a drawing may have.
pub const MAX_STROKES: usize = 60;
pub const MAX_POINTS: usize = 6000;

/// A signature drawing: strokes of points, each point (x, y) with 0 ≤ x, y ≤ [`SCALE`], y
/// downwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawing {
    strokes: Vec<Vec<(u16, u16)>>,
}

impl Drawing {
    /// The strokes as the pad sent them, JSON `[[[x, y], …], …]`, checked: at least one
    /// stroke with two points or more, every point inside the pad, not more than the limits.
    pub fn from_json(text: &str) -> Result<Self, String> {
        #[derive(Deserialize)]
        #[serde(transparent)]
        struct Raw(Vec<Vec<(f64, f64)>>);
        let Raw(raw) = serde_json::from_str(text)
            .map_err(|_| "Chữ ký gửi lên không đọc được; xin ký lại".to_string())?;
        let strokes = raw
            .into_iter()
            .map(|stroke| {
                stroke
                    .into_iter()
                    .map(|(x, y)| Ok((coordinate(x)?, coordinate(y)?)))
                    .collect::<Result<Vec<_>, String>>()
            })
            .collect::<Result<Vec<_>, String>>()?;
        Self::checked(strokes)
    }

    fn checked(strokes: Vec<Vec<(u16, u16)>>) -> Result<Self, String> {
        let strokes: Vec<_> = strokes.into_iter().filter(|s| !s.is_empty()).collect();
        if !strokes.iter().any(|s| s.len() >= 2) {
            return Err("Chưa có chữ ký: người nộp hồ sơ ký vào khung rồi lưu".into());
        }
        if strokes.len() > MAX_STROKES || strokes.iter().map(Vec::len).sum::<usize>() > MAX_POINTS {
            return Err("Chữ ký quá nhiều nét; xin xóa và ký lại".into());
        }
        Ok(Self { strokes })
    }

    /// The strokes.
    pub fn strokes(&self) -> &[Vec<(u16, u16)>] {
        &self.strokes
    }

    /// The stored form: points `x,y` separated by spaces, strokes by `;`.
    pub fn to_compact(&self) -> String {
        self.strokes
            .iter()
            .map(|s| {
                s.iter()
                    .map(|(x, y)| format!("{x},{y}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// A drawing read back from its stored form (checked again).
    pub fn from_compact(text: &str) -> Result<Self, String> {
        let bad = || "chữ ký lưu trữ hỏng".to_string();
        let strokes = text
            .split(';')
            .map(|stroke| {
                stroke
                    .split_whitespace()
                    .map(|point| {
                        let (x, y) = point.split_once(',').ok_or_else(bad)?;
                        let x: u16 = x.parse().map_err(|_| bad())?;
                        let y: u16 = y.parse().map_err(|_| bad())?;
                        if x > SCALE || y > SCALE {
                            return Err(bad());
                        }
                        Ok((x, y))
                    })
                    .collect::<Result<Vec<_>, String>>()
            })
            .collect::<Result<Vec<_>, String>>()?;
        Self::checked(strokes)
    }

    /// The drawing as SVG path data in a box [`SCALE`] wide and high.
    pub fn svg_path(&self) -> String {
        let mut out = String::new();
        for stroke in &self.strokes {
            for (i, (x, y)) in stroke.iter().enumerate() {
                out.push_str(&format!("{}{x} {y}", if i == 0 { "M" } else { "L" }));
            }
        }
        out
    }
}

/// A coordinate from the pad, 0 to [`SCALE`] (fractions rounded).
fn coordinate(v: f64) -> Result<u16, String> {
    if v.is_finite() && (0.0..=f64::from(SCALE)).contains(&v) {
        Ok(v.round() as u16)
    } else {
        Err("Chữ ký có nét ra ngoài khung ký; xin ký lại".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawing_is_checked_and_stored_compactly() {
        let d =
            Drawing::from_json("[[[10, 20.4], [30, 40]], [[500, 500], [999.6, 1000]]]").unwrap();
        assert_eq!(d.to_compact(), "10,20 30,40;500,500 1000,1000");
        assert_eq!(Drawing::from_compact(&d.to_compact()).unwrap(), d);
        assert_eq!(d.svg_path(), "M10 20L30 40M500 500L1000 1000");
    }

    #[test]
    fn what_is_not_a_signature_is_refused_by_name() {
        for (text, says) in [
            ("[]", "Chưa có chữ ký"),
            ("[[[1, 1]]]", "Chưa có chữ ký"),
            ("[[[1, 1], [2000, 3]]]", "ngoài khung"),
            ("[[[-1, 1], [2, 3]]]", "ngoài khung"),
            ("not json", "không đọc được"),
            ("[[[1, \"a\"]]]", "không đọc được"),
        ] {
            let e = Drawing::from_json(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
        let many = format!("[{}]", vec!["[[1,1],[2,2]]"; MAX_STROKES + 1].join(","));
        assert!(Drawing::from_json(&many).unwrap_err().contains("quá nhiều"));
        for stored in ["1,2 3", "1,2 3,x", "1,2 3,4000", ""] {
            assert!(Drawing::from_compact(stored).is_err(), "{stored}");
        }
    }
}
