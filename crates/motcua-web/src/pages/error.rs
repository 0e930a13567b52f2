//! Trang lỗi — friendly error pages in Vietnamese; causes are logged, never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::i18n::{Lang, Tr};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: Tr,
    other_lang: &'static str,
    back: String,
    title: &'static str,
    body: &'a str,
}

/// An error a page handler ends with.
#[derive(Debug)]
pub enum PageError {
    NotFound,
    /// Malformed input (a form or query that does not parse).
    BadRequest,
    /// A value that parses but is not acceptable, with what is wrong in Vietnamese.
    Invalid(String),
    /// A form without this session's token, or an action not allowed.
    Forbidden,
    /// A state change sent from another site (its Origin or Referer is not ours).
    CrossSite,
    /// A body (usually its files) larger than allowed.
    TooLarge,
    /// The storage cannot serve now (503: worth trying again in a while).
    Unavailable,
    Internal,
}

impl From<motcua_db::DbError> for PageError {
    fn from(e: motcua_db::DbError) -> Self {
        tracing::error!(error = %e, "storage error on a page");
        if e.is_unavailable() {
            Self::Unavailable
        } else {
            Self::Internal
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let t = Tr(Lang::Vi);
        let mut told = None;
        let (status, title, body) = match self {
            Self::Invalid(message) => {
                told = Some(message);
                (
                    StatusCode::BAD_REQUEST,
                    "error.bad_request.title",
                    "error.bad_request.body",
                )
            }
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "error.not_found.title",
                "error.not_found.body",
            ),
            Self::BadRequest => (
                StatusCode::BAD_REQUEST,
                "error.bad_request.title",
                "error.bad_request.body",
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "error.forbidden.title",
                "error.forbidden.body",
            ),
            Self::CrossSite => (
                StatusCode::FORBIDDEN,
                "error.cross_site.title",
                "error.cross_site.body",
            ),
            Self::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "error.too_large.title",
                "error.too_large.body",
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "error.unavailable.title",
                "error.unavailable.body",
            ),
            Self::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.internal.title",
                "error.internal.body",
            ),
        };
        let page = ErrorPage {
            t,
            other_lang: "en",
            back: "/".into(),
            title: t.get(title),
            body: told.as_deref().unwrap_or(t.get(body)),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, t.get(title)).into_response(),
        }
    }
}

/// What to tell the person about a refused write (a conflict, a rule, a bad value) on the
/// page itself; anything else is the error page.
pub fn explain(e: motcua_db::DbError) -> Result<String, PageError> {
    use motcua_db::DbError;
    match e {
        e @ (DbError::Conflict { .. }
        | DbError::Transition(_)
        | DbError::Invalid(_)
        | DbError::Calendar(_)
        | DbError::Forbidden(_)) => Ok(e.to_string()),
        e => Err(e.into()),
    }
}
