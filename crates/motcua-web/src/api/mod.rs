//! `/api/v1`: catalogue, agencies, dossiers and their transitions, the public lookup,
//! dossiers pushed by the national portal, integrators' webhooks, the citizen's own side
//! (`/me`), and the OpenAPI document that describes them.

mod catalogue;
mod citizen;
mod documents;
mod dossiers;
pub mod error;
mod extract;
mod files;
mod lookup;
mod openapi;
mod payments;
mod portal;
mod reconciliation;
mod routes;
mod serde_vi;
mod statistics;
mod upload;
mod webhooks;

use axum::Router;
use axum::http::Method;
use std::sync::Arc;

use crate::AppState;
use crate::pages::submitted::BODY_LIMIT;
use routes::Routes;

/// The portal pushes files inside its JSON, in base64.
const PORTAL_LIMIT: usize = 64 << 20;

fn routes() -> Routes {
    Routes::default()
        .get("/openapi.json", openapi::document)
        .get("/agencies", catalogue::agencies)
        .get("/procedures", catalogue::list)
        .get("/procedures/{code}", catalogue::show)
        .get("/procedures/{code}/versions", catalogue::versions)
        .get("/dossiers", dossiers::list)
        .post_up_to("/dossiers", BODY_LIMIT, dossiers::create)
        .post_up_to("/dvcqg/ho-so", PORTAL_LIMIT, portal::inbound)
        .post_up_to("/dvcqg/bo-sung", PORTAL_LIMIT, portal::supplement)
        .get("/dossiers/{id}", dossiers::show)
        .get("/dossiers/{id}/history", dossiers::history)
        .get("/dossiers/{id}/dvcqg", dossiers::portal_sync)
        .get("/dossiers/{id}/files", files::list)
        .post_up_to("/dossiers/{id}/files", BODY_LIMIT, files::upload)
        .get("/dossiers/{id}/files/{file}", files::download)
        .post_up_to(
            "/dossiers/{id}/transitions",
            BODY_LIMIT,
            dossiers::transition,
        )
        .get("/dossiers/{id}/documents", documents::of_applicant)
        .post("/dossiers/{id}/documents", documents::attach)
        .get(
            "/dossiers/{id}/documents/{doc}",
            documents::download_for_dossier,
        )
        .get("/me/documents", documents::mine)
        .get("/me/documents/{doc}", documents::download_mine)
        .get("/dossiers/{id}/payments", payments::list)
        .post("/dossiers/{id}/payments", payments::create)
        .get("/dossiers/{id}/receipts/{receipt}", payments::receipt)
        .get("/payments/reconciliation", reconciliation::day)
        .get("/lookup", lookup::lookup)
        .get("/statistics", statistics::report)
        .get("/statistics/support", statistics::support)
        .get("/webhooks", webhooks::list)
        .post("/webhooks", webhooks::create)
        .get("/webhooks/events", webhooks::events)
        .delete("/webhooks/{id}", webhooks::remove)
        .merge(citizen::routes())
}

pub fn router() -> Router<Arc<AppState>> {
    let (router, _) = routes().finish();
    router.fallback(|| async { error::ApiError::not_found("đường dẫn API này") })
}

/// Every operation the API serves: its method and path under `/api/v1`.
pub fn operations() -> Vec<(Method, &'static str)> {
    routes().finish().1
}
