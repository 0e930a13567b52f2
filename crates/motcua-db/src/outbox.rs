//! Hộp thư đi — the transactional outbox: messages to citizens are written in the same
//! transaction as the transition that causes them, and delivered later by the worker.

use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{Applicant, Event};
use serde::{Deserialize, Serialize};

use crate::rows::RowExt;
use crate::tx::Tx;
use crate::{Db, DbError};

/// A message waiting for (or past) delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub dossier_id: Option<i64>,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// A message to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewMessage {
    pub event: &'static str,
    pub channel: &'static str,
    pub recipient: String,
    pub payload: String,
}

/// One message per event and per channel the applicant chose (and only those).
pub(crate) fn messages_for(
    events: &[Event],
    applicant: &Applicant,
    code: &str,
    secret: &str,
    procedure_name: &str,
    due: Option<Instant>,
) -> Result<Vec<NewMessage>, DbError> {
    let mut out = Vec::new();
    for event in events {
        for channel in &applicant.notify {
            let Some(recipient) =
                channel.address(applicant.phone.as_deref(), applicant.email.as_deref())
            else {
                continue;
            };
            let payload = serde_json::json!({
                "code": code,
                "secret": secret,
                "event": event.as_str(),
                "applicant": applicant.name,
                "procedure": procedure_name,
                "due": due.map(|d| d.to_rfc3339()),
            });
            out.push(NewMessage {
                event: event.as_str(),
                channel: channel.as_str(),
                recipient: recipient.to_string(),
                payload: payload.to_string(),
            });
        }
    }
    Ok(out)
}

pub(crate) const INSERT: &str = "INSERT INTO outbox (dossier_id, event, channel, recipient, payload,
    status, attempts, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)";

/// Enqueues `message` for `dossier_id` inside the open transaction.
pub(crate) async fn insert(
    tx: &mut Tx<'_>,
    dossier_id: i64,
    message: NewMessage,
    at: i64,
) -> Result<(), DbError> {
    tx.execute(
        INSERT,
        args![
            dossier_id,
            message.event,
            message.channel,
            &message.recipient,
            &message.payload,
            at
        ],
    )
    .await?;
    Ok(())
}

impl Db {
    /// Marks every pending message as skipped, with the reason: for generated data (the
    /// demo) whose recipients must never be contacted.
    pub async fn skip_pending_messages(&self, reason: &str) -> Result<u64, DbError> {
        on_write!(self, pool => {
            let done = sqlx::query("UPDATE outbox SET status = 'skipped', last_error = $1 WHERE status = 'pending'")
                .bind(reason)
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    /// The messages of one dossier, oldest first: its delivery log.
    pub async fn outbox_of(&self, dossier_id: i64) -> Result<Vec<OutboxMessage>, DbError> {
        on_read!(self, pool => {
            let rows = sqlx::query(
                "SELECT id, dossier_id, event, channel, recipient, payload, status, attempts, last_error
                 FROM outbox WHERE dossier_id = $1 ORDER BY id",
            )
            .bind(dossier_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(OutboxMessage {
                        id: row.int("id")?,
                        dossier_id: row.opt_int("dossier_id")?,
                        event: row.text("event")?,
                        channel: row.text("channel")?,
                        recipient: row.text("recipient")?,
                        payload: row.text("payload")?,
                        status: row.text("status")?,
                        attempts: row.int("attempts")?,
                        last_error: row.opt_text("last_error")?,
                    })
                })
                .collect()
        })
    }
}
