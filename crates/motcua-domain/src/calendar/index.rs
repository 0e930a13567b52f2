//! The precomputed working-time index: for every day 1900–2199, which periods are worked
//! and how many working seconds came before it, so that deadlines are a lookup, not a walk.

use chrono::{DateTime, Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::holidays::{DayOverride, HolidayRules, SpecialDay};
use super::hours::OfficeHours;
use super::lunar::{FIRST_SOLAR, LAST_SOLAR};
use super::{CalendarError, Instant, vietnam_offset};

/// Seconds from the Unix epoch to 1900-01-01T00:00 local.
const UTC_OFFSET_SECONDS: i64 = 7 * 3600;
const DAY: i64 = 86_400;

/// Everything the calendar is built from; stored and edited by administrators.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarConfig {
    #[serde(default)]
    pub hours: OfficeHours,
    #[serde(default)]
    pub rules: HolidayRules,
    /// Announced swaps and schedule changes, overriding the rules date by date.
    #[serde(default)]
    pub overrides: Vec<DayOverride>,
}

/// Which periods a day has: none, an ordinary working day's, or a Saturday's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Profile {
    Off = 0,
    Full = 1,
    Saturday = 2,
}

/// Lịch làm việc — the working calendar, indexed for fast deadline arithmetic.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    config: CalendarConfig,
    first_day: NaiveDate,
    /// Days since the Unix epoch of `first_day`.
    first_epoch_day: i64,
    /// Periods in seconds from midnight, per profile.
    periods: [Vec<(i64, i64)>; 3],
    day_profile: Vec<Profile>,
    /// cum[d] = working seconds from the start of the range to the start of day d.
    cum: Vec<i64>,
}

/// A position in the index: day number and second of that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Slot {
    pub day: usize,
    pub sec: i64,
}

impl WorkCalendar {
    /// Builds the index for 1900-01-01 ..= 2199-12-31 from `config`.
    pub fn new(config: CalendarConfig) -> Result<Self, CalendarError> {
        config.hours.validate()?;
        let mut seen = std::collections::HashSet::new();
        for o in &config.overrides {
            if !seen.insert(o.date) {
                return Err(CalendarError::DuplicateOverride { date: o.date });
            }
            super::lunar::check_solar_range(o.date)?;
        }
        let first_day = NaiveDate::from_ymd_opt(FIRST_SOLAR.0, FIRST_SOLAR.1, FIRST_SOLAR.2)
            .ok_or(CalendarError::Internal("first day"))?;
        let last_day = NaiveDate::from_ymd_opt(LAST_SOLAR.0, LAST_SOLAR.1, LAST_SOLAR.2)
            .ok_or(CalendarError::Internal("last day"))?;
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or(CalendarError::Internal("epoch"))?;
        let first_epoch_day = (first_day - epoch).num_days();
        let count = usize::try_from((last_day - first_day).num_days() + 1)
            .map_err(|_| CalendarError::Internal("day count"))?;

        let secs = |ps: &Vec<super::Period>| -> Vec<(i64, i64)> {
            ps.iter()
                .map(|p| {
                    let (s, e) = p.seconds();
                    (i64::from(s), i64::from(e))
                })
                .collect()
        };
        let periods = [
            Vec::new(),
            secs(&config.hours.weekday),
            secs(&config.hours.saturday),
        ];

        let mut day_profile = Vec::with_capacity(count);
        for day in first_day.iter_days().take(count) {
            day_profile.push(match day.weekday() {
                Weekday::Sun => Profile::Off,
                Weekday::Sat => Profile::Saturday,
                _ => Profile::Full,
            });
        }
        for year in FIRST_SOLAR.0..=LAST_SOLAR.0 {
            for (date, (working, _)) in config.rules.year_days(year, &config.overrides)? {
                let Ok(index) = usize::try_from((date - first_day).num_days()) else {
                    continue;
                };
                if let Some(slot) = day_profile.get_mut(index) {
                    *slot = if working { Profile::Full } else { Profile::Off };
                }
            }
        }
        let mut cum = Vec::with_capacity(count + 1);
        let mut total = 0i64;
        cum.push(0);
        for profile in &day_profile {
            total += periods[*profile as usize]
                .iter()
                .map(|(s, e)| e - s)
                .sum::<i64>();
            cum.push(total);
        }
        Ok(Self {
            config,
            first_day,
            first_epoch_day,
            periods,
            day_profile,
            cum,
        })
    }

    /// The configuration this calendar was built from.
    pub fn config(&self) -> &CalendarConfig {
        &self.config
    }

    /// Length of one working day, in seconds (8 hours by default).
    pub fn day_seconds(&self) -> i64 {
        i64::from(self.config.hours.day_seconds())
    }

    /// Dates of `year` that differ from "Monday–Friday work, Saturday and Sunday rest".
    pub fn special_days(&self, year: i32) -> Result<Vec<SpecialDay>, CalendarError> {
        if !(FIRST_SOLAR.0..=LAST_SOLAR.0).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        self.config.rules.special_days(year, &self.config.overrides)
    }

    /// Whether `date` has any working time.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let index = self.day_index(date)?;
        Ok(!self.periods_of(index).is_empty())
    }

    fn day_index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        usize::try_from((date - self.first_day).num_days())
            .ok()
            .filter(|i| *i < self.day_profile.len())
            .ok_or(CalendarError::OutOfRange { date })
    }

    fn periods_of(&self, day: usize) -> &[(i64, i64)] {
        let profile = self.day_profile.get(day).copied().unwrap_or(Profile::Off);
        &self.periods[profile as usize]
    }

    pub(crate) fn slot(&self, instant: Instant) -> Result<Slot, CalendarError> {
        let local = instant.timestamp() + UTC_OFFSET_SECONDS;
        let day = local.div_euclid(DAY) - self.first_epoch_day;
        let out = || CalendarError::OutOfRange {
            date: instant.with_timezone(&vietnam_offset()).date_naive(),
        };
        let day = usize::try_from(day).map_err(|_| out())?;
        if day >= self.day_profile.len() {
            return Err(out());
        }
        Ok(Slot {
            day,
            sec: local.rem_euclid(DAY),
        })
    }

    pub(crate) fn instant(&self, slot: Slot) -> Result<Instant, CalendarError> {
        let day = i64::try_from(slot.day).map_err(|_| CalendarError::Internal("day"))?;
        let ts = (day + self.first_epoch_day) * DAY + slot.sec - UTC_OFFSET_SECONDS;
        DateTime::from_timestamp(ts, 0)
            .map(|t| t.with_timezone(&vietnam_offset()))
            .ok_or(CalendarError::Internal("timestamp"))
    }

    pub(crate) fn day_start_slot(&self, date: NaiveDate) -> Result<Slot, CalendarError> {
        Ok(Slot {
            day: self.day_index(date)?,
            sec: 0,
        })
    }

    /// Working seconds from the start of the range up to `slot`.
    pub(crate) fn ordinal(&self, slot: Slot) -> i64 {
        let within: i64 = self
            .periods_of(slot.day)
            .iter()
            .map(|(s, e)| (slot.sec.min(*e) - s).max(0))
            .sum();
        self.cum[slot.day] + within
    }

    /// The first working instant at or after `slot`.
    pub(crate) fn align(&self, slot: Slot) -> Result<Slot, CalendarError> {
        for (s, e) in self.periods_of(slot.day) {
            if slot.sec < *s {
                return Ok(Slot {
                    day: slot.day,
                    sec: *s,
                });
            }
            if slot.sec < *e {
                return Ok(slot);
            }
        }
        self.next_day_start(slot.day)
    }

    /// The first working instant of the first working day after `day`.
    pub(crate) fn next_day_start(&self, day: usize) -> Result<Slot, CalendarError> {
        let mut next = day + 1;
        while next < self.day_profile.len() {
            if let Some((s, _)) = self.periods_of(next).first() {
                return Ok(Slot { day: next, sec: *s });
            }
            next += 1;
        }
        Err(self.past_end())
    }

    fn past_end(&self) -> CalendarError {
        CalendarError::OutOfRange {
            date: self
                .first_day
                .checked_add_days(chrono::Days::new(self.day_profile.len() as u64))
                .unwrap_or(self.first_day),
        }
    }

    /// The earliest instant whose ordinal equals `target`, searching from day `hint`.
    /// A walk that ends exactly at the end of a period ends there.
    pub(crate) fn at_ordinal(&self, target: i64, hint: usize) -> Result<Slot, CalendarError> {
        let days = self.day_profile.len();
        // Find the first day d with cum[d + 1] >= target (and cum[d] < target), galloping
        // forward from the hint: deadlines land within weeks of their start.
        let ok = |d: usize| self.cum[d + 1] >= target;
        let mut lo = hint.min(days.saturating_sub(1));
        if lo > 0 && self.cum[lo] >= target {
            lo = 0;
        }
        let mut step = 1usize;
        let mut hi = lo;
        while hi < days && !ok(hi) {
            lo = hi + 1;
            hi = (hi + step).min(days);
            step *= 2;
        }
        if hi >= days {
            if lo >= days || !ok(days - 1) {
                return Err(self.past_end());
            }
            hi = days - 1;
        }
        // Binary search in [lo, hi] for the first day satisfying ok.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if ok(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let day = lo;
        let mut offset = target - self.cum[day];
        for (s, e) in self.periods_of(day) {
            let len = e - s;
            if offset <= len {
                return Ok(Slot {
                    day,
                    sec: s + offset,
                });
            }
            offset -= len;
        }
        Err(CalendarError::Internal("ordinal beyond day"))
    }
}
