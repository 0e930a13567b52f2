//! Lấy số thứ tự — the kiosk where a citizen takes a number for a field, the printable
//! ticket, and the hall's display of the numbers being called (refreshed by a small script,
//! with a chime, or by the page reloading itself without script).

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::extract::{PageForm, PageId, PageQuery};
use super::{Frame, PageError, render, vn_datetime};
use crate::AppState;
use crate::i18n::Tr;

pub struct Place {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "kiosk.html")]
struct Kiosk {
    t: Tr,
    places: Vec<Place>,
    chosen: Option<i64>,
    fields: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct Where {
    #[serde(default, rename = "co-quan")]
    agency: Option<i64>,
}

/// The centres (agencies with a counter), and the one chosen or the only one.
async fn places(
    app: &AppState,
    chosen: Option<i64>,
) -> Result<(Vec<Place>, Option<i64>), PageError> {
    let counters = app.db.agencies().counter_agencies().await?;
    let chosen = chosen
        .filter(|c| counters.iter().any(|a| a.id == *c))
        .or_else(|| (counters.len() == 1).then(|| counters[0].id));
    let places = counters
        .into_iter()
        .map(|a| Place {
            selected: Some(a.id) == chosen,
            id: a.id,
            name: a.name,
        })
        .collect();
    Ok((places, chosen))
}

pub async fn kiosk(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Where>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let (places, chosen) = places(&app, q.agency).await?;
    let fields = if chosen.is_some() {
        app.db.tickets().fields().await?
    } else {
        Vec::new()
    };
    Ok(render(&Kiosk {
        t: frame.t,
        places,
        chosen,
        fields,
    }))
}

#[derive(Deserialize)]
pub struct Take {
    agency: i64,
    field: String,
}

pub async fn take(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    PageForm(f): PageForm<Take>,
) -> Result<Response, PageError> {
    if let Some(addr) = addr
        && !app.throttles.tickets.allow(addr)
    {
        return Ok((StatusCode::TOO_MANY_REQUESTS, PageError::BadRequest).into_response());
    }
    let (_, chosen) = places(&app, Some(f.agency)).await?;
    let Some(agency) = chosen.filter(|c| *c == f.agency) else {
        return Err(PageError::NotFound);
    };
    let fields = app.db.tickets().fields().await?;
    let Some((code, name)) = fields.into_iter().find(|(c, _)| *c == f.field) else {
        return Err(PageError::NotFound);
    };
    let ticket = app
        .db
        .tickets()
        .take_ticket(agency, &code, &name, app.now())
        .await?;
    Ok(Redirect::to(&format!("/lay-so/ve/{}", ticket.id)).into_response())
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage {
    t: Tr,
    number: String,
    field: String,
    agency: String,
    issued: String,
    ahead: i64,
    status: String,
    agency_id: i64,
}

pub async fn ticket(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let Some(t) = app.db.tickets().ticket(id).await? else {
        return Err(PageError::NotFound);
    };
    let ahead = if t.status == "waiting" {
        app.db.tickets().ahead_of(&t).await?
    } else {
        0
    };
    let agency = app
        .db
        .agencies()
        .agency(t.agency_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let issued = chrono::DateTime::from_timestamp(t.issued_at, 0)
        .map(|d| vn_datetime(d.fixed_offset()))
        .unwrap_or_default();
    Ok(render(&TicketPage {
        t: frame.t,
        number: t.label(),
        field: t.field_name.clone(),
        agency,
        issued,
        ahead,
        status: t.status.clone(),
        agency_id: t.agency_id,
    }))
}

/// One call as the display shows it.
#[derive(Serialize)]
pub struct Call {
    pub id: i64,
    pub number: String,
    pub counter: String,
    pub field: String,
    pub recalls: i64,
}

#[derive(Serialize)]
pub struct Board {
    pub calls: Vec<Call>,
    pub waiting: i64,
}

async fn board(app: &AppState, agency: i64) -> Result<Board, PageError> {
    let now = app.now();
    let calls = app
        .db
        .tickets()
        .latest_calls(agency, now, 8)
        .await?
        .into_iter()
        .map(|t| Call {
            id: t.id,
            number: t.label(),
            counter: t.counter.clone().unwrap_or_default(),
            field: t.field_name.clone(),
            recalls: t.recalls,
        })
        .collect();
    Ok(Board {
        calls,
        waiting: app.db.tickets().waiting_count(agency, &[], now).await?,
    })
}

#[derive(Template)]
#[template(path = "display.html")]
struct Display {
    t: Tr,
    agency: String,
    agency_id: i64,
    board: Board,
}

pub async fn display(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Where>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let (_, chosen) = places(&app, q.agency).await?;
    let Some(agency_id) = chosen else {
        return Ok(Redirect::to("/lay-so").into_response());
    };
    let agency = app
        .db
        .agencies()
        .agency(agency_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    Ok(render(&Display {
        t: frame.t,
        agency,
        agency_id,
        board: board(&app, agency_id).await?,
    }))
}

/// The display's data, polled by its script.
pub async fn display_data(
    State(app): State<Arc<AppState>>,
    PageQuery(q): PageQuery<Where>,
) -> Result<Response, PageError> {
    let (_, chosen) = places(&app, q.agency).await?;
    let Some(agency_id) = chosen else {
        return Err(PageError::NotFound);
    };
    Ok(Json(board(&app, agency_id).await?).into_response())
}
