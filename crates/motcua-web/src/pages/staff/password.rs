//! Đổi mật khẩu — a signed-in officer changes their password, giving the current one.

use crate::pages::extract::PageForm;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use motcua_db::Login;
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render};

#[derive(Template)]
#[template(path = "staff/password.html")]
struct PasswordPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    message: Option<&'static str>,
    error: Option<String>,
}

pub async fn form(who: SignedIn, headers: HeaderMap, uri: Uri) -> Response {
    let frame = Frame::new(&headers, &uri);
    render(&PasswordPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        message: who
            .session
            .staff
            .must_change_password
            .then(|| frame.t.get("password.must_change")),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct Change {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn change(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(c): PageForm<Change>,
) -> Result<Response, PageError> {
    who.check_csrf(&c.csrf)?;
    let frame = Frame::new(&headers, &uri);
    let t = frame.t;
    let staff = &who.session.staff;
    let error = if c.new != c.repeat {
        Some(t.get("password.mismatch").to_string())
    } else {
        match app
            .db
            .people()
            .login(&staff.username, &c.current, app.now().timestamp())
            .await?
        {
            Login::Ok(_) => match app
                .db
                .people()
                .set_password(
                    staff.id,
                    &c.new,
                    &format!("staff:{}", staff.id),
                    Some(&who.token),
                )
                .await
            {
                Ok(()) => None,
                Err(motcua_db::DbError::Invalid(fields)) => Some(
                    fields
                        .iter()
                        .map(|f| f.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Err(e) => return Err(e.into()),
            },
            Login::Wrong => Some(t.get("password.wrong").to_string()),
            Login::Locked => Some(t.get("signin.locked").to_string()),
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = render(&PasswordPage {
        nav: who.nav(),
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        message: error.is_none().then(|| t.get("password.changed")),
        error,
    });
    Ok((status, page).into_response())
}
