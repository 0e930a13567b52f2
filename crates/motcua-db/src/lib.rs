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
mod kept;
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
mod bulk;
mod catalogue;
mod documents;
#[macro_use]
mod dossiers;
mod error;
mod migrate;
mod payments;
mod people;
mod portal;
mod ratings;
mod rows;
mod secret;
mod settings;
mod statistics;
mod support;
mod tickets;

pub use agencies::{Agency, NewAgency};
pub use alerts::Alert;
pub use alerts::digests::{Digest, DigestItem, DigestSection};
pub use audit::{AuditEntry, AuditReport};
pub use bulk::{BulkDossier, BulkHistory};
pub use catalogue::{ProcedureSummary, Published, StoredProcedure};
pub use days::{day_key, day_of, day_start};
pub use dossiers::board::{BoardEntry, PublicBoard};
pub use dossiers::{
    ActorRef, DossierFilter, DossierPage, DossierRecord, HistoryRow, IntakeExtras, PortalMarks,
    RECEIVING_STATUSES, TransitionRequest,
};
pub use engine::{Db, Durability, EngineKind, redact};
pub use error::DbError;
pub use files::signatures::{
    KeyOwner, KeySource, NewSignedResult, SignedResult, SigningKey,
    is_public_id as is_signed_result_id, new_public_id as new_signed_result_id,
};
pub use files::{
    Attachment, FileStore, MAX_FILE_BYTES, MAX_FILES, NewAttachment, Purpose, Upload,
    check as check_upload, sync_dir,
};
pub use outbox::OutboxMessage;
pub use outbox::delivery::{Attempt, Claimed, Delivery, FallbackRanks, Outcome, truncate_answer};
pub use outbox::templates::MessageTemplate;
pub use outbox::webhooks::{WEBHOOK_CHANNEL, Webhook, WebhookTarget};
pub use payments::{Payments, Proof, ReconLine, Settled, StoredPayment, StoredReceipt};
pub use people::citizens::{Citizen, CitizenSession, NewCitizen};
pub use people::identities::{Linked, PendingSignIn, SIGN_IN_SECONDS};
pub use people::sessions::{LOCKOUT_FAILURES, Login, SESSION_SECONDS, Session};
pub use people::staff::{Grant, NewStaff, Staff};
pub use people::tokens::{ApiToken, CreatedToken};
pub use portal::{Portal, SyncClaim, SyncState};
pub use ratings::{RatingSummary, StoredRating, can_be_rated};
pub use rows::instant as instant_of;
pub use secret::{hash_bytes, hash_token, random_token};
pub use statistics::{
    AgencySteps, Cut, CutRow, Evaluation, Figures, Metric, MetricPage, Named, StatisticsReport,
    StatsFilter, Summary, figures_of,
};
pub use tickets::{Ticket, TicketStats};
pub use views::PublicDossier;

// The stores, one per area; each is reached from a `Db` by the method of its name.
pub use agencies::Agencies;
pub use alerts::Alerts;
pub use audit::Audit;
pub use bulk::Bulk;
pub use catalogue::Catalogue;
pub use documents::{AccessLine, Documents, NewDocument, StoredDocument};
pub use dossiers::Dossiers;
pub use files::Files;
pub use outbox::Outbox;
pub use people::People;
pub use ratings::Ratings;
pub use statistics::Statistics;
pub use support::{
    AgencySupport, CaseFilter, CaseStep, NewCase, StoredCall, StoredCase, Support, SupportReport,
    SupportRow,
};
pub use tickets::Tickets;

/// Unix seconds now; instants are stored as seconds.
pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}
