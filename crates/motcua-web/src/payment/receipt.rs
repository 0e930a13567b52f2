//! Biên lai điện tử — an issued receipt printed for download: laid out from the receipt as
//! it was issued (its QR code opening the dossier's tracking page) and signed inside the
//! PDF with the collecting agency's own key when it has one. A receipt is the
//! organisation's paper, so it is never signed with a person's key; without a key it is
//! printed unsigned and says so in a header.

use axum::http::HeaderMap;
use axum::response::Response;
use motcua_db::{DbError, DossierRecord, StoredReceipt};
use motcua_domain::payment::receipt::number_text;

use crate::AppState;

/// The file name a receipt downloads as: "bien-lai-AA-26E-0000012.pdf" without the
/// extension.
pub fn file_name(r: &StoredReceipt) -> String {
    format!(
        "bien-lai-{}-{}",
        r.receipt.symbol.replace(['/', ' '], "-"),
        number_text(r.receipt.number)
    )
}

/// The receipt `r` of dossier `d` as a PDF response, with `x-motcua-signature` saying
/// whether it is signed (`signed`), its agency has no key (`none`) or signing failed
/// (`failed`).
pub async fn download(
    app: &AppState,
    headers: &HeaderMap,
    d: &DossierRecord,
    r: &StoredReceipt,
) -> Result<Response, DbError> {
    use crate::pages::staff::forms::{base_url, pdf_response, tracking_url, with_signature};
    let key = app.db.files().signing_key(r.agency_id).await?;
    let tracking = tracking_url(&base_url(app, headers), d);
    let printed =
        motcua_docs::render_receipt(&r.receipt, &tracking, &app.docs.templates, key.is_some())
            .map_err(|e| {
                tracing::error!(error = %e, "a receipt could not be printed");
                DbError::invalid("template", e.to_string())
            })?;
    let name = file_name(r);
    let Some(key) = key else {
        return Ok(with_signature(pdf_response(printed.pdf, &name), "none"));
    };
    let label = r.receipt.label();
    let paper = crate::signing::Paper {
        reason: format!(
            "{} {label} — hồ sơ {}",
            motcua_domain::payment::receipt::TITLE,
            r.receipt.body.dossier_code
        ),
        location: r.receipt.body.collector_name.clone(),
        person: None,
        last_line: format!("Biên lai: {label}"),
    };
    match crate::signing::sign_paper(app, &key, paper, printed.pdf.clone(), printed.stamp_top).await
    {
        Ok(signed) => Ok(with_signature(pdf_response(signed, &name), "signed")),
        Err(e) => {
            tracing::error!(dossier = %d.code, error = %e, "a receipt could not be signed");
            Ok(with_signature(pdf_response(printed.pdf, &name), "failed"))
        }
    }
}
