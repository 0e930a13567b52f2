//! Công dân — the citizen's side: an account (phone or e-mail + password), online filing
//! with files, their dossiers with the full history, supplements sent online, downloads of
//! their own files and results, and the rating. Every page goes through [`CitizenIn`];
//! every form carries the session's CSRF token.

mod account;
mod dossier;
mod filing;
mod identity;
mod rating;

pub use rating::RatingView;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use motcua_db::CitizenSession;
use std::sync::Arc;

use crate::AppState;
use crate::pages::submitted::BODY_LIMIT;

pub const COOKIE: &str = "motcua_citizen";

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/cong-dan/dang-ky",
            get(account::register_form).post(account::register),
        )
        .route(
            "/cong-dan/dang-nhap",
            get(account::sign_in_form).post(account::sign_in),
        )
        .route("/cong-dan/dang-nhap/{provider}", get(identity::start))
        .route("/cong-dan/dang-nhap/{provider}/ve", get(identity::callback))
        .route("/dvcqg/nop", get(identity::deep_link))
        .route("/cong-dan/dang-xuat", post(account::sign_out))
        .route("/cong-dan", get(dossier::mine))
        .route(
            "/cong-dan/nop/{code}",
            get(filing::form)
                .post(filing::submit)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/cong-dan/ho-so/{id}", get(dossier::show))
        .route(
            "/cong-dan/ho-so/{id}/bo-sung",
            post(dossier::supplement).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/cong-dan/ho-so/{id}/rut", post(dossier::withdraw))
        .route("/cong-dan/ho-so/{id}/danh-gia", post(rating::by_owner))
        .route("/cong-dan/ho-so/{id}/tep/{file}", get(dossier::download))
        .route(
            "/cong-dan/kho-du-lieu",
            get(crate::pages::documents::citizen_store),
        )
        .route(
            "/cong-dan/kho-du-lieu/{doc}",
            get(crate::pages::documents::citizen_download),
        )
        .route(
            "/cong-dan/kho-du-lieu/{doc}/an",
            post(crate::pages::documents::citizen_hide),
        )
        .route("/tra-cuu/danh-gia", post(rating::by_code))
}

/// The signed-in citizen, from the session cookie; otherwise a redirect to sign in that
/// comes back here afterwards.
pub struct CitizenIn {
    pub session: CitizenSession,
    pub token: String,
}

async fn current(app: &AppState, parts: &Parts) -> Result<Option<CitizenIn>, Response> {
    let Some(token) = crate::cookie::get(&parts.headers, COOKIE) else {
        return Ok(None);
    };
    match app
        .db
        .people()
        .citizen_session(&token, app.now().timestamp())
        .await
    {
        Ok(Some(session)) => Ok(Some(CitizenIn { session, token })),
        Ok(None) => Ok(None),
        Err(e) => Err(crate::pages::PageError::from(e).into_response()),
    }
}

impl<S> FromRequestParts<S> for CitizenIn
where
    Arc<AppState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = Arc::<AppState>::from_ref(state);
        match current(&app, parts).await? {
            Some(who) => Ok(who),
            None => {
                let here = parts
                    .uri
                    .path_and_query()
                    .map_or("/cong-dan", |p| p.as_str());
                let to = format!("/cong-dan/dang-nhap?next={}", crate::pages::encode(here));
                Err(Redirect::to(&to).into_response())
            }
        }
    }
}

/// The signed-in citizen if there is one, for pages open to everyone that remember who
/// sent something.
pub struct MaybeCitizen(pub Option<CitizenIn>);

impl<S> FromRequestParts<S> for MaybeCitizen
where
    Arc<AppState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = Arc::<AppState>::from_ref(state);
        Ok(Self(current(&app, parts).await?))
    }
}

impl CitizenIn {
    /// A form's token must be this session's.
    pub fn check_csrf(&self, given: &str) -> Result<(), crate::pages::PageError> {
        if crate::pages::same_token(&self.session.csrf, given) {
            Ok(())
        } else {
            Err(crate::pages::PageError::Forbidden)
        }
    }
}

/// A local path to return to after signing in (never another site).
pub fn safe_next(next: &str) -> String {
    let next = next.trim();
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/cong-dan".into()
    }
}
