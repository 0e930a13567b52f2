//! Ký kết quả (cán bộ) — the dossier page's signed results, and a leader's signing of a
//! result PDF once the dossier is approved, with the approving agency's key.

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, DossierRecord, Purpose};
use motcua_domain::dossier::{may_sign_result, signing_agency};
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::pages::extract::PageId;
use crate::pages::submitted::Submitted;
use crate::pages::{PageError, vn_datetime};

/// One signed result as the dossier pages list it.
pub struct SignedLine {
    pub id: String,
    /// The file to download: the signed copy (the signature inside it), or the result file
    /// beside its detached `.p7s`.
    pub file_id: i64,
    /// The result file that was signed.
    pub original_id: i64,
    /// Whether the signature is a detached `.p7s` (offered for download beside the file).
    pub detached: bool,
    pub name: String,
    pub signer: String,
    pub at: String,
}

/// The signing part of the staff dossier page.
pub struct Panel {
    pub signed: Vec<SignedLine>,
    /// Result PDFs not yet signed, when this officer may sign them: (file id, name).
    pub signable: Vec<(i64, String)>,
    /// This officer may sign, but nothing can be signed yet: what is missing.
    pub hint: Option<&'static str>,
}

/// Whether this officer may sign the dossier's result now: a leader over the approving
/// agency, once the dossier is approved.
pub async fn may_sign(app: &AppState, staff_id: i64, d: &DossierRecord) -> Result<bool, DbError> {
    if !motcua_domain::dossier::result_signable(d.status) {
        return Ok(false);
    }
    let roles = app
        .db
        .people()
        .roles_over(staff_id, signing_agency(&d.state))
        .await?;
    Ok(may_sign_result(d.status, &roles))
}

/// The dossier's signed results with their file names (for the staff and owner pages).
pub async fn signed_lines(app: &AppState, d: &DossierRecord) -> Result<Vec<SignedLine>, DbError> {
    let files = app.db.files().attachments(d.id).await?;
    Ok(app
        .db
        .files()
        .signed_results_of(d.id)
        .await?
        .into_iter()
        .map(|r| {
            let file_id = r.signed_file_id.unwrap_or(r.file_id);
            SignedLine {
                name: files
                    .iter()
                    .find(|f| f.id == file_id)
                    .map(|f| f.name.clone())
                    .unwrap_or_default(),
                file_id,
                original_id: r.file_id,
                detached: r.signed_file_id.is_none(),
                signer: r.signer,
                at: vn_datetime(r.signed_at),
                id: r.id,
            }
        })
        .collect())
}

pub async fn panel(app: &AppState, staff_id: i64, d: &DossierRecord) -> Result<Panel, DbError> {
    let signed = signed_lines(app, d).await?;
    let leader = may_sign(app, staff_id, d).await?;
    let signable: Vec<(i64, String)> = if leader {
        app.db
            .files()
            .attachments(d.id)
            .await?
            .into_iter()
            .filter(|f| f.purpose == Purpose::Result && f.media_type == "application/pdf")
            .filter(|f| {
                !signed
                    .iter()
                    .any(|s| s.file_id == f.id || s.original_id == f.id)
            })
            .map(|f| (f.id, f.name))
            .collect()
    } else {
        Vec::new()
    };
    let hint = if !leader {
        None
    } else if app
        .db
        .files()
        .signing_key(signing_agency(&d.state))
        .await?
        .is_none()
    {
        Some("sign.no_key")
    } else if signable.is_empty() && signed.is_empty() {
        Some("sign.attach_first")
    } else {
        None
    };
    Ok(Panel {
        signed,
        signable,
        hint,
    })
}

/// Signs the chosen result PDF.
pub async fn sign(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    form: Submitted,
) -> Result<Response, PageError> {
    who.check_csrf(&form.field("csrf"))?;
    let d = match app.db.dossiers().dossier(id).await? {
        Some(d) if crate::access::may_read(&app.db, who.session.staff.id, &d).await? => d,
        _ => return Err(PageError::NotFound),
    };
    if !may_sign(&app, who.session.staff.id, &d).await? {
        return Err(PageError::Forbidden);
    }
    let file = match form.field("file").parse::<i64>() {
        Ok(file) => app.db.files().attachment(d.id, file).await?,
        Err(_) => None,
    };
    let Some(file) = file else {
        return Err(PageError::NotFound);
    };
    let actor = format!("staff:{}", who.session.staff.id);
    let base = crate::pages::staff::forms::base_url(&app, &headers);
    match crate::signing::sign_result(
        &app.db,
        &app.files,
        &d,
        &file,
        actor,
        Some(who.session.staff.id),
        app.now(),
        &base,
        app.docs.tsa.as_ref(),
    )
    .await
    {
        Ok(signed) => {
            tracing::info!(dossier = d.id, signed_result = %signed, "result signed");
            Ok(Redirect::to(&format!("/can-bo/ho-so/{id}")).into_response())
        }
        Err(e) => {
            let message = crate::pages::explain(e)?;
            super::dossier::page_with_error(&app, &who, &headers, &uri, d, Some(message)).await
        }
    }
}
