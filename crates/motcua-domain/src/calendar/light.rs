//! Đèn trạng thái — the traffic light of anything with an appointment: overdue once
//! [`is_late`], due soon within one working day, otherwise on time. The staff queues of
//! dossiers and of support cases both ask this one rule.

use serde::{Deserialize, Serialize};

use super::{CalendarError, Instant, WorkCalendar, is_late};

/// Where something open stands against its appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// Còn hạn.
    OnTime,
    /// Sắp đến hạn: one working day or less remains.
    DueSoon,
    /// Quá hạn.
    Overdue,
}

impl Light {
    /// The light at `now` of something due at `due`.
    pub fn at(calendar: &WorkCalendar, now: Instant, due: Instant) -> Result<Self, CalendarError> {
        if is_late(now, due) {
            return Ok(Self::Overdue);
        }
        let remaining = calendar.working_seconds_remaining(now, due)?;
        Ok(if remaining <= calendar.day_seconds() {
            Self::DueSoon
        } else {
            Self::OnTime
        })
    }

    /// The CSS class the pages colour it with.
    pub fn class(self) -> &'static str {
        match self {
            Self::OnTime => "ok",
            Self::DueSoon => "soon",
            Self::Overdue => "overdue",
        }
    }

    /// The i18n key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::OnTime => "light.on_time",
            Self::DueSoon => "light.due_soon",
            Self::Overdue => "light.overdue",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarConfig;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Instant {
        crate::calendar::vietnam_offset()
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
    }

    #[test]
    fn the_light_walks_working_time_not_clock_time() {
        let cal = WorkCalendar::new(CalendarConfig::default()).unwrap();
        // Due Monday 7/12/2026 10:00; on Friday 4/12 16:00 one working day and a bit
        // remain (Friday's last hour and Monday morning), the weekend not counted.
        let due = at(2026, 12, 7, 10, 0);
        assert_eq!(
            Light::at(&cal, at(2026, 12, 3, 16, 0), due).unwrap(),
            Light::OnTime
        );
        assert_eq!(
            Light::at(&cal, at(2026, 12, 4, 16, 0), due).unwrap(),
            Light::DueSoon
        );
        assert_eq!(Light::at(&cal, due, due).unwrap(), Light::DueSoon);
        assert_eq!(
            Light::at(&cal, at(2026, 12, 7, 10, 1), due).unwrap(),
            Light::Overdue
        );
    }
}
