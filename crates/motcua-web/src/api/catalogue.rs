//! Catalogue and agencies: public reads.

use axum::Json;
use axum::extract::{Path, State};
use motcua_db::{Agency, ProcedureSummary, StoredProcedure};
use serde::Deserialize;
use std::sync::Arc;

use super::error::ApiError;
use super::extract::Params;
use crate::AppState;

pub async fn agencies(State(app): State<Arc<AppState>>) -> Result<Json<Vec<Agency>>, ApiError> {
    Ok(Json(app.db.agencies().all().await?))
}

#[derive(Deserialize)]
pub struct Filter {
    q: Option<String>,
    field: Option<String>,
    agency: Option<String>,
}

pub async fn list(
    State(app): State<Arc<AppState>>,
    Params(f): Params<Filter>,
) -> Result<Json<Vec<ProcedureSummary>>, ApiError> {
    let q = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    Ok(Json(
        app.db
            .catalogue()
            .procedures(q, f.field.as_deref(), f.agency.as_deref())
            .await?,
    ))
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    Path(code): Path<String>,
) -> Result<Json<Arc<StoredProcedure>>, ApiError> {
    app.db
        .catalogue()
        .procedure(&code)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(&format!("thủ tục mã “{code}”")))
}

pub async fn versions(
    State(app): State<Arc<AppState>>,
    Path(code): Path<String>,
) -> Result<Json<Vec<StoredProcedure>>, ApiError> {
    let list = app.db.catalogue().procedure_versions(&code).await?;
    if list.is_empty() {
        return Err(ApiError::not_found(&format!("thủ tục mã “{code}”")));
    }
    Ok(Json(list))
}
