//! Hồ sơ sau một con số — the dossiers behind one figure of the statistics page.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_db::{Metric, StatsFilter};
use std::sync::Arc;

use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::staff::SignedIn;
use crate::pages::{Frame, PageError, render, vn_datetime};
use crate::statistics::{StatsQuery, query_of};

pub struct ListRow {
    pub id: i64,
    pub code: String,
    pub summary: String,
    pub status: &'static str,
    pub received: String,
    pub due: String,
    pub finished: String,
}

#[derive(Template)]
#[template(path = "staff/statistics_list.html")]
struct List {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    metric: String,
    metric_label: &'static str,
    query: String,
    rows: Vec<ListRow>,
    next: Option<i64>,
}

pub async fn list(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let t = frame.t;
    let name = q.metric.clone().unwrap_or_default();
    let metric = Metric::parse(&name).ok_or(PageError::BadRequest)?;
    let after = match q.after.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => a.parse::<i64>().map_err(|_| PageError::BadRequest)?,
        None => 0,
    };
    let filter: StatsFilter = q
        .filter(&app.db, who.session.staff.id, app.now().date_naive())
        .await?;
    let page = app
        .db
        .statistics()
        .statistics_dossiers(&filter, metric, after, 50)
        .await?;
    let rows = page
        .items
        .iter()
        .map(|d| ListRow {
            id: d.id,
            code: d.code.clone(),
            summary: d.summary.clone(),
            status: d.status.label_vi(),
            received: vn_datetime(d.received_at),
            due: d.due_at.map(vn_datetime).unwrap_or_default(),
            finished: d.finished_at.map(vn_datetime).unwrap_or_default(),
        })
        .collect();
    let key = match name.as_str() {
        "overdue_at_end" => "stats.overdue",
        "paused_at_end" => "stats.paused",
        "carried_over" => "stats.carried_over",
        "received" => "stats.received",
        "received_online" => "stats.received_online",
        "received_counter" => "stats.received_counter",
        "received_post" => "stats.received_post",
        "early" => "stats.early",
        "on_time" => "stats.on_time",
        "late" => "stats.late",
        "apologised" => "stats.apologised",
        "refused" => "stats.refused",
        "withdrawn" => "stats.withdrawn",
        "stopped" => "stats.stopped",
        "in_progress_on_time" => "stats.in_progress_on_time",
        _ => "stats.open",
    };
    Ok(render(&List {
        nav: who.nav(),
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        metric: name,
        metric_label: t.get(key),
        query: query_of(&filter),
        rows,
        next: page.next,
    }))
}
