//! `GET /api/v1/statistics`: a period's figures in every cut, with the evaluation, for the
//! sub-tree of an agency the caller holds a role in.

use axum::Json;
use axum::extract::State;
use motcua_db::StatisticsReport;
use std::sync::Arc;

use super::error::ApiError;
use super::extract::{Params, StaffAuth};
use crate::AppState;
use crate::statistics::{ScopeError, StatsQuery};

impl From<ScopeError> for ApiError {
    fn from(e: ScopeError) -> Self {
        match e {
            ScopeError::Invalid(field, message) => ApiError::bad_request(field, message),
            ScopeError::Forbidden => ApiError::forbidden(
                "chỉ xem được thống kê của cơ quan mình và các đơn vị trực thuộc",
            ),
            ScopeError::Db(e) => e.into(),
        }
    }
}

pub async fn report(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Params(q): Params<StatsQuery>,
) -> Result<Json<StatisticsReport>, ApiError> {
    let filter = q.filter(&app.db, staff.id, app.now().date_naive()).await?;
    Ok(Json(
        app.db
            .statistics()
            .statistics_report(&filter, q.detail(true))
            .await?,
    ))
}

/// `GET /api/v1/statistics/support`: the support desk's counts of a period in the caller's
/// scope.
pub async fn support(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Params(q): Params<StatsQuery>,
) -> Result<Json<motcua_db::SupportReport>, ApiError> {
    let filter = q.filter(&app.db, staff.id, app.now().date_naive()).await?;
    Ok(Json(
        app.db
            .support()
            .report(filter.agency_id, filter.from, filter.to, app.now())
            .await?,
    ))
}
