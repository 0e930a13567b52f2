//! Biểu đồ — chart geometry for the statistics pages, drawn as SVG by the templates: bars
//! with their values and slanted labels, in a fixed 800 × 340 box that scales on screen and
//! on paper.

use crate::i18n::{Lang, Tr};

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
    /// The axis label: the name itself when every name fits, otherwise the bar's number,
    /// with the full name in the legend below the chart ([`Bar::full`]).
    pub label: String,
    pub full: String,
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
    let numbered = items.iter().any(|i| i.0.chars().count() > LABEL_FITS);
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
                label: if numbered {
                    (i + 1).to_string()
                } else {
                    label.clone()
                },
                full: label.clone(),
                value: text.clone(),
                tone,
            }
        })
        .collect()
}

/// The longest name shown under a bar; longer names are numbered and listed in full.
const LABEL_FITS: usize = 22;

/// Whether the chart's bars are numbered, their names listed in a legend.
pub fn numbered(bars: &[Bar]) -> bool {
    bars.iter().any(|b| b.label != b.full)
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

/// A share as a percentage text in the page's language ("85,1 %" in Vietnamese), "—" when
/// there is nothing to divide.
pub fn percent(rate: Option<f64>, t: Tr) -> String {
    match (rate, t.0) {
        (None, _) => "—".to_string(),
        (Some(r), Lang::Vi) => motcua_domain::text::percent_vi(r),
        (Some(r), Lang::En) => format!("{:.1}%", r * 100.0),
    }
}

/// A score with one decimal in the page's language ("1,5" in Vietnamese).
pub fn decimal(value: f64, t: Tr) -> String {
    match t.0 {
        Lang::Vi => motcua_domain::text::decimal_vi(value, 1),
        Lang::En => format!("{value:.1}"),
    }
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
        assert_eq!(percent(Some(0.123), Tr(Lang::En)), "12.3%");
        assert_eq!(percent(Some(0.851), Tr(Lang::Vi)), "85,1 %");
        assert_eq!(percent(None, Tr(Lang::Vi)), "—");
    }

    /// Long agency names are never cut: the bars are numbered and the names listed whole.
    #[test]
    fn long_names_are_numbered_not_cut() {
        let long = "Văn phòng Đăng ký đất đai tỉnh Hưng Yên".to_string();
        let b = bars(
            &[
                (long.clone(), 3.0, "3".into(), "bad"),
                ("UBND xã An Lạc".into(), 1.0, "1".into(), "bad"),
            ],
            1.0,
        );
        assert!(numbered(&b));
        assert_eq!(
            (b[0].label.as_str(), b[0].full.as_str()),
            ("1", long.as_str())
        );
        let short = bars(&[("03/2026".into(), 1.0, "1".into(), "plain")], 1.0);
        assert!(!numbered(&short));
        assert_eq!(short[0].label, "03/2026");
    }
}
