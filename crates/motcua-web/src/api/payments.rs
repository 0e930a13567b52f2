//! `/api/v1/dossiers/{id}/payments`: a dossier's payments and what it still owes, and a new
//! payment of what it owes through the gateway, answered with the URL to send the payer
//! to, and the e-receipts of what was paid (listed, and each as PDF). For staff who may see
//! the dossier and for the citizen who filed it; anyone else is told it does not exist.

use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use motcua_db::{DossierRecord, Staff};
use serde_json::json;
use std::sync::Arc;

use super::error::ApiError;
use super::extract::{Id, bearer};
use crate::AppState;

/// A staff member's token or a citizen's session.
pub enum Caller {
    Staff(Staff),
    Citizen(i64),
}

impl<S> FromRequestParts<S> for Caller
where
    Arc<AppState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = Arc::<AppState>::from_ref(state);
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        if let Some(staff) = app.db.people().staff_by_token(&token).await? {
            if staff.must_change_password {
                return Err(ApiError::forbidden(
                    "tài khoản phải đổi mật khẩu (quản trị viên đã đặt lại) trước khi dùng API",
                ));
            }
            return Ok(Self::Staff(staff));
        }
        match app
            .db
            .people()
            .citizen_session(&token, app.now().timestamp())
            .await?
        {
            Some(session) => Ok(Self::Citizen(session.citizen.id)),
            None => Err(ApiError::unauthorized()),
        }
    }
}

impl Caller {
    /// The dossier `id` if this caller may see it; otherwise "not found".
    async fn dossier(&self, app: &AppState, id: i64) -> Result<DossierRecord, ApiError> {
        let found = match self {
            Self::Staff(staff) => super::dossiers::readable(app, staff, id).await.ok(),
            Self::Citizen(citizen) => crate::access::owned_by(&app.db, *citizen, id).await?,
        };
        found.ok_or_else(|| ApiError::not_found("hồ sơ"))
    }

    fn label(&self) -> String {
        match self {
            Self::Staff(staff) => format!("staff:{}", staff.id),
            Self::Citizen(id) => format!("citizen:{id}"),
        }
    }
}

/// `GET /dossiers/{id}/payments`.
pub async fn list(
    State(app): State<Arc<AppState>>,
    caller: Caller,
    Id(id): Id,
) -> Result<Json<serde_json::Value>, ApiError> {
    let d = caller.dossier(&app, id).await?;
    let owed = app.db.payments().owed(&d).await?;
    let items = app.db.payments().of_dossier(d.id).await?;
    let receipts: Vec<serde_json::Value> = app
        .db
        .payments()
        .receipts(d.id)
        .await?
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "payment_id": r.payment_id,
                "label": r.receipt.label(),
                "form_symbol": r.receipt.form_symbol,
                "symbol": r.receipt.symbol,
                "number": r.receipt.number,
                "issued_at": r.receipt.issued_at.to_rfc3339(),
                "total_vnd": r.receipt.body.total_vnd(),
                "lines": r.receipt.body.lines,
            })
        })
        .collect();
    Ok(Json(json!({
        "owed": {"fees_vnd": owed.fees_vnd, "obligation_vnd": owed.obligation_vnd, "total_vnd": owed.total()},
        "items": items,
        "receipts": receipts,
    })))
}

/// `GET /dossiers/{id}/receipts/{receipt}`: the e-receipt as PDF, signed with the collecting
/// agency's key when it has one.
pub async fn receipt(
    State(app): State<Arc<AppState>>,
    caller: Caller,
    headers: HeaderMap,
    axum::extract::Path((id, receipt)): axum::extract::Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (Ok(id), Ok(receipt)) = (id.parse::<i64>(), receipt.parse::<i64>()) else {
        return Err(ApiError::not_found("biên lai"));
    };
    let d = caller.dossier(&app, id).await?;
    let Some(r) = app.db.payments().receipt(d.id, receipt).await? else {
        return Err(ApiError::not_found("biên lai"));
    };
    Ok(crate::payment::receipt::download(&app, &headers, &d, &r).await?)
}

/// `POST /dossiers/{id}/payments`: 201 with the payment and its URL.
pub async fn create(
    State(app): State<Arc<AppState>>,
    caller: Caller,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let d = caller.dossier(&app, id).await?;
    let (payment, url) = crate::payment::open(&app, &headers, &d, &caller.label(), addr).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": payment.id,
            "reference": payment.reference,
            "amount_vnd": payment.amount_vnd,
            "state": payment.state,
            "payment_url": url,
        })),
    )
        .into_response())
}
