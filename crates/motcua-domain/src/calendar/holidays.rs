//! Ngày nghỉ lễ, Tết — the public holidays of the Labour Code, their observed days and the
//! announced swaps (nghỉ hoán đổi, làm bù) that override them.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{CalendarError, LunarDate, lunar};

/// The holiday rules in force, with the years each rule started. Defaults follow the
/// Labour Code 2019 and the published schedules of 2014–2026; the years are settings
/// because some of them (24/11 in particular) rest on less certain sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRules {
    /// Giỗ Tổ Hùng Vương (10/3 âm lịch) is a day off from this year.
    pub gio_to_from: Option<i32>,
    /// The second Quốc khánh day next to 02/09 from this year.
    pub second_national_day_from: Option<i32>,
    /// Tết is the lunar New Year's Eve plus days 1–4 (five days) from this year;
    /// before it, the eve plus days 1–3.
    pub tet_five_days_from: i32,
    /// Tết days on Saturday/Sunday are made up before/after the break from this year;
    /// before it they are observed on the next working day like any holiday.
    pub tet_makeup_from: i32,
    /// Ngày Văn hóa Việt Nam (24/11) is a day off from this year.
    pub culture_day_from: Option<i32>,
}

impl Default for HolidayRules {
    fn default() -> Self {
        Self {
            gio_to_from: Some(2007),
            second_national_day_from: Some(2021),
            tet_five_days_from: 2013,
            tet_makeup_from: 2014,
            culture_day_from: Some(2026),
        }
    }
}

/// Ngày hoán đổi — an announced exception: a weekday given off, or a Saturday worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOverride {
    pub date: NaiveDate,
    pub working: bool,
    pub name: String,
}

/// A date whose status differs from "Monday–Friday work, Saturday and Sunday rest".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub working: bool,
    pub name: String,
}

#[derive(Deserialize)]
struct ShippedFile {
    days: Vec<DayOverride>,
}

/// The announced swaps shipped with motcua (2014–2026).
pub fn shipped_overrides() -> Result<Vec<DayOverride>, CalendarError> {
    let file: ShippedFile = serde_json::from_str(include_str!("../../data/holiday-swaps.json"))
        .map_err(|_| CalendarError::Internal("shipped holiday data is not valid JSON"))?;
    Ok(file.days)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn add_days(date: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
    let shifted = if n >= 0 {
        date.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(n.unsigned_abs()))
    };
    shifted.ok_or(CalendarError::OutOfRange { date })
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::Internal("fixed holiday date"))
}

/// The day off of the year's days, date → (working, name), by rule alone; weekend dates
/// appear only when a holiday falls on them.
type DayMap = BTreeMap<NaiveDate, (bool, String)>;

fn mark_off(days: &mut DayMap, day: NaiveDate, name: &str) {
    days.entry(day)
        .and_modify(|(_, existing)| {
            if !existing.contains(name) {
                existing.push_str("; ");
                existing.push_str(name);
            }
        })
        .or_insert_with(|| (false, name.to_string()));
}

/// Next weekday strictly after `from` that is not already a day off.
fn next_free_weekday(days: &DayMap, from: NaiveDate) -> Result<NaiveDate, CalendarError> {
    let mut day = add_days(from, 1)?;
    while is_weekend(day) || days.contains_key(&day) {
        day = add_days(day, 1)?;
    }
    Ok(day)
}

/// Previous weekday strictly before `from` that is not already a day off.
fn previous_free_weekday(days: &DayMap, from: NaiveDate) -> Result<NaiveDate, CalendarError> {
    let mut day = add_days(from, -1)?;
    while is_weekend(day) || days.contains_key(&day) {
        day = add_days(day, -1)?;
    }
    Ok(day)
}

/// Ngày Quốc khánh thứ hai: Mon→Tue 03/09, Tue→Mon 01/09, Wed→Tue 01/09, Thu→Fri 03/09,
/// Fri→Thu 01/09, Sat→Fri 01/09, Sun→Mon 03/09 (by the weekday of 02/09).
fn second_national_day(year: i32) -> Result<NaiveDate, CalendarError> {
    let national = date(year, 9, 2)?;
    let after = matches!(
        national.weekday(),
        Weekday::Mon | Weekday::Thu | Weekday::Sun
    );
    add_days(national, if after { 1 } else { -1 })
}

impl HolidayRules {
    fn active(from: Option<i32>, year: i32) -> bool {
        from.is_some_and(|start| year >= start)
    }

    /// Every rule day off of `year` (weekday holidays, observed and made-up days, and
    /// holidays that fall on a weekend), before announced swaps.
    fn rule_days(&self, year: i32) -> Result<DayMap, CalendarError> {
        let mut days = DayMap::new();
        let mut weekend_holidays: Vec<(NaiveDate, String)> = Vec::new();

        let tet = lunar::tet(year)?;
        let tet_days: i64 = if year >= self.tet_five_days_from {
            5
        } else {
            4
        };
        let eve = add_days(tet, -1)?;
        let tet_name = "Tết Nguyên đán";
        let mut saturday_in_break = false;
        let mut sunday_in_break = false;
        for offset in 0..tet_days {
            let day = add_days(eve, offset)?;
            mark_off(&mut days, day, tet_name);
            match day.weekday() {
                Weekday::Sat => saturday_in_break = true,
                Weekday::Sun => sunday_in_break = true,
                _ => {}
            }
        }
        let last = add_days(eve, tet_days - 1)?;
        let makeup = "Nghỉ bù Tết Nguyên đán";
        if year >= self.tet_makeup_from {
            if saturday_in_break {
                let before = previous_free_weekday(&days, eve)?;
                mark_off(&mut days, before, makeup);
            }
            if sunday_in_break {
                let after = next_free_weekday(&days, last)?;
                mark_off(&mut days, after, makeup);
            }
        } else {
            for offset in 0..tet_days {
                let day = add_days(eve, offset)?;
                if is_weekend(day) {
                    weekend_holidays.push((day, tet_name.to_string()));
                }
            }
        }

        let mut fixed: Vec<(NaiveDate, &str)> = vec![
            (date(year, 1, 1)?, "Tết Dương lịch"),
            (
                date(year, 4, 30)?,
                "Ngày Chiến thắng (Giải phóng miền Nam, thống nhất đất nước)",
            ),
            (date(year, 5, 1)?, "Ngày Quốc tế Lao động"),
            (date(year, 9, 2)?, "Quốc khánh"),
        ];
        if Self::active(self.gio_to_from, year) {
            let gio_to = lunar::lunar_to_solar(LunarDate {
                year,
                month: 3,
                day: 10,
                leap: false,
            })?;
            fixed.push((gio_to, "Giỗ Tổ Hùng Vương"));
        }
        if Self::active(self.second_national_day_from, year) {
            fixed.push((second_national_day(year)?, "Quốc khánh (ngày thứ hai)"));
        }
        if Self::active(self.culture_day_from, year) {
            fixed.push((date(year, 11, 24)?, "Ngày Văn hóa Việt Nam"));
        }
        for (day, name) in fixed {
            mark_off(&mut days, day, name);
            if is_weekend(day) {
                weekend_holidays.push((day, name.to_string()));
            }
        }
        weekend_holidays.sort();
        for (day, name) in weekend_holidays {
            let observed = next_free_weekday(&days, day)?;
            mark_off(&mut days, observed, &format!("Nghỉ bù {name}"));
        }
        Ok(days)
    }

    /// The status of every date of `year` that is not an ordinary weekday or weekend day:
    /// rule days off, then the announced `overrides` on top. Weekend holidays are included
    /// (they matter to centres that work Saturday mornings).
    pub(crate) fn year_days(
        &self,
        year: i32,
        overrides: &[DayOverride],
    ) -> Result<DayMap, CalendarError> {
        let mut days = self.rule_days(year)?;
        for day in overrides.iter().filter(|o| o.date.year() == year) {
            days.insert(day.date, (day.working, day.name.clone()));
        }
        Ok(days)
    }

    /// The dates of `year` whose status differs from "Monday–Friday work, Saturday and
    /// Sunday rest": weekdays off and weekend days worked, sorted by date.
    pub fn special_days(
        &self,
        year: i32,
        overrides: &[DayOverride],
    ) -> Result<Vec<SpecialDay>, CalendarError> {
        Ok(self
            .year_days(year, overrides)?
            .into_iter()
            .filter(|(date, (working, _))| is_weekend(*date) == *working)
            .map(|(date, (working, name))| SpecialDay {
                date,
                working,
                name,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn off_weekdays(year: i32) -> Vec<NaiveDate> {
        let overrides = shipped_overrides().unwrap();
        HolidayRules::default()
            .special_days(year, &overrides)
            .unwrap()
            .into_iter()
            .filter(|s| !s.working)
            .map(|s| s.date)
            .collect()
    }

    fn range(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days()
            .take_while(|x| *x <= to)
            .filter(|x| !is_weekend(*x))
            .collect()
    }

    #[test]
    fn tet_breaks_match_published_schedules() {
        for (year, from, to) in [
            (2024, d(2024, 2, 8), d(2024, 2, 14)),
            (2025, d(2025, 1, 27), d(2025, 1, 31)),
            (2026, d(2026, 2, 16), d(2026, 2, 20)),
        ] {
            let off = off_weekdays(year);
            let tet: Vec<_> = off
                .iter()
                .copied()
                .filter(|x| x.month() <= 2 && *x > d(year, 1, 2))
                .collect();
            assert_eq!(tet, range(from, to), "Tết {year}");
            assert_eq!(tet.len(), 5, "Tết {year} covers five working days");
        }
    }

    #[test]
    fn year_2026_in_full() {
        let overrides = shipped_overrides().unwrap();
        let days = HolidayRules::default()
            .special_days(2026, &overrides)
            .unwrap();
        let listed: Vec<(NaiveDate, bool)> = days.iter().map(|s| (s.date, s.working)).collect();
        let expected = vec![
            (d(2026, 1, 1), false),
            (d(2026, 2, 16), false),
            (d(2026, 2, 17), false),
            (d(2026, 2, 18), false),
            (d(2026, 2, 19), false),
            (d(2026, 2, 20), false),
            (d(2026, 4, 27), false), // Giỗ Tổ on Sunday 26/04, observed Monday
            (d(2026, 4, 30), false),
            (d(2026, 5, 1), false),
            (d(2026, 8, 22), true), // Saturday worked for the 31/08 swap
            (d(2026, 8, 31), false),
            (d(2026, 9, 1), false), // second National Day day (02/09 is a Wednesday)
            (d(2026, 9, 2), false),
            (d(2026, 11, 24), false),
        ];
        assert_eq!(listed, expected);
        assert_eq!(days[0].name, "Tết Dương lịch");
        assert!(days[6].name.starts_with("Nghỉ bù Giỗ Tổ"));
    }

    #[test]
    fn two_fixed_days_on_a_weekend_take_two_working_days() {
        // 2022: 30/04 Saturday, 01/05 Sunday → Monday 02/05 and Tuesday 03/05.
        let off = off_weekdays(2022);
        assert!(off.contains(&d(2022, 5, 2)));
        assert!(off.contains(&d(2022, 5, 3)));
        // 2021: 02/09 Thursday → Friday 03/09 is the second day.
        let off = off_weekdays(2021);
        assert!(off.contains(&d(2021, 9, 2)) && off.contains(&d(2021, 9, 3)));
    }

    #[test]
    fn national_day_on_sunday_skips_the_second_day() {
        // 2029: 02/09 Sunday → second day Monday 03/09, observed 02/09 on Tuesday 04/09.
        let off = off_weekdays(2029);
        assert!(off.contains(&d(2029, 9, 3)));
        assert!(off.contains(&d(2029, 9, 4)));
    }

    #[test]
    fn rules_are_configurable() {
        let rules = HolidayRules {
            culture_day_from: None,
            ..HolidayRules::default()
        };
        let days = rules.special_days(2026, &[]).unwrap();
        assert!(days.iter().all(|s| s.date != d(2026, 11, 24)));
        // Before 2021 there is no second National Day day.
        let off = off_weekdays(2019);
        assert!(off.contains(&d(2019, 9, 2)));
        assert!(!off.contains(&d(2019, 9, 3)) && !off.contains(&d(2019, 9, 1)));
    }

    #[test]
    fn shipped_swaps_parse() {
        let swaps = shipped_overrides().unwrap();
        assert!(swaps.len() >= 20);
        assert!(swaps.iter().any(|s| s.date == d(2026, 8, 22) && s.working));
    }
}
