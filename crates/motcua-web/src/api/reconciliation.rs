//! `GET /api/v1/payments/reconciliation?date=YYYY-MM-DD`: a day's payments by collecting
//! agency, procedure, channel, gateway, method and state, with totals — the lines of the
//! staff page, for the caller's agencies (an administrator's, all).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use std::sync::Arc;

use super::error::ApiError;
use super::extract::{Params, StaffAuth};
use crate::AppState;
use crate::payment::report::Day;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayQuery {
    date: Option<String>,
}

pub async fn day(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Params(q): Params<DayQuery>,
) -> Result<Json<Day>, ApiError> {
    // Without the parameter, today; an empty one is not a date.
    let date = match q.date.as_deref().map(str::trim) {
        None => app.now().date_naive(),
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiError::bad_request(
                "date",
                format!("ngày “{text}” không đúng dạng năm-tháng-ngày"),
            )
        })?,
    };
    Ok(Json(
        crate::payment::report::day(&app, staff.id, date).await?,
    ))
}
