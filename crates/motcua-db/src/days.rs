//! Ngày theo giờ Việt Nam — the day keys (YYYYMMDD) that counters, dossier codes and queue
//! tickets are grouped by, and the first instant of a local day, in one place.

use chrono::{Datelike, NaiveDate, TimeZone};
use motcua_domain::calendar::{Instant, vietnam_offset};

/// A date as YYYYMMDD.
pub fn day_key(day: NaiveDate) -> i64 {
    i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day())
}

/// The Vietnam date of `at` as YYYYMMDD.
pub fn day_of(at: Instant) -> i64 {
    day_key(at.with_timezone(&vietnam_offset()).date_naive())
}

/// The first second of `day` in Vietnam, as Unix seconds (periods run from one day's start to
/// the start of the day after their last).
pub fn day_start(day: NaiveDate) -> i64 {
    vietnam_offset()
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .single()
        .map_or(0, |t| t.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_starts_are_in_vietnam_time() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(day_key(d), 20_260_302);
        // 2026-03-01 17:00 UTC is already 2 March in Vietnam.
        let at = chrono::DateTime::parse_from_rfc3339("2026-03-01T17:00:00Z").unwrap();
        assert_eq!(day_of(at), 20_260_302);
        assert_eq!(day_start(d), at.timestamp());
    }
}
