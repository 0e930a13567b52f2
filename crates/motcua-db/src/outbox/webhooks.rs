//! Webhook — integrators' subscriptions (a receiver's address, its secret, the events it
//! hears) and the deliveries a change writes for them: outbox rows of channel `webhook`, in
//! the change's own transaction, delivered and retried by the worker like the citizens'
//! messages. The subscriptions are kept for a few seconds; this process's edits drop them.

use std::sync::Arc;

use motcua_domain::webhook::{self, Happened};
use serde::Serialize;

use super::NewMessage;
use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::{DbError, random_token};

/// The channel of a delivery in the outbox.
pub const WEBHOOK_CHANNEL: &str = "webhook";

/// A subscription as shown to administrators (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub description: String,
    pub active: bool,
    pub created_by: String,
    pub created_at: i64,
}

/// Where and with what a delivery is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub url: String,
    pub secret: String,
}

/// The active subscriptions' ids and events.
pub(crate) type Subscribers = Arc<Vec<(i64, Vec<String>)>>;

#[derive(Debug)]
pub(crate) struct Kept(pub(crate) crate::cache::Cache<(), Subscribers>);

impl Default for Kept {
    fn default() -> Self {
        Self(crate::cache::Cache::new(crate::cache::SHORT, 1))
    }
}

fn events_of(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .collect()
}

fn webhook_of(r: &impl RowExt) -> Result<Webhook, DbError> {
    Ok(Webhook {
        id: r.int("id")?,
        url: r.text("url")?,
        events: events_of(&r.text("events")?),
        description: r.text("description")?,
        active: r.int("active")? != 0,
        created_by: r.text("created_by")?,
        created_at: r.int("created_at")?,
    })
}

/// The deliveries `raised` events make for `subscribers`: one per subscription and event it
/// hears, with the event's body.
pub(crate) fn deliveries(
    subscribers: &[(i64, Vec<String>)],
    raised: &[&'static str],
    happened: &Happened<'_>,
) -> Vec<NewMessage> {
    let mut out = Vec::new();
    for event in raised {
        let hearing = subscribers
            .iter()
            .filter(|(_, events)| webhook::wants(events, event));
        let mut body = None;
        for (id, _) in hearing {
            // Made only when someone hears the event: most writes have no subscriber.
            let body = body
                .get_or_insert_with(|| webhook::body(&Happened { event, ..*happened }).to_string());
            out.push(NewMessage {
                event,
                channel: WEBHOOK_CHANNEL,
                recipient: id.to_string(),
                payload: body.clone(),
            });
        }
    }
    out
}

impl super::Outbox<'_> {
    /// Subscribes `url` to `events`; the subscription and its secret (shown this once).
    pub async fn create_webhook(
        self,
        url: &str,
        events: &[String],
        description: &str,
        by: &str,
        now: i64,
    ) -> Result<(Webhook, String), DbError> {
        let mut errors = Vec::new();
        let url = webhook::check_url(url).map_err(|e| errors.push(e)).ok();
        let events = webhook::check_events(events)
            .map_err(|e| errors.push(e))
            .ok();
        let description = motcua_domain::text::nfc(description.trim());
        if description.chars().count() > 500 {
            errors.push(motcua_domain::FieldError::new(
                "description",
                "mô tả dài quá 500 ký tự",
            ));
        }
        let (Some(url), Some(events), true) = (url, events, errors.is_empty()) else {
            return Err(DbError::Invalid(errors));
        };
        let secret = random_token(40)?;
        let joined = events.join(",");
        let id: i64 = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO webhooks (url, secret, events, description, active, created_by, created_at) VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id")
                .bind(&url)
                .bind(&secret)
                .bind(&joined)
                .bind(&description)
                .bind(by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: by.to_string(),
                action: "create_webhook".into(),
                entity: "webhook",
                entity_id: id.to_string(),
                detail: serde_json::json!({"url": url, "events": events}),
            }).await?;
            tx.commit().await?;
            id
        });
        self.db.kept_changed().await;
        Ok((
            Webhook {
                id,
                url,
                events,
                description,
                active: true,
                created_by: by.to_string(),
                created_at: now,
            },
            secret,
        ))
    }

    /// Every subscription, newest first.
    pub async fn webhooks(self) -> Result<Vec<Webhook>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query("SELECT id, url, events, description, active, created_by, created_at FROM webhooks ORDER BY id DESC")
                .fetch_all(pool)
                .await?;
            rows.iter().map(webhook_of).collect()
        })
    }

    /// Ends a subscription (its deliveries not yet made fail, named); whether there was one.
    pub async fn remove_webhook(self, id: i64, by: &str, now: i64) -> Result<bool, DbError> {
        let removed = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("UPDATE webhooks SET active = 0 WHERE id = $1 AND active = 1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n == 1 {
                crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                    at: now,
                    actor: by.to_string(),
                    action: "remove_webhook".into(),
                    entity: "webhook",
                    entity_id: id.to_string(),
                    detail: serde_json::json!({}),
                }).await?;
            }
            tx.commit().await?;
            n == 1
        });
        self.db.kept_changed().await;
        Ok(removed)
    }

    /// Where an active subscription's deliveries go.
    pub async fn webhook_target(self, id: i64) -> Result<Option<WebhookTarget>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query("SELECT url, secret FROM webhooks WHERE id = $1 AND active = 1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            Ok(match row {
                Some(r) => Some(WebhookTarget {
                    url: r.text("url")?,
                    secret: r.text("secret")?,
                }),
                None => None,
            })
        })
    }

    /// The active subscriptions, kept for a few seconds.
    pub(crate) async fn subscribers(self) -> Result<Subscribers, DbError> {
        let since = self.db.shared::<Kept>().0.generation();
        if let Some(kept) = self.db.shared::<Kept>().0.get(&()) {
            return Ok(kept);
        }
        let list: Vec<(i64, Vec<String>)> = on_read!(self.db, pool => {
            let rows = sqlx::query("SELECT id, events FROM webhooks WHERE active = 1 ORDER BY id")
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| Ok((r.int("id")?, events_of(&r.text("events")?))))
                .collect::<Result<Vec<_>, DbError>>()?
        });
        let list = Arc::new(list);
        self.db.shared::<Kept>().0.put(since, (), Arc::clone(&list));
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_subscription_gets_the_events_it_hears() {
        let subs = vec![
            (1, vec!["result_ready".to_string()]),
            (2, vec!["*".to_string()]),
            (3, vec!["refused".to_string()]),
        ];
        let happened = Happened {
            event: "",
            action: "approve",
            at: "2026-12-03T08:00:00+07:00",
            dossier_id: 9,
            code: "000.00.03.H56-261203-0001",
            procedure_code: "1.000828",
            from_status: Some(motcua_domain::dossier::Status::Processing),
            to_status: motcua_domain::dossier::Status::ResultReady,
            agency_code: "000.00.03.H56",
            due_at: None,
        };
        let out = deliveries(&subs, &["result_ready", "status_changed"], &happened);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|m| (m.recipient.as_str(), m.event))
            .collect();
        assert_eq!(
            got,
            [
                ("1", "result_ready"),
                ("2", "result_ready"),
                ("2", "status_changed")
            ]
        );
        let body: serde_json::Value = serde_json::from_str(&out[2].payload).unwrap();
        assert_eq!(body["event"], "status_changed");
        assert_eq!(body["dossier"]["previous_status"], "processing");
        assert_eq!(body["dossier"]["status_code"], 9);
        assert!(out.iter().all(|m| m.channel == WEBHOOK_CHANNEL));
    }
}
