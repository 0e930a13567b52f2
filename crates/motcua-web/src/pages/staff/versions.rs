//! Phiên bản thủ tục — for administrators: every published version of a procedure, each
//! readable in the catalogue format, and a new version started from any of them (published
//! through the same checked form as a catalogue file).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::admin::require_admin;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::{Frame, PageError, render, vn_datetime};

pub struct VersionRow {
    pub version: i64,
    pub published: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "staff/versions.html")]
struct VersionsPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    code: String,
    name: String,
    rows: Vec<VersionRow>,
    shown: i64,
    text: String,
}

#[derive(Deserialize, Default)]
pub struct Pick {
    #[serde(default)]
    v: Option<i64>,
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
    PageQuery(pick): PageQuery<Pick>,
) -> Result<Response, PageError> {
    require_admin(&app, &who).await?;
    let versions = app.db.procedure_versions(&code).await?;
    let Some(latest) = versions.last() else {
        return Err(PageError::NotFound);
    };
    let shown = pick.v.unwrap_or(latest.version);
    let Some(chosen) = versions.iter().find(|v| v.version == shown) else {
        return Err(PageError::NotFound);
    };
    let text = motcua_domain::catalogue::export_catalogue(std::slice::from_ref(&chosen.procedure))
        .map_err(|e| {
            tracing::error!(error = %e, "export of a procedure version failed");
            PageError::Internal
        })?;
    let frame = Frame::new(&headers, &uri);
    let rows = versions
        .iter()
        .rev()
        .map(|v| VersionRow {
            version: v.version,
            published: chrono::DateTime::from_timestamp(v.published_at, 0)
                .map(|t| vn_datetime(t.fixed_offset()))
                .unwrap_or_default(),
            selected: v.version == shown,
        })
        .collect();
    Ok(render(&VersionsPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        name: chosen.procedure.name.clone(),
        code,
        rows,
        shown,
        text,
    }))
}
