//! `/api/v1/dossiers/{id}/files`: a dossier's files under the same rules as the staff pages:
//! listed and downloaded by whoever may see the dossier (anyone else is told it does not
//! exist), and attached (scans at the counter, or the result) by staff of the agency holding
//! it or the receiving counter while it is open — checked by kind and size like every upload,
//! attached in one transaction with its audit entry.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_db::{Attachment, Purpose, Upload};
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
    crate::pages::file_response(&app, &f)
        .await
        .map_err(|_| ApiError::not_found("nội dung tệp"))
}

/// Reads the multipart body: `purpose` (`scan`, the default, or `result`), an optional
/// `component` (the catalogue component's index), and the files.
async fn read_parts(
    mut form: Multipart,
) -> Result<(Purpose, Option<i64>, Vec<(String, Vec<u8>)>), ApiError> {
    let mut purpose = Purpose::Scan;
    let mut component = None;
    let mut files = Vec::new();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(ApiError::bad_request(
                    "body",
                    format!("không đọc được nội dung multipart: {}", e.body_text()),
                ));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| {
            ApiError::bad_request(
                &name,
                format!("không đọc được phần “{name}”: {}", e.body_text()),
            )
        })?;
        match (name.as_str(), file_name) {
            (_, Some(file_name)) => {
                if files.len() >= motcua_db::MAX_FILES {
                    return Err(ApiError::bad_request(
                        "files",
                        format!("tối đa {} tệp mỗi lần", motcua_db::MAX_FILES),
                    ));
                }
                files.push((file_name, bytes.to_vec()));
            }
            ("purpose", None) => {
                purpose = match String::from_utf8_lossy(&bytes).trim() {
                    "" | "scan" => Purpose::Scan,
                    "result" => Purpose::Result,
                    other => {
                        return Err(ApiError::bad_request(
                            "purpose",
                            format!("mục đích “{other}” không có; chọn scan hoặc result"),
                        ));
                    }
                }
            }
            ("component", None) => {
                let text = String::from_utf8_lossy(&bytes).trim().to_string();
                component = match text.as_str() {
                    "" => None,
                    t => Some(
                        t.parse::<i64>()
                            .ok()
                            .filter(|n| (0..1000).contains(n))
                            .ok_or_else(|| {
                                ApiError::bad_request(
                                    "component",
                                    format!("số thứ tự thành phần “{t}” không hợp lệ"),
                                )
                            })?,
                    ),
                };
            }
            (other, None) => {
                return Err(ApiError::bad_request(
                    other,
                    format!("không có trường “{other}”; gửi purpose, component và các tệp"),
                ));
            }
        }
    }
    Ok((purpose, component, files))
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
    let (purpose, component, parts) = read_parts(form).await?;
    if parts.is_empty() {
        return Err(ApiError::bad_request("files", "cần ít nhất một tệp"));
    }
    let mut stored = Vec::with_capacity(parts.len());
    for (name, bytes) in parts {
        let upload = Upload {
            name,
            bytes,
            component,
            purpose,
        };
        stored.push(app.files.store(upload, "files").await?);
    }
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
