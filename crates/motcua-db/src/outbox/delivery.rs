//! Gửi thông báo — the delivery side of the outbox: leases that let several workers share
//! the queue without sending a row twice, the log of every attempt, and the fallback chain
//! between the channels a citizen chose.

use serde::{Deserialize, Serialize};

use crate::DbError;
use crate::rows::RowExt;

/// How the answer of a gateway is cut before it is stored.
pub const ANSWER_LIMIT: usize = 500;

/// The place of each channel in the fallback order (lower is tried first; `None`: the
/// channel is outside the chain and always delivered on its own).
///
/// For one dossier and event, a row on a channel waits while a row on an earlier channel of
/// the chain is pending, leased or sent; it is sent only when the earlier ones failed for
/// good, and it is superseded when an earlier one was sent. The rows themselves exist only
/// for the channels the applicant chose, so the fallback never reaches anything else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FallbackRanks {
    pub zalo: Option<i64>,
    pub sms: Option<i64>,
    pub email: Option<i64>,
}

impl FallbackRanks {
    /// Ranks from an order such as `["zalo", "sms", "email"]`; unknown names are ignored.
    pub fn from_order(order: &[&str]) -> Self {
        let mut ranks = Self::default();
        for (i, name) in order.iter().enumerate() {
            let rank = Some(i as i64);
            match *name {
                "zalo" if ranks.zalo.is_none() => ranks.zalo = rank,
                "sms" if ranks.sms.is_none() => ranks.sms = rank,
                "email" if ranks.email.is_none() => ranks.email = rank,
                _ => {}
            }
        }
        ranks
    }

    fn of(&self, channel: &str) -> Option<i64> {
        match channel {
            "zalo" => self.zalo,
            "sms" => self.sms,
            "email" => self.email,
            _ => None,
        }
    }
}

/// A message claimed by a worker: its lease is held until `lease_until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub dossier_id: Option<i64>,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub payload: String,
    /// This attempt's number, from 1.
    pub attempt: i64,
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Failed for now; tried again at the given instant (Unix seconds).
    Retrying {
        at: i64,
    },
    /// Failed for good.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Retrying { .. } => "retrying",
            Self::Failed => "failed",
        }
    }
}

/// One line of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub message_id: i64,
    pub attempt: i64,
    pub at: i64,
    pub channel: String,
    pub outcome: String,
    pub answer: String,
}

/// A message as the dossier page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub event: String,
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    /// The gateway's last answer, or why the message was not sent.
    pub last_answer: Option<String>,
}

const CLAIM_SQLITE: &str = "UPDATE outbox SET status = 'leased', lease_owner = $1, lease_until = $2,
    attempts = attempts + 1
  WHERE id IN (SELECT o.id FROM outbox o
    WHERE ((o.status = 'pending' AND o.next_attempt_at <= $3) OR (o.status = 'leased' AND o.lease_until <= $3))
      AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.dossier_id = o.dossier_id AND s.event = o.event
        AND s.id <> o.id AND s.status IN ('pending', 'leased', 'sent')
        AND (CASE s.channel WHEN 'zalo' THEN $5 WHEN 'sms' THEN $6 WHEN 'email' THEN $7 END)
          < (CASE o.channel WHEN 'zalo' THEN $5 WHEN 'sms' THEN $6 WHEN 'email' THEN $7 END))
    ORDER BY o.next_attempt_at, o.id LIMIT $4)
  RETURNING id, dossier_id, event, channel, recipient, payload, attempts";

/// The same claim; rows another worker is claiming right now are skipped, not waited for.
const CLAIM_POSTGRES: &str = "UPDATE outbox SET status = 'leased', lease_owner = $1, lease_until = $2,
    attempts = attempts + 1
  WHERE id IN (SELECT o.id FROM outbox o
    WHERE ((o.status = 'pending' AND o.next_attempt_at <= $3) OR (o.status = 'leased' AND o.lease_until <= $3))
      AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.dossier_id = o.dossier_id AND s.event = o.event
        AND s.id <> o.id AND s.status IN ('pending', 'leased', 'sent')
        AND (CASE s.channel WHEN 'zalo' THEN $5::BIGINT WHEN 'sms' THEN $6::BIGINT WHEN 'email' THEN $7::BIGINT END)
          < (CASE o.channel WHEN 'zalo' THEN $5::BIGINT WHEN 'sms' THEN $6::BIGINT WHEN 'email' THEN $7::BIGINT END))
    ORDER BY o.next_attempt_at, o.id LIMIT $4 FOR UPDATE OF o SKIP LOCKED)
  RETURNING id, dossier_id, event, channel, recipient, payload, attempts";

const LOG: &str = "INSERT INTO delivery_log (message_id, attempt, at, channel, outcome, answer)
    VALUES ($1, $2, $3, $4, $5, $6)";

const MARK_SENT: &str = "UPDATE outbox SET status = 'sent', sent_at = $2, last_answer = $3,
    last_error = NULL, lease_owner = NULL, lease_until = NULL WHERE id = $1 AND status = 'leased'";

/// Later channels of the chain for the same dossier and event are no longer needed.
const SUPERSEDE: &str = "UPDATE outbox SET status = 'superseded', last_answer = $4
    WHERE dossier_id = $1 AND event = $2 AND id <> $3 AND status = 'pending'
      AND (CASE channel WHEN 'zalo' THEN $5 WHEN 'sms' THEN $6 WHEN 'email' THEN $7 END) > $8";

const MARK_RETRY: &str =
    "UPDATE outbox SET status = 'pending', next_attempt_at = $3, last_answer = $4,
    last_error = $4, lease_owner = NULL, lease_until = NULL
    WHERE id = $1 AND lease_owner = $2 AND status = 'leased'";

const MARK_FAILED: &str = "UPDATE outbox SET status = 'failed', last_answer = $3, last_error = $3,
    lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2 AND status = 'leased'";

/// `text` cut to at most [`ANSWER_LIMIT`] bytes on a character boundary.
pub fn truncate_answer(text: &str) -> String {
    if text.len() <= ANSWER_LIMIT {
        return text.to_string();
    }
    let mut end = ANSWER_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

impl super::Outbox<'_> {
    /// Leases up to `limit` messages that are due (or whose lease expired) to `owner`
    /// until `lease_until`, in one statement: a row is never leased to two workers at once.
    pub async fn claim_messages(
        self,
        owner: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
        ranks: FallbackRanks,
    ) -> Result<Vec<Claimed>, DbError> {
        let sql = match self.db.kind() {
            crate::EngineKind::Sqlite => CLAIM_SQLITE,
            crate::EngineKind::Postgres => CLAIM_POSTGRES,
        };
        on_write!(self.db, pool => {
            let rows = sqlx::query(sql)
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .bind(ranks.zalo)
                .bind(ranks.sms)
                .bind(ranks.email)
                .fetch_all(pool)
                .await?;
            let mut out = rows
                .iter()
                .map(|row| {
                    Ok(Claimed {
                        id: row.int("id")?,
                        dossier_id: row.opt_int("dossier_id")?,
                        event: row.text("event")?,
                        channel: row.text("channel")?,
                        recipient: row.text("recipient")?,
                        payload: row.text("payload")?,
                        attempt: row.int("attempts")?,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            out.sort_by_key(|c| c.id);
            Ok(out)
        })
    }

    /// Records the end of one attempt on a claimed message and moves it on: sent (later
    /// channels of the chain are superseded), back to pending for a retry, or failed (the
    /// next channel of the chain becomes claimable). Returns false when the lease was lost
    /// meanwhile (the attempt is still logged).
    pub async fn finish_attempt(
        self,
        message: &Claimed,
        owner: &str,
        now: i64,
        outcome: Outcome,
        answer: &str,
        ranks: FallbackRanks,
    ) -> Result<bool, DbError> {
        let answer = truncate_answer(answer);
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(LOG)
                .bind(message.id)
                .bind(message.attempt)
                .bind(now)
                .bind(&message.channel)
                .bind(outcome.as_str())
                .bind(&answer)
                .execute(&mut *tx)
                .await?;
            let done = match outcome {
                Outcome::Sent => {
                    let done = sqlx::query(MARK_SENT)
                        .bind(message.id)
                        .bind(now)
                        .bind(&answer)
                        .execute(&mut *tx)
                        .await?;
                    if let (Some(dossier), Some(rank)) =
                        (message.dossier_id, ranks.of(&message.channel))
                    {
                        sqlx::query(SUPERSEDE)
                            .bind(dossier)
                            .bind(&message.event)
                            .bind(message.id)
                            .bind(format!("đã gửi qua kênh {}", message.channel))
                            .bind(ranks.zalo)
                            .bind(ranks.sms)
                            .bind(ranks.email)
                            .bind(rank)
                            .execute(&mut *tx)
                            .await?;
                    }
                    done
                }
                Outcome::Retrying { at } => {
                    sqlx::query(MARK_RETRY)
                        .bind(message.id)
                        .bind(owner)
                        .bind(at)
                        .bind(&answer)
                        .execute(&mut *tx)
                        .await?
                }
                Outcome::Failed => {
                    sqlx::query(MARK_FAILED)
                        .bind(message.id)
                        .bind(owner)
                        .bind(&answer)
                        .execute(&mut *tx)
                        .await?
                }
            };
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// The messages of one dossier with their delivery state, oldest first.
    pub async fn deliveries_of(self, dossier_id: i64) -> Result<Vec<Delivery>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT id, event, channel, recipient, status, attempts, sent_at,
                    COALESCE(last_answer, last_error) AS answer
                 FROM outbox WHERE dossier_id = $1 ORDER BY id",
            )
            .bind(dossier_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(Delivery {
                        id: row.int("id")?,
                        event: row.text("event")?,
                        channel: row.text("channel")?,
                        recipient: row.text("recipient")?,
                        status: row.text("status")?,
                        attempts: row.int("attempts")?,
                        sent_at: row.opt_int("sent_at")?,
                        last_answer: row.opt_text("answer")?,
                    })
                })
                .collect()
        })
    }

    /// Every attempt on one message, in order.
    pub async fn attempts_of(self, message_id: i64) -> Result<Vec<Attempt>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT message_id, attempt, at, channel, outcome, answer FROM delivery_log
                 WHERE message_id = $1 ORDER BY id",
            )
            .bind(message_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(Attempt {
                        message_id: row.int("message_id")?,
                        attempt: row.int("attempt")?,
                        at: row.int("at")?,
                        channel: row.text("channel")?,
                        outcome: row.text("outcome")?,
                        answer: row.text("answer")?,
                    })
                })
                .collect()
        })
    }

    /// How many messages are in each status (for the worker's log and tests).
    pub async fn outbox_counts(self) -> Result<Vec<(String, i64)>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| Ok((row.text("status")?, row.int("n")?)))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_cut_on_a_character_boundary() {
        let long = "ệ".repeat(400);
        let cut = truncate_answer(&long);
        assert!(cut.len() <= ANSWER_LIMIT + "…".len());
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_answer("OK"), "OK");
    }

    #[test]
    fn ranks_follow_the_order_given() {
        let r = FallbackRanks::from_order(&["zalo", "sms", "email"]);
        assert_eq!((r.zalo, r.sms, r.email), (Some(0), Some(1), Some(2)));
        let r = FallbackRanks::from_order(&["sms", "fax"]);
        assert_eq!((r.zalo, r.sms, r.email), (None, Some(0), None));
    }
}
