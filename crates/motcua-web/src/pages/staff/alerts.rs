//! Cảnh báo — the officer's alerts before a dossier is late (raised by the sweep from the
//! domain's rule), unread first, each with the dossier and the next actions the officer may
//! take there; a leader's latest morning list; the channels the officer chose for them
//! beyond the bell. All marked read at once.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_domain::dossier::{NotifyChannel, STAFF_CHANNELS};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageForm;
use crate::pages::{Frame, PageError, render, vn_datetime};

/// Unread alerts offered with their next actions (each costs a look at its dossier).
const WITH_ACTIONS: usize = 30;

/// An action offered by an alert: a link opening it on the dossier's page.
pub struct Next {
    pub name: &'static str,
    pub label: &'static str,
}

pub struct Line {
    pub dossier_id: i64,
    pub code: String,
    pub label: &'static str,
    pub deadline: String,
    pub read: bool,
    pub next: Vec<Next>,
}

pub struct DigestLine {
    pub dossier_id: i64,
    pub code: String,
    pub procedure: String,
    pub due: String,
}

pub struct DigestPart {
    pub title: &'static str,
    pub lines: Vec<DigestLine>,
}

pub struct DigestView {
    pub day: String,
    pub made: String,
    pub parts: Vec<DigestPart>,
}

/// A channel the officer may choose, where it would go, and whether it is chosen.
pub struct ChannelChoice {
    pub name: &'static str,
    pub label: &'static str,
    pub address: Option<String>,
    pub chosen: bool,
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
    digest: Option<DigestView>,
    channels: Vec<ChannelChoice>,
    phone: String,
    email: String,
    saved: bool,
}

/// The actions `kind` offers on dossier `id` that the officer may take now.
async fn next_actions(
    app: &AppState,
    staff_id: i64,
    dossier_id: i64,
    kind: motcua_domain::dossier::AlertKind,
) -> Result<Vec<Next>, PageError> {
    let Some(d) = app.db.dossiers().dossier(dossier_id).await? else {
        return Ok(Vec::new());
    };
    let allowed = super::dossier::allowed_actions(app, staff_id, &d).await?;
    Ok(kind
        .next_actions(&d.state)
        .into_iter()
        .filter_map(|name| allowed.iter().find(|a| a.name == name))
        .map(|a| Next {
            name: a.name,
            label: a.label,
        })
        .collect())
}

fn channel_label(c: NotifyChannel) -> &'static str {
    match c {
        NotifyChannel::Email => "E-mail",
        NotifyChannel::Zalo => "Zalo",
        NotifyChannel::Sms => "SMS",
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    /// `1` after the channels were saved.
    #[serde(default)]
    luu: Option<String>,
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    crate::pages::extract::PageQuery(q): crate::pages::extract::PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let me = who.session.staff.id;
    let mut lines = Vec::new();
    for (i, a) in app
        .db
        .alerts()
        .alerts_of(me, 200)
        .await?
        .into_iter()
        .enumerate()
    {
        let next = if !a.read && i < WITH_ACTIONS {
            next_actions(&app, me, a.dossier_id, a.kind).await?
        } else {
            Vec::new()
        };
        lines.push(Line {
            dossier_id: a.dossier_id,
            code: a.code,
            label: a.kind.label_vi(),
            deadline: vn_datetime(a.deadline),
            read: a.read,
            next,
        });
    }
    let digest = app
        .db
        .alerts()
        .latest_digest(me)
        .await?
        .map(|d| DigestView {
            day: d.day.format("%d/%m/%Y").to_string(),
            made: vn_datetime(d.created_at),
            parts: d
                .sections
                .into_iter()
                .filter(|s| !s.items.is_empty())
                .map(|s| DigestPart {
                    title: s.group.title_vi(),
                    lines: s
                        .items
                        .into_iter()
                        .map(|i| DigestLine {
                            dossier_id: i.dossier_id,
                            code: i.code,
                            procedure: i.procedure,
                            due: i.due.map(vn_datetime).unwrap_or_default(),
                        })
                        .collect(),
                })
                .collect(),
        });
    let chosen = app.db.alerts().alert_channels(me).await?;
    let staff = app.db.people().staff_member(me).await?;
    let channels = STAFF_CHANNELS
        .into_iter()
        .map(|c| ChannelChoice {
            name: c.as_str(),
            label: channel_label(c),
            address: staff.as_ref().and_then(|s| {
                c.address(s.phone.as_deref(), s.email.as_deref())
                    .map(str::to_string)
            }),
            chosen: chosen.contains(&c),
        })
        .collect();
    let saved = q.luu.as_deref() == Some("1");
    Ok(render(&AlertsPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        lines,
        digest,
        channels,
        phone: staff
            .as_ref()
            .and_then(|s| s.phone.clone())
            .unwrap_or_default(),
        email: staff
            .as_ref()
            .and_then(|s| s.email.clone())
            .unwrap_or_default(),
        saved,
    }))
}

#[derive(Deserialize)]
pub struct ReadForm {
    #[serde(default)]
    csrf: String,
}

/// Marks every alert (and morning list) of the officer read.
pub async fn read(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageForm(form): PageForm<ReadForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&form.csrf)?;
    app.db
        .alerts()
        .read_alerts(who.session.staff.id, app.now())
        .await?;
    Ok(Redirect::to("/can-bo/canh-bao").into_response())
}

#[derive(Deserialize)]
pub struct ChannelsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email_address: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    zalo: Option<String>,
}

/// Saves the officer's phone and e-mail and the channels chosen; a bad address, or a
/// channel without its address, is refused by name.
pub async fn channels(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageForm(form): PageForm<ChannelsForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&form.csrf)?;
    let mut chosen = Vec::new();
    if form.email.is_some() {
        chosen.push(NotifyChannel::Email);
    }
    if form.zalo.is_some() {
        chosen.push(NotifyChannel::Zalo);
    }
    match app
        .db
        .alerts()
        .set_alert_delivery(
            who.session.staff.id,
            &form.phone,
            &form.email_address,
            &chosen,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/can-bo/canh-bao?luu=1").into_response()),
        Err(e) => Err(PageError::Invalid(crate::pages::error::explain(e)?)),
    }
}
