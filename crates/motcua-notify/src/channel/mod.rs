//! Kênh gửi — one sender per channel, each answering sent, failed for now, or failed for good.

pub(crate) mod gateway;
pub(crate) mod smtp;

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
