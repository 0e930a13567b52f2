//! Tệp của hồ sơ (cán bộ) — the files a dossier carries, for staff who may see it: download,
//! and attaching scans or the result document (by staff of the agency holding the dossier,
//! or the receiving agency's counter).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, DossierRecord, Purpose, Upload};
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::pages::extract::PageId;
use crate::pages::submitted::Submitted;
use crate::pages::{PageError, vn_datetime};

/// One file as the staff page lists it.
pub struct FileLine {
    pub id: i64,
    pub name: String,
    pub purpose: &'static str,
    pub size_kb: i64,
    pub at: String,
}

/// The dossier's files for its page.
pub async fn lines(app: &AppState, d: &DossierRecord) -> Result<Vec<FileLine>, DbError> {
    Ok(app
        .db
        .files()
        .attachments(d.id)
        .await?
        .into_iter()
        .map(|f| FileLine {
            id: f.id,
            name: f.name,
            purpose: f.purpose.label_vi(),
            size_kb: (f.size + 1023) / 1024,
            at: vn_datetime(f.at),
        })
        .collect())
}

/// Attaches the uploaded files as scans or as the result.
pub async fn upload(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    form: Submitted,
) -> Result<Response, PageError> {
    who.check_csrf(&form.field("csrf"))?;
    let d = super::dossier::readable(&app, &who, id).await?;
    if !crate::access::may_attach(&app.db, who.session.staff.id, &d).await? {
        return Err(PageError::Forbidden);
    }
    let purpose = match form.field("purpose").as_str() {
        "result" => Purpose::Result,
        _ => Purpose::Scan,
    };
    let mut message = None;
    let mut files = Vec::new();
    if form.files.is_empty() {
        message = Some("Hãy chọn ít nhất một tệp để đính kèm".to_string());
    }
    for part in form.files {
        let upload = Upload {
            name: part.name,
            bytes: part.bytes,
            component: None,
            purpose,
        };
        match app.files.store(upload, "files").await {
            Ok(f) => files.push(f),
            Err(e) => {
                message = Some(crate::pages::explain(e)?);
                break;
            }
        }
    }
    if message.is_none() {
        let actor = format!("staff:{}", who.session.staff.id);
        app.db
            .dossiers()
            .attach_files(d.id, &d.code, files, actor, app.now())
            .await?;
        return Ok(Redirect::to(&format!("/can-bo/ho-so/{id}")).into_response());
    }
    super::dossier::page_with_error(&app, &who, &headers, &uri, d, message).await
}

/// Downloads one of the dossier's files (never another dossier's, whatever id is guessed).
pub async fn download(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (Ok(id), Ok(file)) = (id.parse::<i64>(), file.parse::<i64>()) else {
        return Err(PageError::NotFound);
    };
    let d = super::dossier::readable(&app, &who, id).await?;
    let Some(f) = app.db.files().attachment(d.id, file).await? else {
        return Err(PageError::NotFound);
    };
    Ok(crate::pages::file_response(&app, &f).await?)
}
