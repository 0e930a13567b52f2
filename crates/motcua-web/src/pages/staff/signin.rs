//! Đăng nhập, đăng xuất — username and password, a session cookie (HttpOnly, SameSite=Lax),
//! and a lock-out message after repeated failures.

use crate::pages::extract::PageForm;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::Login;
use serde::Deserialize;
use std::sync::Arc;

use super::{COOKIE, SignedIn};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render};

#[derive(Template)]
#[template(path = "staff/signin.html")]
struct SignIn {
    t: Tr,
    other_lang: &'static str,
    back: String,
    username: String,
    /// The form's token, bound to the browser's form cookie.
    csrf: String,
    error: Option<&'static str>,
}

/// The sign-in page with `error`, its form token, and the cookie that binds it when the
/// browser has none yet.
fn page(
    headers: &HeaderMap,
    uri: &Uri,
    username: String,
    error: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let frame = Frame::new(headers, uri);
    let (csrf, cookie) = crate::security::form_token(headers);
    let page = render(&SignIn {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        username,
        csrf,
        error: error.map(|key| frame.t.get(key)),
    });
    match cookie {
        Some(cookie) => (status, [(header::SET_COOKIE, cookie)], page).into_response(),
        None => (status, page).into_response(),
    }
}

pub async fn form(headers: HeaderMap, uri: Uri) -> Response {
    page(&headers, &uri, String::new(), None, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn submit(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageForm(c): PageForm<Credentials>,
) -> Result<Response, PageError> {
    let username = c.username.trim().to_string();
    if !crate::security::form_token_matches(&headers, &c.csrf) {
        return Ok(page(
            &headers,
            &uri,
            username,
            Some("signin.form_expired"),
            StatusCode::FORBIDDEN,
        ));
    }
    let limit = crate::throttle::STAFF_SIGN_IN;
    let now = app.now().timestamp();
    if !limit.take(&app.db, addr, now).await? {
        return Ok(page(
            &headers,
            &uri,
            username,
            Some("signin.throttled"),
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let error = match app.db.people().login(&c.username, &c.password, now).await? {
        Login::Ok(staff) => {
            limit.give_back(&app.db, addr, now).await?;
            let token = app.db.people().create_session(staff.id, now).await?;
            let cookie = format!(
                "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
                motcua_db::SESSION_SECONDS,
                secure_flag()
            );
            return Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/can-bo")).into_response());
        }
        Login::Wrong => "signin.wrong",
        Login::Locked => "signin.locked",
    };
    Ok(page(
        &headers,
        &uri,
        username,
        Some(error),
        StatusCode::UNAUTHORIZED,
    ))
}

/// `; Secure` when motcua is served over HTTPS (`MOTCUA_SECURE_COOKIES=1`), so the
/// session cookie never travels over plain HTTP.
pub(crate) fn secure_flag() -> &'static str {
    if std::env::var("MOTCUA_SECURE_COOKIES").as_deref() == Ok("1") {
        "; Secure"
    } else {
        ""
    }
}

#[derive(Deserialize)]
pub struct SignOut {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    PageForm(f): PageForm<SignOut>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    app.db
        .people()
        .end_session(&who.token, app.now().timestamp())
        .await?;
    let cookie = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/can-bo/dang-nhap"),
    )
        .into_response())
}
