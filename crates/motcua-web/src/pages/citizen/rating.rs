//! Đánh giá — the rating form (ND 61 art. 31 criteria plus the overall level) and its two
//! doors: the owner's account, or the receipt's code and lookup secret (for dossiers filed
//! at the counter). One rating per dossier, only once it has ended.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, DossierRecord};
use motcua_domain::FieldError;
use motcua_domain::catalogue::Channel;
use motcua_domain::rating::{Criterion, Satisfaction, check_rating};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::CitizenIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageId};
use crate::pages::{Frame, PageError, encode, render};

/// One question of the form with its three answers (score, text).
pub struct Question {
    pub key: &'static str,
    pub text: &'static str,
    pub answers: Vec<(u8, &'static str)>,
}

/// The rating form's questions for a dossier (the online one only for online dossiers).
pub fn questions(online: bool) -> Vec<Question> {
    Criterion::ALL
        .into_iter()
        .filter(|c| online || *c != Criterion::Online)
        .map(|c| Question {
            key: c.key(),
            text: c.question_vi(),
            answers: [2u8, 1, 0].into_iter().zip(c.answers_vi()).collect(),
        })
        .collect()
}

/// The overall levels, best first (key, text).
pub fn levels() -> Vec<(&'static str, &'static str)> {
    Satisfaction::ALL
        .into_iter()
        .map(|s| (s.key(), s.label_vi()))
        .collect()
}

#[derive(Template)]
#[template(path = "citizen/rating_refused.html")]
struct Refused {
    t: Tr,
    other_lang: &'static str,
    back: String,
    return_to: String,
    errors: Vec<FieldError>,
}

async fn record(
    app: &AppState,
    d: &DossierRecord,
    pairs: &[(String, String)],
    via: &'static str,
) -> Result<Result<(), Vec<FieldError>>, PageError> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let answers: BTreeMap<String, String> = pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("q_").map(|k| (k.to_string(), v.clone())))
        .collect();
    let rating = match check_rating(
        &answers,
        value("overall").unwrap_or_default(),
        value("comment"),
        d.channel == Channel::Online,
    ) {
        Ok(r) => r,
        Err(errors) => return Ok(Err(errors)),
    };
    match app.db.ratings().rate(d, &rating, via, app.now()).await {
        Ok(()) => Ok(Ok(())),
        Err(DbError::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(e.into()),
    }
}

fn refused(headers: &HeaderMap, uri: &Uri, return_to: String, errors: Vec<FieldError>) -> Response {
    let frame = Frame::new(headers, uri);
    let page = render(&Refused {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        return_to,
        errors,
    });
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

pub async fn by_owner(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    who.check_csrf(csrf)?;
    let d = super::dossier::owned(&app, &who, id).await?;
    let here = format!("/cong-dan/ho-so/{id}");
    match record(&app, &d, &pairs, "account").await? {
        Ok(()) => Ok(Redirect::to(&format!("{here}?danh-gia=1")).into_response()),
        Err(errors) => Ok(refused(&headers, &uri, here, errors)),
    }
}

pub async fn by_code(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or(String::new(), |(_, v)| v.trim().to_string())
    };
    let (code, secret) = (value("code"), value("secret"));
    // The same answer for a wrong secret as for an unknown code, counted with the
    // lookup's wrong secrets.
    let throttle = &app.throttles.lookups;
    if addr.is_some_and(|a| !throttle.reserve(a)) {
        return Ok((
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            PageError::BadRequest,
        )
            .into_response());
    }
    let Some(d) = app.db.dossiers().lookup(&code, &secret).await? else {
        app.throttles
            .lookup_failed(&app.db, addr, app.now().timestamp())
            .await;
        return Err(PageError::NotFound);
    };
    if let Some(a) = addr {
        throttle.succeeded(a);
    }
    let here = format!("/tra-cuu?code={}&secret={}", encode(&code), encode(&secret));
    match record(&app, &d, &pairs, "code").await? {
        Ok(()) => Ok(Redirect::to(&format!("{here}&danh-gia=1")).into_response()),
        Err(errors) => Ok(refused(&headers, &uri, here, errors)),
    }
}

/// The rating form as a page embeds it.
pub struct RatingView {
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub questions: Vec<Question>,
    pub levels: Vec<(&'static str, &'static str)>,
}

impl RatingView {
    pub fn new(action: String, hidden: Vec<(String, String)>, online: bool) -> Self {
        Self {
            action,
            hidden,
            questions: questions(online),
            levels: levels(),
        }
    }
}
