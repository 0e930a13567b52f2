//! Tài khoản công dân — registration, sign-in (phone or e-mail) and sign-out, with the same
//! lock-out and per-address limit as staff sign-in.

use crate::pages::extract::{PageForm, PageQuery};
use crate::security::with_form_cookie;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{DbError, Login, NewCitizen};
use motcua_domain::FieldError;
use serde::Deserialize;
use std::sync::Arc;

use super::{COOKIE, CitizenIn, safe_next};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render};

#[derive(Deserialize, Default)]
pub struct Next {
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "citizen/signin.html")]
struct SignInPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    identifier: String,
    next: String,
    next_q: String,
    /// The form's token, bound to the browser's form cookie.
    csrf: String,
    error: Option<String>,
    /// The national identity providers' buttons: name and label.
    providers: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct Typed {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Template)]
#[template(path = "citizen/register.html")]
struct RegisterPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    next_q: String,
    csrf: String,
    typed: Typed,
    errors: Vec<FieldError>,
}

pub(super) fn session_cookie(token: &str) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        motcua_db::SESSION_SECONDS,
        crate::pages::staff::signin::secure_flag()
    )
}

/// The sign-in page, with `error` (an i18n key or a message) above the form.
pub(super) fn sign_in_page(
    app: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    identifier: String,
    next: &str,
    error: Option<Said>,
    status: StatusCode,
) -> Response {
    let frame = Frame::new(headers, uri);
    let providers = app
        .sso
        .get()
        .map(crate::sso::Sso::buttons)
        .unwrap_or_default();
    let (csrf, cookie) = crate::security::form_token(headers);
    let page = render(&SignInPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        identifier,
        next_q: crate::pages::encode(next),
        next: next.to_string(),
        csrf,
        error: error.map(|said| match said {
            Said::Key(key) => frame.t.get(key).to_string(),
            Said::Text(text) => text,
        }),
        providers,
    });
    with_form_cookie(status, page, cookie)
}

/// What the sign-in page tells: a translated key, or a message naming the problem.
pub(super) enum Said {
    Key(&'static str),
    Text(String),
}

pub async fn sign_in_form(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Next>,
) -> Response {
    sign_in_page(
        &app,
        &headers,
        &uri,
        String::new(),
        &safe_next(&q.next),
        None,
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct Credentials {
    #[serde(default)]
    identifier: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

pub async fn sign_in(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageForm(c): PageForm<Credentials>,
) -> Result<Response, PageError> {
    let next = safe_next(&c.next);
    let identifier = c.identifier.trim().to_string();
    let again = |error: &'static str, status: StatusCode| {
        sign_in_page(
            &app,
            &headers,
            &uri,
            identifier.clone(),
            &next,
            Some(Said::Key(error)),
            status,
        )
    };
    if !crate::security::form_token_matches(&headers, &c.csrf) {
        return Ok(again("signin.form_expired", StatusCode::FORBIDDEN));
    }
    let limit = crate::throttle::CITIZEN_SIGN_IN;
    let now = app.now().timestamp();
    if !limit.take(&app.db, addr, now).await? {
        return Ok(again("signin.throttled", StatusCode::TOO_MANY_REQUESTS));
    }
    let error = match app
        .db
        .people()
        .citizen_login(&c.identifier, &c.password, now)
        .await?
    {
        Login::Ok(citizen) => {
            limit.give_back(&app.db, addr, now).await?;
            let token = app
                .db
                .people()
                .create_citizen_session(citizen.id, now)
                .await?;
            return Ok((
                [(header::SET_COOKIE, session_cookie(&token))],
                Redirect::to(&next),
            )
                .into_response());
        }
        Login::Wrong => "citizen.signin.wrong",
        Login::Locked => "signin.locked",
    };
    Ok(again(error, StatusCode::UNAUTHORIZED))
}

fn register_page(
    headers: &HeaderMap,
    uri: &Uri,
    typed: Typed,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let frame = Frame::new(headers, uri);
    let (csrf, cookie) = crate::security::form_token(headers);
    let page = render(&RegisterPage {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        next_q: crate::pages::encode(&typed.next),
        csrf,
        typed,
        errors,
    });
    with_form_cookie(status, page, cookie)
}

pub async fn register_form(
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Next>,
) -> Response {
    let typed = Typed {
        next: safe_next(&q.next),
        ..Typed::default()
    };
    register_page(&headers, &uri, typed, Vec::new(), StatusCode::OK)
}

pub async fn register(
    State(app): State<Arc<AppState>>,
    crate::client::ClientAddr(addr): crate::client::ClientAddr,
    headers: HeaderMap,
    uri: Uri,
    PageForm(mut typed): PageForm<Typed>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    typed.next = safe_next(&typed.next);
    let mut errors = Vec::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if !crate::security::form_token_matches(&headers, &typed.csrf) {
        errors.push(FieldError::new("", frame.t.get("signin.form_expired")));
        status = StatusCode::FORBIDDEN;
    } else if addr.is_some_and(|a| !app.throttles.registrations.allow(a)) {
        errors.push(FieldError::new("", frame.t.get("register.throttled")));
        status = StatusCode::TOO_MANY_REQUESTS;
    } else if typed.password != typed.password2 {
        errors.push(FieldError::new("password2", "mật khẩu nhập lại không khớp"));
    } else {
        let now = app.now().timestamp();
        let new = NewCitizen {
            full_name: typed.full_name.clone(),
            phone: Some(typed.phone.clone()),
            email: Some(typed.email.clone()),
            id_number: Some(typed.id_number.clone()),
            password: typed.password.clone(),
        };
        match app.db.people().register_citizen(new, now).await {
            Ok(citizen) => {
                let token = app
                    .db
                    .people()
                    .create_citizen_session(citizen.id, now)
                    .await?;
                return Ok((
                    [(header::SET_COOKIE, session_cookie(&token))],
                    Redirect::to(&typed.next),
                )
                    .into_response());
            }
            Err(DbError::Invalid(found)) => errors = found,
            Err(e) => return Err(e.into()),
        }
    }
    typed.password.clear();
    typed.password2.clear();
    Ok(register_page(&headers, &uri, typed, errors, status))
}

#[derive(Deserialize)]
pub struct SignOut {
    #[serde(default)]
    csrf: String,
}

/// Signs out here, and at the identity provider the session came through when it offers
/// it (the citizen comes back to the home page).
pub async fn sign_out(
    State(app): State<Arc<AppState>>,
    who: CitizenIn,
    headers: HeaderMap,
    PageForm(f): PageForm<SignOut>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    let through = app
        .db
        .people()
        .end_citizen_session(&who.token, app.now().timestamp())
        .await?;
    let back = format!("{}/", crate::pages::staff::forms::base_url(&app, &headers));
    // The provider's own address for this sign-in (VNeID's `logoutUri`), else its
    // `end_session_endpoint`.
    let at_provider = match through {
        Some((_, Some(logout))) => Some(logout),
        Some((name, None)) => match app.sso.get().and_then(|sso| sso.provider(&name)) {
            Some(p) => p.end_session_url(&back).await,
            None => None,
        },
        None => None,
    };
    let cookie = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    match at_provider {
        // Signing out at the provider is another site: the form's answer cannot redirect
        // there (`form-action 'self'`), so a page moves on to it.
        Some(to) => {
            let frame = Frame::new(&headers, &Uri::from_static("/"));
            let what = frame.t.get("leaving.sign_out").to_string();
            let page = crate::pages::leave_to(frame, what, &to);
            Ok(([(header::SET_COOKIE, cookie)], page).into_response())
        }
        None => Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/")).into_response()),
    }
}
