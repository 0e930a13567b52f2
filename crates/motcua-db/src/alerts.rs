//! Cảnh báo — the alerts raised to officers before a dossier is late. Which alerts a
//! dossier owes is the domain's decision ([`alerts_due`]). Here they go to people: the
//! officer who holds the dossier (its assignee, or else those with the step's role at the
//! agency holding it) and the heads of that unit; a late step goes to its leaders again; a
//! proposed apology goes to the receiving counter's officers. Each officer's alerts have
//! read marks. A sweep skips the alerts a dossier already raised and writes the new ones of
//! one pass in one transaction; the unique key also keeps two nodes sweeping at once from
//! raising one twice.

use std::collections::HashMap;

use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::dossier::{AlertKind, alerts_due};
use serde::Serialize;

use crate::rows::RowExt;
use crate::{Db, DbError};

/// One officer's alert, as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub dossier_id: i64,
    pub code: String,
    pub kind: AlertKind,
    pub deadline: Instant,
    pub created_at: Instant,
    pub read: bool,
}

/// Open dossiers whose appointment or step deadline falls before `$1` (a bound wide enough
/// for the threshold across the longest holidays).
const CANDIDATES: &str = "SELECT id FROM dossiers
    WHERE status IN (2, 4) AND (sort_due < $1 OR step_due_at < $1) ORDER BY id";
const HOLDERS: &str =
    "SELECT DISTINCT r.staff_id FROM staff_roles r JOIN staff s ON s.id = r.staff_id
    WHERE r.agency_id = $1 AND r.role = $2 AND s.active = 1";
const RAISE: &str =
    "INSERT INTO alerts (staff_id, dossier_id, kind, alert_key, deadline, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
const LIST: &str = "SELECT a.id, a.dossier_id, d.code, a.kind, a.deadline, a.created_at, a.read_at
    FROM alerts a JOIN dossiers d ON d.id = a.dossier_id
    WHERE a.staff_id = $1 ORDER BY a.read_at IS NOT NULL, a.id DESC LIMIT $2";

fn kind_of(text: &str) -> Result<AlertKind, DbError> {
    AlertKind::ALL
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| DbError::Corrupt(format!("loại cảnh báo “{text}”")))
}

impl Db {
    /// Whether the alert `key` of a dossier was raised already (to anyone).
    async fn raised_before(&self, dossier_id: i64, key: &str) -> Result<bool, DbError> {
        on_read!(self, pool => {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM alerts WHERE dossier_id = $1 AND alert_key = $2 LIMIT 1",
            )
            .bind(dossier_id)
            .bind(key)
            .fetch_optional(pool)
            .await?;
            Ok::<_, DbError>(found.is_some())
        })
    }

    async fn holders(&self, agency_id: i64, role: Role) -> Result<Vec<i64>, DbError> {
        on_read!(self, pool => {
            Ok::<_, DbError>(sqlx::query_scalar(HOLDERS)
                .bind(agency_id)
                .bind(role.as_str())
                .fetch_all(pool)
                .await?)
        })
    }

    /// Raises the alerts the open dossiers owe at `now` with `threshold` working seconds of
    /// warning; how many new ones.
    pub async fn raise_alerts(
        &self,
        now: Instant,
        calendar: &WorkCalendar,
        threshold: i64,
    ) -> Result<u64, DbError> {
        // Three weeks of calendar time covers a working day's threshold across Tết.
        let bound = (now + chrono::Duration::days(21)).timestamp();
        let ids: Vec<i64> = on_read!(self, pool => {
            sqlx::query_scalar(CANDIDATES).bind(bound).fetch_all(pool).await?
        });
        let mut holders: HashMap<(i64, Role), Vec<i64>> = HashMap::new();
        let mut rows: Vec<(i64, i64, AlertKind, String, i64)> = Vec::new();
        for id in ids {
            let Some(d) = self.dossier(id).await? else {
                continue;
            };
            for alert in alerts_due(&d.state, now, calendar, threshold)? {
                if self.raised_before(d.id, &alert.key).await? {
                    continue;
                }
                let agency = d.state.current_agency;
                let mut wanted: Vec<(i64, Role)> = match alert.kind {
                    AlertKind::StepLate => vec![(agency, Role::UnitLeader)],
                    AlertKind::ApologyProposed => {
                        vec![(d.state.receiving_agency(), Role::CounterOfficer)]
                    }
                    AlertKind::DueSoon | AlertKind::StepDueSoon => {
                        vec![(agency, Role::UnitLeader)]
                    }
                };
                let mut to: Vec<i64> = Vec::new();
                if matches!(alert.kind, AlertKind::DueSoon | AlertKind::StepDueSoon) {
                    match (d.state.assignee, d.state.current_step()) {
                        (Some(a), _) => to.push(a),
                        (None, Some(step)) => wanted.push((agency, step.role)),
                        (None, None) => {}
                    }
                }
                for key in wanted {
                    let found = match holders.get(&key) {
                        Some(found) => found.clone(),
                        None => self.holders(key.0, key.1).await?,
                    };
                    to.extend(&found);
                    holders.insert(key, found);
                }
                to.sort_unstable();
                to.dedup();
                let deadline = alert.deadline.timestamp();
                rows.extend(
                    to.into_iter()
                        .map(|staff| (staff, d.id, alert.kind, alert.key.clone(), deadline)),
                );
            }
        }
        if rows.is_empty() {
            return Ok(0);
        }
        // The new alerts of one sweep in one transaction.
        let at = now.timestamp();
        let raised = on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut raised = 0u64;
            for (staff_id, dossier_id, kind, key, deadline) in &rows {
                raised += sqlx::query(RAISE)
                    .bind(*staff_id)
                    .bind(*dossier_id)
                    .bind(kind.as_str())
                    .bind(key.as_str())
                    .bind(*deadline)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            raised
        });
        Ok(raised)
    }

    /// An officer's alerts, unread first, newest first.
    pub async fn alerts_of(&self, staff_id: i64, limit: i64) -> Result<Vec<Alert>, DbError> {
        on_read!(self, pool => {
            let rows = sqlx::query(LIST)
                .bind(staff_id)
                .bind(limit.clamp(1, 500))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(Alert {
                        id: r.int("id")?,
                        dossier_id: r.int("dossier_id")?,
                        code: r.text("code")?,
                        kind: kind_of(&r.text("kind")?)?,
                        deadline: crate::dossiers::instant(r.int("deadline")?)?,
                        created_at: crate::dossiers::instant(r.int("created_at")?)?,
                        read: r.opt_int("read_at")?.is_some(),
                    })
                })
                .collect()
        })
    }

    /// How many unread alerts an officer has.
    pub async fn unread_alerts(&self, staff_id: i64) -> Result<i64, DbError> {
        on_read!(self, pool => {
            Ok::<_, DbError>(sqlx::query_scalar(
                "SELECT COUNT(*) FROM alerts WHERE staff_id = $1 AND read_at IS NULL",
            )
            .bind(staff_id)
            .fetch_one(pool)
            .await?)
        })
    }

    /// Marks all of an officer's alerts read.
    pub async fn read_alerts(&self, staff_id: i64, now: Instant) -> Result<u64, DbError> {
        on_write!(self, pool => {
            Ok::<_, DbError>(sqlx::query(
                "UPDATE alerts SET read_at = $2 WHERE staff_id = $1 AND read_at IS NULL",
            )
            .bind(staff_id)
            .bind(now.timestamp())
            .execute(pool)
            .await?
            .rows_affected())
        })
    }
}
