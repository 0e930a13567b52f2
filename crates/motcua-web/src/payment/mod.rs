//! Thanh toán trực tuyến — the payment gateways a province connects, each one
//! implementation of [`Gateway`]: the URL a citizen is sent to for a payment, and the
//! verification of what the gateway sends back (its server call, the browser's return, its
//! answer to a query). VNPay 2.1.0 is the first ([`vnpay`]). What a dossier owes and how a
//! proof settles it are decided in the domain and the storage, not here.

pub mod receipt;
pub mod report;
pub mod vnpay;

use axum::http::HeaderMap;
use motcua_db::{DbError, DossierRecord, Proof, StoredPayment};

use crate::AppState;
use motcua_domain::calendar::Instant;

/// What a gateway does for motcua.
pub trait Gateway: Send + Sync + std::fmt::Debug {
    /// Its name, stored with each payment (`vnpay`).
    fn name(&self) -> &'static str;

    /// Where to send the payer for `payment` of dossier `code`, coming back to
    /// `return_url`; `ip` is the payer's address.
    fn pay_url(
        &self,
        payment: &StoredPayment,
        code: &str,
        return_url: &str,
        ip: &str,
        now: Instant,
    ) -> String;

    /// Where on motcua the gateway sends the payer back.
    fn return_path(&self) -> &'static str;

    /// The proof a callback's parameters carry, if its checksum holds (else why not).
    fn verify(&self, params: &[(String, String)]) -> Result<Proof, Refusal>;
}

/// Why a callback is not believed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The checksum is missing or wrong.
    BadChecksum,
    /// Another merchant's, or fields missing or malformed.
    Malformed(String),
}

/// The gateways configured here.
#[derive(Debug, Default)]
pub struct Gateways {
    pub vnpay: Option<vnpay::Vnpay>,
}

impl Gateways {
    /// The gateway citizens pay through (the first configured).
    pub fn preferred(&self) -> Option<&dyn Gateway> {
        self.vnpay.as_ref().map(|g| g as &dyn Gateway)
    }
}

/// Opens a payment of what `d` owes through the preferred gateway, by `by`: the payment
/// and the URL to send the payer to.
pub async fn open(
    app: &AppState,
    headers: &HeaderMap,
    d: &DossierRecord,
    by: &str,
    ip: Option<std::net::IpAddr>,
) -> Result<(StoredPayment, String), DbError> {
    let Some(gateway) = app.payments.get().and_then(|g| g.preferred()) else {
        return Err(DbError::invalid(
            "gateway",
            "chưa cấu hình cổng thanh toán trực tuyến",
        ));
    };
    let now = app.now();
    let payment = app
        .db
        .payments()
        .open(d, gateway.name(), by, now.timestamp())
        .await?;
    let return_url = format!(
        "{}{}",
        crate::pages::staff::forms::base_url(app, headers),
        gateway.return_path()
    );
    let ip = ip.map_or_else(|| "127.0.0.1".to_string(), |a| a.to_string());
    let url = gateway.pay_url(&payment, &d.code, &return_url, &ip, now);
    Ok((payment, url))
}

/// What reconciling one payment found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciled {
    pub reference: String,
    pub amount_vnd: i64,
    /// `paid`, `failed`, `pending` (the gateway has no proof yet) or why it could not be
    /// asked.
    pub outcome: String,
}

/// Asks the gateway after every payment still pending that was opened between `from` and
/// `to` (Unix seconds) and settles what it proves, as its server call would have: for the
/// payments whose call never came.
pub async fn reconcile(
    app: &AppState,
    from: i64,
    to: i64,
) -> Result<Vec<Reconciled>, motcua_db::DbError> {
    let Some(vnpay) = app.payments.get().and_then(|g| g.vnpay.as_ref()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for payment in app.db.payments().pending(vnpay.name(), from, to).await? {
        let now = app.now();
        let outcome = match vnpay.query(&payment, "127.0.0.1", now).await {
            Err(e) => e,
            Ok(proof) if !proof.paid && proof.code.ends_with("/01") => "pending".to_string(),
            Ok(proof) => {
                let settled = app
                    .db
                    .payments()
                    .settle_by_proof(vnpay.name(), &proof, &app.calendar(), now)
                    .await?;
                app.db
                    .payments()
                    .log_callback(
                        vnpay.name(),
                        "querydr",
                        &payment.reference,
                        &proof.code,
                        &format!("{settled:?}").chars().take(200).collect::<String>(),
                        now.timestamp(),
                    )
                    .await?;
                match settled {
                    motcua_db::Settled::Confirmed(_) => "paid".into(),
                    motcua_db::Settled::Failed(_) => "failed".into(),
                    motcua_db::Settled::AlreadySettled(p) => p.state.as_str().into(),
                    motcua_db::Settled::NotFound => "not found".into(),
                    motcua_db::Settled::WrongAmount(_) => "wrong amount".into(),
                }
            }
        };
        out.push(Reconciled {
            reference: payment.reference,
            amount_vnd: payment.amount_vnd,
            outcome,
        });
    }
    Ok(out)
}
