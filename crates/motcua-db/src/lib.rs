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
mod outbox;
#[macro_use]
mod statistics;
mod agencies;
mod bulk;
mod calendar;
mod catalogue;
mod dossiers;
mod error;
mod migrate;
mod rows;
mod secret;
mod sessions;
mod staff;
mod writer;

pub use agencies::{Agency, NewAgency};
pub use audit::{AuditEntry, AuditReport};
pub use bulk::{BulkDossier, BulkHistory};
pub use catalogue::{ProcedureSummary, Published, StoredProcedure};
pub use dossiers::{
    ActorRef, DossierFilter, DossierPage, DossierRecord, HistoryRow, PublicDossier,
    TransitionRequest,
};
pub use engine::{Db, Durability, EngineKind, redact};
pub use error::DbError;
pub use outbox::OutboxMessage;
pub use secret::{hash_token, random_token};
pub use sessions::{LOCKOUT_FAILURES, Login, SESSION_SECONDS, Session};
pub use staff::{Grant, NewStaff, Staff};
pub use statistics::{
    Cut, CutRow, Evaluation, Figures, Metric, MetricPage, Named, StatisticsReport, StatsFilter,
    Summary, figures_of,
};

/// Unix seconds now; instants are stored as seconds.
pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}
