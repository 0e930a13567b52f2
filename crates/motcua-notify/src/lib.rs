//! motcua-notify: delivers the outbox to citizens — e-mail over SMTP, SMS and Zalo ZNS
//! through HTTP gateways — from editable Vietnamese templates, with leases, retries,
//! fallback between channels and a delivery log; and sends every dossier's changes to the
//! national public-service portal (`portal`).
//!
//! Without the `delivery` feature only the templates are built (the web crate checks an
//! administrator's edits with them).

pub mod defaults;
pub mod template;

#[cfg(feature = "delivery")]
mod channel;
#[cfg(feature = "delivery")]
pub mod config;
#[cfg(feature = "delivery")]
pub mod portal;
#[cfg(feature = "delivery")]
mod worker;

#[cfg(feature = "delivery")]
pub use channel::{Failure, Sent};
#[cfg(feature = "delivery")]
pub use config::{Backoff, ConfigError, GatewayConfig, NotifyConfig, SmtpConfig, SmtpSecurity};
#[cfg(feature = "delivery")]
pub use worker::{Worker, seed_templates};
