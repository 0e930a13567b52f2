//! Giờ làm việc — office hours: the working periods of a weekday and, optionally, Saturday.

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::CalendarError;

/// Buổi làm việc — one working period of a day, from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Period {
    pub fn new(start: NaiveTime, end: NaiveTime) -> Self {
        Self { start, end }
    }

    /// Parses "07:00-11:30".
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let bad = || CalendarError::InvalidHours(format!("“{text}” không có dạng HH:MM-HH:MM"));
        let (a, b) = text.split_once('-').ok_or_else(bad)?;
        let start = NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| bad())?;
        let end = NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| bad())?;
        Ok(Self { start, end })
    }

    pub(crate) fn seconds(&self) -> (u32, u32) {
        (
            self.start.num_seconds_from_midnight(),
            self.end.num_seconds_from_midnight(),
        )
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// Giờ hành chính — the working periods of an ordinary working day and of Saturday.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeHours {
    /// Monday–Friday, and any Saturday announced as a working day.
    pub weekday: Vec<Period>,
    /// Ordinary Saturdays: empty unless the centre receives on Saturday mornings.
    #[serde(default)]
    pub saturday: Vec<Period>,
}

impl Default for OfficeHours {
    /// 07:00–11:30 and 13:30–17:00, Monday to Friday: eight hours a day.
    fn default() -> Self {
        Self {
            weekday: vec![
                Period::new(hm(7, 0), hm(11, 30)),
                Period::new(hm(13, 30), hm(17, 0)),
            ],
            saturday: Vec::new(),
        }
    }
}

impl OfficeHours {
    /// The default hours plus Saturday mornings (07:00–11:30).
    pub fn with_saturday_mornings(mut self) -> Self {
        self.saturday = self.weekday.first().copied().into_iter().collect();
        self
    }

    /// Checks that each day's periods are ordered, non-empty and do not overlap, and that
    /// a weekday has some working time at all.
    pub fn validate(&self) -> Result<(), CalendarError> {
        if self.weekday.is_empty() {
            return Err(CalendarError::InvalidHours(
                "ngày làm việc phải có ít nhất một buổi".into(),
            ));
        }
        for (label, periods) in [("ngày thường", &self.weekday), ("thứ Bảy", &self.saturday)]
        {
            let mut previous_end = 0;
            for period in periods {
                let (start, end) = period.seconds();
                if start >= end {
                    return Err(CalendarError::InvalidHours(format!(
                        "buổi {}–{} ({label}) kết thúc không sau khi bắt đầu",
                        period.start.format("%H:%M"),
                        period.end.format("%H:%M")
                    )));
                }
                if start < previous_end {
                    return Err(CalendarError::InvalidHours(format!(
                        "các buổi làm việc ({label}) chồng lên nhau hoặc không theo thứ tự"
                    )));
                }
                previous_end = end;
            }
        }
        Ok(())
    }

    /// Length of an ordinary working day in seconds: one "working day" of a deadline.
    pub fn day_seconds(&self) -> u32 {
        self.weekday
            .iter()
            .map(|p| {
                let (s, e) = p.seconds();
                e.saturating_sub(s)
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_day_is_eight_hours() {
        let hours = OfficeHours::default();
        assert!(hours.validate().is_ok());
        assert_eq!(hours.day_seconds(), 8 * 3600);
    }

    #[test]
    fn parse_and_reject() {
        assert_eq!(
            Period::parse("07:30-11:00").unwrap(),
            Period::new(hm(7, 30), hm(11, 0))
        );
        assert!(Period::parse("7h-11h").is_err());
        let bad = OfficeHours {
            weekday: vec![Period::new(hm(13, 0), hm(12, 0))],
            saturday: vec![],
        };
        assert!(bad.validate().is_err());
        let overlap = OfficeHours {
            weekday: vec![
                Period::new(hm(7, 0), hm(12, 0)),
                Period::new(hm(11, 0), hm(17, 0)),
            ],
            saturday: vec![],
        };
        assert!(overlap.validate().is_err());
    }
}
