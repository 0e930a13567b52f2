//! Nạp hàng loạt — loading many dossiers prepared by the domain functions (intake checks,
//! initial state, transitions applied in memory), in large transactions. Used to build the
//! benchmark's synthetic province; it writes dossiers, their history and the code counters,
//! not audit entries or messages.

use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{CheckedIntake, DossierState, Status};

use crate::dossiers::{INSERT_HISTORY, NO_DUE, stored_enum};
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

const INSERT: &str =
    "INSERT INTO dossiers (code, lookup_secret, procedure_version_id, procedure_code,
    case_code, receiving_agency_id, current_agency_id, channel, status, step, assignee_id,
    applicant_name, applicant, components, return_method, fee_vnd, summary, received_at, due_at,
    sort_due, step_due_at, finished_at, outcome, apologised, state, version, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
            $20, $21, $22, $23, $24, $25, $26, $27)
    RETURNING id";

const COUNTER: &str = "INSERT INTO code_counters (agency_id, day, last) VALUES ($1, $2, $3)
    ON CONFLICT (agency_id, day) DO UPDATE SET last = CASE WHEN code_counters.last > excluded.last
    THEN code_counters.last ELSE excluded.last END";

fn seconds(i: Option<Instant>) -> Option<i64> {
    i.map(|t| t.timestamp())
}

impl Db {
    /// Inserts `batch` in one transaction.
    pub async fn bulk_insert(&self, batch: &[BulkDossier]) -> Result<(), DbError> {
        let mut rows = Vec::with_capacity(batch.len());
        for d in batch {
            let intake = &d.checked.intake;
            rows.push((
                serde_json::to_string(&intake.applicant)?,
                serde_json::to_string(&intake.components)?,
                serde_json::to_string(&d.state)?,
                stored_enum(&intake.channel)?,
                stored_enum(&intake.return_method)?,
                d.state.outcome.as_ref().map(stored_enum).transpose()?,
            ));
        }
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            for (d, (applicant, components, state, channel, return_method, outcome)) in batch.iter().zip(&rows) {
                let intake = &d.checked.intake;
                let s = &d.state;
                let version = i64::try_from(d.history.len()).unwrap_or(1);
                let id: i64 = sqlx::query_scalar(INSERT)
                    .bind(&d.code)
                    .bind(&d.lookup_secret)
                    .bind(d.procedure_version_id)
                    .bind(&intake.procedure_code)
                    .bind(&intake.case_code)
                    .bind(d.receiving_agency_id)
                    .bind(s.current_agency)
                    .bind(channel)
                    .bind(i64::from(s.status.code()))
                    .bind(i64::try_from(s.step).unwrap_or_default())
                    .bind(s.assignee)
                    .bind(&intake.applicant.name)
                    .bind(applicant)
                    .bind(components)
                    .bind(return_method)
                    .bind(d.checked.fee_vnd)
                    .bind(&d.checked.summary)
                    .bind(s.received_at.timestamp())
                    .bind(seconds(s.due))
                    .bind(seconds(s.due).unwrap_or(NO_DUE))
                    .bind(seconds(s.step_due))
                    .bind(seconds(s.finished_at))
                    .bind(outcome)
                    .bind(i64::from(s.apologised()))
                    .bind(state)
                    .bind(version)
                    .bind(d.history.last().map_or(s.received_at, |h| h.at).timestamp())
                    .fetch_one(&mut *tx)
                    .await?;
                for h in &d.history {
                    sqlx::query(INSERT_HISTORY)
                        .bind(id)
                        .bind(h.action)
                        .bind(h.actor_staff_id)
                        .bind(if h.actor_staff_id.is_some() { "staff" } else { "citizen" })
                        .bind(h.from_status.map(|s| i64::from(s.code())))
                        .bind(i64::from(h.to_status.code()))
                        .bind(h.from_step)
                        .bind(h.to_step)
                        .bind(h.agency_id)
                        .bind(None::<String>)
                        .bind(None::<i64>)
                        .bind(None::<String>)
                        .bind(h.at.timestamp())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Raises the code counters so that later intakes continue after bulk-loaded codes.
    /// `counters` holds (agency id, day as YYYYMMDD, last sequence used).
    pub async fn bulk_counters(&self, counters: &[(i64, i64, i64)]) -> Result<(), DbError> {
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            for (agency, day, last) in counters {
                sqlx::query(COUNTER).bind(agency).bind(day).bind(last).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
