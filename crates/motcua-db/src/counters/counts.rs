//! Đếm theo ngày — the counter rows one dossier adds: what it counts for is decided in the
//! domain ([`motcua_domain::dossier::contribution`]); here each count is added to the row of
//! the day (Vietnam date) its instant falls on, and a transition adds the difference (new
//! contribution minus old). Month and year rows carry the sums of their days; the year rows
//! together are the key's all-time total. A state at the end of a day (open, paused,
//! overdue) is the difference of its "in" and "out" counts up to that day.

use std::collections::BTreeMap;

use crate::DbError;
use crate::engine::Arg;
use crate::engine::Lite;

use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{Count, DossierState, TallyFacts};

pub(crate) const RECEIVED: usize = 0;
pub(crate) const DIGITISED: usize = 1;
pub(crate) const FINISHED: usize = 2;
pub(crate) const EARLY: usize = 3;
pub(crate) const ON_TIME: usize = 4;
pub(crate) const LATE: usize = 5;
pub(crate) const APOLOGISED: usize = 6;
pub(crate) const REFUSED: usize = 7;
pub(crate) const WITHDRAWN: usize = 8;
pub(crate) const STOPPED: usize = 9;
pub(crate) const E_RESULT: usize = 10;
pub(crate) const ACCEPTED: usize = 11;
pub(crate) const OVERDUE_IN: usize = 12;
pub(crate) const OVERDUE_OUT: usize = 13;
pub(crate) const PAUSE_IN: usize = 14;
pub(crate) const PAUSE_OUT: usize = 15;
pub(crate) const APOLOGIES: usize = 16;
pub(crate) const SUPPLEMENTED: usize = 17;
pub(crate) const STEPS_EARLY: usize = 18;
pub(crate) const STEPS_LATE: usize = 19;
pub(crate) const APOLOGIES_LATE: usize = 20;
pub(crate) const SYNCED: usize = 21;
pub(crate) const FEE_BEARING: usize = 22;
pub(crate) const PAID_ONLINE: usize = 23;
pub(crate) const REUSED: usize = 24;

/// The column a domain count is added to.
fn column(count: Count) -> usize {
    match count {
        Count::Received => RECEIVED,
        Count::Accepted => ACCEPTED,
        Count::Digitised => DIGITISED,
        Count::Finished => FINISHED,
        Count::Early => EARLY,
        Count::OnTime => ON_TIME,
        Count::Late => LATE,
        Count::Apologised => APOLOGISED,
        Count::Refused => REFUSED,
        Count::Withdrawn => WITHDRAWN,
        Count::Stopped => STOPPED,
        Count::EResult => E_RESULT,
        Count::OverdueIn => OVERDUE_IN,
        Count::OverdueOut => OVERDUE_OUT,
        Count::PauseIn => PAUSE_IN,
        Count::PauseOut => PAUSE_OUT,
        Count::Apologies => APOLOGIES,
        Count::ApologiesLate => APOLOGIES_LATE,
        Count::Supplemented => SUPPLEMENTED,
        Count::StepsEarly => STEPS_EARLY,
        Count::StepsLate => STEPS_LATE,
        Count::Synced => SYNCED,
        Count::FeeBearing => FEE_BEARING,
        Count::PaidOnline => PAID_ONLINE,
        Count::Reused => REUSED,
    }
}

/// One row's worth of counts.
pub(crate) type Counts = [i64; COLUMNS];

/// How many counter columns there are.
pub(crate) const COLUMNS: usize = 25;

/// Row scopes: one agency-wide row, one per procedure, one per field (whose
/// `procedure_code` column holds the field code).
pub(crate) const SCOPE_AGENCY: i64 = 0;
pub(crate) const SCOPE_PROCEDURE: i64 = 1;
pub(crate) const SCOPE_FIELD: i64 = 2;

/// The row key of a dossier: the agency that resolves it, its procedure and channel (and
/// the procedure's field, for the field-wide twin row).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct StatKey {
    pub scope: i64,
    pub agency_id: i64,
    pub procedure_code: String,
    pub channel: String,
    pub field_code: String,
}

/// What the counters need to know about a dossier.
pub(crate) type Facts<'a> = TallyFacts<'a>;

pub(crate) use crate::days::day_of;

pub(crate) fn key(
    state: &DossierState,
    procedure_code: &str,
    field_code: &str,
    channel: Channel,
) -> StatKey {
    StatKey {
        scope: SCOPE_PROCEDURE,
        field_code: field_code.to_string(),
        agency_id: state.competent_agency(),
        procedure_code: procedure_code.to_string(),
        channel: match channel {
            Channel::Online => "online",
            Channel::Counter => "counter",
            Channel::Post => "post",
        }
        .to_string(),
    }
}

fn add(map: &mut BTreeMap<i64, Counts>, day: i64, column: usize) {
    map.entry(day).or_insert([0; COLUMNS])[column] += 1;
}

/// The day rows a dossier in this state adds to.
pub(crate) fn contribution(f: Facts<'_>) -> BTreeMap<i64, Counts> {
    let mut map = BTreeMap::new();
    for (at, count) in motcua_domain::dossier::contribution(f) {
        add(&mut map, day_of(at), column(count));
    }
    map
}

/// Adds `from` into `into` with sign `sign`.
pub(crate) fn merge(into: &mut BTreeMap<i64, Counts>, from: &BTreeMap<i64, Counts>, sign: i64) {
    for (day, counts) in from {
        let row = into.entry(*day).or_insert([0; COLUMNS]);
        for (a, b) in row.iter_mut().zip(counts) {
            *a += sign * b;
        }
    }
}

/// The rows to add for a change from `old` to `new` (either may be absent): the non-zero
/// differences by day, and their sums by month and year. Empty when nothing counted changed.
pub(crate) fn delta(
    old: Option<&BTreeMap<i64, Counts>>,
    new: Option<&BTreeMap<i64, Counts>>,
) -> BTreeMap<i64, Counts> {
    let mut out = BTreeMap::new();
    if let Some(n) = new {
        merge(&mut out, n, 1);
    }
    if let Some(o) = old {
        merge(&mut out, o, -1);
    }
    with_totals(out)
}

/// Drops all-zero rows and adds the month rows (key YYYYMM) and the year rows (YYYY), each
/// the sum of its day rows.
pub(crate) fn with_totals(mut rows: BTreeMap<i64, Counts>) -> BTreeMap<i64, Counts> {
    rows.retain(|day, c| *day > MONTH_MAX && c.iter().any(|v| *v != 0));
    if rows.is_empty() {
        return rows;
    }
    let mut extra: BTreeMap<i64, Counts> = BTreeMap::new();
    for (day, counts) in &rows {
        for key in [day / 10_000, day / 100] {
            let row = extra.entry(key).or_insert([0; COLUMNS]);
            for (a, b) in row.iter_mut().zip(counts) {
                *a += b;
            }
        }
    }
    extra.retain(|_, c| c.iter().any(|v| *v != 0));
    rows.extend(extra);
    rows
}

/// Keys up to this are month rows (YYYYMM) or year rows (YYYY); above, day rows (YYYYMMDD).
pub(crate) const MONTH_MAX: i64 = 999_999;

/// Builds the multi-row upsert of `chunk` for a sqlx connection.
macro_rules! multi_row_upsert {
    ($chunk:expr) => {{
        let mut insert = sqlx::QueryBuilder::new(UPSERT.head.as_str());
        insert.push_values($chunk, |mut b, (key, day, counts)| {
            b.push_bind(key.scope)
                .push_bind(key.agency_id)
                .push_bind(key.procedure_code.clone())
                .push_bind(key.channel.clone())
                .push_bind(*day);
            for v in counts {
                b.push_bind(*v);
            }
        });
        insert.push(UPSERT.tail.as_str());
        insert
    }};
}

/// The counter upsert, built from [`COLUMN_NAMES`]: the insert's head (key columns, then
/// counts), its conflict clause (each count added to the stored row), and the one-row form
/// the SQLite writer prepares.
pub(crate) struct Upsert {
    pub(crate) head: String,
    pub(crate) tail: String,
    one: String,
}

pub(crate) static UPSERT: std::sync::LazyLock<Upsert> = std::sync::LazyLock::new(|| {
    let head = format!(
        "INSERT INTO stat_days (scope, agency_id, procedure_code, channel, day, {}) ",
        COLUMN_NAMES.join(", ")
    );
    let sums: Vec<String> = COLUMN_NAMES
        .iter()
        .map(|c| format!("{c} = stat_days.{c} + excluded.{c}"))
        .collect();
    let tail = format!(
        " ON CONFLICT (scope, day, agency_id, procedure_code, channel) DO UPDATE SET {}",
        sums.join(", ")
    );
    let values: Vec<String> = (1..=COLUMNS + 5).map(|n| format!("${n}")).collect();
    let one = format!("{head} VALUES ({}){tail}", values.join(", "));
    Upsert { head, tail, one }
});

/// The counter columns, in the order of [`Counts`] (the column constants index it).
const COLUMN_NAMES: [&str; COLUMNS] = [
    "received",
    "digitised",
    "finished",
    "early",
    "on_time",
    "late",
    "apologised",
    "refused",
    "withdrawn",
    "stopped",
    "e_result",
    "accepted",
    "overdue_in",
    "overdue_out",
    "pause_in",
    "pause_out",
    "apologies",
    "supplemented",
    "steps_early",
    "steps_late",
    "apologies_late",
    "synced",
    "fee_bearing",
    "paid_online",
    "reused",
];

/// An update of the columns set in `mask` of one existing row (`?1`–`?5` its key, then
/// one value per column, in column order).
fn update_of(mask: u64) -> String {
    let sets: Vec<String> = COLUMN_NAMES
        .iter()
        .enumerate()
        .filter(|(c, _)| mask & (1 << c) != 0)
        .enumerate()
        .map(|(i, (_, name))| format!("{name} = {name} + ?{}", i + 6))
        .collect();
    format!(
        "UPDATE stat_days SET {} WHERE scope = ?1 AND agency_id = ?2 AND procedure_code = ?3
         AND channel = ?4 AND day = ?5",
        sets.join(", ")
    )
}

/// Writes summed counter rows on the SQLite writer's own connection: an update of the
/// row's non-zero columns (one statement per set of columns, prepared once), or, for a
/// row not there yet, the full upsert.
pub(crate) fn upsert_direct(lite: &mut Lite, rows: &[StatRow]) -> Result<(), DbError> {
    for (key, day, counts) in rows {
        let mut args: Vec<Arg<'_>> = vec![
            key.scope.into(),
            key.agency_id.into(),
            key.procedure_code.as_str().into(),
            key.channel.as_str().into(),
            (*day).into(),
        ];
        let mask = counts
            .iter()
            .enumerate()
            .filter(|(_, v)| **v != 0)
            .fold(0u64, |m, (c, _)| m | (1 << c));
        args.extend(counts.iter().filter(|v| **v != 0).map(|v| Arg::from(*v)));
        let updated = lite
            .built_statement(mask, || update_of(mask), &args)?
            .raw_execute()?;
        if updated == 0 {
            args.truncate(5);
            args.extend(counts.iter().map(|v| Arg::from(*v)));
            lite.statement(UPSERT.one.as_str(), &args)?.raw_execute()?;
        }
    }
    Ok(())
}

/// One row to add: key, day (or month, or year) and counts.
pub(crate) type StatRow = (StatKey, i64, Counts);

/// Flattens per-key rows into upsert order, (key, day).
/// Also adds each row to its agency-wide twin (procedure code "", scope 0) and its
/// field-wide twin (scope 2), which queries read instead of one row per procedure when they
/// need no procedure.
pub(crate) fn flatten(
    by_key: impl IntoIterator<Item = (StatKey, BTreeMap<i64, Counts>)>,
) -> Vec<StatRow> {
    let mut by_key = by_key.into_iter();
    match (by_key.next(), by_key.next()) {
        (None, _) => Vec::new(),
        (Some((key, rows)), None) => one_key(key, rows),
        (Some(a), Some(b)) => merged([a, b].into_iter().chain(by_key)),
    }
}

/// A key's agency-wide and field-wide twins.
fn twins(key: &StatKey) -> (StatKey, StatKey) {
    let agency = StatKey {
        scope: SCOPE_AGENCY,
        procedure_code: String::new(),
        field_code: String::new(),
        ..key.clone()
    };
    let field = StatKey {
        scope: SCOPE_FIELD,
        procedure_code: key.field_code.clone(),
        field_code: String::new(),
        ..key.clone()
    };
    (agency, field)
}

/// The rows of one key (an intake, most transitions) without merging: the three keys
/// differ and sort by scope, so the order is the agency-wide rows, the key's, the
/// field-wide ones, each by day.
fn one_key(key: StatKey, rows: BTreeMap<i64, Counts>) -> Vec<StatRow> {
    let rows: Vec<(i64, Counts)> = rows
        .into_iter()
        .filter(|(_, c)| c.iter().any(|v| *v != 0))
        .collect();
    let (agency, field) = twins(&key);
    let mut out = Vec::with_capacity(rows.len() * 3);
    for k in [agency, key, field] {
        out.extend(rows.iter().map(|(day, counts)| (k.clone(), *day, *counts)));
    }
    out
}

/// The rows of several keys, merged where twins or keys meet.
fn merged(by_key: impl Iterator<Item = (StatKey, BTreeMap<i64, Counts>)>) -> Vec<StatRow> {
    let mut merged: BTreeMap<(StatKey, i64), Counts> = BTreeMap::new();
    for (key, rows) in by_key {
        let (agency, field) = twins(&key);
        for (day, counts) in rows {
            for k in [&key, &agency, &field] {
                let row = merged.entry((k.clone(), day)).or_insert([0; COLUMNS]);
                for (a, b) in row.iter_mut().zip(&counts) {
                    *a += b;
                }
            }
        }
    }
    merged
        .into_iter()
        .filter(|(_, c)| c.iter().any(|v| *v != 0))
        .map(|((k, d), c)| (k, d, c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each column constant names its column, and the statements follow the names.
    #[test]
    fn column_names_follow_the_constants() {
        for (index, name) in [
            (RECEIVED, "received"),
            (DIGITISED, "digitised"),
            (FINISHED, "finished"),
            (EARLY, "early"),
            (ON_TIME, "on_time"),
            (LATE, "late"),
            (APOLOGISED, "apologised"),
            (REFUSED, "refused"),
            (WITHDRAWN, "withdrawn"),
            (STOPPED, "stopped"),
            (E_RESULT, "e_result"),
            (ACCEPTED, "accepted"),
            (OVERDUE_IN, "overdue_in"),
            (OVERDUE_OUT, "overdue_out"),
            (PAUSE_IN, "pause_in"),
            (PAUSE_OUT, "pause_out"),
            (APOLOGIES, "apologies"),
            (SUPPLEMENTED, "supplemented"),
            (STEPS_EARLY, "steps_early"),
            (STEPS_LATE, "steps_late"),
            (APOLOGIES_LATE, "apologies_late"),
            (SYNCED, "synced"),
            (FEE_BEARING, "fee_bearing"),
            (PAID_ONLINE, "paid_online"),
            (REUSED, "reused"),
        ] {
            assert_eq!(COLUMN_NAMES[index], name);
        }
        assert!(UPSERT.one.contains(
            "day, received, digitised, finished, early, on_time, late, apologised, refused"
        ));
        assert!(
            UPSERT
                .one
                .ends_with("reused = stat_days.reused + excluded.reused")
        );
        assert_eq!(
            update_of((1 << RECEIVED) | (1 << ACCEPTED)),
            "UPDATE stat_days SET received = received + ?6, accepted = accepted + ?7 WHERE scope = ?1 AND agency_id = ?2 AND procedure_code = ?3\n         AND channel = ?4 AND day = ?5"
        );
    }

    #[test]
    fn totals_sum_the_days_and_zero_rows_vanish() {
        let mut a = BTreeMap::new();
        add(&mut a, 20260302, RECEIVED);
        add(&mut a, 20260311, ACCEPTED);
        let mut b = a.clone();
        add(&mut b, 20260310, FINISHED);
        add(&mut b, 20260310, EARLY);
        let d = delta(Some(&a), Some(&b));
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!(d[&2026][EARLY], 1);
        assert_eq!(d[&202603][EARLY], 1);
        assert_eq!(d[&20260310][FINISHED], 1);
        assert!(!d.contains_key(&0));
        assert!(delta(Some(&a), Some(&a)).is_empty());
        let gone = delta(Some(&a), None);
        assert_eq!(gone[&2026][RECEIVED], -1);
        assert_eq!(gone[&202603][ACCEPTED], -1);
    }

    /// One key's rows come out as merging them would give them.
    #[test]
    fn one_key_is_flattened_as_merged() {
        let key = StatKey {
            scope: SCOPE_PROCEDURE,
            agency_id: 3,
            procedure_code: "1.001234".into(),
            channel: "counter".into(),
            field_code: "Hộ tịch".into(),
        };
        let mut rows = BTreeMap::new();
        add(&mut rows, 20260302, RECEIVED);
        add(&mut rows, 20260311, ACCEPTED);
        rows.insert(20260312, [0; COLUMNS]);
        let rows = delta(None, Some(&rows));
        let fast = flatten([(key.clone(), rows.clone())]);
        let slow = merged([(key, rows)].into_iter());
        assert_eq!(fast, slow);
        assert_eq!(fast.len(), 3 * 4, "{fast:?}");
        assert!(
            fast.windows(2)
                .all(|w| (&w[0].0, w[0].1) < (&w[1].0, w[1].1))
        );
    }

    #[test]
    fn days_are_vietnam_dates() {
        let t =
            chrono::DateTime::parse_from_rfc3339("2026-03-01T18:30:00+00:00").unwrap_or_default();
        assert_eq!(day_of(t), 20260302);
    }
}
