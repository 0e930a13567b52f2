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
    error: Option<&'static str>,
}

pub async fn form(headers: HeaderMap, uri: Uri) -> Response {
    let frame = Frame::new(&headers, &uri);
    render(&SignIn {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        username: String::new(),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn submit(
    State(app): State<Arc<AppState>>,
    crate::throttle::ClientAddr(addr): crate::throttle::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageForm(c): PageForm<Credentials>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let now = app.now().timestamp();
    if let Some(addr) = addr
        && !app.sign_ins.allow(addr)
    {
        let page = render(&SignIn {
            t: frame.t,
            other_lang: frame.other_lang,
            back: frame.back,
            username: c.username.trim().to_string(),
            error: Some(frame.t.get("signin.throttled")),
        });
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let error = match app.db.login(&c.username, &c.password, now).await? {
        Login::Ok(staff) => {
            let token = app.db.create_session(staff.id, now).await?;
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
    let page = render(&SignIn {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        username: c.username.trim().to_string(),
        error: Some(frame.t.get(error)),
    });
    Ok((StatusCode::UNAUTHORIZED, page).into_response())
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
        .end_session(&who.token, app.now().timestamp())
        .await?;
    let cookie = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to("/can-bo/dang-nhap"),
    )
        .into_response())
}
