//! motcua-docs: the official forms of the one-stop mechanism as PDF — TT 01/2018/TT-VPCP
//! (Mẫu 01–06) and TT 03/2025/TT-VPCP (Mẫu 01–07), and the fee e-receipt — laid out from templates an administrator
//! can edit, with Vietnamese text that extracts intact. Data in, bytes out: the only IO is
//! reading template overrides from a directory the caller names.

mod context;
mod dates;
mod error;
mod layout;
mod pdf;
mod qr;
mod receipt;
mod regime;
mod render;
pub mod sample;
mod sign;
mod template;
mod values;

pub use context::{
    AgencyInfo, ApplicantInfo, ComponentLine, FormContext, LogEntry, Signer, Transfer,
};
pub use dates::{date_vi, datetime_vi, time_vi};
pub use error::DocsError;
pub use qr::qr_svg;
pub use receipt::{RECEIPT_TEMPLATE, RenderedReceipt, render_receipt};
pub use regime::{FormKind, FormSpec, Regime, RegimeConfig, SignedBy, all_forms, form};
pub use render::{
    DRAFT_MARK, RenderedForm, is_draft, preview_template, render, render_custom, render_with,
};
pub use sign::{
    AgencyKey, PdfSignature, SealKey, SignatureStatus, SignatureText, Stamp, Timestamper, TokenKey,
    Verification, key_fingerprint, public_key_der_of, seal_holds, sign_pdf, signable_inside,
    verify, verify_pdf,
};
pub use template::{Templates, default_template};
pub use values::outcome_label;
