//! Tra cứu hồ sơ — the public lookup by code and secret: progress only, no personal data.

use axum::Json;
use axum::extract::State;
use motcua_domain::calendar::Instant;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::error::ApiError;
use super::extract::Params;
use crate::AppState;

#[derive(Deserialize)]
pub struct LookupQuery {
    code: String,
    secret: String,
}

#[derive(Serialize)]
pub struct PublicStep {
    name: String,
    done: bool,
    current: bool,
}

/// What anyone holding the receipt may see.
#[derive(Serialize)]
pub struct PublicView {
    code: String,
    procedure: String,
    status: u8,
    status_label: &'static str,
    received_at: Instant,
    due_at: Option<Instant>,
    finished_at: Option<Instant>,
    apologised: bool,
    steps: Vec<PublicStep>,
}

pub async fn lookup(
    State(app): State<Arc<AppState>>,
    Params(q): Params<LookupQuery>,
) -> Result<Json<PublicView>, ApiError> {
    let not_found = || ApiError::not_found("hồ sơ với mã và mã tra cứu này");
    let d = app
        .db
        .lookup(&q.code, &q.secret)
        .await?
        .ok_or_else(not_found)?;
    let procedure = app
        .db
        .procedure_version(d.procedure_version_id)
        .await?
        .map(|p| p.procedure.name.clone())
        .unwrap_or_default();
    let finished = d.status.is_final() || d.status == motcua_domain::dossier::Status::ResultReady;
    let steps = d
        .state
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| PublicStep {
            name: s.name.clone(),
            done: i < d.state.step || (finished && i <= d.state.step),
            current: i == d.state.step && !finished,
        })
        .collect();
    Ok(Json(PublicView {
        code: d.code,
        procedure,
        status: d.status.code(),
        status_label: d.status.label_vi(),
        received_at: d.received_at,
        due_at: d.due_at,
        finished_at: d.finished_at,
        apologised: d.apologised,
        steps,
    }))
}
