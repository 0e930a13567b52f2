//! Trang chủ — search the catalogue, track a dossier, browse by field; and the language switch.

use crate::pages::extract::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::sync::Arc;

use super::{Frame, PageError, render};
use crate::AppState;
use crate::i18n::Tr;

pub struct FieldCount {
    pub code: String,
    pub name: String,
    pub count: usize,
}

/// The fields of the catalogue with how many procedures each has, by name.
pub async fn fields(app: &AppState) -> Result<Vec<FieldCount>, PageError> {
    let mut out: Vec<FieldCount> = Vec::new();
    for p in app.db.catalogue().procedures(None, None, None).await? {
        match out.iter_mut().find(|f| f.code == p.field_code) {
            Some(f) => f.count += 1,
            None => out.push(FieldCount {
                code: p.field_code,
                name: p.field_name,
                count: 1,
            }),
        }
    }
    out.sort_by_cached_key(|f| motcua_domain::text::vi_sort_key(&f.name));
    Ok(out)
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    t: Tr,
    other_lang: &'static str,
    back: String,
    fields: Vec<FieldCount>,
    code: String,
    secret: String,
}

pub async fn home(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    Ok(render(&Home {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        fields: fields(&app).await?,
        code: String::new(),
        secret: String::new(),
    }))
}

#[derive(Deserialize)]
pub struct Switch {
    to: String,
    back: Option<String>,
}

/// Sets the language cookie and goes back (only to a path on this site).
pub async fn switch_language(PageQuery(q): PageQuery<Switch>) -> Response {
    let lang = if q.to == "en" { "en" } else { "vi" };
    let back = q
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let cookie = format!("lang={lang}; Path=/; Max-Age=31536000; SameSite=Lax");
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}
