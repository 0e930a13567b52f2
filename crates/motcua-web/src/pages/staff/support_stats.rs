//! Thống kê hỗ trợ — the desk's counts for a period in the officer's scope: by agency and
//! kind, on time or late, the hotline's calls, indicator 8 and criterion (g); the same as a
//! workbook.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_db::SupportReport;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::{Frame, PageError, render};
use crate::statistics::StatsQuery;

#[derive(Template)]
#[template(path = "staff/support_stats.html")]
struct StatsPage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    r: SupportReport,
    query: String,
    indicator_8: String,
    criterion_g: String,
}

async fn report(
    app: &AppState,
    who: &SignedIn,
    q: &StatsQuery,
) -> Result<(SupportReport, String), PageError> {
    let filter = q
        .filter(&app.db, who.session.staff.id, app.now().date_naive())
        .await?;
    let report = app
        .db
        .support()
        .report(filter.agency_id, filter.from, filter.to, app.now())
        .await?;
    Ok((
        report,
        format!(
            "from={}&to={}&agency={}",
            filter.from,
            filter.to,
            filter.agency_id.unwrap_or(0)
        ),
    ))
}

/// `GET /can-bo/ho-tro/thong-ke`.
pub async fn page(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let (r, query) = report(&app, &who, &q).await?;
    Ok(render(&StatsPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        indicator_8: motcua_domain::text::decimal_vi(r.indicator_8, 1),
        criterion_g: motcua_domain::text::decimal_vi(r.criterion_g, 1),
        r,
        query,
    }))
}

/// `GET /can-bo/ho-tro/thong-ke/excel`.
pub async fn excel(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageQuery(q): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    let (r, _) = report(&app, &who, &q).await?;
    let bytes = crate::statistics::support::workbook(&r).map_err(|e| {
        tracing::error!(error = %e, "spreadsheet failed");
        PageError::Internal
    })?;
    Ok(crate::pages::xlsx(
        &format!("ho-tro-{}-{}.xlsx", r.from, r.to),
        bytes,
    ))
}
