//! Mẫu tin nhắn — administrators edit the subject and text of each message per event and
//! channel; an edit is saved only when it renders with sample fields.

use crate::pages::extract::PageForm;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_notify::template::{EVENTS, STAFF_EVENTS, channels_for, check};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::admin::require_admin;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render};

/// One editable template with what it renders to.
pub struct Row {
    pub event: &'static str,
    pub channel: &'static str,
    pub subject: String,
    pub body: String,
    pub preview: String,
    pub error: Option<String>,
    pub updated: String,
}

pub struct Group {
    pub event: &'static str,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "staff/templates.html")]
struct TemplatesPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    groups: Vec<Group>,
    saved: bool,
}

/// A rejected edit, shown in place of the stored text.
struct Rejected {
    event: String,
    channel: String,
    subject: String,
    body: String,
    error: String,
}

async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    rejected: Option<Rejected>,
    saved: bool,
) -> Result<Response, PageError> {
    let stored = app.db.outbox().message_templates().await?;
    let mut groups = Vec::new();
    for event in EVENTS.iter().chain(STAFF_EVENTS) {
        let mut rows = Vec::new();
        for channel in channels_for(event) {
            let found = stored
                .iter()
                .find(|t| t.event == *event && t.channel == *channel);
            let (mut subject, mut body, updated) = match found {
                Some(t) => (t.subject.clone(), t.body.clone(), t.updated_by.clone()),
                None => {
                    let (s, b) =
                        motcua_notify::defaults::default_for(event, channel).unwrap_or(("", ""));
                    (s.to_string(), b.to_string(), String::new())
                }
            };
            let mut error = None;
            if let Some(r) = rejected
                .as_ref()
                .filter(|r| r.event == *event && r.channel == *channel)
            {
                subject.clone_from(&r.subject);
                body.clone_from(&r.body);
                error = Some(r.error.clone());
            }
            let preview = match check(event, &subject, &body) {
                Ok(r) if r.subject.is_empty() => r.body,
                Ok(r) => format!("{}\n\n{}", r.subject, r.body),
                Err(e) => e.to_string(),
            };
            rows.push(Row {
                event,
                channel,
                subject,
                body,
                preview,
                error,
                updated,
            });
        }
        groups.push(Group { event, rows });
    }
    let status = if rejected.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = render(&TemplatesPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        groups,
        saved,
    });
    Ok((status, body).into_response())
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    crate::pages::extract::PageQuery(q): crate::pages::extract::PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    require_admin(&app, &who).await?;
    let frame = Frame::new(&headers, &uri);
    page(&app, &who, frame, None, q.saved.is_some()).await
}

#[derive(Deserialize)]
pub struct Edit {
    #[serde(default)]
    csrf: String,
    event: String,
    channel: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

pub async fn save(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(e): PageForm<Edit>,
) -> Result<Response, PageError> {
    who.check_csrf(&e.csrf)?;
    require_admin(&app, &who).await?;
    if !channels_for(&e.event).contains(&e.channel.as_str()) {
        return Err(PageError::NotFound);
    }
    let subject = motcua_domain::text::nfc(e.subject.trim());
    let body = motcua_domain::text::nfc(e.body.trim()).replace("\r\n", "\n");
    match check(&e.event, &subject, &body) {
        Ok(_) => {
            let actor = format!("staff:{}", who.session.staff.id);
            app.db
                .outbox()
                .save_message_template(&e.event, &e.channel, &subject, &body, &actor)
                .await?;
            let target = format!("/can-bo/quan-tri/mau-tin?saved=1#{}-{}", e.event, e.channel);
            Ok(Redirect::to(&target).into_response())
        }
        Err(error) => {
            let rejected = Rejected {
                event: e.event,
                channel: e.channel,
                subject,
                body,
                error: error.to_string(),
            };
            page(
                &app,
                &who,
                Frame::new(&headers, &uri),
                Some(rejected),
                false,
            )
            .await
        }
    }
}
