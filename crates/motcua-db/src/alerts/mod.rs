//! Cảnh báo — the alerts raised to officers before a dossier is late. Which alerts a
//! dossier owes is the domain's decision ([`alerts_due`]). Here they go to people: the
//! officer who holds the dossier (its assignee, or else those with the step's role at the
//! agency holding it) and the heads of that unit; a late step goes to its leaders again; a
//! proposed apology goes to the receiving counter's officers. Each officer's alerts have
//! read marks. A sweep skips the alerts a dossier already raised and writes the new ones of
//! one pass in one transaction; the unique key also keeps two nodes sweeping at once from
//! raising one twice. An officer who chose e-mail or Zalo also gets each new alert through
//! the outbox, written in the same transaction as the alert.

pub(crate) mod digests;

use std::collections::HashMap;

use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::dossier::{AlertKind, NotifyChannel, STAFF_CHANNELS, alerts_due};
use serde::Serialize;

use crate::engine::Tx;
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

/// Dossiers that may owe an alert not raised yet (`alert_keys` holds those raised, by the
/// instant each names): an appointment from `$3` (now) to `$2` (beyond which no deadline
/// is within the threshold), a step deadline from `$1` (a month ago: a step that turned late
/// since then and was not told, after a restart or a first start, is still told) to `$2`,
/// and an apology proposed since `$1`.
const CANDIDATES: &str = "SELECT id FROM dossiers d
        WHERE status IN (1, 2, 4) AND sort_due >= $3 AND sort_due < $2
          AND NOT EXISTS (SELECT 1 FROM alert_keys k WHERE k.dossier_id = d.id
              AND k.kind = 'due_soon' AND k.about = d.sort_due)
    UNION SELECT id FROM dossiers d
        WHERE status IN (1, 2, 4) AND step_due_at >= $1 AND step_due_at < $2
          AND NOT EXISTS (SELECT 1 FROM alert_keys k WHERE k.dossier_id = d.id
              AND k.kind = CASE WHEN d.step_due_at < $3 THEN 'step_late' ELSE 'step_due_soon' END
              AND k.about = d.step_due_at)
    UNION SELECT h.dossier_id FROM dossier_history h
        WHERE h.action = 'propose_apology' AND h.at >= $1
          AND NOT EXISTS (SELECT 1 FROM alert_keys k WHERE k.dossier_id = h.dossier_id
              AND k.kind = 'apology_proposed' AND k.about = h.at)
    ORDER BY 1";
/// Takes an alert's key: nothing when it was taken already (by an earlier sweep or another
/// node), and then its alerts are not raised again.
const TAKE_KEY: &str = "INSERT INTO alert_keys (dossier_id, alert_key, kind, about, raised_at)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const HOLDERS: &str =
    "SELECT DISTINCT r.staff_id FROM staff_roles r JOIN staff s ON s.id = r.staff_id
    WHERE r.agency_id = $1 AND r.role = $2 AND s.active = 1";
const RAISE: &str =
    "INSERT INTO alerts (staff_id, dossier_id, kind, alert_key, deadline, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
const REACH: &str = "SELECT full_name, phone, email, alert_channels FROM staff WHERE id = $1";
const LIST: &str = "SELECT a.id, a.dossier_id, d.code, a.kind, a.deadline, a.created_at, a.read_at
    FROM alerts a JOIN dossiers d ON d.id = a.dossier_id
    WHERE a.staff_id = $1 ORDER BY a.read_at IS NOT NULL, a.id DESC LIMIT $2";

/// How to reach an officer beyond the bell: the channels chosen, with their addresses.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reach {
    pub name: String,
    pub to: Vec<(NotifyChannel, String)>,
}

/// The stored choice ("email,zalo") as channels an officer may choose.
fn channels_of(text: &str) -> Vec<NotifyChannel> {
    text.split(',')
        .filter_map(|c| NotifyChannel::parse(c.trim()))
        .filter(|c| STAFF_CHANNELS.contains(c))
        .collect()
}

/// One message per chosen channel, to `reach`, of `event` with `payload`, in `tx`.
pub(crate) async fn enqueue_for(
    tx: &mut Tx<'_>,
    reach: &Reach,
    event: &str,
    payload: &str,
    at: i64,
) -> Result<(), DbError> {
    for (channel, recipient) in &reach.to {
        tx.execute(
            crate::outbox::INSERT,
            args![None::<i64>, event, channel.as_str(), recipient, payload, at],
        )
        .await?;
    }
    Ok(())
}

/// An alert a dossier owes, not raised yet, with those to tell and what each is sent.
struct Owed {
    dossier_id: i64,
    kind: AlertKind,
    key: String,
    about: i64,
    deadline: i64,
    recipients: Vec<(i64, Reach, String)>,
}

/// Procedure names by version, read once per sweep.
#[derive(Default)]
pub(crate) struct ProcedureNames(HashMap<i64, String>);

impl ProcedureNames {
    pub(crate) async fn name(&mut self, db: &Db, version_id: i64) -> Result<String, DbError> {
        if let Some(name) = self.0.get(&version_id) {
            return Ok(name.clone());
        }
        let name = db
            .catalogue()
            .procedure_version(version_id)
            .await?
            .map(|p| p.procedure.name.clone())
            .unwrap_or_default();
        self.0.insert(version_id, name.clone());
        Ok(name)
    }
}

fn kind_of(text: &str) -> Result<AlertKind, DbError> {
    AlertKind::ALL
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| DbError::Corrupt(format!("loại cảnh báo “{text}”")))
}

/// Cảnh báo — officers' alerts and leaders' morning lists.
#[derive(Debug, Clone, Copy)]
pub struct Alerts<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Cảnh báo: see [`Alerts`].
    pub fn alerts(&self) -> Alerts<'_> {
        Alerts { db: self }
    }
}

impl Alerts<'_> {
    /// Whether the alert `key` of a dossier was raised already (to anyone).
    async fn raised_before(self, dossier_id: i64, key: &str) -> Result<bool, DbError> {
        on_read!(self.db, pool => {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT dossier_id FROM alert_keys WHERE dossier_id = $1 AND alert_key = $2",
            )
            .bind(dossier_id)
            .bind(key)
            .fetch_optional(pool)
            .await?;
            Ok::<_, DbError>(found.is_some())
        })
    }

    async fn holders(self, agency_id: i64, role: Role) -> Result<Vec<i64>, DbError> {
        on_read!(self.db, pool => {
            Ok::<_, DbError>(sqlx::query_scalar(HOLDERS)
                .bind(agency_id)
                .bind(role.as_str())
                .fetch_all(pool)
                .await?)
        })
    }

    /// How to reach an officer beyond the bell (nothing for an unknown one).
    pub(crate) async fn reach(self, staff_id: i64) -> Result<Reach, DbError> {
        on_read!(self.db, pool => {
            let Some(row) = sqlx::query(REACH).bind(staff_id).fetch_optional(pool).await? else {
                return Ok(Reach::default());
            };
            let (phone, email) = (row.opt_text("phone")?, row.opt_text("email")?);
            let to = channels_of(&row.text("alert_channels")?)
                .into_iter()
                .filter_map(|c| {
                    c.address(phone.as_deref(), email.as_deref())
                        .map(|a| (c, a.to_string()))
                })
                .collect();
            Ok(Reach {
                name: row.text("full_name")?,
                to,
            })
        })
    }

    /// The channels an officer chose for alerts and the morning list.
    pub async fn alert_channels(self, staff_id: i64) -> Result<Vec<NotifyChannel>, DbError> {
        let text: Option<String> = on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT alert_channels FROM staff WHERE id = $1")
                .bind(staff_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(text.as_deref().map(channels_of).unwrap_or_default())
    }

    /// Sets the officer's own phone and e-mail (empty: none) and the channels chosen for
    /// alerts and the morning list, in one transaction with its audit entry. A bad address,
    /// or a channel chosen without its address, is refused by name; only the channels an
    /// officer may choose are kept.
    pub async fn set_alert_delivery(
        self,
        staff_id: i64,
        phone: &str,
        email: &str,
        channels: &[NotifyChannel],
    ) -> Result<(), DbError> {
        let phone = match phone.trim() {
            "" => None,
            p => Some(
                motcua_domain::dossier::normalize_phone(p)
                    .map_err(|e| DbError::invalid("phone", e))?,
            ),
        };
        let email = match email.trim() {
            "" => None,
            e => {
                motcua_domain::dossier::check_email(e).map_err(|m| DbError::invalid("email", m))?;
                Some(e.to_string())
            }
        };
        let chosen: Vec<NotifyChannel> = STAFF_CHANNELS
            .into_iter()
            .filter(|c| channels.contains(c))
            .collect();
        for c in &chosen {
            if c.address(phone.as_deref(), email.as_deref()).is_none() {
                let (field, what) = match c {
                    NotifyChannel::Email => ("email", "địa chỉ e-mail"),
                    _ => ("phone", "số điện thoại"),
                };
                return Err(DbError::invalid(
                    field,
                    format!(
                        "muốn nhận cảnh báo qua {} thì cần có {what}",
                        if *c == NotifyChannel::Email {
                            "e-mail"
                        } else {
                            "Zalo"
                        }
                    ),
                ));
            }
        }
        let text = chosen
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let now = crate::now_seconds();
        grouped_write!(self.db, conn => {
            let changed = conn
                .execute(
                    "UPDATE staff SET phone = $2, email = $3, alert_channels = $4 WHERE id = $1",
                    args![staff_id, phone.as_deref(), email.as_deref(), text.as_str()],
                )
                .await?;
            if changed != 1 {
                return Err(DbError::NotFound("cán bộ"));
            }
            crate::audit::append(
                conn,
                crate::audit::AuditInput {
                    at: now,
                    actor: format!("staff:{staff_id}"),
                    action: "alert_delivery".into(),
                    entity: "staff",
                    entity_id: staff_id.to_string(),
                    detail: serde_json::json!({ "channels": text }),
                },
            )
            .await?;
            Ok::<_, DbError>(())
        })
    }

    /// Raises the alerts the open dossiers owe at `now` with `threshold` working seconds of
    /// warning; how many new ones.
    pub async fn raise_alerts(
        self,
        now: Instant,
        calendar: &WorkCalendar,
        threshold: i64,
    ) -> Result<u64, DbError> {
        // No deadline after the instant one working second past the threshold is within
        // it (the calendar's working time only grows with calendar time).
        let bound = calendar.add_working_seconds(now, threshold.max(0) + 1)?;
        let since = (now - chrono::Duration::days(31)).timestamp();
        let ids: Vec<i64> = on_read!(self.db, pool => {
            sqlx::query_scalar(CANDIDATES)
                .bind(since)
                .bind(bound.timestamp() + 1)
                .bind(now.timestamp())
                .fetch_all(pool)
                .await?
        });
        let mut holders: HashMap<(i64, Role), Vec<i64>> = HashMap::new();
        let mut reach: HashMap<i64, Reach> = HashMap::new();
        let mut procedure_names = ProcedureNames::default();
        let mut owed: Vec<Owed> = Vec::new();
        for id in ids {
            let Some(d) = self.db.dossiers().dossier(id).await? else {
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
                let mut payload = serde_json::json!({
                    "event": "alert",
                    "code": d.code,
                    "alert": alert.kind.label_vi(),
                    "procedure": procedure_names.name(self.db, d.procedure_version_id).await?,
                    "due": alert.deadline.to_rfc3339(),
                });
                let mut recipients = Vec::with_capacity(to.len());
                for staff in to {
                    let r = match reach.get(&staff) {
                        Some(r) => r.clone(),
                        None => {
                            let r = self.reach(staff).await?;
                            reach.insert(staff, r.clone());
                            r
                        }
                    };
                    let text = if r.to.is_empty() {
                        String::new()
                    } else {
                        if let Some(fields) = payload.as_object_mut() {
                            fields.insert("officer".into(), r.name.as_str().into());
                        }
                        payload.to_string()
                    };
                    recipients.push((staff, r, text));
                }
                owed.push(Owed {
                    dossier_id: d.id,
                    kind: alert.kind,
                    key: alert.key,
                    about: alert.about.timestamp(),
                    deadline: alert.deadline.timestamp(),
                    recipients,
                });
            }
        }
        if owed.is_empty() {
            return Ok(0);
        }
        // The new keys of one sweep, their alerts and messages, in one transaction.
        let at = now.timestamp();
        grouped_write!(self.db, conn => {
            let mut raised = 0u64;
            for o in &owed {
                let taken = conn
                    .execute(
                        TAKE_KEY,
                        args![o.dossier_id, o.key.as_str(), o.kind.as_str(), o.about, at],
                    )
                    .await?;
                if taken == 0 {
                    continue;
                }
                for (staff_id, r, payload) in &o.recipients {
                    raised += conn
                        .execute(
                            RAISE,
                            args![*staff_id, o.dossier_id, o.kind.as_str(), o.key.as_str(), o.deadline, at],
                        )
                        .await?;
                    enqueue_for(conn, r, "alert", payload, at).await?;
                }
            }
            Ok::<_, DbError>(raised)
        })
    }

    /// An officer's alerts, unread first, newest first.
    pub async fn alerts_of(self, staff_id: i64, limit: i64) -> Result<Vec<Alert>, DbError> {
        on_read!(self.db, pool => {
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
                        deadline: crate::rows::instant(r.int("deadline")?)?,
                        created_at: crate::rows::instant(r.int("created_at")?)?,
                        read: r.opt_int("read_at")?.is_some(),
                    })
                })
                .collect()
        })
    }

    /// How many unread alerts an officer has (a morning list counts as one).
    pub async fn unread_alerts(self, staff_id: i64) -> Result<i64, DbError> {
        on_read!(self.db, pool => {
            Ok::<_, DbError>(sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM alerts WHERE staff_id = $1 AND read_at IS NULL)
                      + (SELECT COUNT(*) FROM digests WHERE staff_id = $1 AND read_at IS NULL)",
            )
            .bind(staff_id)
            .fetch_one(pool)
            .await?)
        })
    }

    /// Marks all of an officer's alerts and morning lists read.
    pub async fn read_alerts(self, staff_id: i64, now: Instant) -> Result<u64, DbError> {
        let at = now.timestamp();
        grouped_write!(self.db, conn => {
            let mut read = 0;
            for sql in [
                "UPDATE alerts SET read_at = $2 WHERE staff_id = $1 AND read_at IS NULL",
                "UPDATE digests SET read_at = $2 WHERE staff_id = $1 AND read_at IS NULL",
            ] {
                read += conn.execute(sql, args![staff_id, at]).await?;
            }
            Ok::<_, DbError>(read)
        })
    }
}
