//! Đăng nhập bằng VNeID / tài khoản Cổng DVCQG — the two pages of an OpenID Connect sign-in:
//! one sends the citizen to the provider with a fresh state, nonce and PKCE verifier (the
//! state also in a cookie of this browser); the other takes them back, once, checks the code
//! and the ID token, and signs them in to the account their identity links to. And the deep
//! link the national portal sends citizens through to file a procedure here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::PendingSignIn;
use serde::Deserialize;

use super::account::{Said, session_cookie, sign_in_page};
use super::safe_next;
use crate::AppState;
use crate::pages::PageError;
use crate::pages::extract::PageQuery;

/// The cookie that binds a sign-in under way to the browser that started it.
const STATE_COOKIE: &str = "motcua_sso";

#[derive(Deserialize, Default)]
pub struct Start {
    #[serde(default)]
    next: String,
}

/// Where the provider sends the citizen back.
fn redirect_uri(app: &AppState, headers: &HeaderMap, provider: &str) -> String {
    format!(
        "{}/cong-dan/dang-nhap/{provider}/ve",
        crate::pages::staff::forms::base_url(app, headers)
    )
}

fn failed(
    app: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    next: &str,
    message: String,
    status: StatusCode,
) -> Response {
    let page = sign_in_page(
        app,
        headers,
        uri,
        String::new(),
        next,
        Some(Said::Text(message)),
        status,
    );
    // The state is spent either way.
    let clear =
        format!("{STATE_COOKIE}=; Path=/cong-dan/dang-nhap; HttpOnly; SameSite=Lax; Max-Age=0");
    ([(header::SET_COOKIE, clear)], page).into_response()
}

/// `GET /cong-dan/dang-nhap/{provider}`: off to the provider.
pub async fn start(
    State(app): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Start>,
) -> Result<Response, PageError> {
    let Some(provider) = app.sso.get().and_then(|sso| sso.provider(&name)) else {
        return Err(PageError::NotFound);
    };
    let next = safe_next(&q.next);
    let secret = |len| motcua_db::random_token(len).map_err(PageError::from);
    let (state, nonce, verifier) = (secret(32)?, secret(24)?, secret(64)?);
    let back = redirect_uri(&app, &headers, &name);
    let url = match provider
        .authorize_url(&back, &state, &nonce, &verifier)
        .await
    {
        Ok(url) => url,
        Err(e) => {
            tracing::warn!(provider = %name, "{e}");
            return Ok(failed(
                &app,
                &headers,
                &uri,
                &next,
                e,
                StatusCode::BAD_GATEWAY,
            ));
        }
    };
    app.db
        .people()
        .begin_sign_in(
            &state,
            &PendingSignIn {
                provider: name,
                nonce,
                verifier,
                next,
            },
            app.now().timestamp(),
        )
        .await?;
    let cookie = format!(
        "{STATE_COOKIE}={state}; Path=/cong-dan/dang-nhap; HttpOnly; SameSite=Lax; Max-Age={}{}",
        motcua_db::SIGN_IN_SECONDS,
        crate::pages::staff::signin::secure_flag()
    );
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&url)).into_response())
}

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// `GET /cong-dan/dang-nhap/{provider}/ve`: back from the provider.
pub async fn callback(
    State(app): State<Arc<AppState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Back>,
) -> Result<Response, PageError> {
    let Some(provider) = app.sso.get().and_then(|sso| sso.provider(&name)) else {
        return Err(PageError::NotFound);
    };
    let label = provider.settings.label.clone();
    let now = app.now().timestamp();
    let fail = |next: &str, message: String, status| {
        tracing::info!(provider = %name, "sign-in refused: {message}");
        Ok(failed(&app, &headers, &uri, next, message, status))
    };
    let bound = crate::cookie::get(&headers, STATE_COOKIE)
        .is_some_and(|c| !q.state.is_empty() && crate::pages::same_token(&c, &q.state));
    if !bound {
        return fail(
            "/cong-dan",
            "Lần đăng nhập này không bắt đầu từ trình duyệt này (mã state không khớp); hãy đăng nhập lại.".into(),
            StatusCode::BAD_REQUEST,
        );
    }
    let Some(pending) = app.db.people().take_sign_in(&q.state, now).await? else {
        return fail(
            "/cong-dan",
            "Lần đăng nhập này đã dùng hoặc đã quá 10 phút; hãy đăng nhập lại.".into(),
            StatusCode::BAD_REQUEST,
        );
    };
    let next = pending.next.clone();
    if pending.provider != name {
        return fail(
            &next,
            "Lần đăng nhập này bắt đầu với một nhà cung cấp định danh khác; hãy đăng nhập lại."
                .into(),
            StatusCode::BAD_REQUEST,
        );
    }
    if let Some(error) = &q.error {
        let message = if error == "access_denied" {
            format!("Bạn đã không đồng ý đăng nhập bằng {label}.")
        } else {
            format!(
                "{label} không cho đăng nhập: {error} {}",
                q.error_description.as_deref().unwrap_or_default()
            )
        };
        return fail(&next, message.trim().to_string(), StatusCode::UNAUTHORIZED);
    }
    if q.code.is_empty() {
        return fail(
            &next,
            format!("{label} không gửi mã đăng nhập; hãy đăng nhập lại."),
            StatusCode::BAD_REQUEST,
        );
    }
    // RFC 9207: the response must come from the provider the citizen was sent to.
    if let Some(iss) = &q.iss {
        match provider.issuer().await {
            Ok(issuer) if &issuer == iss => {}
            Ok(_) => {
                return fail(
                    &next,
                    format!("Phản hồi đăng nhập không do {label} gửi (iss không khớp)."),
                    StatusCode::BAD_REQUEST,
                );
            }
            Err(e) => return fail(&next, e, StatusCode::BAD_GATEWAY),
        }
    }
    let back = redirect_uri(&app, &headers, &name);
    let claims = match provider
        .redeem(&q.code, &pending.verifier, &back, &pending.nonce, now)
        .await
    {
        Ok(claims) => claims,
        Err(e) => return fail(&next, e, StatusCode::UNAUTHORIZED),
    };
    let identity = match motcua_domain::identity::from_claims(&name, &claims) {
        Ok(identity) => identity,
        Err(e) => return fail(&next, e, StatusCode::UNAUTHORIZED),
    };
    if let Some(why) = motcua_domain::identity::refusal(&identity) {
        return fail(&next, why.to_string(), StatusCode::FORBIDDEN);
    }
    let citizen = match app.db.people().sign_in_with_identity(&identity, now).await {
        Ok((citizen, _)) => citizen,
        Err(motcua_db::DbError::Invalid(errors)) => {
            let message = errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("; ");
            return fail(&next, message, StatusCode::FORBIDDEN);
        }
        Err(e) => return Err(e.into()),
    };
    let token = app
        .db
        .people()
        .create_citizen_session_through(citizen.id, &name, identity.logout_uri.as_deref(), now)
        .await?;
    let clear =
        format!("{STATE_COOKIE}=; Path=/cong-dan/dang-nhap; HttpOnly; SameSite=Lax; Max-Age=0");
    let mut response = Redirect::to(&next).into_response();
    for cookie in [session_cookie(&token), clear] {
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct DeepLink {
    #[serde(default, rename = "MaTTHCDP")]
    procedure: String,
    #[serde(default, rename = "MaCoQuanThucHien")]
    agency: String,
}

/// `GET /dvcqg/nop?vnconnect=1&MaTTHCDP=…&MaCoQuanThucHien=…&MaDVC=…`: the national portal's
/// link to file a procedure here (`shared/domain/INTEGRATION.md` §(a).4). The citizen goes to
/// the procedure's filing page; one not signed in here signs in through the DVCQG account
/// first when it is configured (else the sign-in page), and comes back to it.
pub async fn deep_link(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    PageQuery(q): PageQuery<DeepLink>,
) -> Result<Response, PageError> {
    let code = q.procedure.trim();
    let well_formed = !code.is_empty()
        && code.len() <= 32
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    if !well_formed {
        return Err(PageError::Invalid(format!(
            "đường dẫn từ Cổng Dịch vụ công quốc gia thiếu mã thủ tục hợp lệ (MaTTHCDP “{code}”)"
        )));
    }
    let agency = q.agency.trim();
    let mut filing = format!("/cong-dan/nop/{}", crate::pages::encode(code));
    if !agency.is_empty()
        && agency
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.')
    {
        filing.push_str(&format!("?co_quan={}", crate::pages::encode(agency)));
    }
    let signed_in = match crate::cookie::get(&headers, super::COOKIE) {
        Some(token) => app
            .db
            .people()
            .citizen_session(&token, app.now().timestamp())
            .await?
            .is_some(),
        None => false,
    };
    let portal_sso = app.sso.get().and_then(|s| s.provider("dvcqg")).is_some();
    let to = if signed_in || !portal_sso {
        filing
    } else {
        format!(
            "/cong-dan/dang-nhap/dvcqg?next={}",
            crate::pages::encode(&filing)
        )
    };
    Ok(Redirect::to(&to).into_response())
}
