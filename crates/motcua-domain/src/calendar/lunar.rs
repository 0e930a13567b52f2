//! Âm lịch — the Vietnamese lunisolar calendar, computed astronomically at UTC+7.
//!
//! The method is Hồ Ngọc Đức's: new moons and the sun's longitude from the
//! classic series (Meeus), month 11 holds the winter solstice, and a leap month is
//! the first month of a 13-month year that holds no major solar term. Computing at
//! UTC+7 rather than UTC+8 is what makes the Vietnamese calendar differ from the
//! Chinese one in some years (Tết 1985 and 2007, for instance).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

use super::CalendarError;

/// Múi giờ — the time zone, in hours east of UTC, the calendar is computed for.
const TIME_ZONE: f64 = 7.0;
/// Julian day number of 1900-01-01 minus one: the epoch of the new-moon series.
const EPOCH_JD: f64 = 2_415_021.076_998_695;
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian day number of 0001-12-31 (chrono's day 0 from the common era).
const JD_OF_CE_DAY_ZERO: i64 = 1_721_425;

/// First and last solar dates the calendar answers for.
pub const FIRST_SOLAR: (i32, u32, u32) = (1900, 1, 1);
pub const LAST_SOLAR: (i32, u32, u32) = (2199, 12, 31);

/// Ngày âm lịch — a date in the Vietnamese lunar calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Tháng nhuận — true for the repeated (leap) month.
    pub leap: bool,
}

impl std::fmt::Display for LunarDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{:02}", self.day, self.month)?;
        if self.leap {
            f.write_str(" (nhuận)")?;
        }
        write!(f, "/{}", self.year)
    }
}

fn first_solar() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_SOLAR.0, FIRST_SOLAR.1, FIRST_SOLAR.2).unwrap_or(NaiveDate::MIN)
}

fn last_solar() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_SOLAR.0, LAST_SOLAR.1, LAST_SOLAR.2).unwrap_or(NaiveDate::MAX)
}

/// Checks that a solar date lies in the supported range 1900-01-01 ..= 2199-12-31.
pub fn check_solar_range(date: NaiveDate) -> Result<(), CalendarError> {
    if date < first_solar() || date > last_solar() {
        return Err(CalendarError::OutOfRange { date });
    }
    Ok(())
}

fn julian_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JD_OF_CE_DAY_ZERO
}

fn from_julian_day(jd: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jd - JD_OF_CE_DAY_ZERO).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// Julian day (with fraction) of the k-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The sun's apparent longitude, in radians within [0, 2π), at a Julian day.
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Local day number on which the k-th new moon falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// Which of the twelve 30° sectors the sun is in at the start of a local day.
fn sun_sector(day_number: i64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// Day number of the start of lunar month 11 (the one holding the winter solstice)
/// that begins in solar year `year`.
fn lunar_month_11(year: i32) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).map_or(0, julian_day);
    let off = dec31 as f64 - 2_415_021.0;
    let k = (off / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// Offset, in months after month 11, of the leap month of the year starting at `a11`.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - EPOCH_JD) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// Dương lịch → âm lịch: the lunar date of a solar date (1900-01-01 ..= 2199-12-31).
pub fn solar_to_lunar(date: NaiveDate) -> Result<LunarDate, CalendarError> {
    check_solar_range(date)?;
    let day_number = julian_day(date);
    // The mean lunation gives k to within one; true new moons stray up to ~14 hours from
    // the mean, so settle on the k with new_moon_day(k) <= day < new_moon_day(k + 1).
    let mut k = ((day_number as f64 - EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    while new_moon_day(k) > day_number {
        k -= 1;
    }
    while new_moon_day(k + 1) <= day_number {
        k += 1;
    }
    let month_start = new_moon_day(k);
    let year = date.year();
    let mut a11 = lunar_month_11(year);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = year;
        a11 = lunar_month_11(year - 1);
    } else {
        lunar_year = year + 1;
        b11 = lunar_month_11(year + 1);
    }
    let lunar_day = day_number - month_start + 1;
    let diff = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    Ok(LunarDate {
        year: lunar_year,
        month: u8::try_from(month).map_err(|_| CalendarError::Internal("lunar month"))?,
        day: u8::try_from(lunar_day).map_err(|_| CalendarError::Internal("lunar day"))?,
        leap,
    })
}

/// Âm lịch → dương lịch: the solar date of a lunar date. Fails for a day or leap
/// month that does not exist in that lunar year, and outside 1900 ..= 2199.
pub fn lunar_to_solar(lunar: LunarDate) -> Result<NaiveDate, CalendarError> {
    let invalid = || CalendarError::InvalidLunar { date: lunar };
    if !(1..=12).contains(&lunar.month) || !(1..=30).contains(&lunar.day) {
        return Err(invalid());
    }
    if !(FIRST_SOLAR.0 - 1..=LAST_SOLAR.0).contains(&lunar.year) {
        return Err(CalendarError::LunarOutOfRange { year: lunar.year });
    }
    let month = i64::from(lunar.month);
    let (a11, b11) = if month < 11 {
        (lunar_month_11(lunar.year - 1), lunar_month_11(lunar.year))
    } else {
        (lunar_month_11(lunar.year), lunar_month_11(lunar.year + 1))
    };
    let k = (0.5 + (a11 as f64 - EPOCH_JD) / SYNODIC_MONTH).floor() as i64;
    let mut off = month - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        let mut leap_month = leap_off - 2;
        if leap_month < 0 {
            leap_month += 12;
        }
        if lunar.leap && month != leap_month {
            return Err(invalid());
        }
        if lunar.leap || off >= leap_off {
            off += 1;
        }
    } else if lunar.leap {
        return Err(invalid());
    }
    let month_start = new_moon_day(k + off);
    let month_length = new_moon_day(k + off + 1) - month_start;
    if i64::from(lunar.day) > month_length {
        return Err(invalid());
    }
    let date = from_julian_day(month_start + i64::from(lunar.day) - 1).ok_or_else(invalid)?;
    check_solar_range(date)?;
    Ok(date)
}

/// Mùng 1 Tết — the solar date of lunar New Year's day of `year`.
pub fn tet(year: i32) -> Result<NaiveDate, CalendarError> {
    lunar_to_solar(LunarDate {
        year,
        month: 1,
        day: 1,
        leap: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[rstest]
    #[case(1985, d(1985, 1, 21))]
    #[case(2007, d(2007, 2, 17))]
    #[case(2024, d(2024, 2, 10))]
    #[case(2025, d(2025, 1, 29))]
    #[case(2026, d(2026, 2, 17))]
    #[case(2027, d(2027, 2, 6))]
    #[case(2028, d(2028, 1, 26))]
    #[case(2029, d(2029, 2, 13))]
    #[case(2030, d(2030, 2, 2))]
    #[case(1968, d(1968, 1, 29))]
    #[case(2000, d(2000, 2, 5))]
    #[case(2020, d(2020, 1, 25))]
    fn tet_dates(#[case] year: i32, #[case] expected: NaiveDate) {
        assert_eq!(tet(year).unwrap(), expected);
        let lunar = solar_to_lunar(expected).unwrap();
        assert_eq!(
            (lunar.year, lunar.month, lunar.day, lunar.leap),
            (year, 1, 1, false)
        );
    }

    #[rstest]
    #[case(2024, d(2024, 4, 18))]
    #[case(2025, d(2025, 4, 7))]
    #[case(2026, d(2026, 4, 26))]
    #[case(2027, d(2027, 4, 16))]
    #[case(2028, d(2028, 4, 4))]
    #[case(2029, d(2029, 4, 23))]
    #[case(2030, d(2030, 4, 12))]
    fn gio_to_dates(#[case] year: i32, #[case] expected: NaiveDate) {
        let date = lunar_to_solar(LunarDate {
            year,
            month: 3,
            day: 10,
            leap: false,
        })
        .unwrap();
        assert_eq!(date, expected);
    }

    #[test]
    fn leap_month_2023_is_month_2() {
        // 2023 had a leap second month: 22/03/2023 .. 19/04/2023.
        let first = solar_to_lunar(d(2023, 3, 22)).unwrap();
        assert_eq!((first.month, first.day, first.leap), (2, 1, true));
        let back = lunar_to_solar(first).unwrap();
        assert_eq!(back, d(2023, 3, 22));
        let not_leap = LunarDate {
            year: 2023,
            month: 3,
            day: 1,
            leap: true,
        };
        assert!(matches!(
            lunar_to_solar(not_leap),
            Err(CalendarError::InvalidLunar { .. })
        ));
    }

    #[test]
    fn day_thirty_only_in_long_months() {
        // Lunar 12/2025 (Ất Tỵ) is short: its last day is the 29th (16/02/2026).
        let eve = solar_to_lunar(d(2026, 2, 16)).unwrap();
        assert_eq!((eve.year, eve.month, eve.day), (2025, 12, 29));
        let missing = LunarDate {
            year: 2025,
            month: 12,
            day: 30,
            leap: false,
        };
        assert!(lunar_to_solar(missing).is_err());
    }

    #[test]
    fn range_is_enforced() {
        assert!(matches!(
            solar_to_lunar(d(1899, 12, 31)),
            Err(CalendarError::OutOfRange { .. })
        ));
        assert!(solar_to_lunar(d(1900, 1, 1)).is_ok());
        assert!(solar_to_lunar(d(2199, 12, 31)).is_ok());
        assert!(solar_to_lunar(d(2200, 1, 1)).is_err());
        assert!(matches!(
            tet(1800),
            Err(CalendarError::LunarOutOfRange { year: 1800 })
        ));
    }
}
