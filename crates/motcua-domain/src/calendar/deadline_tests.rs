//! Table-driven and property tests of deadlines across holidays, swaps and policies.

use super::*;
use crate::calendar::{CalendarConfig, OfficeHours, shipped_overrides};
use chrono::{DateTime, NaiveDate};
use proptest::prelude::*;
use rstest::rstest;
use std::sync::LazyLock;

static CAL: LazyLock<WorkCalendar> = LazyLock::new(|| {
    WorkCalendar::new(CalendarConfig {
        overrides: shipped_overrides().unwrap(),
        ..CalendarConfig::default()
    })
    .unwrap()
});

static SATURDAY_CAL: LazyLock<WorkCalendar> = LazyLock::new(|| {
    WorkCalendar::new(CalendarConfig {
        hours: OfficeHours::default().with_saturday_mornings(),
        overrides: shipped_overrides().unwrap(),
        ..CalendarConfig::default()
    })
    .unwrap()
});

fn at(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn policy(limit: TimeLimit, cutoff: bool) -> DeadlinePolicy {
    DeadlinePolicy {
        limit,
        cutoff: cutoff.then(DeadlinePolicy::default_cutoff),
        suspension: SuspensionPolicy::Restart,
        apology_cap: None,
    }
}

use TimeLimit::{CalendarDays, WorkingDays, WorkingHours};

#[rstest]
// The two examples of the rule: a walk ending at the end of a period ends there.
#[case(
    "2026-03-02T07:00:00+07:00",
    WorkingDays(1),
    false,
    "2026-03-02T07:00:00+07:00",
    "2026-03-02T17:00:00+07:00"
)]
#[case(
    "2026-03-02T10:00:00+07:00",
    WorkingDays(1),
    false,
    "2026-03-02T10:00:00+07:00",
    "2026-03-03T10:00:00+07:00"
)]
// Across Tết Bính Ngọ (16–20/02/2026 off).
#[case(
    "2026-02-13T10:00:00+07:00",
    WorkingDays(5),
    false,
    "2026-02-13T10:00:00+07:00",
    "2026-02-27T10:00:00+07:00"
)]
// Across Tết Ất Tỵ with its make-up Monday 27/01/2025.
#[case(
    "2025-01-24T08:00:00+07:00",
    WorkingDays(2),
    false,
    "2025-01-24T08:00:00+07:00",
    "2025-02-04T08:00:00+07:00"
)]
// Across 30/04 and 01/05.
#[case(
    "2026-04-29T14:00:00+07:00",
    WorkingDays(2),
    false,
    "2026-04-29T14:00:00+07:00",
    "2026-05-05T14:00:00+07:00"
)]
// Across the 2026 National Day break: 31/08 swapped, 01/09 and 02/09 off.
#[case(
    "2026-08-28T09:00:00+07:00",
    WorkingDays(3),
    false,
    "2026-08-28T09:00:00+07:00",
    "2026-09-07T09:00:00+07:00"
)]
// Across New Year.
#[case(
    "2025-12-31T15:00:00+07:00",
    WorkingDays(1),
    false,
    "2025-12-31T15:00:00+07:00",
    "2026-01-02T15:00:00+07:00"
)]
// Into the swapped Saturday 22/08/2026, ending at the end of its morning.
#[case(
    "2026-08-21T13:30:00+07:00",
    WorkingDays(1),
    false,
    "2026-08-21T13:30:00+07:00",
    "2026-08-22T11:30:00+07:00"
)]
// Received on Sunday, during lunch, after hours.
#[case(
    "2026-03-01T09:00:00+07:00",
    WorkingDays(1),
    false,
    "2026-03-02T07:00:00+07:00",
    "2026-03-02T17:00:00+07:00"
)]
// (3.5 hours on Monday afternoon and 4.5 on Tuesday morning end exactly at 11:30.)
#[case(
    "2026-03-02T12:00:00+07:00",
    WorkingDays(1),
    false,
    "2026-03-02T13:30:00+07:00",
    "2026-03-03T11:30:00+07:00"
)]
#[case(
    "2026-03-02T18:00:00+07:00",
    WorkingHours(4),
    false,
    "2026-03-03T07:00:00+07:00",
    "2026-03-03T11:00:00+07:00"
)]
// The 15:00 cut-off.
#[case(
    "2026-03-02T15:30:00+07:00",
    WorkingDays(1),
    true,
    "2026-03-03T07:00:00+07:00",
    "2026-03-03T17:00:00+07:00"
)]
#[case(
    "2026-03-02T15:30:00+07:00",
    WorkingDays(1),
    false,
    "2026-03-02T15:30:00+07:00",
    "2026-03-03T15:30:00+07:00"
)]
#[case(
    "2026-03-02T14:59:00+07:00",
    WorkingDays(1),
    true,
    "2026-03-02T14:59:00+07:00",
    "2026-03-03T14:59:00+07:00"
)]
// Working hours.
#[case(
    "2026-03-02T16:00:00+07:00",
    WorkingHours(4),
    false,
    "2026-03-02T16:00:00+07:00",
    "2026-03-03T10:00:00+07:00"
)]
// Calendar days: same clock time, moved into working time.
#[case(
    "2026-03-06T10:00:00+07:00",
    CalendarDays(3),
    false,
    "2026-03-06T10:00:00+07:00",
    "2026-03-09T10:00:00+07:00"
)]
#[case(
    "2026-03-04T10:00:00+07:00",
    CalendarDays(3),
    false,
    "2026-03-04T10:00:00+07:00",
    "2026-03-09T07:00:00+07:00"
)]
#[case(
    "2026-02-10T16:00:00+07:00",
    CalendarDays(7),
    true,
    "2026-02-11T07:00:00+07:00",
    "2026-02-23T07:00:00+07:00"
)]
// An instant given in UTC is read in Vietnam's time.
#[case(
    "2026-03-02T03:00:00Z",
    WorkingDays(1),
    false,
    "2026-03-02T10:00:00+07:00",
    "2026-03-03T10:00:00+07:00"
)]
fn deadlines(
    #[case] received: &str,
    #[case] limit: TimeLimit,
    #[case] cutoff: bool,
    #[case] start: &str,
    #[case] due: &str,
) {
    let d = CAL.deadline(&policy(limit, cutoff), at(received)).unwrap();
    assert_eq!(d.start, at(start), "start");
    assert_eq!(d.due, at(due), "due");
    assert_eq!(d.due.offset().local_minus_utc(), 7 * 3600);
}

#[test]
fn saturday_mornings_count_when_configured() {
    let d = SATURDAY_CAL
        .deadline(
            &policy(WorkingDays(1), false),
            at("2026-03-06T16:00:00+07:00"),
        )
        .unwrap();
    assert_eq!(d.due, at("2026-03-09T09:30:00+07:00"));
    // A holiday that falls on a Saturday is not worked even then: 02/05/2026 is not a
    // holiday, but Saturday 25/04/2026 is an ordinary one and 24/11/2029 is Saturday.
    assert!(
        !SATURDAY_CAL
            .is_working_day(NaiveDate::from_ymd_opt(2029, 11, 24).unwrap())
            .unwrap()
    );
    assert!(
        SATURDAY_CAL
            .is_working_day(NaiveDate::from_ymd_opt(2026, 4, 25).unwrap())
            .unwrap()
    );
}

#[test]
fn pause_and_restart_after_supplement() {
    let received = at("2026-03-02T07:00:00+07:00");
    let mut p = DeadlinePolicy::working_days(5);
    let before = CAL.deadline(&p, received).unwrap();
    assert_eq!(before.due, at("2026-03-06T17:00:00+07:00"));
    let paused = at("2026-03-03T07:00:00+07:00");
    let resumed = at("2026-03-09T07:00:00+07:00");
    let restarted = CAL.resume(&p, &before, paused, resumed).unwrap();
    assert_eq!(restarted.due, at("2026-03-13T17:00:00+07:00"));
    p.suspension = SuspensionPolicy::Pause;
    let continued = CAL.resume(&p, &before, paused, resumed).unwrap();
    assert_eq!(continued.due, at("2026-03-12T17:00:00+07:00"));
    assert_eq!(continued.received, received);
}

#[test]
fn step_deadlines_follow_each_other() {
    let steps = CAL
        .step_deadlines(at("2026-03-02T07:00:00+07:00"), &[4, 8, 16])
        .unwrap();
    assert_eq!(
        steps,
        vec![
            at("2026-03-02T11:00:00+07:00"),
            at("2026-03-03T11:00:00+07:00"),
            at("2026-03-05T11:00:00+07:00"),
        ]
    );
}

#[test]
fn elapsed_remaining_and_outcome() {
    let start = at("2026-03-02T07:00:00+07:00");
    let due = at("2026-03-06T17:00:00+07:00");
    assert_eq!(CAL.working_seconds_between(start, due).unwrap(), 40 * 3600);
    // Over the weekend no working time passes.
    let fri = at("2026-03-06T17:00:00+07:00");
    let mon = at("2026-03-09T07:00:00+07:00");
    assert_eq!(CAL.working_seconds_between(fri, mon).unwrap(), 0);
    assert_eq!(
        CAL.working_seconds_remaining(at("2026-03-09T08:00:00+07:00"), due)
            .unwrap(),
        -3600
    );
    assert_eq!(
        Outcome::of(at("2026-03-05T09:00:00+07:00"), due),
        Outcome::Early
    );
    assert_eq!(
        Outcome::of(at("2026-03-06T16:00:00+07:00"), due),
        Outcome::OnTime
    );
    assert_eq!(
        Outcome::of(at("2026-03-09T07:00:00+07:00"), due),
        Outcome::Late
    );
}

/// Due at 08:00 and finished at 16:00 the same day is late: the appointment is its date
/// and time as printed, and lateness starts at the minute after it.
#[test]
fn lateness_is_the_printed_minute() {
    let due = at("2026-03-06T08:00:00+07:00");
    assert_eq!(
        Outcome::of(at("2026-03-06T16:00:00+07:00"), due),
        Outcome::Late
    );
    assert_eq!(
        Outcome::of(at("2026-03-06T08:00:59+07:00"), due),
        Outcome::OnTime
    );
    assert_eq!(
        Outcome::of(at("2026-03-06T08:01:00+07:00"), due),
        Outcome::Late
    );
    assert_eq!(
        Outcome::of(at("2026-03-06T07:30:00+07:00"), due),
        Outcome::OnTime
    );
    for now in [
        "2026-03-06T07:59:59+07:00",
        "2026-03-06T08:00:30+07:00",
        "2026-03-06T08:01:00+07:00",
        "2026-03-06T23:00:00+07:00",
    ] {
        let now = at(now);
        assert_eq!(is_late(now, due), due < overdue_before(now), "{now}");
        assert_eq!(is_late(now, due), now >= late_from(due), "{now}");
    }
}

#[test]
fn beyond_the_range_is_an_error_not_a_panic() {
    let p = DeadlinePolicy::working_days(30);
    assert!(matches!(
        CAL.deadline(&p, at("2199-12-20T08:00:00+07:00")),
        Err(CalendarError::OutOfRange { .. })
    ));
    assert!(CAL.deadline(&p, at("1899-12-31T08:00:00+07:00")).is_err());
}

#[test]
fn lunar_round_trip_every_day() {
    let mut day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
    let mut previous = crate::calendar::solar_to_lunar(day).unwrap();
    while day < last {
        day = day.succ_opt().unwrap();
        let lunar = crate::calendar::solar_to_lunar(day).unwrap();
        // Consecutive solar days are consecutive lunar days, or the first of a month.
        if lunar.day == 1 {
            assert!(
                (29..=30).contains(&previous.day),
                "{day}: month of {}",
                previous.day
            );
        } else {
            assert_eq!(lunar.day, previous.day + 1, "{day}");
            assert_eq!(
                (lunar.month, lunar.leap, lunar.year),
                (previous.month, previous.leap, previous.year)
            );
        }
        assert_eq!(
            crate::calendar::lunar_to_solar(lunar).unwrap(),
            day,
            "{day} ↔ {lunar}"
        );
        previous = lunar;
    }
}

fn instant_strategy() -> impl Strategy<Value = Instant> {
    // 1900-01-02 .. 2199-10-31, at any second.
    (-2_208_900_000i64..7_252_000_000i64).prop_map(|ts| {
        DateTime::from_timestamp(ts, 0)
            .unwrap()
            .with_timezone(&crate::calendar::vietnam_offset())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn due_is_working_time_and_elapsed_matches(received in instant_strategy(), days in 1u32..=30, cutoff in any::<bool>()) {
        let p = policy(WorkingDays(days), cutoff);
        let d = CAL.deadline(&p, received).unwrap();
        prop_assert!(d.start >= d.received);
        prop_assert!(d.due > d.start);
        // The due instant is inside or at the end of a working period.
        let just_before = d.due - chrono::Duration::seconds(1);
        prop_assert_eq!(CAL.working_seconds_between(just_before, d.due).unwrap(), 1);
        prop_assert_eq!(
            CAL.working_seconds_between(d.start, d.due).unwrap(),
            i64::from(days) * 8 * 3600
        );
        let longer = CAL.deadline(&policy(WorkingDays(days + 1), cutoff), received).unwrap();
        prop_assert!(longer.due > d.due);
    }

    #[test]
    fn calendar_days_land_in_working_time(received in instant_strategy(), days in 0u32..=60) {
        let d = CAL.deadline(&policy(CalendarDays(days), false), received).unwrap();
        prop_assert!(d.due >= received + chrono::Duration::days(i64::from(days)));
        let after = d.due + chrono::Duration::seconds(1);
        prop_assert_eq!(CAL.working_seconds_between(d.due, after).unwrap(), 1);
    }

    #[test]
    fn hours_are_monotonic(received in instant_strategy(), hours in 1u32..=200) {
        let a = CAL.deadline(&policy(WorkingHours(hours), false), received).unwrap();
        let b = CAL.deadline(&policy(WorkingHours(hours + 1), false), received).unwrap();
        prop_assert!(b.due > a.due);
        prop_assert_eq!(CAL.working_seconds_between(a.due, b.due).unwrap(), 3600);
    }
}
