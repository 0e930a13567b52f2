//! Tra cứu hồ sơ — the public lookup by code and secret: progress only, no personal data.

use axum::Json;
use axum::extract::State;
use motcua_domain::calendar::Instant;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use super::error::{ApiError, ErrorCode};
use super::extract::Params;
use crate::AppState;

#[derive(Deserialize)]
pub struct LookupQuery {
    code: String,
    secret: String,
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
    steps: Vec<crate::progress::PublicStep>,
}

pub async fn lookup(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    Params(q): Params<LookupQuery>,
) -> Result<Json<PublicView>, ApiError> {
    let throttle = &app.throttles.lookups;
    if addr.is_some_and(|a| !throttle.reserve(a)) {
        return Err(ApiError::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::TooManyRequests,
            "quá nhiều lần tra cứu sai mã từ địa chỉ này; xin thử lại sau vài phút",
        ));
    }
    let Some(d) = app.db.dossiers().public_lookup(&q.code, &q.secret).await? else {
        app.throttles
            .lookup_failed(&app.db, addr, app.now().timestamp())
            .await;
        return Err(ApiError::not_found("hồ sơ với mã và mã tra cứu này"));
    };
    if let Some(a) = addr {
        throttle.succeeded(a);
    }
    let (procedure, steps) = crate::progress::progress(&app.db, &d).await?;
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
