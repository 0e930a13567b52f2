//! Thời hạn giải quyết — deadline policies and the questions asked of them: when is it due,
//! how much working time has passed or remains, and was it early, on time or late.

use chrono::{Days, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use super::index::{Slot, WorkCalendar};
use super::{CalendarError, Instant, vietnam_offset};

/// Thời hạn — how long a procedure (or a step) may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "unit", content = "amount", rename_all = "snake_case")]
pub enum TimeLimit {
    /// Ngày làm việc: N × the working day's hours, walked through working periods.
    WorkingDays(u32),
    /// Giờ làm việc: H hours, walked through working periods.
    WorkingHours(u32),
    /// Ngày (calendar days): the same clock time N days later, moved into working time.
    CalendarDays(u32),
}

/// What happens to the clock while a dossier waits for the citizen's supplement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuspensionPolicy {
    /// Tính lại từ đầu — the deadline restarts from zero when the full dossier arrives
    /// (ND 61/2018 art. 19(4)): the legal default.
    #[default]
    Restart,
    /// Tạm dừng — the clock pauses and resumes with the working time that remained.
    Pause,
}

/// The deadline rule attached to a procedure (or a case of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    pub limit: TimeLimit,
    /// Giờ chốt — received after this time of a working day, counting starts at the next
    /// working day's first period (15:00 when enabled).
    #[serde(default)]
    pub cutoff: Option<NaiveTime>,
    #[serde(default)]
    pub suspension: SuspensionPolicy,
    /// Hẹn lại tối đa — how far past the appointment (or past the day it is issued, if later)
    /// an apology may set the new one; none: as long as the procedure's own time limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apology_cap: Option<TimeLimit>,
}

impl DeadlinePolicy {
    pub fn working_days(days: u32) -> Self {
        Self {
            limit: TimeLimit::WorkingDays(days),
            cutoff: None,
            suspension: SuspensionPolicy::Restart,
            apology_cap: None,
        }
    }

    /// The latest appointment an apology issued at `now` may set on a dossier due at `due`.
    pub fn apology_latest(
        &self,
        calendar: &WorkCalendar,
        due: Instant,
        now: Instant,
    ) -> Result<Instant, CalendarError> {
        let cap = DeadlinePolicy {
            limit: self.apology_cap.unwrap_or(self.limit),
            cutoff: None,
            suspension: SuspensionPolicy::Restart,
            apology_cap: None,
        };
        Ok(calendar.deadline(&cap, due.max(now))?.due)
    }

    /// The ND 61 afternoon cut-off, 15:00.
    pub fn default_cutoff() -> NaiveTime {
        NaiveTime::from_hms_opt(15, 0, 0).unwrap_or(NaiveTime::MIN)
    }
}

/// Ngày hẹn trả — a computed deadline: when it was received, when the clock started,
/// and the appointment instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub received: Instant,
    pub start: Instant,
    pub due: Instant,
}

/// Kết quả đúng hạn — how a finished dossier or step compares with its appointment:
/// by calendar date in Vietnam, before (early), on (on time) or after (late).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Trước hạn
    Early,
    /// Đúng hạn
    OnTime,
    /// Quá hạn
    Late,
}

/// Quá hạn — the one rule for lateness: something due at `due` is late at `at` when `at`
/// is past the appointment as printed on the receipt (hour and minute of the date), that is
/// from the minute after the appointment's minute on. Every page, report, query and message
/// asks this (or [`overdue_before`], its form for a query over stored instants).
pub fn is_late(at: Instant, due: Instant) -> bool {
    minute_of(at) > minute_of(due)
}

/// The instant a stored appointment must be before for a dossier to be late at `now`: the
/// start of `now`'s minute (`due < overdue_before(now)` exactly when [`is_late`]`(now, due)`).
pub fn overdue_before(now: Instant) -> Instant {
    minute_floor(now)
}

/// The first instant at which something due at `due` is late.
pub fn late_from(due: Instant) -> Instant {
    minute_floor(due) + chrono::Duration::minutes(1)
}

fn minute_floor(at: Instant) -> Instant {
    at.with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .unwrap_or(at)
}

fn minute_of(at: Instant) -> i64 {
    at.timestamp().div_euclid(60)
}

impl Outcome {
    /// Before the appointment's date: early; on its date and not late: on time; past the
    /// appointment's minute ([`is_late`]): late.
    pub fn of(finished: Instant, due: Instant) -> Self {
        if is_late(finished, due) {
            return Self::Late;
        }
        let vn = vietnam_offset();
        let f = finished.with_timezone(&vn).date_naive();
        let d = due.with_timezone(&vn).date_naive();
        if f < d { Self::Early } else { Self::OnTime }
    }

    /// The Vietnamese label used on forms and pages.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Early => "Trước hạn",
            Self::OnTime => "Đúng hạn",
            Self::Late => "Quá hạn",
        }
    }
}

fn truncate(instant: Instant) -> Instant {
    instant.with_nanosecond(0).unwrap_or(instant)
}

impl WorkCalendar {
    /// When the clock starts for something received at `received`: the next working instant,
    /// or the next working day's first period when received after the cut-off.
    pub fn clock_start(
        &self,
        received: Instant,
        cutoff: Option<NaiveTime>,
    ) -> Result<Instant, CalendarError> {
        Ok(self.clock_start_slot(received, cutoff)?.0)
    }

    /// The clock's start, and whether the cut-off moved it to the next working day.
    fn clock_start_slot(
        &self,
        received: Instant,
        cutoff: Option<NaiveTime>,
    ) -> Result<(Instant, bool), CalendarError> {
        let slot = self.slot(received)?;
        if let Some(cut) = cutoff {
            let after_cutoff = i64::from(cut.num_seconds_from_midnight()) < slot.sec;
            if after_cutoff
                && self
                    .align(Slot {
                        day: slot.day,
                        sec: 0,
                    })?
                    .day
                    == slot.day
            {
                return Ok((self.instant(self.next_day_start(slot.day)?)?, true));
            }
        }
        Ok((self.instant(self.align(slot)?)?, false))
    }

    /// The instant reached after `seconds` of working time from `start` (which should be
    /// a working instant, as [`Self::clock_start`] gives).
    pub fn add_working_seconds(
        &self,
        start: Instant,
        seconds: i64,
    ) -> Result<Instant, CalendarError> {
        let slot = self.align(self.slot(start)?)?;
        if seconds <= 0 {
            return self.instant(slot);
        }
        let target = self.ordinal(slot) + seconds;
        self.instant(self.at_ordinal(target, slot.day)?)
    }

    fn limit_seconds(&self, limit: TimeLimit) -> Option<i64> {
        match limit {
            TimeLimit::WorkingDays(n) => Some(i64::from(n) * self.day_seconds()),
            TimeLimit::WorkingHours(h) => Some(i64::from(h) * 3600),
            TimeLimit::CalendarDays(_) => None,
        }
    }

    /// The appointment for something received at `received` under `policy`.
    pub fn deadline(
        &self,
        policy: &DeadlinePolicy,
        received: Instant,
    ) -> Result<Deadline, CalendarError> {
        let received = truncate(received);
        let (start, cut) = self.clock_start_slot(received, policy.cutoff)?;
        let due = match (policy.limit, self.limit_seconds(policy.limit)) {
            (_, Some(seconds)) => self.add_working_seconds(start, seconds)?,
            (TimeLimit::CalendarDays(n), None) => {
                let base = if cut { start } else { received };
                let shifted = base
                    .checked_add_days(Days::new(u64::from(n)))
                    .ok_or(CalendarError::Internal("calendar days"))?;
                let slot = self.align(self.slot(shifted)?)?;
                self.instant(slot)?
            }
            (_, None) => return Err(CalendarError::Internal("limit")),
        };
        Ok(Deadline {
            received,
            start,
            due,
        })
    }

    /// Hạn của từng bước — the due instant of each workflow step, steps following one
    /// another from `start`, each with its allotted working hours.
    pub fn step_deadlines(
        &self,
        start: Instant,
        step_hours: &[u32],
    ) -> Result<Vec<Instant>, CalendarError> {
        let slot = self.align(self.slot(start)?)?;
        let mut ordinal = self.ordinal(slot);
        let mut out = Vec::with_capacity(step_hours.len());
        for hours in step_hours {
            ordinal += i64::from(*hours) * 3600;
            out.push(if *hours == 0 && out.is_empty() {
                self.instant(slot)?
            } else {
                self.instant(self.at_ordinal(ordinal, slot.day)?)?
            });
        }
        Ok(out)
    }

    /// The deadline after a suspension (waiting for the citizen) that began at `paused_at`
    /// and ended when the full dossier arrived at `resumed_at`.
    pub fn resume(
        &self,
        policy: &DeadlinePolicy,
        before: &Deadline,
        paused_at: Instant,
        resumed_at: Instant,
    ) -> Result<Deadline, CalendarError> {
        match policy.suspension {
            SuspensionPolicy::Restart => self.deadline(policy, resumed_at),
            SuspensionPolicy::Pause => {
                let remaining = self.working_seconds_between(paused_at, before.due)?.max(0);
                let start = self.clock_start(truncate(resumed_at), None)?;
                let due = self.add_working_seconds(start, remaining)?;
                Ok(Deadline {
                    received: before.received,
                    start,
                    due,
                })
            }
        }
    }

    /// Working time, in seconds, from `from` to `to` (negative when `to` is earlier).
    pub fn working_seconds_between(
        &self,
        from: Instant,
        to: Instant,
    ) -> Result<i64, CalendarError> {
        Ok(self.ordinal(self.slot(to)?) - self.ordinal(self.slot(from)?))
    }

    /// Working time left until `due` at `now`; negative once overdue.
    pub fn working_seconds_remaining(
        &self,
        now: Instant,
        due: Instant,
    ) -> Result<i64, CalendarError> {
        self.working_seconds_between(now, due)
    }

    /// The start of a date in Vietnam, as an instant (for period boundaries in reports).
    pub fn start_of(&self, date: chrono::NaiveDate) -> Result<Instant, CalendarError> {
        self.instant(self.day_start_slot(date)?)
    }
}

#[cfg(test)]
#[path = "deadline_tests.rs"]
mod tests;
