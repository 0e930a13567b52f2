//! Nạp hàng loạt — loading many dossiers prepared by the domain functions (intake checks,
//! initial state, transitions applied in memory), in large transactions. Used to build the
//! benchmark's synthetic province; it writes dossiers, their history, search terms, the
//! statistics counters and the code counters, not audit entries or messages.

pub(crate) mod demo_load;

use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{CheckedIntake, DossierState, Status};

use crate::dossiers::{NO_DUE, stored_enum};
use crate::{Db, DbError};

/// One history line prepared in memory.
#[derive(Debug, Clone)]
pub struct BulkHistory {
    pub action: &'static str,
    pub actor_staff_id: Option<i64>,
    pub from_status: Option<Status>,
    pub to_status: Status,
    pub from_step: i64,
    pub to_step: i64,
    pub agency_id: i64,
    pub at: Instant,
}

/// A dossier prepared in memory, with its final state and its history.
#[derive(Debug, Clone)]
pub struct BulkDossier {
    pub code: String,
    pub lookup_secret: String,
    pub procedure_version_id: i64,
    pub receiving_agency_id: i64,
    pub checked: CheckedIntake,
    pub state: DossierState,
    pub history: Vec<BulkHistory>,
}

const BULK_DOSSIERS: &str = "INSERT INTO dossiers (id, code, lookup_secret, procedure_version_id,
    procedure_code, case_code, receiving_agency_id, current_agency_id, channel, status, step,
    assignee_id, applicant_name, applicant, components, return_method, fee_vnd, summary,
    received_at, due_at, sort_due, step_due_at, finished_at, outcome, apologised, state, version,
    updated_at, step_role) ";
const BULK_HISTORY: &str = "INSERT INTO dossier_history (dossier_id, action, actor_staff_id,
    actor_kind, from_status, to_status, from_step, to_step, agency_id, at) ";

const COUNTER: &str = "INSERT INTO code_counters (agency_id, day, last) VALUES ($1, $2, $3)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = CASE WHEN code_counters.last > excluded.last
    THEN code_counters.last ELSE excluded.last END";

fn seconds(i: Option<Instant>) -> Option<i64> {
    i.map(|t| t.timestamp())
}

/// Nạp hàng loạt — bulk loads (the demo, the benchmark) and their markers.
#[derive(Debug, Clone, Copy)]
pub struct Bulk<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Nạp hàng loạt: see [`Bulk`].
    pub fn bulk(&self) -> Bulk<'_> {
        Bulk { db: self }
    }
}

impl Bulk<'_> {
    /// Inserts `batch` in one transaction, with multi-row statements. Only for loading an
    /// otherwise idle database: dossier ids are assigned here, after the largest one stored.
    pub async fn bulk_insert(self, batch: &[BulkDossier]) -> Result<(), DbError> {
        struct Row {
            applicant: String,
            components: String,
            state: String,
            channel: String,
            return_method: String,
            outcome: Option<String>,
        }
        let mut rows = Vec::with_capacity(batch.len());
        for d in batch {
            let intake = &d.checked.intake;
            rows.push(Row {
                applicant: serde_json::to_string(&intake.applicant)?,
                components: serde_json::to_string(&intake.components)?,
                state: serde_json::to_string(&d.state)?,
                channel: stored_enum(&intake.channel)?,
                return_method: stored_enum(&intake.return_method)?,
                outcome: d.state.outcome.as_ref().map(stored_enum).transpose()?,
            });
        }
        let mut tally = crate::counters::Tally::default();
        let mut fields = std::collections::HashMap::new();
        for d in batch {
            if let std::collections::hash_map::Entry::Vacant(slot) =
                fields.entry(d.procedure_version_id)
            {
                let field = self
                    .db
                    .catalogue()
                    .procedure_version(d.procedure_version_id)
                    .await?
                    .map(|p| p.procedure.field.code.clone())
                    .unwrap_or_default();
                slot.insert(field);
            }
            let intake = &d.checked.intake;
            tally.add(
                &d.state,
                crate::counters::Counted {
                    procedure_code: &intake.procedure_code,
                    channel: intake.channel,
                    components: &intake.components,
                    return_method: intake.return_method,
                    synced: false,
                    fee_vnd: d.checked.fee_vnd,
                    paid_online: false,
                    reused: false,
                },
                fields
                    .get(&d.procedure_version_id)
                    .map_or("", String::as_str),
            );
        }
        let stat_rows = tally.rows();
        let postgres = self.db.kind() == crate::EngineKind::Postgres;
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM dossiers")
                .fetch_one(&mut *tx)
                .await?;
            let numbered: Vec<(i64, &BulkDossier, &Row)> = batch
                .iter()
                .zip(&rows)
                .enumerate()
                .map(|(i, (d, r))| (base + 1 + i as i64, d, r))
                .collect();
            for chunk in numbered.chunks(500) {
                let mut insert = sqlx::QueryBuilder::new(BULK_DOSSIERS);
                insert.push_values(chunk, |mut b, (id, d, r)| {
                    let intake = &d.checked.intake;
                    let s = &d.state;
                    b.push_bind(*id)
                        .push_bind(d.code.clone())
                        .push_bind(d.lookup_secret.clone())
                        .push_bind(d.procedure_version_id)
                        .push_bind(intake.procedure_code.clone())
                        .push_bind(intake.case_code.clone())
                        .push_bind(d.receiving_agency_id)
                        .push_bind(s.current_agency)
                        .push_bind(r.channel.clone())
                        .push_bind(i64::from(s.status.code()))
                        .push_bind(i64::try_from(s.step).unwrap_or_default())
                        .push_bind(s.assignee)
                        .push_bind(intake.applicant.name.clone())
                        .push_bind(r.applicant.clone())
                        .push_bind(r.components.clone())
                        .push_bind(r.return_method.clone())
                        .push_bind(d.checked.fee_vnd)
                        .push_bind(d.checked.summary.clone())
                        .push_bind(s.received_at.timestamp())
                        .push_bind(seconds(s.due))
                        .push_bind(seconds(s.due).unwrap_or(NO_DUE))
                        .push_bind(seconds(s.step_due))
                        .push_bind(seconds(s.finished_at))
                        .push_bind(r.outcome.clone())
                        .push_bind(i64::from(s.apologised()))
                        .push_bind(r.state.clone())
                        .push_bind(i64::try_from(d.history.len()).unwrap_or(1))
                        .push_bind(d.history.last().map_or(s.received_at, |h| h.at).timestamp())
                        .push_bind(s.waiting_role().map(|r| r.as_str()));
                });
                insert.build().execute(&mut *tx).await?;
            }
            let history: Vec<(i64, &BulkHistory)> = numbered
                .iter()
                .flat_map(|(id, d, _)| d.history.iter().map(move |h| (*id, h)))
                .collect();
            for chunk in history.chunks(2000) {
                let mut insert = sqlx::QueryBuilder::new(BULK_HISTORY);
                insert.push_values(chunk, |mut b, (id, h)| {
                    b.push_bind(*id)
                        .push_bind(h.action)
                        .push_bind(h.actor_staff_id)
                        .push_bind(if h.actor_staff_id.is_some() { "staff" } else { "citizen" })
                        .push_bind(h.from_status.map(|s| i64::from(s.code())))
                        .push_bind(i64::from(h.to_status.code()))
                        .push_bind(h.from_step)
                        .push_bind(h.to_step)
                        .push_bind(h.agency_id)
                        .push_bind(h.at.timestamp());
                });
                insert.build().execute(&mut *tx).await?;
            }
            let terms: Vec<(String, i64)> = numbered
                .iter()
                .flat_map(|(id, d, _)| {
                    motcua_domain::dossier::search_terms(&d.code, &d.checked.intake.applicant)
                        .into_iter()
                        .map(move |t| (t, *id))
                })
                .collect();
            for chunk in terms.chunks(4000) {
                let mut insert = sqlx::QueryBuilder::new("INSERT INTO dossier_terms (term, dossier_id) ");
                insert.push_values(chunk, |mut b, (term, id)| {
                    b.push_bind(term.clone()).push_bind(*id);
                });
                insert.push(" ON CONFLICT DO NOTHING");
                insert.build().execute(&mut *tx).await?;
            }
            crate::counters::upsert_now(&mut crate::engine::Tx::from(&mut *tx), &stat_rows).await?;
            if postgres {
                sqlx::query("SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT MAX(id) FROM dossiers))")
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Raises the code counters so that later intakes continue after bulk-loaded codes.
    /// `counters` holds (agency id, day as YYYYMMDD, last sequence used).
    pub async fn bulk_counters(self, counters: &[(i64, i64, i64)]) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            for (agency, day, last) in counters {
                sqlx::query(COUNTER).bind(agency).bind(day).bind(last).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
