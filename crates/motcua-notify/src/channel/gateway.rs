//! Cổng SMS và Zalo ZNS — a JSON POST to the provider's gateway, with a bearer token and
//! the outbox id as `Idempotency-Key`.

use serde::Serialize;

use super::{Failure, Outgoing, Sent};
use crate::config::GatewayConfig;

/// What a gateway's body template can use.
#[derive(Debug, Serialize)]
pub(crate) struct Context<'a> {
    pub id: String,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub code: &'a str,
    pub event: &'a str,
    pub applicant: &'a str,
    pub procedure: &'a str,
    pub due: Option<&'a str>,
}

/// Made-up values for checking a body template at start.
pub(crate) fn sample_context() -> Context<'static> {
    Context {
        id: "1".into(),
        recipient: "0912345678",
        subject: "Đã tiếp nhận hồ sơ",
        text: "Hồ sơ đã được tiếp nhận.",
        code: "000.00.03.H56-261124-0001",
        event: "received",
        applicant: "Nguyễn Thị Hoà",
        procedure: "Cấp Phiếu lý lịch tư pháp",
        due: Some("28/11/2026"),
    }
}

/// A configured gateway.
pub(crate) struct Gateway {
    client: reqwest::Client,
    config: GatewayConfig,
}

impl Gateway {
    pub(crate) fn new(config: &GatewayConfig) -> Result<Self, crate::ConfigError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| crate::ConfigError(format!("không tạo được HTTP client: {e}")))?;
        Ok(Self {
            client,
            config: config.clone(),
        })
    }

    pub(crate) async fn send(&self, message: &Outgoing<'_>) -> Result<Sent, Failure> {
        let key = message.id.to_string();
        let context = Context {
            id: key.clone(),
            recipient: message.recipient,
            subject: &message.rendered.subject,
            text: &message.rendered.body,
            code: &message.fields.code,
            event: &message.fields.event,
            applicant: &message.fields.applicant,
            procedure: &message.fields.procedure,
            due: message.fields.due.as_deref(),
        };
        let body = crate::template::render_json(&self.config.body, &context)
            .map_err(|e| Failure::permanent(format!("mẫu thân yêu cầu lỗi: {e}")))?;
        let mut request = self
            .client
            .post(&self.config.url)
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(body);
        if let Some(token) = &self.config.token {
            request = request.bearer_auth(token);
        }
        super::answered(request.send().await, "cổng gửi tin").await
    }
}
