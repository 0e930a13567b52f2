//! Xuất Excel — the statistics of the selected period as an .xlsx download.

use axum::extract::State;

use axum::response::Response;
use std::sync::Arc;

use crate::AppState;
use crate::pages::PageError;
use crate::pages::extract::PageQuery;
use crate::pages::staff::SignedIn;
use crate::statistics::StatsQuery;

pub async fn excel(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageQuery(q): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let filter = q
        .filter(&app.db, who.session.staff.id, app.now().date_naive())
        .await?;
    let report = app.db.statistics().statistics_report(&filter, true).await?;
    let bytes = crate::statistics::excel::workbook(&report).map_err(|e| {
        tracing::error!(error = %e, "spreadsheet failed");
        PageError::Internal
    })?;
    Ok(crate::pages::xlsx(
        &format!("thong-ke-{}-{}.xlsx", filter.from, filter.to),
        bytes,
    ))
}
