//! `/api/v1/…/documents`: the citizen's data store through the API, under the pages' rules.
//! Staff who may see a dossier being handled list its applicant's documents (each listing
//! audited), download one (logged in the owner's access log against the dossier) and attach
//! one to the dossier for a component instead of a new scan; a citizen whose account a
//! national identity vouched for lists and downloads their own (`/me/documents`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_db::{Purpose, StoredDocument};
use motcua_domain::digitised::{Access, Owner, valid_on};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

use super::citizen::CitizenAuth;
use super::dossiers::readable;
use super::error::ApiError;
use super::extract::{Body, Id, Params, StaffAuth};
use crate::AppState;

/// A document as the API shows it.
fn shown(d: &StoredDocument, today: chrono::NaiveDate) -> Value {
    json!({
        "id": d.id,
        "type": d.doc_type,
        "type_name": d.type_name,
        "number": d.meta.number,
        "issuer": d.meta.issuer,
        "issued_on": d.meta.issued_on,
        "expires_on": d.meta.expires_on,
        "valid": valid_on(d.meta.expires_on, today),
        "checked": d.meta.checked,
        "source": d.source,
        "dossier_code": d.dossier_code,
        "name": d.name,
        "media_type": d.media_type,
        "size": d.size,
        "hidden": d.hidden,
    })
}

/// The dossier `id` and its applicant's store, for staff who may open it now.
async fn handled(
    app: &AppState,
    staff: &motcua_db::Staff,
    id: i64,
) -> Result<(motcua_db::DossierRecord, Owner), ApiError> {
    let d = readable(app, staff, id).await?;
    let owner = crate::access::store_of_handled(&d).ok_or_else(|| {
        ApiError::forbidden(
            "chỉ mở được kho dữ liệu của người nộp khi hồ sơ đang được giải quyết và người nộp có số định danh hoặc mã số thuế",
        )
    })?;
    Ok((d, owner))
}

/// A search over a store: every word found in a document's kind, number, issuer or text.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// `GET /dossiers/{id}/documents[?q=]`.
pub async fn of_applicant(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
    Params(search): Params<Search>,
) -> Result<Json<Value>, ApiError> {
    let (d, owner) = handled(&app, &staff, id).await?;
    let docs = app
        .db
        .documents()
        .opened_by_staff(staff.id, &d.code, &owner.key(), "api")
        .await?;
    let today = app.now().date_naive();
    Ok(Json(json!({
        "items": docs
            .iter()
            .filter(|x| x.matches(&search.q))
            .map(|x| shown(x, today))
            .collect::<Vec<_>>(),
    })))
}

/// The owner's document `doc`, or "not found".
async fn document_of(app: &AppState, owner: &Owner, doc: &str) -> Result<StoredDocument, ApiError> {
    let Ok(doc) = doc.parse::<i64>() else {
        return Err(ApiError::not_found("giấy tờ"));
    };
    match app.db.documents().document(doc).await? {
        Some(d) if d.owner_key == owner.key() => Ok(d),
        _ => Err(ApiError::not_found("giấy tờ")),
    }
}

/// `GET /dossiers/{id}/documents/{doc}`.
pub async fn download_for_dossier(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::not_found("hồ sơ"));
    };
    let (d, owner) = handled(&app, &staff, id).await?;
    let found = document_of(&app, &owner, &doc).await?;
    app.db
        .documents()
        .log_access(
            &found,
            &format!("staff:{}", staff.id),
            Some(d.id),
            Access::Download,
            app.now().timestamp(),
        )
        .await?;
    Ok(crate::pages::documents::file_of(&app, &found).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachDocument {
    document: i64,
    /// The code of the dossier case's component it answers.
    component: String,
}

/// `POST /dossiers/{id}/documents`: attaches a document of the applicant's store to the
/// dossier for a component (the same bytes, no upload), by staff who may attach files.
pub async fn attach(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
    Body(body): Body<AttachDocument>,
) -> Result<Response, ApiError> {
    let (d, owner) = handled(&app, &staff, id).await?;
    if !crate::access::may_attach(&app.db, staff.id, &d).await? {
        return Err(ApiError::forbidden(
            "chỉ cán bộ của cơ quan đang giữ hồ sơ hoặc bộ phận một cửa đã tiếp nhận mới đính kèm được",
        ));
    }
    let case = app
        .db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?
        .and_then(|v| v.procedure.case(&d.case_code).cloned())
        .ok_or_else(|| ApiError::not_found("trường hợp của thủ tục"))?;
    let Some(index) = case
        .components
        .iter()
        .position(|c| c.code == body.component)
    else {
        return Err(ApiError::invalid(vec![motcua_domain::FieldError::new(
            "component",
            "không có thành phần hồ sơ mang mã này trong trường hợp của hồ sơ",
        )]));
    };
    let Some(doc) = crate::pages::documents::reusable(
        &app,
        Some(&owner),
        &case.components[index],
        body.document,
    )
    .await?
    else {
        return Err(ApiError::invalid(vec![motcua_domain::FieldError::new(
            "document",
            "giấy tờ không thuộc người nộp, đã hết hiệu lực, bị ẩn hoặc không đúng loại của thành phần",
        )]));
    };
    let file = motcua_db::NewAttachment::reusing(&doc, i64::try_from(index).ok(), Purpose::Scan)?;
    app.db
        .dossiers()
        .attach_files(
            d.id,
            &d.code,
            vec![file],
            format!("staff:{}", staff.id),
            app.now(),
        )
        .await?;
    let items = app.db.files().attachments(d.id).await?;
    Ok((StatusCode::CREATED, Json(json!({ "items": items }))).into_response())
}

/// The store of the citizen's account, or why there is none.
fn store_of(app: &AppState, who: &CitizenAuth) -> Result<Owner, ApiError> {
    crate::filing::account_store(app, &who.citizen).ok_or_else(|| {
        ApiError::forbidden(
            "kho dữ liệu chỉ mở cho tài khoản đã xác thực bằng định danh điện tử (VNeID)",
        )
    })
}

/// `GET /me/documents`.
pub async fn mine(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Params(search): Params<Search>,
) -> Result<Json<Value>, ApiError> {
    let owner = store_of(&app, &who)?;
    let docs = app.db.documents().of_owner(&owner.key()).await?;
    let log = app.db.documents().access_log(&owner.key(), 200).await?;
    let today = app.now().date_naive();
    Ok(Json(json!({
        "items": docs
            .iter()
            .filter(|x| x.matches(&search.q))
            .map(|x| shown(x, today))
            .collect::<Vec<_>>(),
        "access": log.iter().map(|a| json!({
            "document_id": a.document_id,
            "at": motcua_db::instant_of(a.at).ok().map(|t| t.to_rfc3339()),
            "by": if a.actor == format!("citizen:{}", who.citizen.id) { "owner" } else if a.actor.starts_with("staff:") { "staff" } else { "other" },
            "by_name": a.actor_name,
            "kind": a.kind,
            "dossier_code": a.dossier_code,
        })).collect::<Vec<_>>(),
    })))
}

/// `GET /me/documents/{doc}`.
pub async fn download_mine(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Path(doc): Path<String>,
) -> Result<Response, ApiError> {
    let owner = store_of(&app, &who)?;
    let found = document_of(&app, &owner, &doc).await?;
    app.db
        .documents()
        .log_access(
            &found,
            &format!("citizen:{}", who.citizen.id),
            None,
            Access::Download,
            app.now().timestamp(),
        )
        .await?;
    Ok(crate::pages::documents::file_of(&app, &found).await?)
}
