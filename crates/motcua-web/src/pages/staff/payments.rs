//! Thu phí tại quầy — the dossier page's fees panel: what is owed and every payment (online
//! or at the counter), and the form an officer of the agency holding the dossier records a
//! payment taken at the counter with (cash or transfer, the paper receipt's number). When
//! it pays the obligation the dossier waits for, the dossier goes on in the same
//! transaction.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_domain::payment::PaymentMethod;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::PageError;
use crate::pages::extract::PageId;
use crate::pages::payment::PaymentRow;
use crate::pages::submitted::Submitted;

/// The panel's content.
pub struct Panel {
    pub owed: i64,
    pub owed_text: String,
    pub rows: Vec<PaymentRow>,
    /// Whether this officer may record a counter payment now.
    pub may_record: bool,
}

pub async fn panel(
    app: &AppState,
    t: &Tr,
    staff_id: i64,
    d: &motcua_db::DossierRecord,
) -> Result<Panel, motcua_db::DbError> {
    let (owed, rows) = crate::pages::payment::summary(app, t, d).await?;
    let roles = app
        .db
        .people()
        .roles_over(staff_id, d.current_agency_id)
        .await?;
    let may_record = owed > 0
        && !d.status.is_final()
        && motcua_domain::payment::may_record(&motcua_domain::dossier::Actor::Staff {
            id: staff_id,
            roles,
        });
    Ok(Panel {
        owed,
        owed_text: format!(
            "{} ({})",
            motcua_domain::text::money_vi(owed),
            motcua_domain::text::money_in_words_vi(owed)
        ),
        rows,
        may_record,
    })
}

/// `POST /can-bo/ho-so/{id}/thu-phi`.
pub async fn record(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    form: Submitted,
) -> Result<Response, PageError> {
    who.check_csrf(&form.field("csrf"))?;
    let d = super::dossier::readable(&app, &who, id).await?;
    let version: i64 = form
        .field("version")
        .parse()
        .map_err(|_| PageError::BadRequest)?;
    let method = PaymentMethod::parse(&form.field("method")).ok_or(PageError::BadRequest)?;
    let done = app
        .db
        .payments()
        .record_at_counter(
            &d,
            version,
            method,
            &form.field("receipt_no"),
            who.session.staff.id,
            &app.calendar(),
            app.now(),
        )
        .await;
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/can-bo/ho-so/{id}")).into_response()),
        Err(e) => {
            let message = crate::pages::explain(e)?;
            let d = super::dossier::readable(&app, &who, id).await?;
            super::dossier::page_with_error(&app, &who, &headers, &uri, d, Some(message)).await
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DayQuery {
    /// The day (YYYY-MM-DD); today by default.
    #[serde(default)]
    ngay: String,
}

fn day_of(app: &AppState, q: &DayQuery) -> Result<chrono::NaiveDate, PageError> {
    match q.ngay.trim() {
        "" => Ok(app.now().date_naive()),
        text => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            PageError::Invalid(format!("ngày “{text}” không đúng dạng năm-tháng-ngày"))
        }),
    }
}

#[derive(askama::Template)]
#[template(path = "staff/reconciliation.html")]
struct ReconciliationPage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    day: crate::payment::report::Day,
    date: String,
}

/// `GET /can-bo/thanh-toan`: a day's payments to reconcile.
pub async fn reconciliation(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    crate::pages::extract::PageQuery(q): crate::pages::extract::PageQuery<DayQuery>,
) -> Result<Response, PageError> {
    let date = day_of(&app, &q)?;
    let day = crate::payment::report::day(&app, who.session.staff.id, date).await?;
    let frame = crate::pages::Frame::new(&headers, &uri);
    Ok(crate::pages::render(&ReconciliationPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        date: date.to_string(),
        day,
    }))
}

/// `GET /can-bo/thanh-toan/excel`: the same day as a workbook.
pub async fn reconciliation_excel(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    crate::pages::extract::PageQuery(q): crate::pages::extract::PageQuery<DayQuery>,
) -> Result<Response, PageError> {
    let date = day_of(&app, &q)?;
    let day = crate::payment::report::day(&app, who.session.staff.id, date).await?;
    let bytes = crate::payment::report::workbook(&day).map_err(|e| {
        tracing::error!(error = %e, "spreadsheet failed");
        PageError::Internal
    })?;
    Ok(crate::pages::xlsx(&format!("doi-soat-{date}.xlsx"), bytes))
}

/// `GET /can-bo/ho-so/{id}/bien-lai/{receipt}`: a dossier's e-receipt as PDF, for staff who
/// may see the dossier.
pub async fn receipt(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    axum::extract::Path((id, receipt)): axum::extract::Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(id), Ok(receipt)) = (id.parse::<i64>(), receipt.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let d = super::dossier::readable(&app, &who, id).await?;
    let Some(r) = app.db.payments().receipt(d.id, receipt).await? else {
        return Err(PageError::NotFound);
    };
    Ok(crate::payment::receipt::download(&app, &headers, &d, &r).await?)
}
