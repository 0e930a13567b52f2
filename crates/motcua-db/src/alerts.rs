//! Cảnh báo — the alerts raised to officers before a dossier is late. Which alerts a
//! dossier owes is the domain's decision ([`alerts_due`]). Here they go to people: the
//! officer who holds the dossier (its assignee, or else those with the step's role at the
//! agency holding it) and the heads of that unit; a late step goes to its leaders again; a
//! proposed apology goes to the receiving counter's officers.
//! Each officer's alerts have read marks. Raising is idempotent by the alert's key (a
//! unique index), so a sweep run again, after a restart or on several nodes, raises nothing
//! twice.

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
        let mut raised = 0u64;
        for id in ids {
            let Some(d) = self.dossier(id).await? else {
                continue;
            };
            let owed = alerts_due(&d.state, now, calendar, threshold)?;
            if owed.is_empty() {
                continue;
            }
            let agency = d.state.current_agency;
            let role = d.state.current_step().map(|s| s.role);
            let mut holders = match (d.state.assignee, role) {
                (Some(a), _) => vec![a],
                (None, Some(r)) => self.holders(agency, r).await?,
                (None, None) => Vec::new(),
            };
            let leaders = self.holders(agency, Role::UnitLeader).await?;
            for alert in owed {
                let mut to = match alert.kind {
                    AlertKind::StepLate => leaders.clone(),
                    AlertKind::ApologyProposed => {
                        self.holders(d.state.receiving_agency(), Role::CounterOfficer)
                            .await?
                    }
                    _ => {
                        let mut all = holders.clone();
                        all.extend(&leaders);
                        all
                    }
                };
                to.sort_unstable();
                to.dedup();
                for staff_id in to {
                    let at = now.timestamp();
                    let kind = alert.kind.as_str();
                    let deadline = alert.deadline.timestamp();
                    let written = on_write!(self, pool => {
                        sqlx::query(RAISE)
                            .bind(staff_id)
                            .bind(d.id)
                            .bind(kind)
                            .bind(alert.key.as_str())
                            .bind(deadline)
                            .bind(at)
                            .execute(pool)
                            .await?
                            .rows_affected()
                    });
                    raised += written;
                }
            }
            holders.clear();
        }
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
