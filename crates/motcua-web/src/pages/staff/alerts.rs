//! Cảnh báo — the officer's alerts before a dossier is late (raised by the sweep from the
//! domain's rule), unread first, each with the dossier and the next action to take there;
//! all marked read at once.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageForm;
use crate::pages::{Frame, PageError, render, vn_datetime};

pub struct Line {
    pub dossier_id: i64,
    pub code: String,
    pub label: &'static str,
    pub deadline: String,
    pub read: bool,
}

#[derive(Template)]
#[template(path = "staff/alerts.html")]
struct AlertsPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    lines: Vec<Line>,
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let lines = app
        .db
        .alerts_of(who.session.staff.id, 200)
        .await?
        .into_iter()
        .map(|a| Line {
            dossier_id: a.dossier_id,
            code: a.code,
            label: a.kind.label_vi(),
            deadline: vn_datetime(a.deadline),
            read: a.read,
        })
        .collect();
    Ok(render(&AlertsPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        lines,
    }))
}

#[derive(Deserialize)]
pub struct ReadForm {
    #[serde(default)]
    csrf: String,
}

/// Marks every alert of the officer read.
pub async fn read(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageForm(form): PageForm<ReadForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&form.csrf)?;
    app.db.read_alerts(who.session.staff.id, app.now()).await?;
    Ok(Redirect::to("/can-bo/canh-bao").into_response())
}
