//! Reading the counters: one SQL text per cut, summing the day rows of a period and the
//! state at its ends, with the filters (agency sub-tree, field, procedure, level, channel).

use chrono::{Datelike, NaiveDate};
use motcua_domain::agency::AgencyLevel;
use motcua_domain::catalogue::Channel;
use serde::{Deserialize, Serialize};

use crate::rows::RowExt;
use crate::{Db, DbError};

/// Which dossiers a statistic covers: a period of Vietnam dates and optional filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// An agency and its whole sub-tree.
    pub agency_id: Option<i64>,
    pub field_code: Option<String>,
    pub procedure_code: Option<String>,
    /// The level of the agency that resolves the dossier.
    pub level: Option<AgencyLevel>,
    pub channel: Option<Channel>,
}

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cut {
    Total,
    Agency,
    Field,
    Procedure,
    Level,
    Channel,
    /// Calendar months (YYYYMM); only the period's sums, not the states at its end.
    Month,
    /// The counter key itself, `agency id|procedure code|channel`: every other cut but the
    /// month can be summed from it in one pass.
    Key,
}

/// The figures of one group. Counts of dossiers; shares are derived by the methods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Tồn kỳ trước — received before the period and not finished before it.
    pub carried_over: i64,
    /// Tiếp nhận trong kỳ, and by channel.
    pub received: i64,
    pub received_online: i64,
    pub received_counter: i64,
    pub received_post: i64,
    /// Received with at least one electronic (digitised) component.
    pub digitised: i64,
    /// Đã giải quyết (result ready) before the appointment day, on it, after it — dossiers
    /// whose appointment was re-dated by an apology are counted apart, in `apologised`.
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub apologised: i64,
    /// Không được tiếp nhận (3), rút (7), dừng xử lý (8), finished in the period.
    pub refused: i64,
    pub withdrawn: i64,
    pub stopped: i64,
    /// Resolved with an electronic result.
    pub e_result: i64,
    /// Apologies (Mẫu 04) approved in the period.
    pub apologies: i64,
    /// Not finished at the period's end, and of those: waiting for the citizen (5, 6),
    /// past the appointment, and the rest (in progress on time).
    pub open_at_end: i64,
    pub paused_at_end: i64,
    pub overdue_at_end: i64,
}

impl Figures {
    /// Đã giải quyết — resolved in the period.
    pub fn resolved(&self) -> i64 {
        self.early + self.on_time + self.late + self.apologised
    }

    /// Đang giải quyết trong hạn at the period's end.
    pub fn in_progress_on_time(&self) -> i64 {
        (self.open_at_end - self.paused_at_end - self.overdue_at_end).max(0)
    }

    /// Tỷ lệ đúng hạn — (early + on time) / resolved; `None` when nothing was resolved.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.early + self.on_time, self.resolved())
    }

    pub fn online_share(&self) -> Option<f64> {
        ratio(self.received_online, self.received)
    }

    pub fn digitised_share(&self) -> Option<f64> {
        ratio(self.digitised, self.received)
    }

    pub fn e_result_share(&self) -> Option<f64> {
        ratio(self.e_result, self.resolved())
    }

    pub(crate) fn add(&mut self, o: &Figures) {
        self.carried_over += o.carried_over;
        self.received += o.received;
        self.received_online += o.received_online;
        self.received_counter += o.received_counter;
        self.received_post += o.received_post;
        self.digitised += o.digitised;
        self.early += o.early;
        self.on_time += o.on_time;
        self.late += o.late;
        self.apologised += o.apologised;
        self.refused += o.refused;
        self.withdrawn += o.withdrawn;
        self.stopped += o.stopped;
        self.e_result += o.e_result;
        self.apologies += o.apologies;
        self.open_at_end += o.open_at_end;
        self.paused_at_end += o.paused_at_end;
        self.overdue_at_end += o.overdue_at_end;
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One group: its key (agency id, field code, procedure code, level, channel or YYYYMM as
/// text; empty for the total) and figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CutRow {
    pub key: String,
    pub figures: Figures,
}

// Parameters: $1 from, $2 to (YYYYMMDD); $3–$7 the filters; $8–$9 the whole months inside
// the period (YYYYMM, empty when $8 > $9); $10 the last day read in the first month when
// the period starts inside it (else 0); $11–$12 the days read in the last month when the
// period ends inside it (else 1, 0); $13 the last month.
//
// A row is a day (YYYYMMDD > 999999), a month (YYYYMM) or the key's total (0). The period's
// sums take the day rows of its partial months and the month rows of its whole months; a
// state at a date is the total minus everything after it, again by days within the date's
// month and by months after it. So a year reads ~12 month rows per key, not ~365 day rows.
macro_rules! in_period {
    ($col:literal) => {
        concat!(
            "CAST(SUM(CASE WHEN (s.day > 999999 AND s.day BETWEEN $1 AND $2)
               OR (s.day <= 999999 AND s.day BETWEEN $8 AND $9) THEN ",
            $col,
            " ELSE 0 END) AS BIGINT)"
        )
    };
}

/// A state before `from`: the total minus the rows from `from` on.
macro_rules! before_from {
    ($col:literal) => {
        concat!(
            "CAST(SUM(CASE WHEN s.day = 0 THEN ",
            $col,
            " WHEN (s.day > 999999 AND s.day BETWEEN $1 AND $10)
               OR (s.day <= 999999 AND s.day >= $8) THEN -(",
            $col,
            ") ELSE 0 END) AS BIGINT)"
        )
    };
}

/// A state at the end of `to`: the total minus the rows after it.
macro_rules! at_end {
    ($col:literal) => {
        concat!(
            "CAST(SUM(CASE WHEN s.day = 0 THEN ",
            $col,
            " WHEN (s.day > 999999 AND s.day > $2 AND s.day <= $12)
               OR (s.day <= 999999 AND s.day > $13) THEN -(",
            $col,
            ") ELSE 0 END) AS BIGINT)"
        )
    };
}

macro_rules! stats_sql {
    ($key:literal) => {
        concat!(
            "SELECT ",
            $key,
            " AS k, ",
            in_period!("s.received"),
            " AS received, ",
            in_period!("(CASE WHEN s.channel = 'online' THEN s.received ELSE 0 END)"),
            " AS online, ",
            in_period!("(CASE WHEN s.channel = 'counter' THEN s.received ELSE 0 END)"),
            " AS counter, ",
            in_period!("(CASE WHEN s.channel = 'post' THEN s.received ELSE 0 END)"),
            " AS post, ",
            in_period!("s.digitised"),
            " AS digitised, ",
            in_period!("s.early"),
            " AS early, ",
            in_period!("s.on_time"),
            " AS on_time, ",
            in_period!("s.late"),
            " AS late, ",
            in_period!("s.apologised"),
            " AS apologised, ",
            in_period!("s.refused"),
            " AS refused, ",
            in_period!("s.withdrawn"),
            " AS withdrawn, ",
            in_period!("s.stopped"),
            " AS stopped, ",
            in_period!("s.e_result"),
            " AS e_result, ",
            in_period!("s.apologies"),
            " AS apologies, ",
            before_from!("s.received - s.finished"),
            " AS carried, ",
            at_end!("s.received - s.finished"),
            " AS open_end, ",
            at_end!("s.pause_in - s.pause_out"),
            " AS paused_end, ",
            at_end!("s.due - s.due_met - s.due_missed"),
            " AS overdue_end ",
            "FROM stat_days s JOIN agencies a ON a.id = s.agency_id
             JOIN procedures p ON p.code = s.procedure_code
             WHERE (s.day = 0 OR s.day BETWEEN $8 AND 999999 OR s.day BETWEEN $1 AND $10
                    OR s.day BETWEEN $11 AND $12)
               AND ($3 IS NULL OR a.path LIKE $3)
               AND ($4 IS NULL OR p.field_code = $4) AND ($5 IS NULL OR s.procedure_code = $5)
               AND ($6 IS NULL OR a.level = $6) AND ($7 IS NULL OR s.channel = $7)
             GROUP BY 1"
        )
    };
}

const BY_TOTAL: &str = stats_sql!("''");
const BY_AGENCY: &str = stats_sql!("CAST(s.agency_id AS TEXT)");
const BY_FIELD: &str = stats_sql!("p.field_code");
const BY_PROCEDURE: &str = stats_sql!("s.procedure_code");
const BY_LEVEL: &str = stats_sql!("a.level");
const BY_CHANNEL: &str = stats_sql!("s.channel");
const BY_MONTH: &str =
    stats_sql!("CAST(CASE WHEN s.day > 999999 THEN s.day / 100 ELSE s.day END AS TEXT)");
const BY_KEY: &str =
    stats_sql!("CAST(s.agency_id AS TEXT) || '|' || s.procedure_code || '|' || s.channel");

fn day_key(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

fn month_key(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 100 + i64::from(d.month())
}

/// The bounds the SQL reads for a period (see the parameters above the SQL).
#[derive(Debug, PartialEq, Eq)]
struct Bounds {
    from: i64,
    to: i64,
    months: (i64, i64),
    head_last: i64,
    tail: (i64, i64),
    last_month: i64,
}

fn bounds(from: NaiveDate, to: NaiveDate) -> Bounds {
    let starts_month = from.day() == 1;
    let ends_month = to.succ_opt().is_none_or(|d| d.day() == 1);
    let first_whole = if starts_month {
        month_key(from)
    } else {
        from.checked_add_months(chrono::Months::new(1))
            .map_or(i64::MAX, month_key)
    };
    let last_whole = if ends_month {
        month_key(to)
    } else {
        to.checked_sub_months(chrono::Months::new(1))
            .map_or(0, month_key)
    };
    Bounds {
        from: day_key(from),
        to: day_key(to),
        months: (first_whole, last_whole),
        head_last: if starts_month {
            0
        } else {
            month_key(from) * 100 + 31
        },
        tail: if ends_month {
            (1, 0)
        } else {
            (month_key(to) * 100 + 1, month_key(to) * 100 + 31)
        },
        last_month: month_key(to),
    }
}

fn figures(row: &impl RowExt) -> Result<(String, Figures), DbError> {
    Ok((
        row.text("k")?,
        Figures {
            carried_over: row.int("carried")?,
            received: row.int("received")?,
            received_online: row.int("online")?,
            received_counter: row.int("counter")?,
            received_post: row.int("post")?,
            digitised: row.int("digitised")?,
            early: row.int("early")?,
            on_time: row.int("on_time")?,
            late: row.int("late")?,
            apologised: row.int("apologised")?,
            refused: row.int("refused")?,
            withdrawn: row.int("withdrawn")?,
            stopped: row.int("stopped")?,
            e_result: row.int("e_result")?,
            apologies: row.int("apologies")?,
            open_at_end: row.int("open_end")?,
            paused_at_end: row.int("paused_end")?,
            overdue_at_end: row.int("overdue_end")?,
        },
    ))
}

impl Db {
    /// The figures of `filter`'s period, grouped by `cut`, in key order. Groups with nothing
    /// to show are left out.
    pub async fn statistics(&self, filter: &StatsFilter, cut: Cut) -> Result<Vec<CutRow>, DbError> {
        if filter.from > filter.to {
            return Err(DbError::invalid("from", "ngày bắt đầu sau ngày kết thúc"));
        }
        let path = match filter.agency_id {
            Some(id) => Some(format!(
                "{}%",
                self.agency(id)
                    .await?
                    .ok_or(DbError::NotFound("cơ quan"))?
                    .path
            )),
            None => None,
        };
        let level = filter
            .level
            .as_ref()
            .map(crate::dossiers::stored_enum)
            .transpose()?;
        let channel = filter
            .channel
            .as_ref()
            .map(crate::dossiers::stored_enum)
            .transpose()?;
        let sql = match cut {
            Cut::Total => BY_TOTAL,
            Cut::Agency => BY_AGENCY,
            Cut::Field => BY_FIELD,
            Cut::Procedure => BY_PROCEDURE,
            Cut::Level => BY_LEVEL,
            Cut::Channel => BY_CHANNEL,
            Cut::Month => BY_MONTH,
            Cut::Key => BY_KEY,
        };
        let b = bounds(filter.from, filter.to);
        let (from, to) = (b.from, b.to);
        let rows: Vec<(String, Figures)> = on_read!(self, pool => {
            let rows = sqlx::query(sql)
                .bind(from)
                .bind(to)
                .bind(path.as_deref())
                .bind(filter.field_code.as_deref())
                .bind(filter.procedure_code.as_deref())
                .bind(level.as_deref())
                .bind(channel.as_deref())
                .bind(b.months.0)
                .bind(b.months.1)
                .bind(b.head_last)
                .bind(b.tail.0)
                .bind(b.tail.1)
                .bind(b.last_month)
                .fetch_all(pool)
                .await?;
            rows.iter().map(figures).collect::<Result<Vec<_>, DbError>>()?
        });
        let mut out: Vec<CutRow> = Vec::new();
        for (key, mut f) in rows {
            if cut == Cut::Month {
                let month: i64 = key.parse().unwrap_or_default();
                if month < from / 100 || month > to / 100 {
                    continue;
                }
                f.carried_over = 0;
                f.open_at_end = 0;
                f.paused_at_end = 0;
                f.overdue_at_end = 0;
            }
            if f == Figures::default() {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.key == key => last.figures.add(&f),
                _ => out.push(CutRow { key, figures: f }),
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    /// The figures of `filter`'s whole period.
    pub async fn statistics_total(&self, filter: &StatsFilter) -> Result<Figures, DbError> {
        let rows = self.statistics(filter, Cut::Total).await?;
        let mut total = Figures::default();
        for r in &rows {
            total.add(&r.figures);
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn whole_months_are_read_as_months() {
        let b = bounds(d("2026-01-01"), d("2026-11-24"));
        assert_eq!(b.months, (202601, 202610));
        assert_eq!(b.head_last, 0);
        assert_eq!(b.tail, (20261101, 20261131));
        let b = bounds(d("2026-03-15"), d("2026-03-31"));
        assert_eq!(b.months, (202604, 202603), "no whole month");
        assert_eq!((b.head_last, b.tail), (20260331, (1, 0)));
        let b = bounds(d("2025-12-01"), d("2026-02-28"));
        assert_eq!((b.months, b.last_month), ((202512, 202602), 202602));
    }
}
