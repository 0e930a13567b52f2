//! Tra cứu hồ sơ — the public tracking page: code and lookup secret in, progress out,
//! never personal data.

use crate::pages::extract::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

use super::{Frame, PageError, render, vn_datetime};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::citizen::RatingView;

#[derive(Deserialize)]
pub struct LookupQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    secret: String,
    #[serde(default, rename = "danh-gia")]
    rated: Option<String>,
}

pub struct ResultView {
    pub code: String,
    pub procedure: String,
    pub status: &'static str,
    pub status_code: u8,
    pub received: String,
    pub due: Option<String>,
    pub finished: Option<String>,
    pub apologised: bool,
    pub steps: Vec<crate::progress::PublicStep>,
}

#[derive(Template)]
#[template(path = "lookup.html")]
struct Lookup {
    t: Tr,
    other_lang: &'static str,
    back: String,
    code: String,
    secret: String,
    not_found: bool,
    /// Too many wrong code and secret pairs from this address lately.
    throttled: bool,
    result: Option<ResultView>,
    rating: Option<RatingView>,
    rated: Option<&'static str>,
    just_rated: bool,
}

pub async fn lookup(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<LookupQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let code = q.code.trim().to_string();
    let secret = q.secret.trim().to_string();
    let mut result = None;
    let asked = !code.is_empty() && !secret.is_empty();
    let throttle = &app.throttles.lookups;
    let throttled = asked && addr.is_some_and(|a| !throttle.reserve(a));
    let mut rating = None;
    let mut rated = None;
    if asked
        && !throttled
        && let Some(d) = app.db.dossiers().public_lookup(&code, &secret).await?
    {
        // Once it has ended, whoever holds the receipt may rate the service, once.
        if d.finished_at.is_some()
            && let Some(full) = app.db.dossiers().lookup(&code, &secret).await?
        {
            match app.db.ratings().rating(full.id).await? {
                Some(r) => rated = Some(r.rating.overall.label_vi()),
                None => {
                    rating = Some(RatingView::new(
                        "/tra-cuu/danh-gia".into(),
                        vec![
                            ("code".into(), full.code.clone()),
                            ("secret".into(), secret.clone()),
                        ],
                        full.channel == motcua_domain::catalogue::Channel::Online,
                    ));
                }
            }
        }
        let (procedure, steps) = crate::progress::progress(&app.db, &d).await?;
        result = Some(ResultView {
            steps,
            code: d.code,
            procedure,
            status: d.status.label_vi(),
            status_code: d.status.code(),
            received: vn_datetime(d.received_at),
            due: d.due_at.map(vn_datetime),
            finished: d.finished_at.map(vn_datetime),
            apologised: d.apologised,
        });
    }
    let not_found = asked && !throttled && result.is_none();
    if not_found {
        app.throttles
            .lookup_failed(&app.db, addr, app.now().timestamp())
            .await;
    }
    if result.is_some()
        && let Some(a) = addr
    {
        throttle.succeeded(a);
    }
    let page = render(&Lookup {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        not_found,
        throttled,
        code,
        secret,
        result,
        rating,
        rated,
        just_rated: q.rated.is_some(),
    });
    Ok(if throttled {
        (axum::http::StatusCode::TOO_MANY_REQUESTS, page).into_response()
    } else {
        page
    })
}
