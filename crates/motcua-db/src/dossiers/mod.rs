//! Hồ sơ — dossiers as stored: the record, its history, listing and public lookup.

mod attach;
pub(crate) mod board;
pub(crate) mod documents;
mod intake;
mod pad;
mod search;
pub(crate) mod settle;
mod synced;
mod transition;

pub use intake::{IntakeExtras, PortalMarks};
pub use transition::{ActorRef, TransitionRequest};

use motcua_domain::calendar::{Instant, Outcome};
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{Applicant, DossierState, ReceivedComponent, ReturnMethod, Status};
use serde::{Deserialize, Serialize};

use crate::rows::RowExt;
pub(crate) use crate::rows::instant;
pub use crate::views::PublicDossier;
use crate::{Db, DbError};

/// A dossier as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierRecord {
    pub id: i64,
    pub code: String,
    /// Mã tra cứu — printed on the receipt; with the code it opens the public lookup.
    pub lookup_secret: String,
    pub procedure_version_id: i64,
    pub procedure_code: String,
    pub case_code: String,
    pub receiving_agency_id: i64,
    pub current_agency_id: i64,
    pub channel: Channel,
    pub status: Status,
    pub step: i64,
    pub assignee_id: Option<i64>,
    pub applicant: Applicant,
    pub components: Vec<ReceivedComponent>,
    pub return_method: ReturnMethod,
    pub fee_vnd: i64,
    pub summary: String,
    pub received_at: Instant,
    pub due_at: Option<Instant>,
    pub finished_at: Option<Instant>,
    pub outcome: Option<Outcome>,
    pub apologised: bool,
    pub state: DossierState,
    /// Bumped by every transition; a write naming an older version is a conflict.
    pub version: i64,
    pub updated_at: Instant,
    /// The citizen account that filed it online, if any (its owner).
    #[serde(default)]
    pub citizen_id: Option<i64>,
    /// Acknowledged by the national portal at least once (read by the counters).
    #[serde(default, skip_serializing)]
    pub portal_synced: bool,
    /// A payment of it was settled online (read by the counters).
    #[serde(default, skip_serializing)]
    pub paid_online: bool,
    /// Received reusing a document of the owner's data store (read by the counters).
    #[serde(default, skip_serializing)]
    pub reused: bool,
}

impl HistoryRow {
    /// The row as its applicant may read it: the note kept only when it is written to them
    /// ([`motcua_domain::dossier::Action::note_is_public`]).
    pub fn for_applicant(mut self) -> Self {
        if !motcua_domain::dossier::Action::note_is_public(&self.action) {
            self.note = None;
        }
        self
    }
}

/// One line of a dossier's history (the processing-control trail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryRow {
    /// Its place in the history: rows of one dossier are numbered in order.
    #[serde(default)]
    pub id: i64,
    pub action: String,
    pub actor_staff_id: Option<i64>,
    pub actor_name: Option<String>,
    pub actor_kind: String,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub from_step: Option<i64>,
    pub to_step: i64,
    pub agency_id: i64,
    pub note: Option<String>,
    pub step_due_at: Option<Instant>,
    pub step_outcome: Option<Outcome>,
    pub at: Instant,
}

/// Which dossiers to list. Pages follow the appointment order (earliest due first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierFilter {
    pub agency_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub status: Option<Status>,
    /// Only dossiers whose current step is this role's (with `agency_id`).
    #[serde(default)]
    pub step_role: Option<motcua_domain::agency::Role>,
    /// The dossiers received at this agency (its counter), wherever they are held now:
    /// with `status` one of those the counter acts on (awaiting a supplement or a payment,
    /// result ready).
    #[serde(default)]
    pub receiving_agency_id: Option<i64>,
    /// With `receiving_agency_id` (and no status): the dossiers it received that another
    /// agency holds, open and overdue at this instant (the counter chases them).
    #[serde(default)]
    pub overdue_elsewhere_at: Option<Instant>,
    /// With `receiving_agency_id` (and no status): the open dossiers it received whose
    /// agency proposed an apology since this instant.
    #[serde(default)]
    pub apologies_since: Option<Instant>,
    /// Opaque cursor from the previous page.
    pub after: Option<String>,
    pub limit: Option<i64>,
}

impl DossierRecord {
    /// What the counters need of it that a transition does not change.
    pub(crate) fn counted(&self) -> crate::counters::Counted<'_> {
        crate::counters::Counted {
            procedure_code: &self.procedure_code,
            channel: self.channel,
            components: &self.components,
            return_method: self.return_method,
            synced: self.portal_synced,
            fee_vnd: self.fee_vnd,
            paid_online: self.paid_online,
            reused: self.reused,
        }
    }
}

/// Whether a typed lookup secret matches (case-insensitive, every byte compared).
fn secret_matches(given: &str, stored: &str) -> bool {
    let given = given.trim().to_uppercase();
    given.len() == stored.len()
        && given
            .bytes()
            .zip(stored.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

impl From<&DossierRecord> for PublicDossier {
    /// What the public may see of a dossier.
    fn from(d: &DossierRecord) -> Self {
        Self {
            code: d.code.clone(),
            procedure_version_id: d.procedure_version_id,
            status: d.status,
            step: d.state.step,
            received_at: d.received_at,
            due_at: d.due_at,
            finished_at: d.finished_at,
            apologised: d.apologised,
        }
    }
}

/// The stored lookup secret and the public view of a dossier row.
fn public_row(r: &impl RowExt) -> Result<(String, PublicDossier), DbError> {
    Ok((
        r.text("lookup_secret")?,
        PublicDossier {
            code: r.text("code")?,
            procedure_version_id: r.int("procedure_version_id")?,
            status: status_of(r.int("status")?)?,
            step: usize::try_from(r.int("step")?).unwrap_or_default(),
            received_at: instant(r.int("received_at")?)?,
            due_at: opt_instant(r.opt_int("due_at")?)?,
            finished_at: opt_instant(r.opt_int("finished_at")?)?,
            apologised: r.int("apologised")? != 0,
        },
    ))
}

/// A page of dossiers and the cursor of the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierPage {
    pub items: Vec<DossierRecord>,
    pub next: Option<String>,
}

fn opt_instant(seconds: Option<i64>) -> Result<Option<Instant>, DbError> {
    seconds.map(instant).transpose()
}

fn from_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DbError> {
    Ok(serde_json::from_str(text)?)
}

/// A snake_case enum value as stored in a text column.
pub(crate) fn enum_text<T: Serialize>(value: &T) -> Result<String, DbError> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(DbError::Corrupt(format!("giá trị {other}"))),
    }
}

fn enum_of<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DbError> {
    Ok(serde_json::from_value(serde_json::Value::String(
        text.to_string(),
    ))?)
}

fn status_of(code: i64) -> Result<Status, DbError> {
    Status::from_code(code).ok_or_else(|| DbError::Corrupt(format!("trạng thái {code}")))
}

pub(crate) fn record(row: &impl RowExt) -> Result<DossierRecord, DbError> {
    Ok(DossierRecord {
        id: row.int("id")?,
        code: row.text("code")?,
        lookup_secret: row.text("lookup_secret")?,
        procedure_version_id: row.int("procedure_version_id")?,
        procedure_code: row.text("procedure_code")?,
        case_code: row.text("case_code")?,
        receiving_agency_id: row.int("receiving_agency_id")?,
        current_agency_id: row.int("current_agency_id")?,
        channel: enum_of(&row.text("channel")?)?,
        status: status_of(row.int("status")?)?,
        step: row.int("step")?,
        assignee_id: row.opt_int("assignee_id")?,
        applicant: from_text(&row.text("applicant")?)?,
        components: from_text(&row.text("components")?)?,
        return_method: enum_of(&row.text("return_method")?)?,
        fee_vnd: row.int("fee_vnd")?,
        summary: row.text("summary")?,
        received_at: instant(row.int("received_at")?)?,
        due_at: opt_instant(row.opt_int("due_at")?)?,
        finished_at: opt_instant(row.opt_int("finished_at")?)?,
        outcome: row.opt_text("outcome")?.map(|o| enum_of(&o)).transpose()?,
        apologised: row.int("apologised")? != 0,
        state: from_text(&row.text("state")?)?,
        version: row.int("version")?,
        updated_at: instant(row.int("updated_at")?)?,
        citizen_id: row.opt_int("citizen_id")?,
        portal_synced: row.int("portal_synced")? != 0,
        paid_online: row.int("paid_online")? != 0,
        reused: row.int("reused")? != 0,
    })
}

macro_rules! dossier_columns {
    () => {
        "id, code, lookup_secret, procedure_version_id, procedure_code, case_code,
            receiving_agency_id, current_agency_id, channel, status, step, assignee_id,
            applicant, components, return_method, fee_vnd, summary, received_at, due_at,
            finished_at, outcome, apologised, state, version, updated_at, citizen_id,
            portal_synced, paid_online, reused"
    };
}

macro_rules! select_dossier {
    () => {
        concat!("SELECT ", dossier_columns!(), " FROM dossiers")
    };
}

/// The statuses of dossiers not yet ended, and of ended ones, as the partial indexes of an
/// agency's queues name them (migration 11): a query names the same list to use them.
macro_rules! not_ended {
    () => {
        "status IN (1, 2, 4, 5, 6, 9)"
    };
}
macro_rules! ended {
    () => {
        "status IN (3, 7, 8, 10)"
    };
}

/// An agency's dossiers in one status not yet ended.
const LIST_AGENCY_OPEN_STATUS: &str = concat!(
    select_dossier!(),
    " WHERE current_agency_id = $1 AND ",
    not_ended!(),
    " AND status = $2 AND (sort_due, id) > ($3, $4) ORDER BY sort_due, id LIMIT $5"
);
/// An agency's dossiers in one ended status.
const LIST_AGENCY_ENDED_STATUS: &str = concat!(
    select_dossier!(),
    " WHERE current_agency_id = $1 AND ",
    ended!(),
    " AND status = $2 AND (sort_due, id) > ($3, $4) ORDER BY sort_due, id LIMIT $5"
);
/// All an agency's dossiers: the first of its open ones and of its ended ones, merged.
const LIST_AGENCY: &str = concat!(
    "SELECT * FROM (SELECT ",
    dossier_columns!(),
    ", sort_due AS due_key FROM dossiers WHERE current_agency_id = $1 AND ",
    not_ended!(),
    " AND (sort_due, id) > ($2, $3) ORDER BY sort_due, id LIMIT $4) AS open_part
    UNION ALL SELECT * FROM (SELECT ",
    dossier_columns!(),
    ", sort_due AS due_key FROM dossiers WHERE current_agency_id = $1 AND ",
    ended!(),
    " AND (sort_due, id) > ($2, $3) ORDER BY sort_due, id LIMIT $4) AS ended_part
    ORDER BY due_key, id LIMIT $4"
);
/// An agency's dossiers whose current step is a role's (only ever open ones).
const LIST_AGENCY_ROLE: &str = concat!(
    select_dossier!(),
    " WHERE current_agency_id = $1 AND ",
    not_ended!(),
    " AND step_role = $2 AND (sort_due, id) > ($3, $4) ORDER BY sort_due, id LIMIT $5"
);
/// The dossiers a counter received, in one of the statuses it acts on
/// ([`RECEIVING_STATUSES`]), wherever they are held.
const LIST_RECEIVING_STATUS: &str = concat!(
    select_dossier!(),
    " WHERE receiving_agency_id = $1 AND status IN (5, 6, 9) AND status = $2
      AND (sort_due, id) > ($3, $4) ORDER BY sort_due, id LIMIT $5"
);
/// The dossiers a counter received that another agency holds, open and past their
/// appointment ($2 from `calendar::overdue_before`), read through the open dossiers' due
/// index (few are overdue).
const LIST_RECEIVING_OVERDUE: &str = concat!(
    select_dossier!(),
    " WHERE status IN (1, 2, 4) AND sort_due < $2 AND receiving_agency_id = $1
      AND current_agency_id <> $1 AND (sort_due, id) > ($3, $4) ORDER BY sort_due, id LIMIT $5"
);
/// The open dossiers a counter received whose agency proposed an apology and a new date
/// since `$2` (approved or not): the counter prepares the letter and tells the citizen.
const LIST_RECEIVING_APOLOGIES: &str = concat!(
    select_dossier!(),
    " WHERE status IN (1, 2, 4) AND receiving_agency_id = $1
      AND id IN (SELECT dossier_id FROM dossier_history
          WHERE action = 'propose_apology' AND at >= $2)
      AND (sort_due, id) > ($3, $4) ORDER BY sort_due, id LIMIT $5"
);
/// The statuses a receiving counter's queues list (named literally in
/// [`LIST_RECEIVING_STATUS`] and in the index of migration 15).
pub const RECEIVING_STATUSES: [Status; 3] = [
    Status::AwaitingSupplement,
    Status::AwaitingPayment,
    Status::ResultReady,
];
const LIST_ASSIGNEE_STATUS: &str = concat!(
    select_dossier!(),
    " WHERE assignee_id = $1 AND status = $2 AND (sort_due, id) > ($3, $4)
      ORDER BY sort_due, id LIMIT $5"
);
const LIST_ASSIGNEE: &str = concat!(
    select_dossier!(),
    " WHERE assignee_id = $1 AND (sort_due, id) > ($2, $3) ORDER BY sort_due, id LIMIT $4"
);
const LIST_ANY: &str = concat!(
    select_dossier!(),
    " WHERE ($1 IS NULL OR current_agency_id = $1) AND ($2 IS NULL OR assignee_id = $2)
        AND ($3 IS NULL OR status = $3) AND (sort_due, id) > ($4, $5)
      ORDER BY sort_due, id LIMIT $6"
);

const RECEIVED_BETWEEN: &str = concat!(
    select_dossier!(),
    " WHERE receiving_agency_id = $1 AND received_at >= $2 AND received_at < $3
      ORDER BY received_at, id LIMIT $4"
);
const RESOLVED_BY: &str = concat!(
    select_dossier!(),
    " WHERE id IN (SELECT dossier_id FROM dossier_history WHERE actor_staff_id = $1)
        AND status IN (9, 10) AND finished_at >= $2 AND finished_at < $3
      ORDER BY finished_at LIMIT $4"
);

/// Far-future sort key for dossiers without an appointment yet.
pub(crate) const NO_DUE: i64 = 253_402_300_799;

fn parse_cursor(cursor: &str) -> Result<(i64, i64), DbError> {
    let bad = || DbError::invalid("after", "con trỏ phân trang không hợp lệ");
    let (due, id) = cursor.split_once('.').ok_or_else(bad)?;
    Ok((
        due.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

/// A page of at most `limit` from `limit + 1` rows, with the cursor of the next page.
fn page_of(mut items: Vec<DossierRecord>, limit: i64) -> DossierPage {
    let next = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or_default());
        items
            .last()
            .map(|d| format!("{}.{}", d.due_at.map_or(NO_DUE, |t| t.timestamp()), d.id))
    } else {
        None
    };
    DossierPage { items, next }
}

/// Hồ sơ — the dossier store: intake, transitions, reading, listing and searching dossiers,
/// the public lookup and the public board.
#[derive(Debug, Clone, Copy)]
pub struct Dossiers<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Hồ sơ: see [`Dossiers`].
    pub fn dossiers(&self) -> Dossiers<'_> {
        Dossiers { db: self }
    }
}

impl Dossiers<'_> {
    pub async fn dossier(self, id: i64) -> Result<Option<DossierRecord>, DbError> {
        const BY_ID: &str = concat!(select_dossier!(), " WHERE id = $1");
        if let Some(readers) = self.db.readers() {
            return readers.one(BY_ID, id.into(), |row| record(row));
        }
        on_read!(self.db, pool => {
            let row = sqlx::query(BY_ID).bind(id).fetch_optional(pool).await?;
            row.as_ref().map(record).transpose()
        })
    }

    pub async fn dossier_by_code(self, code: &str) -> Result<Option<DossierRecord>, DbError> {
        const BY_CODE: &str = concat!(select_dossier!(), " WHERE code = $1");
        let code = code.trim();
        if let Some(readers) = self.db.readers() {
            return readers.one(BY_CODE, code.into(), |row| record(row));
        }
        on_read!(self.db, pool => {
            let row = sqlx::query(BY_CODE).bind(code).fetch_optional(pool).await?;
            row.as_ref().map(record).transpose()
        })
    }

    /// Tra cứu công khai: the dossier with this code, if `secret` matches its lookup secret.
    pub async fn lookup(self, code: &str, secret: &str) -> Result<Option<DossierRecord>, DbError> {
        let found = self.dossier_by_code(code).await?;
        Ok(found.filter(|d| secret_matches(secret, &d.lookup_secret)))
    }

    /// The public view of a dossier (progress only, read from its plain columns), if `secret`
    /// matches its lookup secret.
    pub async fn public_lookup(
        self,
        code: &str,
        secret: &str,
    ) -> Result<Option<PublicDossier>, DbError> {
        const PUBLIC: &str = "SELECT code, lookup_secret, procedure_version_id, status, step,
            received_at, due_at, finished_at, apologised FROM dossiers WHERE code = $1";
        let code = code.trim();
        let row = match self.db.readers() {
            Some(readers) => {
                let views = self.db.shared::<crate::views::PublicViews>();
                if let Some(kept) = views.get(code, |stored| secret_matches(secret, stored)) {
                    return Ok(kept);
                }
                let seen = views.changes();
                let row = readers.one(PUBLIC, code.into(), |row| public_row(row))?;
                if let Some((stored, view)) = &row {
                    views.keep(seen, stored, view);
                }
                row
            }
            None => on_read!(self.db, pool => {
                let row = sqlx::query(PUBLIC).bind(code).fetch_optional(pool).await?;
                row.as_ref().map(public_row).transpose()?
            }),
        };
        Ok(row.and_then(|(stored, view)| secret_matches(secret, &stored).then_some(view)))
    }

    /// A page of dossiers in appointment order.
    pub async fn list_dossiers(self, filter: &DossierFilter) -> Result<DossierPage, DbError> {
        let limit = filter.limit.unwrap_or(50).clamp(1, 200);
        let (after_due, after_id) = match &filter.after {
            Some(c) => parse_cursor(c)?,
            None => (i64::MIN, i64::MIN),
        };
        let status = filter.status.map(|s| i64::from(s.code()));
        // One query text per filter shape, so that each walks its index in order.
        let (sql, key): (&'static str, Option<i64>) =
            match (filter.agency_id, filter.assignee_id, filter.status) {
                (Some(a), None, Some(s)) if s.is_final() => (LIST_AGENCY_ENDED_STATUS, Some(a)),
                (Some(a), None, Some(_)) => (LIST_AGENCY_OPEN_STATUS, Some(a)),
                (Some(a), None, None) => (LIST_AGENCY, Some(a)),
                (None, Some(s), Some(_)) => (LIST_ASSIGNEE_STATUS, Some(s)),
                (None, Some(s), None) => (LIST_ASSIGNEE, Some(s)),
                _ => (LIST_ANY, None),
            };
        if let (Some(receiving), Some(now)) =
            (filter.receiving_agency_id, filter.overdue_elsewhere_at)
        {
            let before = motcua_domain::calendar::overdue_before(now).timestamp();
            return self
                .page_by(
                    LIST_RECEIVING_OVERDUE,
                    [receiving, before],
                    (after_due, after_id),
                    limit,
                )
                .await;
        }
        if let (Some(receiving), Some(since)) = (filter.receiving_agency_id, filter.apologies_since)
        {
            return self
                .page_by(
                    LIST_RECEIVING_APOLOGIES,
                    [receiving, since.timestamp()],
                    (after_due, after_id),
                    limit,
                )
                .await;
        }
        if let Some(receiving) = filter.receiving_agency_id {
            let Some(wanted) = filter.status.filter(|s| RECEIVING_STATUSES.contains(s)) else {
                return Err(DbError::invalid(
                    "status",
                    "hàng đợi theo nơi tiếp nhận chỉ có: chờ bổ sung, chờ nộp phí, có kết quả",
                ));
            };
            let status = i64::from(wanted.code());
            return self
                .page_by(
                    LIST_RECEIVING_STATUS,
                    [receiving, status],
                    (after_due, after_id),
                    limit,
                )
                .await;
        }
        if let (Some(agency), Some(role)) = (filter.agency_id, filter.step_role) {
            let items: Vec<DossierRecord> = on_read!(self.db, pool => {
                let rows = sqlx::query(LIST_AGENCY_ROLE)
                    .bind(agency)
                    .bind(role.as_str())
                    .bind(after_due)
                    .bind(after_id)
                    .bind(limit + 1)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(record).collect::<Result<Vec<_>, _>>()?
            });
            return Ok(page_of(items, limit));
        }
        let items: Vec<DossierRecord> = on_read!(self.db, pool => {
            let mut query = sqlx::query(sql);
            match (key, sql == LIST_ANY) {
                (Some(k), _) => {
                    query = query.bind(k);
                    if status.is_some() {
                        query = query.bind(status);
                    }
                }
                (None, _) => {
                    query = query.bind(filter.agency_id).bind(filter.assignee_id).bind(status);
                }
            }
            let rows = query
                .bind(after_due)
                .bind(after_id)
                .bind(limit + 1)
                .fetch_all(pool)
                .await?;
            rows.iter().map(record).collect::<Result<Vec<_>, _>>()?
        });
        Ok(page_of(items, limit))
    }

    /// A page of `sql`, its `$1` and `$2` bound to `keys`, then the cursor and the limit.
    async fn page_by(
        self,
        sql: &'static str,
        keys: [i64; 2],
        (after_due, after_id): (i64, i64),
        limit: i64,
    ) -> Result<DossierPage, DbError> {
        let items: Vec<DossierRecord> = on_read!(self.db, pool => {
            let rows = sqlx::query(sql)
                .bind(keys[0])
                .bind(keys[1])
                .bind(after_due)
                .bind(after_id)
                .bind(limit + 1)
                .fetch_all(pool)
                .await?;
            rows.iter().map(record).collect::<Result<Vec<_>, _>>()?
        });
        Ok(page_of(items, limit))
    }

    /// The dossier's history, oldest first, with the actors' names.
    pub async fn history(self, dossier_id: i64) -> Result<Vec<HistoryRow>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT h.id, h.action, h.actor_staff_id, s.full_name, h.actor_kind, h.from_status, h.to_status,
                        h.from_step, h.to_step, h.agency_id, h.note, h.step_due_at, h.step_outcome, h.at
                 FROM dossier_history h LEFT JOIN staff s ON s.id = h.actor_staff_id
                 WHERE h.dossier_id = $1 ORDER BY h.id",
            )
            .bind(dossier_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(HistoryRow {
                        id: row.int("id")?,
                        action: row.text("action")?,
                        actor_staff_id: row.opt_int("actor_staff_id")?,
                        actor_name: row.opt_text("full_name")?,
                        actor_kind: row.text("actor_kind")?,
                        from_status: row.opt_int("from_status")?.map(status_of).transpose()?,
                        to_status: status_of(row.int("to_status")?)?,
                        from_step: row.opt_int("from_step")?,
                        to_step: row.int("to_step")?,
                        agency_id: row.int("agency_id")?,
                        note: row.opt_text("note")?,
                        step_due_at: opt_instant(row.opt_int("step_due_at")?)?,
                        step_outcome: row.opt_text("step_outcome")?.map(|o| enum_of(&o)).transpose()?,
                        at: instant(row.int("at")?)?,
                    })
                })
                .collect()
        })
    }

    /// The dossiers received at `agency_id` in `[from, to)` (Unix seconds), in order of
    /// receipt, at most `limit` — the log book of a period.
    pub async fn received_between(
        self,
        agency_id: i64,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<DossierRecord>, DbError> {
        self.in_period(
            RECEIVED_BETWEEN,
            agency_id,
            from,
            to,
            limit.clamp(1, 20_000),
        )
        .await
    }

    /// The entry of a dossier in its receiving agency's log book, whose volumes are years:
    /// its place, in order of receipt (ties by id), among the dossiers `agency_id` received
    /// from `year_start` (Unix seconds) on.
    pub async fn book_entry(
        self,
        agency_id: i64,
        year_start: i64,
        received_at: i64,
        id: i64,
    ) -> Result<i64, DbError> {
        const PLACE: &str = "SELECT COUNT(*) FROM dossiers WHERE receiving_agency_id = $1
            AND received_at >= $2 AND (received_at < $3 OR (received_at = $3 AND id <= $4))";
        on_read!(self.db, pool => {
            Ok(sqlx::query_scalar::<_, i64>(PLACE)
                .bind(agency_id)
                .bind(year_start)
                .bind(received_at)
                .bind(id)
                .fetch_one(pool)
                .await?)
        })
    }

    /// The dossiers `staff_id` acted on that were resolved (result ready or returned) in
    /// `[from, to)` (Unix seconds), at most `limit`: the officer's evaluation.
    pub async fn officer_dossiers(
        self,
        staff_id: i64,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<DossierRecord>, DbError> {
        self.in_period(RESOLVED_BY, staff_id, from, to, limit.clamp(1, 100_000))
            .await
    }

    /// Runs one of the period queries: `$1` a key, `$2`–`$3` the period, `$4` the limit.
    async fn in_period(
        self,
        sql: &'static str,
        key: i64,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<DossierRecord>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(sql)
                .bind(key)
                .bind(from)
                .bind(to)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter().map(record).collect()
        })
    }

    /// The dossiers a citizen's account filed, newest first (at most `limit`).
    pub async fn citizen_dossiers(
        self,
        citizen_id: i64,
        limit: i64,
    ) -> Result<Vec<DossierRecord>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(concat!(select_dossier!(), " WHERE citizen_id = $1 ORDER BY id DESC LIMIT $2"))
                .bind(citizen_id)
                .bind(limit.clamp(1, 500))
                .fetch_all(pool)
                .await?;
            rows.iter().map(record).collect()
        })
    }

    /// How many dossiers there are (all, or of one status).
    pub async fn count_dossiers(self, status: Option<Status>) -> Result<i64, DbError> {
        let status = status.map(|s| i64::from(s.code()));
        on_read!(self.db, pool => {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM dossiers WHERE ($1 IS NULL OR status = $1)")
                .bind(status)
                .fetch_one(pool)
                .await?)
        })
    }
}

pub(crate) use enum_text as stored_enum;

#[cfg(test)]
mod tests {
    use super::*;

    /// The queue queries name the statuses of the partial indexes exactly (else neither
    /// engine would use them), and the two lists split the statuses by `is_final`.
    #[test]
    fn queue_status_lists_follow_the_indexes_and_the_statuses() {
        let codes = |final_: bool| {
            let list: Vec<String> = (1..=10)
                .filter_map(Status::from_code)
                .filter(|s| s.is_final() == final_)
                .map(|s| s.code().to_string())
                .collect();
            format!("status IN ({})", list.join(", "))
        };
        assert_eq!(not_ended!(), codes(false));
        assert_eq!(ended!(), codes(true));
        for migration in [
            include_str!("../../migrations/sqlite/0011_agency_queues.sql"),
            include_str!("../../migrations/postgres/0011_agency_queues.sql"),
        ] {
            assert!(migration.contains(&format!("WHERE {}", not_ended!())));
            assert!(migration.contains(&format!("WHERE {}", ended!())));
        }
        for sql in [LIST_AGENCY_OPEN_STATUS, LIST_AGENCY_ROLE, LIST_AGENCY] {
            assert!(sql.contains(not_ended!()));
        }
        for sql in [LIST_AGENCY_ENDED_STATUS, LIST_AGENCY] {
            assert!(sql.contains(ended!()));
        }
        let receiving = format!(
            "status IN ({})",
            RECEIVING_STATUSES
                .iter()
                .map(|s| s.code().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert!(LIST_RECEIVING_STATUS.contains(&receiving));
        for migration in [
            include_str!("../../migrations/sqlite/0015_receiving_queues.sql"),
            include_str!("../../migrations/postgres/0015_receiving_queues.sql"),
        ] {
            assert!(migration.contains(&format!("WHERE {receiving}")));
        }
    }
}
