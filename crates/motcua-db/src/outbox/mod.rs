//! Hộp thư đi — the transactional outbox: messages to citizens are written in the same
//! transaction as the transition that causes them, and delivered later by the worker.

pub(crate) mod delivery;
pub(crate) mod templates;
pub(crate) mod webhooks;

use motcua_domain::dossier::{Applicant, DossierState, Event, ReturnMethod, notice};
use serde::{Deserialize, Serialize};

use crate::engine::Tx;
use crate::rows::RowExt;
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

impl OutboxMessage {
    /// A message to the applicant: an event of their dossier on one of their channels.
    /// Integrators' deliveries and staff alerts are not theirs to see.
    pub fn is_to_applicant(&self) -> bool {
        motcua_domain::dossier::Event::ALL
            .iter()
            .any(|e| e.as_str() == self.event)
            && motcua_domain::dossier::NotifyChannel::parse(&self.channel).is_some()
    }
}

/// A message to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewMessage {
    pub event: &'static str,
    pub channel: &'static str,
    pub recipient: String,
    pub payload: String,
}

/// Who a message speaks for and where it sends the applicant: the competent agency and
/// the receiving counter (its name, address and phone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Senders {
    pub agency: String,
    pub counter: String,
    pub counter_address: String,
    pub counter_phone: String,
}

/// Hộp thư đi — messages waiting to go out, their delivery attempts, and the message
/// templates.
#[derive(Debug, Clone, Copy)]
pub struct Outbox<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Hộp thư đi: see [`Outbox`].
    pub fn outbox(&self) -> Outbox<'_> {
        Outbox { db: self }
    }
}

impl Outbox<'_> {
    /// The senders of the messages about a dossier in `state`, when `events` will reach
    /// `applicant` on some channel (else nothing is looked up).
    pub(crate) async fn senders(
        self,
        state: &DossierState,
        events: &[Event],
        applicant: &Applicant,
    ) -> Result<Senders, DbError> {
        if events.is_empty() || applicant.notify.is_empty() {
            return Ok(Senders::default());
        }
        let agency = self.db.agencies().agency(state.competent_agency()).await?;
        let counter = self.db.agencies().agency(state.receiving_agency()).await?;
        Ok(Senders {
            agency: agency.map(|a| a.name).unwrap_or_default(),
            counter_address: counter
                .as_ref()
                .and_then(|c| c.address.clone())
                .unwrap_or_default(),
            counter_phone: counter
                .as_ref()
                .and_then(|c| c.phone.clone())
                .unwrap_or_default(),
            counter: counter.map(|c| c.name).unwrap_or_default(),
        })
    }
}

/// The dossier a batch of messages is about.
pub(crate) struct About<'a> {
    pub applicant: &'a Applicant,
    pub code: &'a str,
    pub secret: &'a str,
    pub procedure_name: &'a str,
    /// Its state after the events.
    pub state: &'a DossierState,
    pub return_method: ReturnMethod,
    pub senders: &'a Senders,
}

/// One message per event and per channel the applicant chose (and only those), each with
/// what the law asks it to say ([`notice`]).
pub(crate) fn messages_for(
    events: &[Event],
    about: &About<'_>,
) -> Result<Vec<NewMessage>, DbError> {
    let applicant = about.applicant;
    let mut out = Vec::new();
    for event in events {
        let n = notice(*event, about.state, applicant, about.return_method);
        for channel in &applicant.notify {
            let Some(recipient) =
                channel.address(applicant.phone.as_deref(), applicant.email.as_deref())
            else {
                continue;
            };
            let payload = serde_json::json!({
                "code": about.code,
                "secret": about.secret,
                "event": event.as_str(),
                "applicant": applicant.name,
                "procedure": about.procedure_name,
                "due": about.state.due.map(|d| d.to_rfc3339()),
                "salutation": n.salutation,
                "organisation": n.organisation,
                "reason": n.reason,
                "missing": n.missing,
                "amount_vnd": n.amount_vnd,
                "return_method": n.return_method,
                "agency": about.senders.agency,
                "counter": about.senders.counter,
                "counter_address": about.senders.counter_address,
                "counter_phone": about.senders.counter_phone,
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
    tx.write(
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

impl Outbox<'_> {
    /// Marks every pending message as skipped, with the reason: for generated data (the
    /// demo) whose recipients must never be contacted.
    pub async fn skip_pending_messages(self, reason: &str) -> Result<u64, DbError> {
        on_write!(self.db, pool => {
            let done = sqlx::query("UPDATE outbox SET status = 'skipped', last_error = $1 WHERE status = 'pending'")
                .bind(reason)
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    /// The messages about a dossier its applicant may see: those sent (or to be sent) to
    /// them, not the ones skipped.
    pub async fn to_applicant(self, dossier_id: i64) -> Result<Vec<OutboxMessage>, DbError> {
        Ok(self
            .outbox_of(dossier_id)
            .await?
            .into_iter()
            .filter(|m| m.status != "skipped" && m.is_to_applicant())
            .collect())
    }

    /// The messages of one dossier, oldest first: its delivery log.
    pub async fn outbox_of(self, dossier_id: i64) -> Result<Vec<OutboxMessage>, DbError> {
        on_read!(self.db, pool => {
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
