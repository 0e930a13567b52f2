//! Biểu đồ — chart geometry for the statistics pages, drawn as SVG by the templates: bars
//! with their values and slanted labels, in a fixed 800 × 340 box that scales on screen and
//! on paper.

/// One bar (or point) with its label and value text.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// Centre of the bar, and where its value and label sit.
    pub cx: i64,
    pub value_y: i64,
    pub label_y: i64,
    pub label: String,
    pub value: String,
    /// A colour class: `good`, `warn`, `bad` or `plain`.
    pub tone: &'static str,
}

pub const WIDTH: i64 = 800;
pub const HEIGHT: i64 = 340;
const TOP: i64 = 24;
/// Room for the labels, slanted so that long agency names do not overlap.
const BOTTOM: i64 = 100;
const LEFT: i64 = 40;

/// Vertical bars for `(label, value, value text, tone)`, scaled to the largest value
/// (at least `floor`).
pub fn bars(items: &[(String, f64, String, &'static str)], floor: f64) -> Vec<Bar> {
    let max = items.iter().map(|i| i.1).fold(floor, f64::max);
    let n = i64::try_from(items.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - LEFT) / n;
    let plot = (HEIGHT - TOP - BOTTOM) as f64;
    items
        .iter()
        .enumerate()
        .map(|(i, (label, value, text, tone))| {
            let h = if max > 0.0 {
                (value / max * plot).round() as i64
            } else {
                0
            };
            let x = LEFT + i64::try_from(i).unwrap_or(0) * slot + slot / 8;
            let width = (slot * 3 / 4).max(2);
            Bar {
                x,
                y: HEIGHT - BOTTOM - h,
                width,
                height: h,
                cx: x + width / 2,
                value_y: HEIGHT - BOTTOM - h - 6,
                label_y: HEIGHT - BOTTOM + 14,
                label: short(label),
                value: text.clone(),
                tone,
            }
        })
        .collect()
}

/// A label cut to fit under a bar.
fn short(text: &str) -> String {
    let count = text.chars().count();
    if count <= 22 {
        text.to_string()
    } else {
        let cut: String = text.chars().take(21).collect();
        format!("{cut}…")
    }
}

/// The tone of an on-time rate: ≥ 95 % good, ≥ 80 % warning, below bad.
pub fn rate_tone(rate: Option<f64>) -> &'static str {
    match rate {
        Some(r) if r >= 0.95 => "good",
        Some(r) if r >= 0.80 => "warn",
        Some(_) => "bad",
        None => "plain",
    }
}

/// A share as a percentage text, "—" when there is nothing to divide.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        let b = bars(
            &[
                ("a".into(), 50.0, "50".into(), "plain"),
                ("b".into(), 100.0, "100".into(), "plain"),
            ],
            0.0,
        );
        assert_eq!(b[1].height, HEIGHT - TOP - BOTTOM);
        assert_eq!(b[0].height * 2, b[1].height);
        assert!(b[0].x < b[1].x);
        assert_eq!(percent(Some(0.123)), "12.3%");
        assert_eq!(percent(None), "—");
    }
}
