//! Bảo vệ yêu cầu — what every answer and every state-changing request goes through:
//! a request that changes something must come from motcua's own pages (its `Origin`, else
//! its `Referer`, names this site), sign-in forms carry a token bound to a cookie, and every
//! answer carries the security headers (a Content-Security-Policy without inline script,
//! no framing, no sniffing, no caching of pages with personal data, HSTS over HTTPS).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use crate::AppState;
use crate::client::Cidr;

/// How motcua is exposed: the proxies in front of it.
#[derive(Debug, Clone, Default)]
pub struct SecuritySettings {
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<Cidr>,
    /// Dossiers pushed by the national portal: accepted only when this is set.
    pub portal_inbound: Option<PortalInbound>,
}

/// Who may push dossiers filed on the national portal: the shared secret that signs each
/// body, and the addresses the portal calls from (any, when empty).
#[derive(Clone, Default)]
pub struct PortalInbound {
    pub secret: String,
    pub allow: Vec<Cidr>,
}

impl std::fmt::Debug for PortalInbound {
    // Never print the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalInbound")
            .field("allow", &self.allow)
            .finish_non_exhaustive()
    }
}

/// The cookie that binds a sign-in form to the browser that loaded it.
pub const FORM_COOKIE: &str = "motcua_form";

/// The form token of this browser: the one its cookie carries, or a new one with the
/// `Set-Cookie` value that gives it.
pub fn form_token(headers: &HeaderMap) -> (String, Option<String>) {
    if let Some(token) = crate::cookie::get(headers, FORM_COOKIE).filter(|t| well_formed(t)) {
        return (token, None);
    }
    let token = motcua_db::random_token(24).unwrap_or_default();
    let cookie = format!(
        "{FORM_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{}",
        crate::pages::staff::signin::secure_flag()
    );
    (token, Some(cookie))
}

fn well_formed(token: &str) -> bool {
    token.len() == 24 && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether a sign-in form's token is the one its browser's cookie carries.
pub fn form_token_matches(headers: &HeaderMap, given: &str) -> bool {
    crate::cookie::get(headers, FORM_COOKIE)
        .filter(|t| well_formed(t))
        .is_some_and(|t| crate::pages::same_token(&t, given))
}

/// A page with a form for visitors without a session (sign-in, registration, the public
/// questions): its status, and the cookie binding the form's token when the browser has
/// none yet.
pub fn with_form_cookie(
    status: axum::http::StatusCode,
    page: axum::response::Response,
    cookie: Option<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match cookie {
        Some(cookie) => (status, [(axum::http::header::SET_COOKIE, cookie)], page).into_response(),
        None => (status, page).into_response(),
    }
}

/// The host and port a URL names (`https://a.example:8443/x` → `a.example:8443`).
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|a| !a.is_empty())
}

/// Whether a state-changing request comes from this site. Browsers send `Origin` with
/// every such request (and `Referer` where they do not); a request with neither comes from
/// a program (the API with its token), which a cross-site page cannot make a browser send.
pub fn same_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let source = match header_text("origin") {
        Some(origin) => Some(origin),
        None => header_text("referer"),
    };
    let Some(source) = source else {
        return true;
    };
    let Some(from) = authority(source) else {
        // `Origin: null` (a sandboxed frame, a file) or something unreadable.
        return false;
    };
    let ours = [
        header_text("host"),
        header_text("x-forwarded-host"),
        public_url.and_then(authority),
    ];
    ours.into_iter()
        .flatten()
        .flat_map(|h| h.split(','))
        .any(|h| h.trim().eq_ignore_ascii_case(from))
}

/// Pages that show personal data or a signed-in workspace: never kept by a cache.
fn private(path: &str) -> bool {
    [
        "/can-bo",
        "/cong-dan",
        "/tra-cuu",
        "/api/",
        "/xac-thuc",
        "/lay-so/ve",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

/// The hall's screens may be shown in a frame of motcua's own (a signage page).
fn hall_screen(path: &str) -> bool {
    path.starts_with("/man-hinh-so") || path.starts_with("/bang-cong-khai")
}

/// Scripts only from motcua itself, no inline script, never framed (the hall screens only
/// by motcua's own pages).
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const CSP_HALL: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/// Refuses cross-site state changes, then adds the security headers to the answer.
pub async fn protect(
    State(app): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_string();
    let changes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let mut response = if changes && !same_site(request.headers(), app.docs.public_url.as_deref()) {
        tracing::warn!(path, "cross-site request refused");
        if path.starts_with("/api/") {
            crate::api::error::ApiError::forbidden(
                "yêu cầu đến từ một trang web khác (Origin/Referer không phải của hệ thống); đã từ chối",
            )
            .into_response()
        } else {
            crate::pages::PageError::CrossSite.into_response()
        }
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    let csp = if hall_screen(&path) { CSP_HALL } else { CSP };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !hall_screen(&path) {
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if !crate::pages::staff::signin::secure_flag().is_empty() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if private(&path) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in list {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn only_this_site_may_change_things() {
        let here = [("host", "motcua.example.vn")];
        assert!(same_site(&headers(&here), None));
        let ok = headers(&[here[0], ("origin", "https://motcua.example.vn")]);
        assert!(same_site(&ok, None));
        let evil = headers(&[here[0], ("origin", "https://evil.example")]);
        assert!(!same_site(&evil, None));
        let null = headers(&[here[0], ("origin", "null")]);
        assert!(!same_site(&null, None));
        let referred = headers(&[here[0], ("referer", "https://motcua.example.vn/can-bo")]);
        assert!(same_site(&referred, None));
        let referred_away = headers(&[
            here[0],
            ("referer", "https://evil.example/motcua.example.vn"),
        ]);
        assert!(!same_site(&referred_away, None));
        // Behind a proxy that rewrote Host: the public address or the forwarded host.
        let proxied = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://dvc.example.vn"),
        ]);
        assert!(!same_site(&proxied, None));
        assert!(same_site(&proxied, Some("https://dvc.example.vn")));
        let forwarded = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "dvc.example.vn"),
            ("origin", "https://dvc.example.vn"),
        ]);
        assert!(same_site(&forwarded, None));
        // A port is part of the site.
        let port = headers(&[
            ("host", "motcua.example.vn:8443"),
            ("origin", "https://motcua.example.vn"),
        ]);
        assert!(!same_site(&port, None));
    }

    #[test]
    fn form_tokens_are_bound_to_their_cookie() {
        let (token, cookie) = form_token(&HeaderMap::new());
        let cookie = cookie.unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        let with = headers(&[("cookie", &format!("{FORM_COOKIE}={token}"))]);
        assert_eq!(form_token(&with), (token.clone(), None));
        assert!(form_token_matches(&with, &token));
        assert!(!form_token_matches(&with, "X"));
        assert!(!form_token_matches(&HeaderMap::new(), &token));
        assert!(!form_token_matches(&HeaderMap::new(), ""));
    }
}
