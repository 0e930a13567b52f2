//! Ký số kết quả — signing a result PDF with an agency's key (ECDSA P-256 or RSA, SHA-256, and an
//! X.509 certificate): inside the PDF as readers show it (PAdES, `pades.rs`), or as a
//! detached CMS SignedData (PKCS #7, `.p7s`, RFC 5652); and verifying either.
//!
//! The certificates made here are self-signed demo certificates, one per agency: whoever
//! verifies must compare [`Verification::certificate_sha256`] with the agency's published
//! certificate, since a self-signed certificate proves nothing by itself. A production
//! deployment would load a key certified by a recognised CA instead (same signature format).

mod file;
mod key;
mod load;
mod object;
mod pades;
mod seal;
mod stamp;
mod timestamp;
mod token;
mod verify;

pub use key::AgencyKey;
pub use pades::{PdfSignature, SignatureText, sign_pdf, signable_inside, verify_pdf};
pub use seal::{SealKey, key_fingerprint, public_key_der_of, seal_holds};
pub(crate) use stamp::HEIGHT as STAMP_HEIGHT;
pub use stamp::Stamp;
pub use timestamp::Timestamper;
pub use token::TokenKey;
pub use verify::{SignatureStatus, Verification, verify};

use chrono::{DateTime, TimeZone};
use der::asn1::{GeneralizedTime, ObjectIdentifier, UtcTime};
use motcua_domain::calendar::{Instant, vietnam_offset};
use x509_cert::time::Time;

use crate::error::DocsError;

pub(crate) const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const ID_SIGNED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
pub(crate) const ID_CONTENT_TYPE: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
pub(crate) const ID_MESSAGE_DIGEST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
pub(crate) const ID_SIGNING_TIME: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
pub(crate) const ID_SHA_256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const ECDSA_WITH_SHA_256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

pub(crate) fn sign_err(what: &str, e: impl std::fmt::Display) -> DocsError {
    DocsError::Signature(format!("{what}: {e}"))
}

/// An instant as an X.509/CMS time: UTCTime before 2050, GeneralizedTime after (RFC 5280).
pub(crate) fn to_time(at: Instant) -> Result<Time, DocsError> {
    let secs = u64::try_from(at.timestamp()).map_err(|e| sign_err("thời điểm trước 1970", e))?;
    let duration = std::time::Duration::from_secs(secs);
    let dt = der::DateTime::from_unix_duration(duration).map_err(|e| sign_err("thời điểm", e))?;
    if dt.year() < 2050 {
        UtcTime::from_date_time(dt)
            .map(Time::UtcTime)
            .map_err(|e| sign_err("thời điểm", e))
    } else {
        Ok(Time::GeneralTime(GeneralizedTime::from_date_time(dt)))
    }
}

pub(crate) fn from_time(time: &Time) -> Option<Instant> {
    let secs = i64::try_from(time.to_unix_duration().as_secs()).ok()?;
    let utc: DateTime<chrono::Utc> = chrono::Utc.timestamp_opt(secs, 0).single()?;
    Some(utc.with_timezone(&vietnam_offset()))
}

/// Lowercase hex of bytes (certificate fingerprints).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
