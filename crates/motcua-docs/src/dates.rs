//! Ngày tháng trong văn bản — dates and times written the way Vietnamese administrative
//! documents write them ("ngày 05 tháng 01 năm 2026", "14 giờ 30 phút").

use chrono::{Datelike, NaiveDate, Timelike};
use motcua_domain::calendar::{Instant, vietnam_offset};

/// "ngày 24 tháng 11 năm 2026". Days below 10 and the months January and February take a
/// leading zero, as the rules on document presentation (ND 30/2020, Phụ lục I) ask, so the
/// figures cannot be altered by hand.
pub fn date_vi(date: NaiveDate) -> String {
    let month = date.month();
    let month = if month < 3 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// "14 giờ 30 phút", read in Vietnam's time.
pub fn time_vi(at: Instant) -> String {
    let local = at.with_timezone(&vietnam_offset());
    format!("{:02} giờ {:02} phút", local.hour(), local.minute())
}

/// "14 giờ 30 phút, ngày 24 tháng 11 năm 2026".
pub fn datetime_vi(at: Instant) -> String {
    let local = at.with_timezone(&vietnam_offset());
    format!("{}, {}", time_vi(at), date_vi(local.date_naive()))
}

/// The calendar date of an instant in Vietnam.
pub fn local_date(at: Instant) -> NaiveDate {
    at.with_timezone(&vietnam_offset()).date_naive()
}

/// "24/11/2026", for narrow table cells.
pub fn short_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// "14:30 24/11/2026", for narrow table cells.
pub fn short_datetime(at: Instant) -> String {
    at.with_timezone(&vietnam_offset())
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate};

    fn at(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn dates_pad_small_days_and_the_first_two_months() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date_vi(d(2026, 11, 24)), "ngày 24 tháng 11 năm 2026");
        assert_eq!(date_vi(d(2026, 1, 5)), "ngày 05 tháng 01 năm 2026");
        assert_eq!(date_vi(d(2026, 2, 28)), "ngày 28 tháng 02 năm 2026");
        assert_eq!(date_vi(d(2026, 3, 9)), "ngày 09 tháng 3 năm 2026");
    }

    #[test]
    fn times_are_read_in_vietnam() {
        assert_eq!(time_vi(at("2026-11-24T14:30:00+07:00")), "14 giờ 30 phút");
        // 07:05 UTC is 14:05 in Vietnam.
        assert_eq!(
            datetime_vi(at("2026-11-24T07:05:00Z")),
            "14 giờ 05 phút, ngày 24 tháng 11 năm 2026"
        );
        assert_eq!(
            short_datetime(at("2026-11-24T20:00:00Z")),
            "03:00 25/11/2026"
        );
    }
}
