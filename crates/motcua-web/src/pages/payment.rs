//! Thanh toán — the gateway's two doors and the citizen's button. The IPN
//! (`/thanh-toan/vnpay/ipn`, the gateway's server call) is the only proof that settles a
//! payment: its checksum, order and amount are checked, the payment settled once, and the
//! answer given in the gateway's codes. The return page (`/thanh-toan/vnpay/ket-qua`, where
//! the citizen's browser comes back) only shows what the gateway said and what motcua has
//! recorded; it never settles anything. Every verified call is logged with its answer, and
//! unverified ones up to a number per address.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use motcua_db::{DbError, Settled, StoredPayment};
use motcua_domain::payment::vnpay::RspCode;
use serde_json::Value;
use std::sync::Arc;

use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageId, PageQuery};
use crate::pages::{Frame, PageError, render};
use crate::payment::{Gateway, Refusal};

/// The query as the gateway sent it, for the log (its checksum is not a secret).
fn query_text(uri: &Uri) -> String {
    uri.query().unwrap_or_default().chars().take(4000).collect()
}

fn reference_of(params: &[(String, String)]) -> String {
    params
        .iter()
        .find(|(k, _)| k == "vnp_TxnRef")
        .map(|(_, v)| v.chars().take(100).collect())
        .unwrap_or_default()
}

/// Whether a gateway call is logged: every verified one; unverified ones (anyone can send
/// them) up to a number per address, so that a flood cannot fill the log.
fn worth_logging(app: &AppState, verified: bool, addr: Option<std::net::IpAddr>) -> bool {
    verified || addr.is_none_or(|a| app.throttles.unverified_callbacks.allow(a))
}

/// `GET /thanh-toan/vnpay/ipn`: settles on a verified proof; answers `{RspCode, Message}`.
pub async fn vnpay_ipn(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    uri: Uri,
    PageQuery(params): PageQuery<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Some(gateway) = app.payments.get().and_then(|g| g.vnpay.as_ref()) else {
        return Err(PageError::NotFound);
    };
    let verified = gateway.verify(&params);
    let log = worth_logging(&app, verified.is_ok(), addr);
    let code = match verified {
        Err(Refusal::BadChecksum) => RspCode::BadChecksum,
        Err(Refusal::Malformed(_)) => RspCode::Other,
        Ok(proof) => match app
            .db
            .payments()
            .settle_by_proof(gateway.name(), &proof, &app.calendar(), app.now())
            .await
        {
            Ok(Settled::Confirmed(_) | Settled::Failed(_)) => RspCode::Confirmed,
            Ok(Settled::AlreadySettled(_)) => RspCode::AlreadyConfirmed,
            Ok(Settled::NotFound) => RspCode::OrderNotFound,
            Ok(Settled::WrongAmount(_)) => RspCode::WrongAmount,
            Err(e) => {
                tracing::warn!(error = %e, "IPN VNPay: không ghi nhận được");
                RspCode::Other
            }
        },
    };
    let reply = code.reply();
    if log {
        app.db
            .payments()
            .log_callback(
                gateway.name(),
                "ipn",
                &reference_of(&params),
                &query_text(&uri),
                &reply.to_string(),
                app.now().timestamp(),
            )
            .await?;
    }
    Ok((StatusCode::OK, Json::<Value>(reply)).into_response())
}

#[derive(Template)]
#[template(path = "payment_return.html")]
struct ReturnPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    /// The gateway's word, when its checksum holds.
    believed: bool,
    gateway_paid: bool,
    payment: Option<StoredPayment>,
    state: &'static str,
    dossier_id: Option<i64>,
}

/// `GET /thanh-toan/vnpay/ket-qua`: what the gateway said, and what is recorded.
pub async fn vnpay_return(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(params): PageQuery<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Some(gateway) = app.payments.get().and_then(|g| g.vnpay.as_ref()) else {
        return Err(PageError::NotFound);
    };
    let proof = gateway.verify(&params).ok();
    let payment = match &proof {
        Some(p) => app.db.payments().by_reference(&p.reference).await?,
        None => None,
    };
    if worth_logging(&app, proof.is_some(), addr) {
        app.db
            .payments()
            .log_callback(
                gateway.name(),
                "return",
                &reference_of(&params),
                &query_text(&uri),
                if proof.is_some() {
                    "shown"
                } else {
                    "bad checksum"
                },
                app.now().timestamp(),
            )
            .await?;
    }
    let frame = Frame::new(&headers, &uri);
    let state = payment.as_ref().map_or("", |p| {
        frame.t.get(&format!("payment.state.{}", p.state.as_str()))
    });
    let status = if proof.is_some() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = render(&ReturnPage {
        state,
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        believed: proof.is_some(),
        gateway_paid: proof.as_ref().is_some_and(|p| p.paid),
        dossier_id: payment.as_ref().map(|p| p.dossier_id),
        payment,
    });
    Ok((status, body).into_response())
}

#[derive(serde::Deserialize)]
pub struct PayForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /cong-dan/ho-so/{id}/thanh-toan`: the owner pays what the dossier owes.
pub async fn citizen_pay(
    State(app): State<Arc<AppState>>,
    who: crate::pages::citizen::CitizenIn,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageForm(f): PageForm<PayForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    let Some(d) = crate::access::owned_by(&app.db, who.session.citizen.id, id).await? else {
        return Err(PageError::NotFound);
    };
    let by = format!("citizen:{}", who.session.citizen.id);
    match crate::payment::open(&app, &headers, &d, &by, addr).await {
        Ok((payment, url)) => {
            let frame = Frame::new(&headers, &uri);
            let what = format!(
                "{} {}",
                frame.t.get("leaving.payment"),
                motcua_domain::text::money_vi(payment.amount_vnd)
            );
            Ok(crate::pages::leave_to(frame, what, &url))
        }
        Err(DbError::Invalid(found)) => Err(PageError::Invalid(
            found
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; "),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A payment as the dossier pages list it.
pub struct PaymentRow {
    pub reference: String,
    pub amount: String,
    pub method: &'static str,
    pub state: &'static str,
    pub receipt_no: String,
    pub at: String,
    /// Its e-receipt (id and "AA-26E 0000012"), once paid.
    pub receipt: Option<(i64, String)>,
}

/// What `d` still owes, and its payments, for a page.
pub async fn summary(
    app: &AppState,
    t: &Tr,
    d: &motcua_db::DossierRecord,
) -> Result<(i64, Vec<PaymentRow>), DbError> {
    let owed = app.db.payments().owed(d).await?.total();
    let receipts = app.db.payments().receipts(d.id).await?;
    let rows = app
        .db
        .payments()
        .of_dossier(d.id)
        .await?
        .into_iter()
        .map(|p| PaymentRow {
            receipt: receipts
                .iter()
                .find(|r| r.payment_id == p.id)
                .map(|r| (r.id, r.receipt.label())),
            reference: p.reference,
            amount: motcua_domain::text::money_vi(p.amount_vnd),
            method: p.method.label_vi(),
            state: t.get(&format!("payment.state.{}", p.state.as_str())),
            receipt_no: p.receipt_no.unwrap_or_default(),
            at: motcua_db::instant_of(p.paid_at.unwrap_or(p.created_at))
                .map(crate::pages::vn_datetime)
                .unwrap_or_default(),
        })
        .collect();
    Ok((owed, rows))
}

/// `GET /cong-dan/ho-so/{id}/bien-lai/{receipt}`: the owner's e-receipt as PDF.
pub async fn citizen_receipt(
    State(app): State<Arc<AppState>>,
    who: crate::pages::citizen::CitizenIn,
    headers: HeaderMap,
    axum::extract::Path((id, receipt)): axum::extract::Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(id), Ok(receipt)) = (id.parse::<i64>(), receipt.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let Some(d) = crate::access::owned_by(&app.db, who.session.citizen.id, id).await? else {
        return Err(PageError::NotFound);
    };
    let Some(r) = app.db.payments().receipt(d.id, receipt).await? else {
        return Err(PageError::NotFound);
    };
    Ok(crate::payment::receipt::download(&app, &headers, &d, &r).await?)
}
