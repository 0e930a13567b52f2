//! Hỏi đáp, phản ánh, kiến nghị — the public side of the support desk: the published
//! answers (searchable with or without marks, by procedure), the form to ask a question or
//! send a feedback (signed in or with a contact), and tracking one by its code and secret.
//! A private question, or one not yet answered and approved, never shows here.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use motcua_db::StoredCase;
use motcua_domain::support::{Kind, State as CaseState};
use serde::Deserialize;
use std::sync::Arc;

use super::citizen::MaybeCitizen;
use super::extract::{PageForm, PageQuery};
use super::staff::support::Typed;
use super::{Frame, PageError, render, vn_datetime};
use crate::AppState;
use crate::i18n::Tr;

/// What a published case shows: never who sent it.
pub struct PublicCase {
    pub code: String,
    pub kind: &'static str,
    pub title: String,
    pub content: String,
    pub answer: String,
    pub agency: String,
    pub procedure: String,
    pub received: String,
    pub published: String,
}

/// The public view of `c`, only when it is published.
pub fn public_case(c: &StoredCase) -> Option<PublicCase> {
    (c.state == CaseState::Published && c.published_at.is_some()).then(|| PublicCase {
        code: c.code.clone(),
        kind: c.kind.label_vi(),
        title: c.title.clone(),
        content: c.content.clone(),
        answer: c.answer.clone().unwrap_or_default(),
        agency: c.agency_name.clone(),
        procedure: c.procedure_code.clone().unwrap_or_default(),
        received: vn_datetime(c.received_at),
        published: c.published_at.map(vn_datetime).unwrap_or_default(),
    })
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default, rename = "thu-tuc")]
    procedure: String,
}

#[derive(Template)]
#[template(path = "support_list.html")]
struct ListPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    q: String,
    procedure: String,
    procedure_name: String,
    items: Vec<PublicCase>,
}

/// How many answers the public list shows.
const SHOWN: usize = 50;

/// `GET /hoi-dap`: the published answers, newest first.
pub async fn list(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let procedure = q.procedure.trim().to_string();
    let procedure_name = if procedure.is_empty() {
        String::new()
    } else {
        app.db
            .catalogue()
            .procedure(&procedure)
            .await?
            .map(|p| p.procedure.name.clone())
            .unwrap_or_default()
    };
    let items = app
        .db
        .support()
        .published(
            Some(procedure.as_str()).filter(|p| !p.is_empty()),
            q.q.trim(),
            SHOWN,
        )
        .await?;
    Ok(render(&ListPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        q: q.q.trim().to_string(),
        procedure,
        procedure_name,
        items: items.iter().filter_map(public_case).collect(),
    }))
}

#[derive(Template)]
#[template(path = "support_public.html")]
struct OnePage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    c: PublicCase,
}

/// `GET /hoi-dap/{code}`: one published answer; anything else is not found.
pub async fn show(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let found = app.db.support().by_code(&code).await?;
    let Some(c) = found.as_ref().and_then(public_case) else {
        return Err(PageError::NotFound);
    };
    Ok(render(&OnePage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        c,
    }))
}

#[derive(Template)]
#[template(path = "support_form.html")]
struct FormPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    typed: Typed,
    signed_in: bool,
    procedures: Vec<super::staff::queue::Choice>,
    fields: Vec<super::staff::queue::Choice>,
    errors: Vec<String>,
    sent: Option<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct FormQuery {
    #[serde(default)]
    loai: String,
    #[serde(default, rename = "thu-tuc")]
    procedure: String,
}

async fn form_page(
    app: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    typed: Typed,
    signed_in: bool,
    errors: Vec<String>,
    sent: Option<(String, String)>,
) -> Result<Response, PageError> {
    let frame = Frame::new(headers, uri);
    let (csrf, cookie) = crate::security::form_token(headers);
    let procedures = super::staff::support::procedure_choices(app, &typed.procedure).await?;
    let fields = super::home::fields(app)
        .await?
        .into_iter()
        .map(|f| super::staff::queue::Choice {
            selected: typed.field == f.code,
            value: f.code,
            label: f.name,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(&FormPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf,
        typed,
        signed_in,
        procedures,
        fields,
        errors,
        sent,
    });
    Ok(crate::security::with_form_cookie(status, page, cookie))
}

/// `GET /hoi-dap/gui[?loai=question|regulation|conduct&thu-tuc=CODE]`.
pub async fn form(
    State(app): State<Arc<AppState>>,
    MaybeCitizen(who): MaybeCitizen,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<FormQuery>,
) -> Result<Response, PageError> {
    let mut typed = Typed {
        kind: Kind::parse(&q.loai)
            .unwrap_or(Kind::Question)
            .as_str()
            .into(),
        procedure: q.procedure,
        visibility: "public".into(),
        channel: "online".into(),
        ..Typed::default()
    };
    if let Some(w) = &who {
        let c = &w.session.citizen;
        typed.name.clone_from(&c.full_name);
        typed.phone = c.phone.clone().unwrap_or_default();
        typed.email = c.email.clone().unwrap_or_default();
    }
    form_page(&app, &headers, &uri, typed, who.is_some(), Vec::new(), None).await
}

/// The agency that answers: the first agency of the chosen procedure; else, for a field,
/// the agency of the field's first procedure; else the agency chosen.
async fn competent(app: &AppState, typed: &Typed) -> Result<Option<i64>, PageError> {
    let mut procedure = typed.procedure.trim().to_string();
    let field = typed.field.trim();
    if procedure.is_empty()
        && !field.is_empty()
        && let Some(first) = app
            .db
            .catalogue()
            .procedures(None, Some(field), None)
            .await?
            .into_iter()
            .next()
    {
        procedure = first.code;
    }
    if let Some(p) = app.db.catalogue().procedure(&procedure).await? {
        let all = app.db.agencies().all().await?;
        for code in &p.procedure.agencies {
            if let Some(a) = all.iter().find(|a| a.code == code.as_str()) {
                return Ok(Some(a.id));
            }
        }
    }
    let chosen = typed.agency.trim().parse::<i64>().ok();
    Ok(match chosen {
        Some(id) => app.db.agencies().agency(id).await?.map(|a| a.id),
        None => None,
    })
}

/// `POST /hoi-dap/gui`: receives it for the competent agency, due by the working calendar;
/// answers with the code and the secret to track it.
pub async fn submit(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    MaybeCitizen(who): MaybeCitizen,
    headers: HeaderMap,
    uri: Uri,
    PageForm(mut typed): PageForm<Typed>,
) -> Result<Response, PageError> {
    let signed_in = who.is_some();
    typed.channel = "online".into();
    if !crate::security::form_token_matches(&headers, &typed.csrf) {
        let errors = vec![
            Frame::new(&headers, &uri)
                .t
                .get("signin.form_expired")
                .to_string(),
        ];
        return form_page(&app, &headers, &uri, typed, signed_in, errors, None).await;
    }
    if addr.is_some_and(|a| !app.throttles.support.allow(a)) {
        let errors = vec![
            Frame::new(&headers, &uri)
                .t
                .get("support.throttled")
                .to_string(),
        ];
        return form_page(&app, &headers, &uri, typed, signed_in, errors, None).await;
    }
    let agency = competent(&app, &typed).await?;
    let citizen = who.as_ref().map(|w| w.session.citizen.id);
    // Every problem at once: the agency, the choices, then each field.
    let mut errors = Vec::new();
    if agency.is_none() {
        errors.push("cần chọn thủ tục hoặc lĩnh vực của câu hỏi, phản ánh".to_string());
    }
    let new = match typed.case(agency.unwrap_or(0), citizen) {
        Ok(n) => Some(n),
        Err(more) => {
            errors.extend(more);
            None
        }
    };
    if let Some(n) = &new {
        errors.extend(n.check().into_iter().map(|e| e.message));
    }
    let (Some(new), true) = (new, errors.is_empty()) else {
        return form_page(&app, &headers, &uri, typed, signed_in, errors, None).await;
    };
    let actor = citizen.map_or_else(|| "public".to_string(), |id| format!("citizen:{id}"));
    match app
        .db
        .support()
        .open(&new, &app.calendar(), app.now(), &actor)
        .await
    {
        Ok(c) => {
            let fresh = Typed {
                kind: typed.kind.clone(),
                visibility: "public".into(),
                ..Typed::default()
            };
            form_page(
                &app,
                &headers,
                &uri,
                fresh,
                signed_in,
                Vec::new(),
                Some((c.code, c.secret)),
            )
            .await
        }
        Err(motcua_db::DbError::Invalid(errors)) => {
            let errors = errors.iter().map(|e| e.message.clone()).collect();
            form_page(&app, &headers, &uri, typed, signed_in, errors, None).await
        }
        Err(e) => {
            let message = crate::pages::explain(e)?;
            form_page(&app, &headers, &uri, typed, signed_in, vec![message], None).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct TrackQuery {
    #[serde(default)]
    ma: String,
    #[serde(default)]
    k: String,
}

/// What the submitter sees of their own case.
pub struct Tracked {
    pub code: String,
    pub kind: &'static str,
    pub title: String,
    pub state: &'static str,
    pub agency: String,
    pub received: String,
    pub due: String,
    pub answer: String,
    pub note: String,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "support_track.html")]
struct TrackPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    code: String,
    secret: String,
    found: Option<Tracked>,
    not_found: bool,
    throttled: bool,
    mine: Vec<Tracked>,
}

pub fn tracked(c: &StoredCase) -> Tracked {
    Tracked {
        code: c.code.clone(),
        kind: c.kind.label_vi(),
        title: c.title.clone(),
        state: c.state.label_vi(),
        agency: c.agency_name.clone(),
        received: vn_datetime(c.received_at),
        due: vn_datetime(c.due_at),
        // The answer reaches the submitter once it went out (not while a leader reviews it).
        answer: if matches!(c.state, CaseState::Answered | CaseState::Published) {
            c.answer.clone().unwrap_or_default()
        } else {
            String::new()
        },
        note: if matches!(c.state, CaseState::Forwarded | CaseState::Refused) {
            c.note.clone().unwrap_or_default()
        } else {
            String::new()
        },
        published: c.state == CaseState::Published,
    }
}

/// `GET /hoi-dap/theo-doi?ma=CODE&k=SECRET`: the submitter's own case; a signed-in citizen
/// also sees every case their account sent.
pub async fn track(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    MaybeCitizen(who): MaybeCitizen,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<TrackQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let (code, secret) = (q.ma.trim().to_string(), q.k.trim().to_string());
    let mut found = None;
    let mut not_found = false;
    let mut throttled = false;
    if !code.is_empty() {
        let throttle = &app.throttles.lookups;
        if addr.is_some_and(|a| !throttle.reserve(a)) {
            throttled = true;
        } else {
            match app.db.support().by_code(&code).await? {
                Some(c) if super::same_token(&c.secret, &secret) => {
                    if let Some(a) = addr {
                        throttle.succeeded(a);
                    }
                    found = Some(tracked(&c));
                }
                _ => {
                    app.throttles
                        .lookup_failed(&app.db, addr, app.now().timestamp())
                        .await;
                    not_found = true;
                }
            }
        }
    }
    let mine = match &who {
        Some(w) => app
            .db
            .support()
            .of_citizen(w.session.citizen.id)
            .await?
            .iter()
            .map(tracked)
            .collect(),
        None => Vec::new(),
    };
    let status = if throttled {
        StatusCode::TOO_MANY_REQUESTS
    } else if not_found {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::OK
    };
    let page = render(&TrackPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        code,
        secret,
        found,
        not_found,
        throttled,
        mine,
    });
    Ok((status, page).into_response())
}
