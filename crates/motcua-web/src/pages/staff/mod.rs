//! Khu vực cán bộ — the staff workspace: sign-in, work queues and the dossier page with the
//! actions the signed-in officer may take. Every page goes through [`SignedIn`]; every form
//! carries the session's CSRF token, checked in [`SignedIn::check_csrf`].

mod admin;
mod alerts;
mod calendar;
mod calls;
mod delivery;
mod dossier;
mod files;
pub(crate) mod forms;
mod hotline;
mod intake;
mod nav;
mod password;
mod payments;
pub(crate) mod queue;
mod search;
pub(crate) mod sign;
pub(crate) mod signin;
mod statistics;
mod store;
pub(crate) mod support;
mod support_policy;
mod support_stats;
mod templates;
mod tokens;
mod versions;

use axum::Router;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use motcua_db::Session;
use std::sync::Arc;

use crate::AppState;

pub const COOKIE: &str = "motcua_session";
/// Where an officer changes their password.
pub const PASSWORD_PAGE: &str = "/can-bo/doi-mat-khau";

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/can-bo/dang-nhap", get(signin::form).post(signin::submit))
        .route("/can-bo/dang-xuat", axum::routing::post(signin::sign_out))
        .route("/can-bo", get(queue::queue))
        .route("/can-bo/tim-kiem", get(search::search))
        .route("/can-bo/canh-bao", get(alerts::show).post(alerts::read))
        .route(
            "/can-bo/canh-bao/kenh",
            axum::routing::post(alerts::channels),
        )
        .route("/can-bo/ho-so/{id}", get(dossier::show).post(dossier::act))
        .route("/can-bo/ban-ky", get(intake::pad_screen))
        .route(
            "/can-bo/dan-cu",
            axum::routing::post(crate::population::look_up),
        )
        .route(
            "/can-bo/ho-so/{id}/giay-hen",
            get(intake::receipt).post(intake::sign_receipt),
        )
        .route(
            "/can-bo/ho-so/{id}/tep",
            axum::routing::post(files::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::pages::submitted::BODY_LIMIT,
            )),
        )
        .route("/can-bo/ho-so/{id}/tep/{file}", get(files::download))
        .route("/can-bo/ho-so/{id}/kho-du-lieu", get(store::staff_store))
        .route(
            "/can-bo/ho-so/{id}/kho-du-lieu/{doc}",
            get(store::staff_download),
        )
        .route("/can-bo/ho-so/{id}/ky", axum::routing::post(sign::sign))
        .route(
            "/can-bo/ho-so/{id}/thu-phi",
            axum::routing::post(payments::record),
        )
        .route(
            "/can-bo/ho-so/{id}/bien-lai/{receipt}",
            get(payments::receipt),
        )
        .route("/can-bo/thanh-toan", get(payments::reconciliation))
        .route(
            "/can-bo/thanh-toan/excel",
            get(payments::reconciliation_excel),
        )
        .route(
            "/can-bo/doi-mat-khau",
            get(password::form).post(password::change),
        )
        .route("/can-bo/quan-tri", get(admin::show).post(admin::change))
        .route(
            "/can-bo/quan-tri/ma-api",
            get(tokens::show).post(tokens::change),
        )
        .route(
            "/can-bo/tiep-nhan",
            get(intake::form)
                .post(intake::submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::pages::submitted::BODY_LIMIT,
                )),
        )
        .route(
            "/can-bo/quan-tri/thu-tuc/{code}",
            get(versions::show).post(versions::change),
        )
        .route("/can-bo/tiep-nhan/goi-y", get(intake::suggest))
        .route(
            "/can-bo/ho-so/{id}/bieu-mau/{form}",
            get(forms::dossier_form),
        )
        .route("/can-bo/so-theo-doi", get(forms::log_book))
        .route("/can-bo/goi-so", get(calls::show).post(calls::act))
        .route("/can-bo/ho-tro", get(support::queue))
        .route(
            "/can-bo/ho-tro/moi",
            get(support::new_form).post(support::create),
        )
        .route(
            "/can-bo/ho-tro/cai-dat",
            get(support_policy::show).post(support_policy::change),
        )
        .route("/can-bo/ho-tro/thong-ke", get(support_stats::page))
        .route("/can-bo/ho-tro/thong-ke/excel", get(support_stats::excel))
        .route("/can-bo/ho-tro/{id}", get(support::show).post(support::act))
        .route("/can-bo/tong-dai", get(hotline::show).post(hotline::record))
        .route("/can-bo/thong-ke", get(statistics::overview))
        .route("/can-bo/thong-ke/co-quan/{id}", get(statistics::agency))
        .route("/can-bo/thong-ke/ho-so", get(statistics::list))
        .route("/can-bo/thong-ke/excel", get(statistics::excel))
        .route("/can-bo/thong-ke/can-bo", get(statistics::officers))
        .route(
            "/can-bo/quan-tri/lich",
            get(calendar::show).post(calendar::change),
        )
        .route(
            "/can-bo/quan-tri/mau-tin",
            get(templates::show).post(templates::save),
        )
}

/// The agency a page shows: `requested` when the officer holds a role there, else their
/// first (none for an officer without roles).
pub fn agency_or_first(agencies: &[(i64, String)], requested: Option<i64>) -> Option<i64> {
    requested
        .filter(|a| agencies.iter().any(|(id, _)| id == a))
        .or_else(|| agencies.first().map(|(id, _)| *id))
}

/// The catalogue's name of a received component, or its code when the case has no such one.
pub fn component_name(case: Option<&motcua_domain::catalogue::Case>, code: &str) -> String {
    case.and_then(|k| k.components.iter().find(|x| x.code == code))
        .map_or_else(|| code.to_string(), |x| x.name.clone())
}

/// The signed-in staff member, from the session cookie; otherwise a redirect to sign in.
pub struct SignedIn {
    pub session: Session,
    pub token: String,
    /// Every role the officer holds, at any agency (what the menu offers).
    pub roles: Vec<motcua_domain::agency::Role>,
    /// How many of the officer's alerts are unread (the bell's count).
    pub unread: i64,
}

impl<S> FromRequestParts<S> for SignedIn
where
    Arc<AppState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = Arc::<AppState>::from_ref(state);
        let to_sign_in = || Redirect::to("/can-bo/dang-nhap").into_response();
        let Some(token) = crate::cookie::get(&parts.headers, COOKIE) else {
            return Err(to_sign_in());
        };
        match app.db.people().session(&token, app.now().timestamp()).await {
            // After an administrator's reset, nothing but choosing a new password (or
            // signing out) until it is done.
            Ok(Some(session))
                if session.staff.must_change_password
                    && !matches!(parts.uri.path(), PASSWORD_PAGE | "/can-bo/dang-xuat") =>
            {
                Err(Redirect::to(PASSWORD_PAGE).into_response())
            }
            Ok(Some(session)) => {
                let id = session.staff.id;
                match (
                    app.db.people().grants(id).await,
                    app.db.alerts().unread_alerts(id).await,
                ) {
                    (Ok(grants), Ok(unread)) => Ok(Self {
                        roles: grants.into_iter().map(|g| g.role).collect(),
                        unread,
                        session,
                        token,
                    }),
                    (Err(e), _) | (_, Err(e)) => {
                        Err(crate::pages::PageError::from(e).into_response())
                    }
                }
            }
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(crate::pages::PageError::from(e).into_response()),
        }
    }
}

impl SignedIn {
    /// The agencies the officer holds a role at, with their names, in the order granted.
    pub async fn agencies(
        &self,
        app: &AppState,
    ) -> Result<Vec<(i64, String)>, crate::pages::PageError> {
        let mut out: Vec<(i64, String)> = Vec::new();
        for g in app.db.people().grants(self.session.staff.id).await? {
            if !out.iter().any(|(id, _)| *id == g.agency_id) {
                let name = app
                    .db
                    .agencies()
                    .agency(g.agency_id)
                    .await?
                    .map_or(g.agency_code, |a| a.name);
                out.push((g.agency_id, name));
            }
        }
        Ok(out)
    }

    /// A form's token must be this session's (cross-site forms cannot know it).
    pub fn check_csrf(&self, given: &str) -> Result<(), crate::pages::PageError> {
        if crate::pages::same_token(&self.session.csrf, given) {
            Ok(())
        } else {
            Err(crate::pages::PageError::Forbidden)
        }
    }
}
