//! Webhook — a delivery POSTed to the subscription's address as JSON, signed with its secret:
//! `X-Motcua-Timestamp` (Unix seconds) and `X-Motcua-Signature: sha256=<hex HMAC-SHA256 of
//! "<timestamp>.<body>">`, with `X-Motcua-Event` and `X-Motcua-Delivery` (the outbox id,
//! the same on every retry, for the receiver to drop repeats).

use hmac::{KeyInit, Mac};
use motcua_db::Db;

use super::{Failure, Sent};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Sends deliveries to their subscriptions.
#[derive(Debug, Clone)]
pub(crate) struct Webhooks {
    client: reqwest::Client,
}

/// `sha256=<hex>` of the text `secret` signs for `body` at `timestamp`.
pub(crate) fn signature(secret: &str, timestamp: i64, body: &[u8]) -> Result<String, Failure> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .map_err(|_| Failure::permanent("khóa ký webhook rỗng"))?;
    mac.update(&motcua_domain::webhook::signed_text(timestamp, body));
    let digest = mac.finalize().into_bytes();
    Ok(format!(
        "sha256={}",
        data_encoding::HEXLOWER.encode(&digest)
    ))
}

impl Webhooks {
    pub(crate) fn new(timeout: std::time::Duration) -> Result<Self, crate::ConfigError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| crate::ConfigError(format!("không tạo được HTTP client: {e}")))?;
        Ok(Self { client })
    }

    /// Delivers outbox row `id` (its event and body) to subscription `recipient`.
    pub(crate) async fn send(
        &self,
        db: &Db,
        id: i64,
        event: &str,
        recipient: &str,
        body: &str,
    ) -> Result<Sent, Failure> {
        let subscription: i64 = recipient
            .parse()
            .map_err(|_| Failure::permanent(format!("mã đăng ký webhook “{recipient}” sai")))?;
        let target = match db.outbox().webhook_target(subscription).await {
            Ok(Some(target)) => target,
            Ok(None) => {
                return Err(Failure::permanent(format!(
                    "đăng ký webhook {subscription} đã bị gỡ"
                )));
            }
            Err(e) => return Err(Failure::temporary(format!("không đọc được đăng ký: {e}"))),
        };
        let timestamp = motcua_db::now_seconds();
        let signature = signature(&target.secret, timestamp, body.as_bytes())?;
        let request = self
            .client
            .post(&target.url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-motcua-event", event)
            .header("x-motcua-delivery", id.to_string())
            .header("x-motcua-timestamp", timestamp.to_string())
            .header("x-motcua-signature", signature)
            .body(body.to_string());
        super::answered(request.send().await, "địa chỉ nhận webhook").await
    }
}
