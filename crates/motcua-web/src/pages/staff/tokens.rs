//! Mã API — administrators create, list and revoke staff API tokens; a new token is shown
//! once, only its hash is kept.

use crate::pages::extract::PageForm;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::admin::{messages, require_admin};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render, vn_datetime};

pub struct TokenRow {
    pub id: i64,
    pub username: String,
    pub name: String,
    pub created: String,
    pub state: String,
    pub live: bool,
}

#[derive(Template)]
#[template(path = "staff/tokens.html")]
struct TokensPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    rows: Vec<TokenRow>,
    message: Option<String>,
    secret: Option<String>,
    errors: Vec<String>,
}

fn when(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|t| vn_datetime(t.fixed_offset()))
        .unwrap_or_default()
}

async fn page(
    app: &AppState,
    who: &SignedIn,
    headers: &HeaderMap,
    uri: &Uri,
    outcome: Result<(String, Option<String>), Vec<String>>,
) -> Result<Response, PageError> {
    let frame = Frame::new(headers, uri);
    let now = app.now().timestamp();
    let rows = app
        .db
        .people()
        .api_tokens(None)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            live: t.live(now),
            state: t.state_vi(now),
            username: t.username,
            name: t.name,
            created: format!("{} ({})", when(t.created_at), t.created_by),
        })
        .collect();
    let (status, message, secret, errors) = match outcome {
        Ok((message, secret)) => (
            StatusCode::OK,
            Some(message).filter(|m| !m.is_empty()),
            secret,
            Vec::new(),
        ),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, None, None, errors),
    };
    let body = render(&TokensPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        rows,
        message,
        secret,
        errors,
    });
    Ok((status, body).into_response())
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    require_admin(&app, &who).await?;
    page(&app, &who, &headers, &uri, Ok((String::new(), None))).await
}

#[derive(Deserialize)]
pub struct Change {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    id: String,
}

pub async fn change(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(c): PageForm<Change>,
) -> Result<Response, PageError> {
    who.check_csrf(&c.csrf)?;
    require_admin(&app, &who).await?;
    let actor = format!("staff:{}", who.session.staff.id);
    let outcome = match c.what.as_str() {
        "create" => {
            let days = match c.days.trim() {
                "" => Ok(None),
                d => d
                    .parse::<u32>()
                    .ok()
                    .filter(|d| (1..=3650).contains(d))
                    .map(Some)
                    .ok_or_else(|| vec![format!("số ngày hết hạn “{d}” phải là số từ 1 đến 3650")]),
            };
            match (days, app.db.people().staff_by_username(&c.username).await?) {
                (Err(e), _) => Err(e),
                (_, None) => Err(vec![format!(
                    "không có cán bộ tên đăng nhập “{}”",
                    c.username.trim()
                )]),
                (Ok(days), Some(s)) => {
                    let expires = days.map(|d| app.now().timestamp() + i64::from(d) * 86_400);
                    match app
                        .db
                        .people()
                        .create_api_token(s.id, &c.name, expires, None, &actor)
                        .await
                    {
                        Ok(made) => Ok((
                            format!("Đã tạo mã API số {} cho {}", made.token.id, s.full_name),
                            Some(made.secret),
                        )),
                        Err(e) => Err(messages(e)?),
                    }
                }
            }
        }
        "revoke" => match c.id.trim().parse::<i64>() {
            Ok(id) => match app.db.people().revoke_api_token(id, &actor).await {
                Ok(t) => Ok((
                    format!("Đã thu hồi mã API số {} ({})", t.id, t.username),
                    None,
                )),
                Err(e) => Err(messages(e)?),
            },
            Err(_) => Err(vec!["số mã API không hợp lệ".into()]),
        },
        _ => return Err(PageError::BadRequest),
    };
    page(&app, &who, &headers, &uri, outcome).await
}
