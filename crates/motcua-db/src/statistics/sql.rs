//! The SQL that reads the counters, and the row ranges it reads for a period.
//!
//! `stat_days` rows are keyed by a number: YYYY (a year), YYYYMM (a month) or YYYYMMDD (a
//! day); the kinds never overlap, and the year rows together are a key's all-time total.
//! "Everything on or after a date" is read as a few ranges of rows: for a date early in its
//! year, that year's row minus the months and days before it; later in the year, the months
//! and days after it; plus the later years. A period's sums are "from its first day" minus "after its last";
//! a state at a date (open, paused, overdue) is the total minus what came after. So a query
//! reads a few rows per key (one per year, and the months and days at the edges), not one
//! per day.

use chrono::{Datelike, NaiveDate};

/// Five ranges of row numbers, each `(low, high)` (empty when low > high), with weights
/// +1 (years, months, days) and −1 (months, days) — they never overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ranges {
    pub years: (i64, i64),
    pub months_plus: (i64, i64),
    pub months_minus: (i64, i64),
    pub days_plus: (i64, i64),
    pub days_minus: (i64, i64),
}

const EMPTY: (i64, i64) = (1, 0);

use crate::days::day_key;

fn month_key(y: i32, m: u32) -> i64 {
    i64::from(y) * 100 + i64::from(m)
}

/// The rows that sum to everything on or after `date`.
pub(crate) fn rows_from(date: NaiveDate) -> Ranges {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let month_start = month_key(y, m) * 100 + 1;
    if m <= 6 {
        // This year and later, minus this year's earlier months and this month's earlier days.
        Ranges {
            years: (i64::from(y), 9999),
            months_plus: EMPTY,
            months_minus: if m > 1 {
                (month_key(y, 1), month_key(y, m - 1))
            } else {
                EMPTY
            },
            days_plus: EMPTY,
            days_minus: if d > 1 {
                (month_start, day_key(date) - 1)
            } else {
                EMPTY
            },
        }
    } else {
        // Later years, this year's later months, and this month's days from `date`.
        let (months_plus, days_plus) = if d == 1 {
            ((month_key(y, m), month_key(y, 12)), EMPTY)
        } else if m < 12 {
            (
                (month_key(y, m + 1), month_key(y, 12)),
                (day_key(date), month_start + 30),
            )
        } else {
            (EMPTY, (day_key(date), month_start + 30))
        };
        Ranges {
            years: (i64::from(y) + 1, 9999),
            months_plus,
            months_minus: EMPTY,
            days_plus,
            days_minus: EMPTY,
        }
    }
}

/// Parameters of [`MONTHS`] for a period: (first day, last day, whole months, last day read
/// in the first month, first day read in the last month).
pub(crate) fn month_bounds(from: NaiveDate, to: NaiveDate) -> [i64; 6] {
    let starts = from.day() == 1;
    let ends = to.succ_opt().is_none_or(|d| d.day() == 1);
    let (fy, fm) = (from.year(), from.month());
    let (ty, tm) = (to.year(), to.month());
    let first_whole = if starts {
        month_key(fy, fm)
    } else if fm == 12 {
        month_key(fy + 1, 1)
    } else {
        month_key(fy, fm + 1)
    };
    let last_whole = if ends {
        month_key(ty, tm)
    } else if tm == 1 {
        month_key(ty - 1, 12)
    } else {
        month_key(ty, tm - 1)
    };
    let head_last = if starts {
        0
    } else {
        (month_key(fy, fm) * 100 + 31).min(day_key(to))
    };
    let tail_first = if ends {
        i64::MAX
    } else {
        (month_key(ty, tm) * 100 + 1).max(day_key(from))
    };
    [
        day_key(from),
        day_key(to),
        first_whole,
        last_whole,
        head_last,
        tail_first,
    ]
}

/// The weight of a row in "on or after": CASE over the ranges at `$a`…`$a+9`.
macro_rules! weight {
    ($a:literal, $b:literal, $c:literal, $d:literal, $e:literal, $f:literal, $g:literal, $h:literal, $i:literal, $j:literal) => {
        concat!(
            "CASE WHEN s.day BETWEEN $",
            $a,
            " AND $",
            $b,
            " THEN 1",
            " WHEN s.day BETWEEN $",
            $c,
            " AND $",
            $d,
            " THEN 1",
            " WHEN s.day BETWEEN $",
            $e,
            " AND $",
            $f,
            " THEN -1",
            " WHEN s.day BETWEEN $",
            $g,
            " AND $",
            $h,
            " THEN 1",
            " WHEN s.day BETWEEN $",
            $i,
            " AND $",
            $j,
            " THEN -1 ELSE 0 END"
        )
    };
}

/// The rows of disjoint ranges of row numbers, each range one index range scan (pairs of
/// parameters; an empty range is (1, 0)).
macro_rules! union {
    ($scope:literal; $lo0:literal, $hi0:literal $(, $lo:literal, $hi:literal)*) => {
        concat!(
            "SELECT * FROM stat_days WHERE scope = ", $scope, " AND day BETWEEN $", $lo0, " AND $", $hi0
            $(, " UNION ALL SELECT * FROM stat_days WHERE scope = ", $scope, " AND day BETWEEN $", $lo, " AND $", $hi)*
        )
    };
}

/// Disjoint, sorted ranges covering `ranges` (empty ones dropped), padded with empty ones to
/// `n` (more than `n` cannot happen: callers pass at most `n`).
pub(crate) fn disjoint(ranges: &[(i64, i64)], n: usize) -> Vec<(i64, i64)> {
    let mut sorted: Vec<(i64, i64)> = ranges.iter().copied().filter(|r| r.0 <= r.1).collect();
    sorted.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.0 <= last.1.saturating_add(1) => last.1 = last.1.max(r.1),
            _ => out.push(r),
        }
    }
    out.resize(n.max(out.len()), EMPTY);
    out
}

/// Filters: $1 agency path prefix, $2 field, $3 procedure, $4 level, $5 channel. A field
/// matches its procedures' rows and its own field-wide rows (whose procedure column holds
/// the field code; procedure codes look like `1.000828`, never like a field code).
macro_rules! filters {
    () => {
        " AND ($1 IS NULL OR s.agency_id IN (SELECT id FROM agencies WHERE path LIKE $1))
          AND ($2 IS NULL OR s.procedure_code = $2
               OR s.procedure_code IN (SELECT code FROM procedures WHERE field_code = $2))
          AND ($3 IS NULL OR s.procedure_code = $3)
          AND ($4 IS NULL OR s.agency_id IN (SELECT id FROM agencies WHERE level = $4))
          AND ($5 IS NULL OR s.channel = $5)"
    };
}

/// By key, for a period: $6–$15 the rows from its first day, $16–$25 those after its last,
/// $26–$47 the disjoint ranges to read (every year row and the ranges above), $48 the scope.
pub(crate) const BY_KEY: &str = concat!(
    "SELECT agency_id, procedure_code, channel,
        CAST(SUM((wf - wa) * received) AS BIGINT) AS received,
        CAST(SUM((wf - wa) * accepted) AS BIGINT) AS accepted,
        CAST(SUM((wf - wa) * digitised) AS BIGINT) AS digitised,
        CAST(SUM((wf - wa) * early) AS BIGINT) AS early,
        CAST(SUM((wf - wa) * on_time) AS BIGINT) AS on_time,
        CAST(SUM((wf - wa) * late) AS BIGINT) AS late,
        CAST(SUM((wf - wa) * apologised) AS BIGINT) AS apologised,
        CAST(SUM((wf - wa) * refused) AS BIGINT) AS refused,
        CAST(SUM((wf - wa) * withdrawn) AS BIGINT) AS withdrawn,
        CAST(SUM((wf - wa) * stopped) AS BIGINT) AS stopped,
        CAST(SUM((wf - wa) * e_result) AS BIGINT) AS e_result,
        CAST(SUM((wf - wa) * apologies) AS BIGINT) AS apologies,
        CAST(SUM((wf - wa) * apologies_late) AS BIGINT) AS apologies_late,
        CAST(SUM((wf - wa) * supplemented) AS BIGINT) AS supplemented,
        CAST(SUM((wf - wa) * steps_early) AS BIGINT) AS steps_early,
        CAST(SUM((wf - wa) * steps_late) AS BIGINT) AS steps_late,
        CAST(SUM((wf - wa) * synced) AS BIGINT) AS synced,
        CAST(SUM((wf - wa) * fee_bearing) AS BIGINT) AS fee_bearing,
        CAST(SUM((wf - wa) * paid_online) AS BIGINT) AS paid_online,
        CAST(SUM((wf - wa) * reused) AS BIGINT) AS reused,
        CAST(SUM((z - wf) * (received - finished)) AS BIGINT) AS carried,
        CAST(SUM((z - wa) * (received - finished)) AS BIGINT) AS open_end,
        CAST(SUM((z - wa) * (pause_in - pause_out)) AS BIGINT) AS paused_end,
        CAST(SUM((z - wa) * (overdue_in - overdue_out)) AS BIGINT) AS overdue_end
     FROM (SELECT s.agency_id, s.procedure_code, s.channel, s.received, s.accepted, s.digitised,
             s.finished, s.early, s.on_time, s.late, s.apologised, s.refused, s.withdrawn,
             s.stopped, s.e_result, s.apologies, s.apologies_late, s.supplemented,
             s.steps_early, s.steps_late, s.synced, s.fee_bearing, s.paid_online, s.reused, s.overdue_in, s.overdue_out, s.pause_in, s.pause_out,
             CASE WHEN s.day BETWEEN 1 AND 9999 THEN 1 ELSE 0 END AS z, ",
    weight!(6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
    " AS wf, ",
    weight!(16, 17, 18, 19, 20, 21, 22, 23, 24, 25),
    " AS wa
       FROM (",
    union!("$48"; 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47),
    ") s WHERE 1 = 1",
    filters!(),
    ") w GROUP BY agency_id, procedure_code, channel"
);

/// By month and channel, the period's sums only: $6 first day, $7 last day, $8–$9 the whole
/// months, $10 the last day read in the first month, $11 the first day read in the last;
/// $12–$17 the disjoint ranges to read; $18 the scope (0: agency-wide rows, 1: per
/// procedure, 2: per field).
pub(crate) const MONTHS: &str = concat!(
    "SELECT CASE WHEN s.day > 999999 THEN s.day / 100 ELSE s.day END AS month, s.channel,
        CAST(SUM(s.received) AS BIGINT) AS received,
        CAST(SUM(s.accepted) AS BIGINT) AS accepted,
        CAST(SUM(s.digitised) AS BIGINT) AS digitised,
        CAST(SUM(s.early) AS BIGINT) AS early,
        CAST(SUM(s.on_time) AS BIGINT) AS on_time,
        CAST(SUM(s.late) AS BIGINT) AS late,
        CAST(SUM(s.apologised) AS BIGINT) AS apologised,
        CAST(SUM(s.refused) AS BIGINT) AS refused,
        CAST(SUM(s.withdrawn) AS BIGINT) AS withdrawn,
        CAST(SUM(s.stopped) AS BIGINT) AS stopped,
        CAST(SUM(s.e_result) AS BIGINT) AS e_result,
        CAST(SUM(s.apologies) AS BIGINT) AS apologies,
        CAST(SUM(s.apologies_late) AS BIGINT) AS apologies_late,
        CAST(SUM(s.supplemented) AS BIGINT) AS supplemented,
        CAST(SUM(s.steps_early) AS BIGINT) AS steps_early,
        CAST(SUM(s.steps_late) AS BIGINT) AS steps_late,
        CAST(SUM(s.synced) AS BIGINT) AS synced,
        CAST(SUM(s.fee_bearing) AS BIGINT) AS fee_bearing,
        CAST(SUM(s.paid_online) AS BIGINT) AS paid_online,
        CAST(SUM(s.reused) AS BIGINT) AS reused
     FROM (",
    union!("$18"; 12, 13, 14, 15, 16, 17),
    ") s WHERE 1 = 1",
    filters!(),
    " GROUP BY 1, s.channel"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn ranges_from_a_date() {
        let r = rows_from(d("2026-01-01"));
        assert_eq!(r.years, (2026, 9999));
        assert_eq!((r.months_minus, r.days_minus), (EMPTY, EMPTY));
        let r = rows_from(d("2026-03-11"));
        assert_eq!(r.months_minus, (202601, 202602));
        assert_eq!(r.days_minus, (20260301, 20260310));
        let r = rows_from(d("2026-11-25"));
        assert_eq!(r.years, (2027, 9999));
        assert_eq!(r.months_plus, (202612, 202612));
        assert_eq!(r.days_plus, (20261125, 20261131));
        let r = rows_from(d("2026-12-01"));
        assert_eq!((r.months_plus, r.days_plus), ((202612, 202612), EMPTY));
    }

    #[test]
    fn month_bounds_of_periods() {
        let b = month_bounds(d("2026-01-01"), d("2026-11-24"));
        assert_eq!(&b[2..6], &[202601, 202610, 0, 20261101]);
        let b = month_bounds(d("2026-03-15"), d("2026-03-20"));
        assert_eq!(&b[2..6], &[202604, 202602, 20260320, 20260315]);
    }
}
