//! Dossiers for staff: intake, reading, listing queues, history and transitions (an intake or
//! a transition may carry files, attached in its own transaction). Every handler authorizes
//! against the caller's roles over the agencies concerned.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use motcua_db::{
    ActorRef, DossierFilter, DossierPage, DossierRecord, HistoryRow, IntakeExtras, Staff,
    TransitionRequest,
};
use motcua_domain::dossier::{Action, Actor, Intake, Status};
use serde::Deserialize;
use std::sync::Arc;

use super::error::ApiError;
use super::extract::{Id, Params, StaffAuth};
use super::upload::JsonOrFiles;
use crate::AppState;

/// The dossier `id`, if the caller may see it; otherwise "not found" (no existence leak).
pub(super) async fn readable(
    app: &AppState,
    staff: &Staff,
    id: i64,
) -> Result<DossierRecord, ApiError> {
    match app.db.dossiers().dossier(id).await? {
        Some(d) if crate::access::may_read(&app.db, staff.id, &d).await? => Ok(d),
        _ => Err(ApiError::not_found("hồ sơ")),
    }
}

#[derive(Deserialize)]
pub struct NewDossier {
    receiving_agency: String,
    #[serde(flatten)]
    intake: Intake,
}

pub async fn create(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    JsonOrFiles(sent): JsonOrFiles<NewDossier>,
) -> Result<(StatusCode, Json<DossierRecord>), ApiError> {
    let Some(body) = sent.body.as_ref() else {
        return Err(ApiError::bad_request("body", "thiếu nội dung hồ sơ"));
    };
    let agency = app
        .db
        .agencies()
        .agency_by_code(&body.receiving_agency)
        .await?
        .ok_or_else(|| {
            ApiError::bad_request(
                "receiving_agency",
                format!("không có cơ quan mã “{}”", body.receiving_agency),
            )
        })?;
    let roles = app.db.people().roles_over(staff.id, agency.id).await?;
    let actor = Actor::Staff {
        id: staff.id,
        roles,
    };
    let (body, files) = sent.store(&app).await?;
    let Some(body) = body else {
        return Err(ApiError::bad_request("body", "thiếu nội dung hồ sơ"));
    };
    let record = app
        .db
        .dossiers()
        .intake_with(
            body.intake,
            &agency.code,
            &actor,
            &app.calendar(),
            app.now(),
            IntakeExtras {
                files,
                ..IntakeExtras::default()
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(record)))
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
) -> Result<Json<DossierRecord>, ApiError> {
    Ok(Json(readable(&app, &staff, id).await?))
}

pub async fn history(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
) -> Result<Json<Vec<HistoryRow>>, ApiError> {
    let d = readable(&app, &staff, id).await?;
    Ok(Json(app.db.dossiers().history(d.id).await?))
}

/// How far the national portal has heard of the dossier.
pub async fn portal_sync(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
) -> Result<Json<motcua_db::SyncState>, ApiError> {
    let d = readable(&app, &staff, id).await?;
    Ok(Json(app.db.portal().state(d.id).await?))
}

#[derive(Deserialize)]
pub struct ListQuery {
    agency: Option<String>,
    status: Option<String>,
    /// `me` for the caller's own assignments.
    assignee: Option<String>,
    after: Option<String>,
    limit: Option<i64>,
}

pub async fn list(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Params(q): Params<ListQuery>,
) -> Result<Json<DossierPage>, ApiError> {
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            ApiError::bad_request("status", format!("trạng thái “{s}” không tồn tại"))
        })?),
    };
    let mut filter = DossierFilter {
        status,
        after: q.after,
        limit: q.limit,
        ..DossierFilter::default()
    };
    match (q.agency.as_deref(), q.assignee.as_deref()) {
        (_, Some("me")) => filter.assignee_id = Some(staff.id),
        (_, Some(other)) => {
            return Err(ApiError::bad_request(
                "assignee",
                format!("chỉ hỗ trợ assignee=me (nhận được “{other}”)"),
            ));
        }
        (Some(code), None) => {
            let agency = app
                .db
                .agencies()
                .agency_by_code(code)
                .await?
                .ok_or_else(|| {
                    ApiError::bad_request("agency", format!("không có cơ quan mã “{code}”"))
                })?;
            if app
                .db
                .people()
                .roles_over(staff.id, agency.id)
                .await?
                .is_empty()
            {
                return Err(ApiError::forbidden(
                    "bạn không có vai trò nào tại cơ quan này",
                ));
            }
            filter.agency_id = Some(agency.id);
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "agency",
                "cần chọn cơ quan (agency=…) hoặc assignee=me",
            ));
        }
    }
    Ok(Json(app.db.dossiers().list_dossiers(&filter).await?))
}

#[derive(Deserialize)]
pub struct TransitionBody {
    expected_version: i64,
    #[serde(flatten)]
    action: Action,
}

pub async fn transition(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Id(id): Id,
    JsonOrFiles(sent): JsonOrFiles<TransitionBody>,
) -> Result<Json<DossierRecord>, ApiError> {
    // Unreadable dossiers are "not found", even for an action the caller could not take.
    readable(&app, &staff, id).await?;
    let (body, files) = sent.store(&app).await?;
    let Some(body) = body else {
        return Err(ApiError::bad_request("body", "thiếu nội dung bước chuyển"));
    };
    let request = TransitionRequest {
        dossier_id: id,
        expected_version: body.expected_version,
        action: body.action,
    };
    let record = app
        .db
        .dossiers()
        .transition_with(
            &request,
            ActorRef::Staff(staff.id),
            &app.calendar(),
            app.now(),
            &files,
        )
        .await?;
    Ok(Json(record))
}
