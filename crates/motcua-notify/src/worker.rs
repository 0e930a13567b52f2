//! Người gửi — the worker: claims due messages with a lease, renders and sends each on its
//! channel, and records the attempt; a crash leaves the lease to expire and the message is
//! claimed again, and the outbox id travels as the idempotency key so gateways can drop
//! the repeat.

use motcua_db::{Claimed, Db, DbError, FallbackRanks, Outcome};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

use crate::channel::gateway::Gateway;
use crate::channel::smtp::Smtp;
use crate::channel::{Failure, Outgoing, Sent};
use crate::config::{ConfigError, NotifyConfig};
use crate::template::{Fields, render};

/// Stores the default templates that are missing (edited ones are kept).
pub async fn seed_templates(db: &Db) -> Result<u64, DbError> {
    db.outbox()
        .seed_message_templates(&crate::defaults::defaults())
        .await
}

/// The outbox worker.
pub struct Worker {
    db: Db,
    config: NotifyConfig,
    ranks: FallbackRanks,
    smtp: Option<Smtp>,
    sms: Option<Gateway>,
    zalo: Option<Gateway>,
    /// Integrators' subscriptions (always on: a delivery exists only for a subscription).
    webhooks: crate::channel::webhook::Webhooks,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// Checks the configuration and prepares each configured channel.
    pub fn new(db: Db, config: NotifyConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        // One TLS provider for SMTP and the gateways; an earlier install is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let order: Vec<&str> = config.fallback.iter().map(String::as_str).collect();
        Ok(Self {
            ranks: FallbackRanks::from_order(&order),
            smtp: config.smtp.as_ref().map(Smtp::new).transpose()?,
            sms: config.sms.as_ref().map(Gateway::new).transpose()?,
            zalo: config.zalo.as_ref().map(Gateway::new).transpose()?,
            webhooks: crate::channel::webhook::Webhooks::new(config.webhook_timeout)?,
            db,
            config,
        })
    }

    /// The configured channels' names.
    pub fn channels(&self) -> Vec<&'static str> {
        [
            ("email", self.smtp.is_some()),
            ("sms", self.sms.is_some()),
            ("zalo", self.zalo.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect()
    }

    /// Delivers until `stop` turns true; messages in flight are finished first.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        tracing::info!(worker = %self.config.worker_id, "notification worker started");
        while !*stop.borrow() {
            let busy = match Arc::clone(&self).run_once().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox worker could not reach the database");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = stop.changed() => {}
                    () = tokio::time::sleep(self.config.poll) => {}
                }
            }
        }
        tracing::info!(worker = %self.config.worker_id, "notification worker stopped");
    }

    /// Claims one batch and delivers it; returns how many messages were attempted.
    pub async fn run_once(self: Arc<Self>) -> Result<usize, DbError> {
        let now = motcua_db::now_seconds();
        let lease_until = now + self.config.lease.as_secs() as i64;
        let claimed = self
            .db
            .outbox()
            .claim_messages(
                &self.config.worker_id,
                now,
                lease_until,
                self.config.batch,
                self.ranks,
            )
            .await?;
        let count = claimed.len();
        let mut tasks = tokio::task::JoinSet::new();
        for message in claimed {
            let worker = Arc::clone(&self);
            tasks.spawn(async move { worker.deliver(message).await });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "delivery not recorded"),
                Err(e) => tracing::error!(error = %e, "delivery task ended abnormally"),
            }
        }
        Ok(count)
    }

    async fn deliver(&self, message: Claimed) -> Result<(), DbError> {
        let result = self.attempt(&message).await;
        let attempt = u32::try_from(message.attempt).unwrap_or(u32::MAX);
        let now = motcua_db::now_seconds();
        let (outcome, answer) = match result {
            Ok(Sent(answer)) => (Outcome::Sent, answer),
            Err(Failure {
                permanent: false,
                answer,
            }) if attempt < self.config.backoff.max_attempts => {
                let wait = self.config.backoff.delay(attempt).as_secs() as i64;
                (Outcome::Retrying { at: now + wait }, answer)
            }
            Err(Failure { answer, .. }) => (Outcome::Failed, answer),
        };
        tracing::info!(
            message = message.id,
            channel = %message.channel,
            attempt,
            outcome = outcome.as_str(),
            "notification attempt"
        );
        let kept = self
            .db
            .outbox()
            .finish_attempt(
                &message,
                &self.config.worker_id,
                now,
                outcome,
                &answer,
                self.ranks,
            )
            .await?;
        if !kept {
            tracing::warn!(
                message = message.id,
                "lease lost before the attempt was recorded"
            );
        }
        Ok(())
    }

    async fn attempt(&self, message: &Claimed) -> Result<Sent, Failure> {
        if message.channel == motcua_db::WEBHOOK_CHANNEL {
            return self
                .webhooks
                .send(
                    &self.db,
                    message.id,
                    &message.event,
                    &message.recipient,
                    &message.payload,
                )
                .await;
        }
        let fields = Fields::from_payload(&message.payload)
            .map_err(|e| Failure::permanent(e.to_string()))?;
        let (subject, body) = self.template(&message.event, &message.channel).await?;
        let rendered = render(&subject, &body, &fields)
            .map_err(|e| Failure::permanent(format!("mẫu tin lỗi: {e}")))?;
        let outgoing = Outgoing {
            id: message.id,
            recipient: &message.recipient,
            rendered: &rendered,
            fields: &fields,
        };
        let missing = || Failure::permanent(format!("kênh {} chưa được cấu hình", message.channel));
        let (timeout, sending) = match message.channel.as_str() {
            "email" => {
                let smtp = self.smtp.as_ref().ok_or_else(missing)?;
                let timeout = self.config.smtp.as_ref().map(|s| s.timeout);
                (timeout, Box::pin(smtp.send(&outgoing)) as Sending<'_>)
            }
            "sms" => {
                let gateway = self.sms.as_ref().ok_or_else(missing)?;
                let timeout = self.config.sms.as_ref().map(|g| g.timeout);
                (timeout, Box::pin(gateway.send(&outgoing)) as Sending<'_>)
            }
            "zalo" => {
                let gateway = self.zalo.as_ref().ok_or_else(missing)?;
                let timeout = self.config.zalo.as_ref().map(|g| g.timeout);
                (timeout, Box::pin(gateway.send(&outgoing)) as Sending<'_>)
            }
            _ => return Err(missing()),
        };
        // The SMTP client's timeout covers each command; this bounds the whole conversation
        // (and stays inside the lease, which the configuration keeps longer).
        let limit = timeout.unwrap_or(Duration::from_secs(30));
        match tokio::time::timeout(limit, sending).await {
            Ok(result) => result,
            Err(_) => Err(Failure::temporary("hết thời gian chờ kênh gửi")),
        }
    }

    async fn template(&self, event: &str, channel: &str) -> Result<(String, String), Failure> {
        match self.db.outbox().message_template(event, channel).await {
            Ok(Some(t)) => Ok((t.subject, t.body)),
            Ok(None) => crate::defaults::default_for(event, channel)
                .map(|(s, b)| (s.to_string(), b.to_string()))
                .ok_or_else(|| {
                    Failure::permanent(format!("không có mẫu tin cho {event}/{channel}"))
                }),
            Err(e) => Err(Failure::temporary(format!("không đọc được mẫu tin: {e}"))),
        }
    }
}

type Sending<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Sent, Failure>> + Send + 'a>>;
