//! Pages for people: the public catalogue, the procedure page and the dossier lookup,
//! rendered on the server from `templates/` (auto-escaped), in Vietnamese or English.

mod assets;
mod board;
mod catalogue;
pub(crate) mod citizen;
mod directory;
pub(crate) mod documents;
mod error;
pub mod extract;
mod home;
mod lookup;
pub mod payment;
pub(crate) mod results;
pub(crate) mod staff;
pub mod submitted;
pub(crate) mod support;
mod tickets;
mod verify;

pub use error::{PageError, explain};

use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

use crate::AppState;
use crate::i18n::{Lang, Tr};

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home::home))
        .route("/thu-tuc", get(catalogue::list))
        .route("/thu-tuc/{code}", get(catalogue::show))
        .route("/tra-cuu", get(lookup::lookup))
        .route("/ngon-ngu", get(home::switch_language))
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .route("/bang-cong-khai", get(board::board))
        .route("/ket-qua", get(results::page))
        .route("/ket-qua/du-lieu.csv", get(results::csv_file))
        .route("/ket-qua/du-lieu.json", get(results::json))
        .route("/danh-ba", get(directory::directory))
        .route("/hoi-dap", get(support::list))
        .route("/hoi-dap/gui", get(support::form).post(support::submit))
        .route("/hoi-dap/theo-doi", get(support::track))
        .route("/hoi-dap/{code}", get(support::show))
        .route("/lay-so", get(tickets::kiosk).post(tickets::take))
        .route("/lay-so/ve/{id}", get(tickets::ticket))
        .route("/man-hinh-so", get(tickets::display))
        .route("/man-hinh-so/du-lieu", get(tickets::display_data))
        .route(
            "/xac-thuc/{id}",
            get(verify::show)
                .post(verify::check)
                .layer(axum::extract::DefaultBodyLimit::max(verify::BODY_LIMIT)),
        )
        .route("/xac-thuc/{id}/chu-ky.p7s", get(verify::signature))
        .route(crate::payment::vnpay::IPN_PATH, get(payment::vnpay_ipn))
        .route(
            crate::payment::vnpay::RETURN_PATH,
            get(payment::vnpay_return),
        )
        .route(
            "/cong-dan/ho-so/{id}/thanh-toan",
            axum::routing::post(payment::citizen_pay),
        )
        .route(
            "/cong-dan/ho-so/{id}/bien-lai/{receipt}",
            get(payment::citizen_receipt),
        )
        .merge(citizen::router())
        .merge(staff::router())
}

/// What every page's frame needs: the texts, the other language and where to come back to.
pub struct Frame {
    pub t: Tr,
    pub other_lang: &'static str,
    pub back: String,
}

impl Frame {
    pub fn new(headers: &HeaderMap, uri: &Uri) -> Self {
        let lang = Lang::from_headers(headers);
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        Self {
            t: Tr(lang),
            other_lang: lang.other().code(),
            back: encode(path),
        }
    }
}

/// Whether a form's token is the session's, compared in constant time.
pub fn same_token(expected: &str, given: &str) -> bool {
    let (expected, given) = (expected.as_bytes(), given.as_bytes());
    expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Percent-encodes a path for use as a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Renders a template, or the friendly error page if rendering fails.
pub fn render<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            PageError::Internal.into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "leaving.html")]
struct Leaving {
    t: Tr,
    other_lang: &'static str,
    back: String,
    what: String,
    to: String,
}

/// A page that sends the browser on to another site (a payment gateway, an identity
/// provider) after a form: the pages' `form-action 'self'` forbids a form's answer to
/// redirect elsewhere, so the form lands here and this page moves on by itself (and offers
/// the link).
pub fn leave_to(frame: Frame, what: String, to: &str) -> Response {
    render(&Leaving {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        what,
        to: to.to_string(),
    })
}

/// A workbook's bytes as a download named `file_name`.
pub fn xlsx(file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Dates as people read them in Vietnam: 02/03/2026 08:00.
pub fn vn_datetime(instant: motcua_domain::calendar::Instant) -> String {
    instant
        .with_timezone(&motcua_domain::calendar::vietnam_offset())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// An attached file as a download: its stored type, offered as an attachment, never sniffed
/// or run by the browser.
pub async fn file_response(
    app: &crate::AppState,
    file: &motcua_db::Attachment,
) -> Result<Response, motcua_db::DbError> {
    use axum::http::header;
    let bytes = app.files.read(&file.sha256).await?;
    let ascii: String = file
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encode(&file.name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, file.media_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}
