//! motcua's storage: one `Db` over embedded SQLite or PostgreSQL, chosen by URL at run time.
//!
//! SQL is written once with `$n` placeholders and runs on both engines; the `on_write!`
//! and `on_read!` macros expand a body once per engine so each runs with its own typed
//! pool. Dialect differences stay in the migrations (one folder per engine).

#[macro_use]
mod engine;
#[macro_use]
mod audit;
mod cache;
#[macro_use]
mod counters;
mod days;
mod views;
#[macro_use]
mod outbox;
#[macro_use]
mod files;
mod agencies;
mod alerts;
mod board;
mod bulk;
mod calendar;
mod catalogue;
mod citizens;
mod delivery;
mod demo_load;
mod digests;
mod dossiers;
mod error;
mod message_templates;
mod migrate;
mod ratings;
mod rows;
mod secret;
mod sessions;
mod signatures;
mod staff;
mod statistics;
mod tickets;
mod tokens;

pub use agencies::{Agency, NewAgency};
pub use alerts::Alert;
pub use audit::{AuditEntry, AuditReport};
pub use board::{BoardEntry, PublicBoard};
pub use bulk::{BulkDossier, BulkHistory};
pub use catalogue::{ProcedureSummary, Published, StoredProcedure};
pub use citizens::{Citizen, CitizenSession, NewCitizen};
pub use days::{day_key, day_of, day_start};
pub use delivery::{Attempt, Claimed, Delivery, FallbackRanks, Outcome, truncate_answer};
pub use digests::{Digest, DigestItem, DigestSection};
pub use dossiers::{
    ActorRef, DossierFilter, DossierPage, DossierRecord, HistoryRow, IntakeExtras,
    RECEIVING_STATUSES, TransitionRequest,
};
pub use engine::{Db, Durability, EngineKind, redact};
pub use error::DbError;
pub use files::{
    Attachment, FileStore, MAX_FILE_BYTES, MAX_FILES, NewAttachment, Purpose, Upload,
    check as check_upload, sync_dir,
};
pub use message_templates::MessageTemplate;
pub use outbox::OutboxMessage;
pub use ratings::{RatingSummary, StoredRating, can_be_rated};
pub use secret::{hash_token, random_token};
pub use sessions::{LOCKOUT_FAILURES, Login, SESSION_SECONDS, Session};
pub use signatures::{
    KeySource, NewSignedResult, SignedResult, SigningKey, is_public_id as is_signed_result_id,
};
pub use staff::{Grant, NewStaff, Staff};
pub use statistics::{
    AgencySteps, Cut, CutRow, Evaluation, Figures, Metric, MetricPage, Named, StatisticsReport,
    StatsFilter, Summary, figures_of,
};
pub use tickets::{Ticket, TicketStats};
pub use tokens::{ApiToken, CreatedToken};
pub use views::PublicDossier;

/// Unix seconds now; instants are stored as seconds.
pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}
