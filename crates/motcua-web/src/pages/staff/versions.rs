//! Phiên bản thủ tục — for administrators: every published version of a procedure, each
//! readable in the catalogue format; a new version from a form of its common fields (name,
//! online level, channels, results, decision, description), or from any version's full
//! text (published through the same checked form as a catalogue file).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_domain::catalogue::{Channel, OnlineLevel, Procedure};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::admin::require_admin;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageQuery};
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
    /// The common fields of the latest version, as the form shows them.
    fields: Fields,
    message: Option<String>,
    errors: Vec<String>,
}

/// The common fields' form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct Fields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub online_level: String,
    #[serde(default)]
    pub ch_counter: Option<String>,
    #[serde(default)]
    pub ch_online: Option<String>,
    #[serde(default)]
    pub ch_post: Option<String>,
    /// One result per line.
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub description: String,
}

impl Fields {
    fn of(p: &Procedure) -> Self {
        let has = |c: Channel| p.channels.contains(&c).then(|| "1".to_string());
        Self {
            csrf: String::new(),
            name: p.name.clone(),
            online_level: level_code(p.online_level).into(),
            ch_counter: has(Channel::Counter),
            ch_online: has(Channel::Online),
            ch_post: has(Channel::Post),
            results: p.results.join("\n"),
            decision: p.decision.clone().unwrap_or_default(),
            description: p.description.clone().unwrap_or_default(),
        }
    }

    /// `p` with these fields, or what is wrong with them, named in Vietnamese.
    fn apply(&self, mut p: Procedure) -> Result<Procedure, Vec<String>> {
        let mut errors = Vec::new();
        p.name = motcua_domain::text::nfc(self.name.trim());
        p.online_level = match self.online_level.as_str() {
            "information" => OnlineLevel::Information,
            "partial" => OnlineLevel::Partial,
            "full" => OnlineLevel::Full,
            other => {
                errors.push(format!("Mức độ trực tuyến “{other}” không hợp lệ"));
                p.online_level
            }
        };
        p.channels = [
            (Channel::Counter, &self.ch_counter),
            (Channel::Online, &self.ch_online),
            (Channel::Post, &self.ch_post),
        ]
        .into_iter()
        .filter(|(_, on)| on.is_some())
        .map(|(c, _)| c)
        .collect();
        p.results = self
            .results
            .lines()
            .map(|l| motcua_domain::text::nfc(l.trim()))
            .filter(|l| !l.is_empty())
            .collect();
        let optional = |v: &str| Some(motcua_domain::text::nfc(v.trim())).filter(|v| !v.is_empty());
        p.decision = optional(&self.decision);
        p.description = optional(&self.description);
        if let Err(found) = p.validate() {
            errors.extend(
                found
                    .into_iter()
                    .map(|e| format!("{}: {}", field_label(&e.field), e.message)),
            );
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(errors)
        }
    }
}

fn level_code(level: OnlineLevel) -> &'static str {
    match level {
        OnlineLevel::Information => "information",
        OnlineLevel::Partial => "partial",
        OnlineLevel::Full => "full",
    }
}

/// A validation error's field as the form names it.
fn field_label(field: &str) -> String {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    match head {
        "name" => "Tên thủ tục".into(),
        "online_level" => "Mức độ trực tuyến".into(),
        "channels" => "Kênh tiếp nhận".into(),
        "results" => "Kết quả thực hiện".into(),
        "decision" => "Quyết định công bố".into(),
        "description" => "Mô tả".into(),
        "cases" => "Trường hợp (sửa trong văn bản đầy đủ)".into(),
        "workflow" => "Quy trình (sửa trong văn bản đầy đủ)".into(),
        _ => "Thủ tục".into(),
    }
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
    page(
        &app,
        &who,
        Frame::new(&headers, &uri),
        &code,
        pick.v,
        Outcome::Shown,
    )
    .await
}

/// Publishes a new version with the common fields as typed.
pub async fn change(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
    PageForm(typed): PageForm<Fields>,
) -> Result<Response, PageError> {
    who.check_csrf(&typed.csrf)?;
    require_admin(&app, &who).await?;
    let frame = Frame::new(&headers, &uri);
    let latest = app
        .db
        .catalogue()
        .procedure_versions(&code)
        .await?
        .pop()
        .ok_or(PageError::NotFound)?;
    let outcome = match typed.apply(latest.procedure) {
        Err(errors) => Err(errors),
        Ok(procedure) => {
            let actor = format!("staff:{}", who.session.staff.id);
            match app
                .db
                .catalogue()
                .publish_procedures(&[procedure], &actor, Some(who.session.staff.id))
                .await
            {
                Ok(published) if published.iter().any(|p| p.changed) => {
                    Ok("Đã công bố phiên bản mới".to_string())
                }
                Ok(_) => Ok("Không có gì thay đổi: không công bố phiên bản mới".to_string()),
                Err(e) => Err(super::admin::messages(e)?),
            }
        }
    };
    let outcome = match outcome {
        Ok(message) => Outcome::Done(message),
        Err(errors) => Outcome::Refused(Box::new(typed), errors),
    };
    page(&app, &who, frame, &code, None, outcome).await
}

/// What the page reports: nothing, a change made, or the typed fields refused and why.
enum Outcome {
    Shown,
    Done(String),
    Refused(Box<Fields>, Vec<String>),
}

/// The page of `code` showing version `v` (the latest by default), with the outcome of a
/// change: a message, or the typed fields and what is wrong with them.
async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    code: &str,
    v: Option<i64>,
    outcome: Outcome,
) -> Result<Response, PageError> {
    let versions = app.db.catalogue().procedure_versions(code).await?;
    let Some(latest) = versions.last() else {
        return Err(PageError::NotFound);
    };
    let shown = v.unwrap_or(latest.version);
    let Some(chosen) = versions.iter().find(|v| v.version == shown) else {
        return Err(PageError::NotFound);
    };
    let text = motcua_domain::catalogue::export_catalogue(std::slice::from_ref(&chosen.procedure))
        .map_err(|e| {
            tracing::error!(error = %e, "export of a procedure version failed");
            PageError::Internal
        })?;
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
    let (message, fields, errors) = match outcome {
        Outcome::Refused(typed, errors) => (None, *typed, errors),
        Outcome::Done(message) => (Some(message), Fields::of(&latest.procedure), Vec::new()),
        Outcome::Shown => (None, Fields::of(&latest.procedure), Vec::new()),
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&VersionsPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        name: chosen.procedure.name.clone(),
        code: code.to_string(),
        rows,
        shown,
        text,
        fields,
        message,
        errors,
    });
    Ok(axum::response::IntoResponse::into_response((status, body)))
}
