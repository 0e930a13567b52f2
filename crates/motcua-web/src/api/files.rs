//! `/api/v1/dossiers/{id}/files`: a dossier's files under the same rules as the staff pages:
//! listed and downloaded by whoever may see the dossier (anyone else is told it does not
//! exist), and attached (scans at the counter, or the result) by staff of the agency holding
//! it or the receiving counter while it is open — checked by kind and size like every upload,
//! attached in one transaction with its audit entry.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_db::Attachment;
use serde_json::{Value, json};
use std::sync::Arc;

use super::dossiers::readable;
use super::error::ApiError;
use super::extract::{Id, StaffAuth};
use crate::AppState;

/// `GET /dossiers/{id}/files`.
pub async fn list(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
) -> Result<axum::Json<Value>, ApiError> {
    let d = readable(&app, &staff, id).await?;
    let items: Vec<Attachment> = app.db.files().attachments(d.id).await?;
    Ok(axum::Json(json!({ "items": items })))
}

/// `GET /dossiers/{id}/files/{file}`: the bytes, with their type and name.
pub async fn download(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (Ok(id), Ok(file)) = (id.parse::<i64>(), file.parse::<i64>()) else {
        return Err(ApiError::not_found("tệp"));
    };
    let d = readable(&app, &staff, id).await?;
    let Some(f) = app.db.files().attachment(d.id, file).await? else {
        return Err(ApiError::not_found("tệp"));
    };
    // A storage failure is answered as one (503/500), not as a missing file.
    Ok(crate::pages::file_response(&app, &f).await?)
}

/// `POST /dossiers/{id}/files` (multipart): 201 with the dossier's files.
pub async fn upload(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiError> {
    let d = readable(&app, &staff, id).await?;
    if !crate::access::may_attach(&app.db, staff.id, &d).await? {
        return Err(ApiError::forbidden(
            "chỉ cán bộ của cơ quan đang giữ hồ sơ hoặc bộ phận một cửa đã tiếp nhận được đính kèm tệp, khi hồ sơ chưa kết thúc",
        ));
    }
    let form = form.map_err(|e| {
        ApiError::bad_request(
            "content-type",
            format!("cần nội dung multipart/form-data: {}", e.body_text()),
        )
    })?;
    let sent = super::upload::read::<serde_json::Value>(form).await?;
    if sent.body.is_some() {
        return Err(ApiError::bad_request(
            "body",
            "chỉ gửi tệp, mục đích và thành phần ở đây",
        ));
    }
    if sent.files.is_empty() {
        return Err(ApiError::bad_request("files", "cần ít nhất một tệp"));
    }
    let (_, stored) = sent.store(&app).await?;
    app.db
        .dossiers()
        .attach_files(
            d.id,
            &d.code,
            stored,
            format!("staff:{}", staff.id),
            app.now(),
        )
        .await?;
    let items = app.db.files().attachments(d.id).await?;
    Ok((StatusCode::CREATED, axum::Json(json!({ "items": items }))).into_response())
}
