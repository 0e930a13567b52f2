//! Kênh gửi — one sender per channel, each answering sent, failed for now, or failed for good.

pub(crate) mod gateway;
pub(crate) mod smtp;
pub(crate) mod webhook;

/// A message accepted by the channel, with the channel's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent(pub String);

/// A message the channel did not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// True when trying again cannot help (a refused address, a rejected request).
    pub permanent: bool,
    pub answer: String,
}

impl Failure {
    pub fn temporary(answer: impl Into<String>) -> Self {
        Self {
            permanent: false,
            answer: answer.into(),
        }
    }

    pub fn permanent(answer: impl Into<String>) -> Self {
        Self {
            permanent: true,
            answer: answer.into(),
        }
    }
}

/// What a channel sends: the outbox row's id (the idempotency key), where, and what.
#[derive(Debug, Clone)]
pub(crate) struct Outgoing<'a> {
    pub id: i64,
    pub recipient: &'a str,
    pub rendered: &'a crate::template::Rendered,
    pub fields: &'a crate::template::Fields,
}

/// What an HTTP receiver's answer means: 2xx sent; 5xx, 408, 429, a timeout or no answer
/// worth trying again; any other status refused for good. `what` names the receiver.
pub(crate) async fn answered(
    sent: Result<reqwest::Response, reqwest::Error>,
    what: &str,
) -> Result<Sent, Failure> {
    let response = match sent {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return Err(Failure::temporary(format!("hết thời gian chờ {what}")));
        }
        Err(e) => return Err(Failure::temporary(format!("không gọi được {what}: {e}"))),
    };
    let status = response.status();
    let text = match response.text().await {
        Ok(t) => t,
        Err(e) if e.is_timeout() => {
            return Err(Failure::temporary(format!("hết thời gian chờ {what}")));
        }
        Err(e) => format!("(không đọc được trả lời: {e})"),
    };
    let text: String = text.trim().chars().take(500).collect();
    let answer = format!("{} {text}", status.as_u16());
    if status.is_success() {
        Ok(Sent(answer))
    } else if status.is_server_error()
        || status == reqwest::StatusCode::TOO_MANY_REQUESTS
        || status == reqwest::StatusCode::REQUEST_TIMEOUT
    {
        Err(Failure::temporary(answer))
    } else {
        Err(Failure::permanent(answer))
    }
}
