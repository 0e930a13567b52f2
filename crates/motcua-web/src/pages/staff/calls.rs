//! Gọi số — the counter officer's caller: which counter and fields they serve, the number
//! being served, "call next", "call again", "absent", "done", and today's waiting and
//! service times per field.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{Ticket, TicketStats};
use motcua_domain::agency::Role;
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageQuery};
use crate::pages::{Frame, PageError, encode, render};

/// The officer's setup from the query string (`linh-vuc` may repeat).
#[derive(Default)]
pub struct Setup {
    agency: Option<i64>,
    quay: String,
    fields: Vec<String>,
    note: Option<String>,
}

impl Setup {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut setup = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "co-quan" => setup.agency = v.trim().parse().ok(),
                "quay" => setup.quay = v,
                "linh-vuc" if !v.trim().is_empty() => setup.fields.push(v.trim().to_string()),
                "note" => setup.note = Some(v),
                _ => {}
            }
        }
        setup
    }
}

pub struct FieldChoice {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "staff/calls.html")]
struct CallsPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    agencies: Vec<(i64, String, bool)>,
    agency: i64,
    counter: String,
    fields: Vec<FieldChoice>,
    serving: Option<Ticket>,
    waiting: i64,
    stats: Vec<TicketStats>,
    note: Option<String>,
}

/// The agencies where this officer staffs a counter.
async fn counters(app: &AppState, who: &SignedIn) -> Result<Vec<(i64, String)>, PageError> {
    let grants = app.db.people().grants(who.session.staff.id).await?;
    let mut out = Vec::new();
    for g in grants.iter().filter(|g| g.role == Role::CounterOfficer) {
        if let Some(a) = app.db.agencies().agency(g.agency_id).await?
            && !out.iter().any(|(id, _)| *id == a.id)
        {
            out.push((a.id, a.name));
        }
    }
    if out.is_empty() {
        return Err(PageError::Forbidden);
    }
    Ok(out)
}

/// The query string that keeps the officer's counter and fields between calls.
fn query_of(agency: i64, counter: &str, fields: &[String]) -> String {
    let mut q = format!("co-quan={agency}&quay={}", encode(counter));
    for f in fields {
        q.push_str(&format!("&linh-vuc={}", encode(f)));
    }
    q
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(pairs): PageQuery<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let q = Setup::from_pairs(pairs);
    let mine = counters(&app, &who).await?;
    let agency = q
        .agency
        .filter(|a| mine.iter().any(|(id, _)| id == a))
        .unwrap_or(mine[0].0);
    let now = app.now();
    let chosen: Vec<String> = q.fields.iter().take(3).cloned().collect();
    let fields = app
        .db
        .tickets()
        .fields()
        .await?
        .into_iter()
        .map(|(code, name)| FieldChoice {
            selected: chosen.contains(&code),
            code,
            name,
        })
        .collect();
    let day = motcua_db::day_of(now);
    let frame = Frame::new(&headers, &uri);
    Ok(render(&CallsPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        agencies: mine
            .into_iter()
            .map(|(id, name)| (id, name, id == agency))
            .collect(),
        agency,
        counter: q.quay.clone(),
        fields,
        serving: app
            .db
            .tickets()
            .serving(agency, who.session.staff.id, now)
            .await?,
        waiting: app.db.tickets().waiting_count(agency, &chosen, now).await?,
        stats: app.db.tickets().ticket_stats(agency, day, day).await?,
        note: q.note.clone(),
    }))
}

#[derive(Deserialize)]
pub struct Act {
    #[serde(default)]
    csrf: String,
    agency: i64,
    #[serde(default)]
    quay: String,
    #[serde(default)]
    fields: String,
    action: String,
}

pub async fn act(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageForm(f): PageForm<Act>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    let mine = counters(&app, &who).await?;
    if !mine.iter().any(|(id, _)| *id == f.agency) {
        return Err(PageError::Forbidden);
    }
    let fields: Vec<String> = f
        .fields
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .take(3)
        .map(str::to_string)
        .collect();
    let counter = f.quay.trim();
    let now = app.now();
    let staff = who.session.staff.id;
    let note = match f.action.as_str() {
        "next" => {
            if counter.is_empty() {
                Some("Hãy nhập số quầy trước khi gọi".to_string())
            } else {
                match app
                    .db
                    .tickets()
                    .call_next(f.agency, &fields, counter, staff, now)
                    .await?
                {
                    Some(t) => Some(format!("Đang gọi số {} tới {counter}", t.label())),
                    None => Some("Không còn ai chờ".to_string()),
                }
            }
        }
        action @ ("recall" | "served" | "absent") => {
            match app
                .db
                .tickets()
                .finish_ticket(f.agency, staff, action, now)
                .await?
            {
                Some(t) => Some(match action {
                    "recall" => format!("Đã gọi lại số {}", t.label()),
                    "served" => format!("Đã phục vụ xong số {}", t.label()),
                    _ => format!("Số {} vắng mặt", t.label()),
                }),
                None => Some("Chưa gọi số nào".to_string()),
            }
        }
        _ => return Err(PageError::BadRequest),
    };
    let mut to = format!("/can-bo/goi-so?{}", query_of(f.agency, counter, &fields));
    if let Some(n) = note {
        to.push_str(&format!("&note={}", encode(&n)));
    }
    Ok(Redirect::to(&to).into_response())
}
