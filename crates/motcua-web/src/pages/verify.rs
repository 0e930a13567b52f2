//! Xác thực kết quả — the public page a signed result's QR opens, without logging in: is the
//! stored result genuine and unchanged, who signed it and when, for which dossier code and
//! procedure (no personal data), the certificate's fingerprint, the `.p7s` to download (for
//! a detached signature), and a form to check one's own copy of the file (the signed PDF
//! alone suffices when the signature is inside it).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use motcua_db::SignedResult;
use std::sync::Arc;

use super::submitted::Submitted;
use super::{Frame, PageError, render, vn_datetime};
use crate::AppState;
use crate::i18n::Tr;
use crate::signing::Check;

/// The largest body the upload form takes: one result file and the form's fields.
pub const BODY_LIMIT: usize = motcua_db::MAX_FILE_BYTES + 64 * 1024;

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    id: String,
    code: String,
    procedure: String,
    agency: String,
    signer: String,
    signed_at: String,
    fingerprint: String,
    demo_key: bool,
    /// Whether the signature is a detached `.p7s` (else it is inside the signed PDF).
    detached: bool,
    /// "genuine", "tampered" or "bad": the stored result checked now.
    stored: &'static str,
    /// The uploaded copy's check, if one was sent.
    upload: Option<&'static str>,
    no_file: bool,
    url: String,
    /// The page's address as an inline SVG QR code (drawn from numbers only).
    qr: String,
}

fn word(check: Check) -> &'static str {
    match check {
        Check::Genuine => "genuine",
        Check::Tampered => "tampered",
        Check::BadSignature => "bad",
        Check::Unavailable => "unavailable",
    }
}

async fn found(app: &AppState, id: &str) -> Result<SignedResult, PageError> {
    app.db
        .files()
        .signed_result(id)
        .await?
        .ok_or(PageError::NotFound)
}

async fn page(
    app: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    r: SignedResult,
    upload: Option<Check>,
    no_file: bool,
) -> Result<Response, PageError> {
    let frame = Frame::new(headers, uri);
    let d = app
        .db
        .dossiers()
        .dossier(r.dossier_id)
        .await?
        .ok_or(PageError::NotFound)?;
    let procedure = app
        .db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?
        .map(|p| p.procedure.name.clone())
        .unwrap_or_default();
    let agency = app
        .db
        .agencies()
        .agency(r.agency_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let demo_key = app
        .db
        .files()
        .signing_key(r.agency_id)
        .await?
        .is_some_and(|k| k.is_demo() && k.certificate_sha256 == r.certificate_sha256);
    let stored = crate::signing::check_stored(&app.files, &r).await?;
    let url = format!(
        "{}/xac-thuc/{}",
        crate::pages::staff::forms::base_url(app, headers),
        r.id
    );
    let qr = motcua_docs::qr_svg(&url, 180).unwrap_or_default();
    let body = render(&VerifyPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        code: d.code,
        procedure,
        agency,
        signer: r.signer,
        signed_at: vn_datetime(r.signed_at),
        fingerprint: r.certificate_sha256,
        demo_key,
        detached: r.signed_file_id.is_none(),
        stored: word(stored),
        upload: upload.map(word),
        no_file,
        url,
        qr,
        id: r.id,
    });
    let status = if stored == Check::Unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else if no_file {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, body).into_response())
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let r = found(&app, &id).await?;
    page(&app, &headers, &uri, r, None, false).await
}

/// Checks an uploaded copy against the signature. Nothing is stored.
pub async fn check(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let r = found(&app, &id).await?;
    let Some(file) = form.files.into_iter().find(|f| !f.bytes.is_empty()) else {
        return page(&app, &headers, &uri, r, None, true).await;
    };
    let result = crate::signing::check(&app.files, &r, &file.bytes).await?;
    page(&app, &headers, &uri, r, Some(result), false).await
}

/// The detached signature (`.p7s`): a certificate, a digest and a time, no personal data.
pub async fn signature(
    State(app): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let r = found(&app, &id).await?;
    // A signature inside the PDF has no detached file (the signed copy is the owner's).
    if r.signed_file_id.is_some() {
        return Err(PageError::NotFound);
    }
    let bytes = app.files.read(&r.signature_sha256).await?;
    let disposition = format!("attachment; filename=\"ket-qua-{}.pdf.p7s\"", r.id);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/pkcs7-signature".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}
