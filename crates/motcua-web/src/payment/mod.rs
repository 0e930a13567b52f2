//! Thanh toán trực tuyến — the payment gateways a province connects, each one
//! implementation of [`Gateway`]: the URL a citizen is sent to for a payment, and the
//! verification of what the gateway sends back (its server call, the browser's return, its
//! answer to a query). VNPay 2.1.0 is the first ([`vnpay`]). What a dossier owes and how a
//! proof settles it are decided in the domain and the storage, not here.

pub mod vnpay;

use motcua_db::{Proof, StoredPayment};
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
