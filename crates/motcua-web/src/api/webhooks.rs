//! `/api/v1/webhooks`: integrators' subscriptions, managed by administrators: the events
//! there are, the subscriptions, a new one (its signing secret is answered this once), and
//! ending one. Deliveries are signed and retried by the worker (`motcua-notify`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motcua_db::Webhook;
use motcua_domain::agency::Role;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

use super::error::ApiError;
use super::extract::{Body, StaffAuth};
use crate::AppState;

async fn administrator(app: &AppState, staff: &motcua_db::Staff) -> Result<(), ApiError> {
    let grants = app.db.people().grants(staff.id).await?;
    if grants.iter().any(|g| g.role == Role::Administrator) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "chỉ quản trị viên quản lý được các đăng ký webhook",
        ))
    }
}

/// `GET /webhooks/events`: what a subscription may hear.
pub async fn events(StaffAuth(_): StaffAuth) -> Json<Value> {
    let list: Vec<Value> = motcua_domain::webhook::events()
        .into_iter()
        .map(|(name, meaning)| json!({"name": name, "description": meaning}))
        .collect();
    Json(json!({ "items": list }))
}

/// `GET /webhooks`.
pub async fn list(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
) -> Result<Json<Value>, ApiError> {
    administrator(&app, &staff).await?;
    let items = app.db.outbox().webhooks().await?;
    Ok(Json(json!({ "items": items })))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    url: String,
    events: Vec<String>,
    #[serde(default)]
    description: String,
}

/// `POST /webhooks`: 201 with the subscription and its secret.
pub async fn create(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Body(new): Body<NewWebhook>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    administrator(&app, &staff).await?;
    let (webhook, secret): (Webhook, String) = app
        .db
        .outbox()
        .create_webhook(
            &new.url,
            &new.events,
            &new.description,
            &format!("staff:{}", staff.id),
            app.now().timestamp(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "webhook": webhook, "secret": secret })),
    ))
}

/// `DELETE /webhooks/{id}`: 204, or 404 when there is no such active subscription.
pub async fn remove(
    State(app): State<Arc<AppState>>,
    StaffAuth(staff): StaffAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    administrator(&app, &staff).await?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::not_found("đăng ký webhook"));
    };
    let removed = app
        .db
        .outbox()
        .remove_webhook(id, &format!("staff:{}", staff.id), app.now().timestamp())
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("đăng ký webhook"))
    }
}
