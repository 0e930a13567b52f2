//! Mẫu tin nhắn — the message templates an administrator edits, one per event and channel.

use serde::{Deserialize, Serialize};

use crate::DbError;
use crate::rows::RowExt;

/// One stored template (the text is minijinja source, checked before it is saved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTemplate {
    pub event: String,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub updated_at: i64,
    pub updated_by: String,
}

const SEED: &str =
    "INSERT INTO message_templates (event, channel, subject, body, updated_at, updated_by)
    VALUES ($1, $2, $3, $4, $5, 'system') ON CONFLICT (event, channel) DO NOTHING";

const SAVE: &str =
    "INSERT INTO message_templates (event, channel, subject, body, updated_at, updated_by)
    VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event, channel) DO UPDATE SET
    subject = excluded.subject, body = excluded.body, updated_at = excluded.updated_at,
    updated_by = excluded.updated_by";

const ALL: &str = "SELECT event, channel, subject, body, updated_at, updated_by
    FROM message_templates ORDER BY event, channel";

const ONE: &str = "SELECT event, channel, subject, body, updated_at, updated_by
    FROM message_templates WHERE event = $1 AND channel = $2";

fn read<R: RowExt>(row: &R) -> Result<MessageTemplate, sqlx::Error> {
    Ok(MessageTemplate {
        event: row.text("event")?,
        channel: row.text("channel")?,
        subject: row.text("subject")?,
        body: row.text("body")?,
        updated_at: row.int("updated_at")?,
        updated_by: row.text("updated_by")?,
    })
}

impl super::Outbox<'_> {
    /// Stores the defaults `(event, channel, subject, body)` that are missing; edited
    /// templates are kept. Returns how many were added.
    pub async fn seed_message_templates(
        self,
        defaults: &[(&str, &str, &str, &str)],
    ) -> Result<u64, DbError> {
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut added = 0;
            for (event, channel, subject, body) in defaults {
                added += sqlx::query(SEED)
                    .bind(event)
                    .bind(channel)
                    .bind(subject)
                    .bind(body)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Every template, by event then channel.
    pub async fn message_templates(self) -> Result<Vec<MessageTemplate>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(ALL)
                .fetch_all(pool)
                .await?;
            Ok(rows.iter().map(read).collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The template for one event and channel, if any.
    pub async fn message_template(
        self,
        event: &str,
        channel: &str,
    ) -> Result<Option<MessageTemplate>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(ONE)
                .bind(event)
                .bind(channel)
                .fetch_optional(pool)
                .await?;
            Ok(row.as_ref().map(read).transpose()?)
        })
    }

    /// Saves an administrator's edit (the caller has checked that it renders).
    pub async fn save_message_template(
        self,
        event: &str,
        channel: &str,
        subject: &str,
        body: &str,
        actor: &str,
    ) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            sqlx::query(SAVE)
                .bind(event)
                .bind(channel)
                .bind(subject)
                .bind(body)
                .bind(crate::now_seconds())
                .bind(actor)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}
