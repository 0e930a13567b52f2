//! `/api/v1`: catalogue, agencies, dossiers and their transitions, the public lookup,
//! dossiers pushed by the national portal, integrators' webhooks, the citizen's own side
//! (`/me`), and the OpenAPI document that describes them.

mod catalogue;
mod citizen;
mod dossiers;
pub mod error;
mod extract;
mod files;
mod lookup;
mod openapi;
mod portal;
mod serde_vi;
mod statistics;
mod upload;
mod webhooks;

use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

use crate::AppState;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/agencies", get(catalogue::agencies))
        .route("/procedures", get(catalogue::list))
        .route("/procedures/{code}", get(catalogue::show))
        .route("/procedures/{code}/versions", get(catalogue::versions))
        .route(
            "/dossiers",
            get(dossiers::list)
                .post(dossiers::create)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::pages::submitted::BODY_LIMIT,
                )),
        )
        .route(
            "/dvcqg/ho-so",
            // Files come inside the body, in base64.
            post(portal::inbound).layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
        )
        .route(
            "/dvcqg/bo-sung",
            post(portal::supplement).layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
        )
        .route("/dossiers/{id}", get(dossiers::show))
        .route("/dossiers/{id}/history", get(dossiers::history))
        .route("/dossiers/{id}/dvcqg", get(dossiers::portal_sync))
        .route(
            "/dossiers/{id}/files",
            get(files::list)
                .post(files::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::pages::submitted::BODY_LIMIT,
                )),
        )
        .route("/dossiers/{id}/files/{file}", get(files::download))
        .route(
            "/dossiers/{id}/transitions",
            post(dossiers::transition).layer(axum::extract::DefaultBodyLimit::max(
                crate::pages::submitted::BODY_LIMIT,
            )),
        )
        .route("/lookup", get(lookup::lookup))
        .route("/statistics", get(statistics::report))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/events", get(webhooks::events))
        .route("/webhooks/{id}", axum::routing::delete(webhooks::remove))
        .merge(citizen::router())
        .fallback(|| async { error::ApiError::not_found("đường dẫn API này") })
}
