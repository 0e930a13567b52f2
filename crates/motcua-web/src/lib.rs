//! motcua's HTTP face: the router, shared state, and the versioned JSON API under `/api/v1`.

mod access;
pub mod api;
pub mod client;
mod cookie;
mod filing;
mod i18n;
mod outbound;
mod pages;
pub mod payment;
pub mod population;
mod progress;
pub mod reader;
pub mod security;
pub mod signing;
pub mod sso;
pub mod statistics;
mod throttle;

pub use security::{PortalInbound, SecuritySettings};

use axum::Router;
use motcua_db::{Db, FileStore};
use motcua_domain::calendar::{Instant, WorkCalendar, vietnam_offset};
use std::sync::{Arc, RwLock};

/// What every handler shares: the database and the working calendar built from its data.
#[derive(Debug)]
pub struct AppState {
    pub db: Db,
    /// Where attached files' bytes live.
    pub files: FileStore,
    calendar: RwLock<Arc<WorkCalendar>>,
    /// Limits per client address (sign-in failures, registrations, lookups, tickets).
    pub(crate) throttles: throttle::Throttles,
    /// The proxies in front of motcua.
    pub security: SecuritySettings,
    /// The official forms: templates (shipped or overridden), regimes, public address.
    pub docs: DocsSettings,
    /// The public results of recent periods, computed at most every few minutes.
    pub(crate) results: pages::results::Cache,
    /// The national population database, when configured (set once at start).
    pub population: std::sync::OnceLock<population::Adapter>,
    /// The national identity providers citizens sign in with, when configured (set once).
    pub sso: std::sync::OnceLock<sso::Sso>,
    /// The payment gateways, when configured (set once at start).
    pub payments: std::sync::OnceLock<payment::Gateways>,
}

/// How the official forms are printed.
#[derive(Debug)]
pub struct DocsSettings {
    pub templates: motcua_docs::Templates,
    pub regimes: motcua_docs::RegimeConfig,
    /// The address citizens reach motcua at (for the QR codes), e.g. `https://dichvucong.example.vn`;
    /// without it, the address the request came to.
    pub public_url: Option<String>,
    /// The time-stamping authority signatures are stamped by, if one is configured.
    pub tsa: Option<crate::signing::TimestampAuthority>,
}

impl Default for DocsSettings {
    fn default() -> Self {
        Self {
            templates: motcua_docs::Templates::shipped(),
            regimes: motcua_docs::RegimeConfig::default(),
            public_url: None,
            tsa: None,
        }
    }
}

impl AppState {
    pub fn new(db: Db, calendar: WorkCalendar, files: FileStore) -> Arc<Self> {
        Self::with_docs(db, calendar, files, DocsSettings::default())
    }

    /// [`AppState::new`] with the forms' settings.
    pub fn with_docs(
        db: Db,
        calendar: WorkCalendar,
        files: FileStore,
        docs: DocsSettings,
    ) -> Arc<Self> {
        Self::with_settings(db, calendar, files, docs, SecuritySettings::default())
    }

    /// [`AppState::with_docs`] with the deployment's security settings.
    pub fn with_settings(
        db: Db,
        calendar: WorkCalendar,
        files: FileStore,
        docs: DocsSettings,
        security: SecuritySettings,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            files,
            docs,
            calendar: RwLock::new(Arc::new(calendar)),
            throttles: throttle::Throttles::default(),
            security,
            results: pages::results::Cache::default(),
            population: std::sync::OnceLock::new(),
            sso: std::sync::OnceLock::new(),
            payments: std::sync::OnceLock::new(),
        })
    }

    /// The calendar in force (cheap: a shared pointer).
    pub fn calendar(&self) -> Arc<WorkCalendar> {
        match self.calendar.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Replaces the calendar after an administrator edited its data.
    pub fn set_calendar(&self, calendar: WorkCalendar) {
        match self.calendar.write() {
            Ok(mut guard) => *guard = Arc::new(calendar),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(calendar),
        }
    }

    /// Whether an account at `assurance` counts as verified with the national identity here
    /// (the domain's rule at the deployment's level).
    pub fn identity_verified(&self, assurance: Option<u8>) -> bool {
        let level = self
            .sso
            .get()
            .map_or(motcua_domain::identity::DEFAULT_VERIFIED_LEVEL, |s| {
                s.verified_level
            });
        motcua_domain::identity::is_verified(assurance, level)
    }

    /// Now, in Vietnam's time.
    pub fn now(&self) -> Instant {
        chrono::Utc::now().with_timezone(&vietnam_offset())
    }
}

/// The whole application.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .fallback(|| async { pages::PageError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            durable_reads,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            security::protect,
        ))
        .with_state(state)
}

/// An answer to a read waits until every write it could have seen is on disk
/// ([`Db::durable`]); a write's answer already waits for its own commit.
async fn durable_reads(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let reads = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let response = next.run(request).await;
    if reads && let Err(e) = state.db.durable().await {
        tracing::error!("{e}");
        return (axum::http::StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
    }
    response
}
