//! Bảng công khai — the public board for the hall's screen and the web: dossiers past their
//! appointment and the apologies issued, with no personal data. `?man-hinh=1` gives the
//! large, self-refreshing layout for a screen.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

use super::extract::PageQuery;
use super::{Frame, PageError, render, vn_datetime};
use crate::AppState;
use crate::i18n::Tr;

pub struct Line {
    pub code: String,
    pub procedure: String,
    pub agency: String,
    pub received: String,
    pub due: String,
    pub late_days: i64,
    pub previous_due: String,
    pub reason: String,
    pub issued_late: bool,
}

#[derive(Template)]
#[template(path = "board.html")]
struct Board {
    t: Tr,
    other_lang: &'static str,
    back: String,
    screen: bool,
    now: String,
    overdue: Vec<Line>,
    overdue_total: i64,
    apologies: Vec<Line>,
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default, rename = "man-hinh")]
    screen: Option<String>,
}

pub async fn board(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<BoardQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let now = app.now();
    let board = app.db.dossiers().public_board(now, 100).await?;
    let line = |e: motcua_db::BoardEntry| Line {
        late_days: e.due_at.map_or(0, |due| (now - due).num_days().max(0)),
        code: e.code,
        procedure: e.procedure_name,
        agency: e.agency_name,
        received: vn_datetime(e.received_at),
        due: e.due_at.map(vn_datetime).unwrap_or_default(),
        previous_due: e.previous_due.map(vn_datetime).unwrap_or_default(),
        reason: e.reason.unwrap_or_default(),
        issued_late: e.issued_late,
    };
    Ok(render(&Board {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        screen: q.screen.is_some(),
        now: vn_datetime(now),
        overdue: board.overdue.into_iter().map(line).collect(),
        overdue_total: board.overdue_total,
        apologies: board.apologies.into_iter().map(line).collect(),
    }))
}
