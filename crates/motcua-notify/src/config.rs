//! Cấu hình kênh — what the worker needs to reach each channel, and its retry policy.

use std::time::Duration;

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// No TLS (a relay on the same host or a closed network only).
    Plain,
    /// Upgrade with STARTTLS; refuse to go on without it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl std::str::FromStr for SmtpSecurity {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "plain" | "none" => Ok(Self::Plain),
            "starttls" => Ok(Self::StartTls),
            "tls" | "ssl" => Ok(Self::Tls),
            other => Err(ConfigError(format!(
                "kiểu bảo mật SMTP “{other}” không hợp lệ (plain, starttls, tls)"
            ))),
        }
    }
}

/// An SMTP server to send e-mail through.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User and password for AUTH PLAIN/LOGIN, if the server asks for them.
    pub credentials: Option<(String, String)>,
    /// `Tên <dia-chi@co-quan.gov.vn>` or a bare address.
    pub from: String,
    pub timeout: Duration,
    /// PEM certificates of the only authorities trusted for this server (an internal relay
    /// on a closed network); the system's roots when absent.
    pub ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|c| &c.0))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// An HTTP gateway (SMS brandname or Zalo ZNS): the message is POSTed as JSON.
#[derive(Clone)]
pub struct GatewayConfig {
    pub url: String,
    /// Sent as `Authorization: Bearer …` when present.
    pub token: Option<String>,
    /// A minijinja template for the JSON body; values are written as JSON. Fields:
    /// `id`, `recipient`, `subject`, `text`, `code`, `event`, `applicant`, `procedure`, `due`.
    pub body: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for GatewayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayConfig")
            .field("url", &self.url)
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The default gateway body: the recipient and the rendered text.
pub const DEFAULT_GATEWAY_BODY: &str =
    r#"{"to": {{ recipient }}, "text": {{ text }}, "reference": {{ id }}}"#;

/// Exponential backoff between attempts on one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    /// Attempts on one channel before it fails for good (and the next channel is tried).
    pub max_attempts: u32,
}

impl Backoff {
    /// The wait after failed attempt number `attempt` (from 1): base, 2·base, 4·base… up
    /// to the cap.
    pub fn delay(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
        self.base.saturating_mul(factor).min(self.cap)
    }
}

/// Everything the worker is configured with.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    pub smtp: Option<SmtpConfig>,
    pub sms: Option<GatewayConfig>,
    pub zalo: Option<GatewayConfig>,
    /// Channels in the order they stand in for each other, e.g. `zalo, sms, email`.
    pub fallback: Vec<String>,
    pub backoff: Backoff,
    /// How long a claimed message is reserved for this worker; must outlast a send.
    pub lease: Duration,
    /// How long a webhook's receiver may take to answer.
    pub webhook_timeout: Duration,
    /// Pause between looks at an empty outbox.
    pub poll: Duration,
    /// Messages claimed (and sent concurrently) at once.
    pub batch: i64,
    /// This worker's name in leases (host and process by default).
    pub worker_id: String,
}

/// A configuration that cannot work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl NotifyConfig {
    /// Checks what can be checked before the first message.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for name in &self.fallback {
            if !crate::template::CHANNELS.contains(&name.as_str()) {
                return Err(ConfigError(format!(
                    "kênh “{name}” trong thứ tự dự phòng không hợp lệ (email, sms, zalo)"
                )));
            }
        }
        if self.backoff.max_attempts == 0 {
            return Err(ConfigError("số lần thử phải lớn hơn 0".into()));
        }
        let longest = [
            Some(self.webhook_timeout),
            self.smtp.as_ref().map(|s| s.timeout),
            self.sms.as_ref().map(|g| g.timeout),
            self.zalo.as_ref().map(|g| g.timeout),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or_default();
        if self.lease <= longest {
            return Err(ConfigError(format!(
                "thời hạn giữ tin ({}s) phải dài hơn thời gian chờ lâu nhất của kênh ({}s)",
                self.lease.as_secs(),
                longest.as_secs()
            )));
        }
        for (name, gateway) in [("sms", &self.sms), ("zalo", &self.zalo)] {
            if let Some(g) = gateway {
                let printable = |t: &String| t.bytes().all(|b| b.is_ascii_graphic());
                if g.token.as_ref().is_some_and(|t| !printable(t)) {
                    return Err(ConfigError(format!(
                        "mã truy cập cổng {name} chỉ được gồm ký tự ASCII in được"
                    )));
                }
                let sample = crate::channel::gateway::sample_context();
                crate::template::render_json(&g.body, &sample)
                    .map_err(|e| ConfigError(format!("mẫu thân yêu cầu {name}: {e}")))
                    .and_then(|body| {
                        serde_json::from_str::<serde_json::Value>(&body).map_err(|e| {
                            ConfigError(format!("mẫu thân yêu cầu {name} không ra JSON: {e}"))
                        })
                    })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let b = Backoff {
            base: Duration::from_secs(2),
            cap: Duration::from_secs(30),
            max_attempts: 5,
        };
        let waits: Vec<u64> = (1..=6).map(|a| b.delay(a).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 30, 30]);
        assert_eq!(b.delay(200), Duration::from_secs(30));
    }

    #[test]
    fn security_names_parse() {
        assert_eq!(
            "starttls".parse::<SmtpSecurity>(),
            Ok(SmtpSecurity::StartTls)
        );
        assert!("ssl3".parse::<SmtpSecurity>().is_err());
    }
}
