//! Reading the counters: one SQL text per cut, summing the day rows of a period and the
//! state at its ends, with the filters (agency sub-tree, field, procedure, level, channel).

use chrono::NaiveDate;
use motcua_domain::agency::AgencyLevel;
use motcua_domain::catalogue::Channel;
use serde::{Deserialize, Serialize};

use crate::DbError;
use crate::rows::RowExt;

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
    /// `agency id|field code|channel`, from the field-wide rows (one per agency and field
    /// instead of one per procedure).
    FieldKey,
}

/// The figures of one group. Counts of dossiers; shares are derived by the methods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Tồn kỳ trước — received before the period and not finished before it.
    pub carried_over: i64,
    /// Tiếp nhận trong kỳ (submitted, at any channel), and by channel.
    pub received: i64,
    pub received_online: i64,
    pub received_counter: i64,
    pub received_post: i64,
    /// Accepted (tiếp nhận chính thức: the clock started) in the period, and of those filed
    /// online: the online share is over these.
    #[serde(default)]
    pub accepted: i64,
    #[serde(default)]
    pub accepted_online: i64,
    /// Received with a digitised component (filed electronically or scanned at the counter).
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
    /// Apologies (Mẫu 04) approved in the period, and of those issued later than one
    /// working day before the appointment they moved.
    pub apologies: i64,
    #[serde(default)]
    pub apologies_late: i64,
    /// Resolved in the period after a supplement request (TT 01 chỉ số 3).
    #[serde(default)]
    pub supplemented: i64,
    /// Resolved in the period with every agency's step early, or with some step late
    /// (TT 01 chỉ số 2).
    #[serde(default)]
    pub steps_early: i64,
    #[serde(default)]
    pub steps_late: i64,
    /// Received in the period and acknowledged by the national portal since (QĐ 766).
    #[serde(default)]
    pub synced: i64,
    /// Received in the period with fees to pay, and of those paid online since (QĐ 766).
    #[serde(default)]
    pub fee_bearing: i64,
    #[serde(default)]
    pub paid_online: i64,
    /// Received in the period reusing a document of the owner's data store (QĐ 766).
    #[serde(default)]
    pub reused: i64,
    /// Not finished at the period's end, and of those: waiting for the citizen (5, 6),
    /// past the appointment in force then, and the rest (in progress on time) — each as the
    /// dossier's history says it was at that instant.
    pub open_at_end: i64,
    pub paused_at_end: i64,
    pub overdue_at_end: i64,
}

impl Figures {
    /// Đã giải quyết — resolved in the period.
    pub fn resolved(&self) -> i64 {
        self.early + self.on_time + self.late + self.apologised
    }

    /// Đang giải quyết trong hạn at the period's end (paused and overdue are apart: a
    /// dossier waiting for the citizen is never overdue).
    pub fn in_progress_on_time(&self) -> i64 {
        self.open_at_end - self.paused_at_end - self.overdue_at_end
    }

    /// The dossiers the period answers for: carried over plus received in it.
    pub fn handled(&self) -> i64 {
        self.carried_over + self.received
    }

    /// Tỷ lệ đúng hạn — (early + on time) / resolved; `None` when nothing was resolved.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.early + self.on_time, self.resolved())
    }

    /// Tỷ lệ trực tuyến — accepted dossiers filed online over accepted dossiers.
    pub fn online_share(&self) -> Option<f64> {
        ratio(self.accepted_online, self.accepted)
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
        self.accepted += o.accepted;
        self.accepted_online += o.accepted_online;
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
        self.apologies_late += o.apologies_late;
        self.supplemented += o.supplemented;
        self.steps_early += o.steps_early;
        self.steps_late += o.steps_late;
        self.synced += o.synced;
        self.fee_bearing += o.fee_bearing;
        self.paid_online += o.paid_online;
        self.reused += o.reused;
        self.open_at_end += o.open_at_end;
        self.paused_at_end += o.paused_at_end;
        self.overdue_at_end += o.overdue_at_end;
    }
}

impl std::ops::AddAssign for Figures {
    fn add_assign(&mut self, other: Figures) {
        self.add(&other);
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

fn figures(row: &impl RowExt, state: bool) -> Result<Figures, DbError> {
    let opt =
        |name: &str| -> Result<i64, DbError> { if state { Ok(row.int(name)?) } else { Ok(0) } };
    Ok(Figures {
        carried_over: opt("carried")?,
        received: row.int("received")?,
        received_online: 0,
        received_counter: 0,
        received_post: 0,
        accepted: row.int("accepted")?,
        accepted_online: 0,
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
        apologies_late: row.int("apologies_late")?,
        supplemented: row.int("supplemented")?,
        steps_early: row.int("steps_early")?,
        steps_late: row.int("steps_late")?,
        synced: row.int("synced")?,
        fee_bearing: row.int("fee_bearing")?,
        paid_online: row.int("paid_online")?,
        reused: row.int("reused")?,
        open_at_end: opt("open_end")?,
        paused_at_end: opt("paused_end")?,
        overdue_at_end: opt("overdue_end")?,
    })
}

/// Splits `received` by the row's channel.
fn by_channel(mut f: Figures, channel: &str) -> Figures {
    match channel {
        "online" => {
            f.received_online = f.received;
            f.accepted_online = f.accepted;
        }
        "counter" => f.received_counter = f.received,
        "post" => f.received_post = f.received,
        _ => {}
    }
    f
}

fn bind_ranges(r: &super::sql::Ranges) -> [i64; 10] {
    [
        r.years.0,
        r.years.1,
        r.months_plus.0,
        r.months_plus.1,
        r.months_minus.0,
        r.months_minus.1,
        r.days_plus.0,
        r.days_plus.1,
        r.days_minus.0,
        r.days_minus.1,
    ]
}

impl super::Statistics<'_> {
    /// The figures of `filter`'s period, grouped by `cut`, in key order. Groups with nothing
    /// to show are left out.
    pub async fn cuts(self, filter: &StatsFilter, cut: Cut) -> Result<Vec<CutRow>, DbError> {
        if filter.from > filter.to {
            return Err(DbError::invalid("from", "ngày bắt đầu sau ngày kết thúc"));
        }
        let path = match filter.agency_id {
            Some(id) => Some(format!(
                "{}%",
                self.db
                    .agencies()
                    .agency(id)
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
        let month = cut == Cut::Month;
        // Which rows to read: per procedure only when a procedure is needed.
        let scope = if filter.procedure_code.is_some() || matches!(cut, Cut::Key | Cut::Procedure) {
            crate::counters::counts::SCOPE_PROCEDURE
        } else if filter.field_code.is_some() || matches!(cut, Cut::Field | Cut::FieldKey) {
            crate::counters::counts::SCOPE_FIELD
        } else {
            crate::counters::counts::SCOPE_AGENCY
        };
        let mut numbers: Vec<i64> = Vec::new();
        let pairs = |n: &[i64]| -> Vec<(i64, i64)> { n.chunks(2).map(|c| (c[0], c[1])).collect() };
        if month {
            let b = super::sql::month_bounds(filter.from, filter.to);
            numbers.extend(b);
            let read = super::sql::disjoint(&[(b[0], b[4]), (b[5], b[1]), (b[2], b[3])], 3);
            numbers.extend(read.iter().flat_map(|r| [r.0, r.1]));
            numbers.push(scope);
        } else {
            numbers.extend(bind_ranges(&super::sql::rows_from(filter.from)));
            let after = filter.to.succ_opt().unwrap_or(filter.to);
            numbers.extend(bind_ranges(&super::sql::rows_from(after)));
            let mut wanted = pairs(&numbers);
            // Every year row: their sum is the all-time total.
            wanted.push((1, 9999));
            let read = super::sql::disjoint(&wanted, 11);
            numbers.extend(read.iter().flat_map(|r| [r.0, r.1]));
            numbers.push(scope);
        }
        let sql = if month {
            super::sql::MONTHS
        } else {
            super::sql::BY_KEY
        };
        self.db.settle_counters().await?;
        let rows: Vec<(String, Figures)> = on_read!(self.db, pool => {
            let mut query = sqlx::query(sql)
                .bind(path.as_deref())
                .bind(filter.field_code.as_deref())
                .bind(filter.procedure_code.as_deref())
                .bind(level.as_deref())
                .bind(channel.as_deref());
            for n in &numbers {
                query = query.bind(*n);
            }
            let rows = query.fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let channel = r.text("channel")?;
                    let key = if month {
                        r.int("month")?.to_string()
                    } else {
                        format!("{}|{}|{channel}", r.int("agency_id")?, r.text("procedure_code")?)
                    };
                    Ok((key, by_channel(figures(r, !month)?, &channel)))
                })
                .collect::<Result<Vec<_>, DbError>>()?
        });
        let group = self.cut_keys(cut, scope).await?;
        let mut out: std::collections::BTreeMap<String, Figures> =
            std::collections::BTreeMap::new();
        for (key, f) in rows {
            if f == Figures::default() {
                continue;
            }
            let key = match cut {
                Cut::Key | Cut::Month => key,
                _ => group(&key),
            };
            out.entry(key).or_default().add(&f);
        }
        Ok(out
            .into_iter()
            .filter(|(_, f)| *f != Figures::default())
            .map(|(key, figures)| CutRow { key, figures })
            .collect())
    }

    /// How a counter key (`agency|procedure|channel`, or `agency|field|channel` for the
    /// field-wide rows, `agency||channel` for the agency-wide ones) maps to a group of `cut`.
    async fn cut_keys(
        self,
        cut: Cut,
        scope: i64,
    ) -> Result<Box<dyn Fn(&str) -> String + Send>, DbError> {
        let part = |key: &str, i: usize| key.split('|').nth(i).unwrap_or_default().to_string();
        Ok(match cut {
            Cut::Total => Box::new(|_: &str| String::new()),
            Cut::Agency => Box::new(move |k: &str| part(k, 0)),
            Cut::Procedure => Box::new(move |k: &str| part(k, 1)),
            Cut::Channel => Box::new(move |k: &str| part(k, 2)),
            Cut::Field | Cut::FieldKey if scope != crate::counters::counts::SCOPE_PROCEDURE => {
                if cut == Cut::Field {
                    Box::new(move |k: &str| part(k, 1))
                } else {
                    Box::new(|k: &str| k.to_string())
                }
            }
            Cut::Field | Cut::FieldKey => {
                let fields: std::collections::HashMap<String, String> = self
                    .db
                    .catalogue()
                    .procedures(None, None, None)
                    .await?
                    .into_iter()
                    .map(|p| (p.code, p.field_code))
                    .collect();
                let whole = cut == Cut::FieldKey;
                Box::new(move |k: &str| {
                    let code = part(k, 1);
                    let field = fields.get(&code).cloned().unwrap_or(code);
                    if whole {
                        format!("{}|{field}|{}", part(k, 0), part(k, 2))
                    } else {
                        field
                    }
                })
            }
            Cut::Level => {
                let levels: std::collections::HashMap<String, String> = self
                    .db
                    .agencies()
                    .all()
                    .await?
                    .into_iter()
                    .map(|a| {
                        let level = crate::dossiers::stored_enum(&a.level).unwrap_or_default();
                        (a.id.to_string(), level)
                    })
                    .collect();
                Box::new(move |k: &str| {
                    let id = part(k, 0);
                    levels.get(&id).cloned().unwrap_or(id)
                })
            }
            Cut::Key | Cut::Month => Box::new(|k: &str| k.to_string()),
        })
    }

    /// The figures of `filter`'s whole period.
    pub async fn statistics_total(self, filter: &StatsFilter) -> Result<Figures, DbError> {
        let rows = self.cuts(filter, Cut::Total).await?;
        let mut total = Figures::default();
        for r in &rows {
            total.add(&r.figures);
        }
        Ok(total)
    }
}
