//! Hardening as a deployment meets it: sign-in limits behind a reverse proxy count failures
//! per real client, sign-in forms and state changes are bound to this site, every answer
//! carries the security headers, wrong lookup secrets are limited, API tokens are managed
//! from the administration page, and a new password ends the other sessions.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use std::net::SocketAddr;

const PASSWORD: &str = "mat-khau-demo";
const PROXY: [u8; 4] = [10, 0, 0, 2];

async fn app_behind_proxy() -> TestApp {
    let app = TestApp::with_security(motcua_web::SecuritySettings {
        trusted_proxies: vec!["10.0.0.0/24".parse().unwrap()],
        ..motcua_web::SecuritySettings::default()
    })
    .await;
    for name in ["u.tn", "u.qt", "u.cv"] {
        let s = app
            .state
            .db
            .people()
            .staff_by_username(name)
            .await
            .unwrap()
            .unwrap();
        app.state
            .db
            .people()
            .set_password(s.id, PASSWORD, "test", None)
            .await
            .unwrap();
    }
    app
}

/// A staff sign-in from `peer`, with `forwarded` as X-Forwarded-For when given.
async fn sign_in_from(
    app: &TestApp,
    peer: [u8; 4],
    forwarded: Option<&str>,
    username: &str,
    password: &str,
) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/can-bo/dang-nhap")
        .header("host", "motcua.test")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", FORM_COOKIE);
    if let Some(f) = forwarded {
        request = request.header("x-forwarded-for", f);
    }
    let mut request = request
        .body(Body::from(format!(
            "username={username}&password={password}&csrf={FORM_TOKEN}"
        )))
        .unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(SocketAddr::from((peer, 40000))));
    send(app, request).await
}

fn session_of(reply: &Reply) -> String {
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn behind_a_proxy_successes_are_not_counted_and_failures_count_per_client() {
    let app = app_behind_proxy().await;
    // The whole province signs in through one proxy: 30 successes in a row all get in.
    for i in 0..30 {
        let client = format!("198.51.100.{i}");
        let reply = sign_in_from(&app, PROXY, Some(&client), "u.tn", PASSWORD).await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "sign-in {i}: {}",
            reply.body
        );
    }
    // One client guessing through the proxy is limited after 20 failures (unknown names,
    // so no account locks first)…
    for i in 0..20 {
        let reply = sign_in_from(
            &app,
            PROXY,
            Some("203.0.113.9"),
            &format!("khong.co.{i}"),
            "sai",
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = sign_in_from(&app, PROXY, Some("203.0.113.9"), "u.tn", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(reply.body.contains("Quá nhiều lần đăng nhập"));
    // …while everyone else behind the same proxy still signs in.
    let reply = sign_in_from(&app, PROXY, Some("198.51.100.77"), "u.tn", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    // Citizens have their own limit: the staff guesser's address may still try there.
    let citizen = Request::builder()
        .method(Method::POST)
        .uri("/cong-dan/dang-nhap")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", FORM_COOKIE)
        .header("x-forwarded-for", "203.0.113.9");
    let mut citizen = citizen
        .body(Body::from(format!(
            "identifier=0912000999&password=sai-mat-khau&csrf={FORM_TOKEN}"
        )))
        .unwrap();
    citizen
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(SocketAddr::from((PROXY, 40000))));
    assert_eq!(send(&app, citizen).await.status, StatusCode::UNAUTHORIZED);

    // An untrusted peer cannot pick the address its failures are counted under.
    let outsider = [192, 0, 2, 50];
    for i in 0..20 {
        let spoof = format!("198.51.100.{}", 100 + i);
        let reply = sign_in_from(&app, outsider, Some(&spoof), "khong.co", "sai").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let reply = sign_in_from(&app, outsider, Some("198.51.100.250"), "u.cv", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sign_in_forms_are_bound_to_the_browser_and_state_changes_to_the_site() {
    let app = app_behind_proxy().await;
    // The form page sets the form cookie and carries its token.
    let form = get_page(&app, "/can-bo/dang-nhap", None).await;
    let set = form.headers["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.starts_with("motcua_form=") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let token = csrf_of(&form.body);
    assert!(set.contains(&token));
    // A sign-in without the form's token (a login CSRF from another site) is refused.
    let bare = Request::builder()
        .method(Method::POST)
        .uri("/can-bo/dang-nhap")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=u.tn&password={PASSWORD}")))
        .unwrap();
    let reply = send(&app, bare).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(
        reply.body.contains("Biểu mẫu đăng nhập đã hết hạn"),
        "{}",
        reply.body
    );
    for path in ["/cong-dan/dang-nhap", "/cong-dan/dang-ky"] {
        let bare = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", FORM_COOKIE)
            .body(Body::from("identifier=0912000001&password=x&csrf=KHAC"))
            .unwrap();
        assert_eq!(
            send(&app, bare).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // The right cookie and token, from this site: in.
    let ok = Request::builder()
        .method(Method::POST)
        .uri("/can-bo/dang-nhap")
        .header("host", "motcua.test")
        .header("origin", "http://motcua.test")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("motcua_form={token}"))
        .body(Body::from(format!(
            "username=u.tn&password={PASSWORD}&csrf={token}"
        )))
        .unwrap();
    let reply = send(&app, ok).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let session = session_of(&reply);
    // A state change whose Origin is another site is refused, page and API alike, even
    // with a valid session and token.
    let page = get_page(&app, "/can-bo/doi-mat-khau", Some(&session)).await;
    let csrf = csrf_of(&page.body);
    let forged = Request::builder()
        .method(Method::POST)
        .uri("/can-bo/doi-mat-khau")
        .header("host", "motcua.test")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &session)
        .body(Body::from(format!(
            "csrf={csrf}&current={PASSWORD}&new=bi-doi-boi-ke-la&repeat=bi-doi-boi-ke-la"
        )))
        .unwrap();
    let reply = send(&app, forged).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("Yêu cầu bị từ chối"), "{}", reply.body);
    let api = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/dossiers")
        .header("host", "motcua.test")
        .header("referer", "https://evil.example/trang")
        .header("authorization", "Bearer tok-tn")
        .header("content-type", "application/json")
        .body(Body::from(lawyer_intake().to_string()))
        .unwrap();
    let reply = send(&app, api).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.body.contains("\"forbidden\""), "{}", reply.body);
    // A program without Origin or Referer (the API with its token) is not a browser.
    let (status, _) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = app_behind_proxy().await;
    let session = session_of(&sign_in_from(&app, PROXY, None, "u.tn", PASSWORD).await);
    for (path, cookie, private) in [
        ("/", None, false),
        ("/thu-tuc", None, false),
        ("/tra-cuu?code=X&secret=Y", None, true),
        ("/can-bo", Some(session.as_str()), true),
        ("/can-bo/khong-co", Some(session.as_str()), true),
    ] {
        let reply = get_page(&app, path, cookie).await;
        let h = &reply.headers;
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(
            h.get("cache-control").is_some_and(|v| v == "no-store"),
            private,
            "{path}"
        );
        // No page runs inline script: no <script> without src, no on…= handlers.
        let body = reply.body.to_lowercase();
        assert!(
            !body.contains("<script>")
                && !body.contains(" onclick=")
                && !body.contains(" onchange="),
            "{path}"
        );
    }
    // The hall's screens may be framed by motcua's own pages only.
    let reply = get_page(&app, "/man-hinh-so", None).await;
    let csp = reply.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
}

#[tokio::test]
async fn wrong_lookup_secrets_are_limited_per_address() {
    let app = app_behind_proxy().await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let code = d["code"].as_str().unwrap().to_string();
    let secret = d["lookup_secret"].as_str().unwrap().to_string();
    let lookup = |client: &'static str, secret: String| {
        let mut request = Request::builder()
            .uri(format!("/tra-cuu?code={code}&secret={secret}"))
            .header("x-forwarded-for", client)
            .body(Body::empty())
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(SocketAddr::from((PROXY, 40000))));
        request
    };
    // Looking up one's own dossier any number of times costs nothing.
    for _ in 0..40 {
        assert_eq!(
            send(&app, lookup("198.51.100.1", secret.clone()))
                .await
                .status,
            StatusCode::OK
        );
    }
    for i in 0..30 {
        let reply = send(&app, lookup("203.0.113.5", format!("SAI{i:05}"))).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(reply.body.contains("Không tìm thấy hồ sơ"));
    }
    // The guesser is stopped, even with the right secret now; others are not.
    let reply = send(&app, lookup("203.0.113.5", secret.clone())).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        reply.body.contains("Quá nhiều lần tra cứu sai"),
        "{}",
        reply.body
    );
    assert_eq!(
        send(&app, lookup("198.51.100.1", secret)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn administrators_manage_api_tokens_and_a_new_password_ends_other_sessions() {
    let app = app_behind_proxy().await;
    let admin = session_of(&sign_in_from(&app, PROXY, None, "u.qt", PASSWORD).await);
    let page = get_page(&app, "/can-bo/quan-tri/ma-api", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("u.tn") && page.body.contains("không hết hạn"));
    let csrf = csrf_of(&page.body);
    // Only administrators.
    let officer = session_of(&sign_in_from(&app, PROXY, None, "u.tn", PASSWORD).await);
    let page = get_page(&app, "/can-bo/quan-tri/ma-api", Some(&officer)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // A bad expiry and an unknown officer are named.
    let reply = post_form(
        &app,
        "/can-bo/quan-tri/ma-api",
        Some(&admin),
        &format!("csrf={csrf}&what=create&username=u.cv&name=K%E1%BA%BFt+n%E1%BB%91i&days=0"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("số ngày hết hạn"), "{}", reply.body);
    let reply = post_form(
        &app,
        "/can-bo/quan-tri/ma-api",
        Some(&admin),
        &format!("csrf={csrf}&what=create&username=khong.co&name=X"),
    )
    .await;
    assert!(reply.body.contains("không có cán bộ"), "{}", reply.body);
    // Created: shown once, and it opens the API.
    let reply = post_form(
        &app,
        "/can-bo/quan-tri/ma-api",
        Some(&admin),
        &format!("csrf={csrf}&what=create&username=u.cv&name=K%E1%BA%BFt+n%E1%BB%91i&days=30"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let at = reply.body.find("class=\"token-secret\">").unwrap() + 21;
    let secret = reply.body[at..].split('<').next().unwrap().to_string();
    assert!(secret.starts_with("mc_"));
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.00.03.H56", Some(&secret))
        .await;
    assert_eq!(status, StatusCode::OK);
    let again = get_page(&app, "/can-bo/quan-tri/ma-api", Some(&admin)).await;
    assert!(!again.body.contains(&secret), "shown only once");
    let tokens = app.state.db.people().api_tokens(None).await.unwrap();
    let made = tokens.iter().find(|t| t.name == "Kết nối").unwrap();
    let reply = post_form(
        &app,
        "/can-bo/quan-tri/ma-api",
        Some(&admin),
        &format!("csrf={csrf}&what=revoke&id={}", made.id),
    )
    .await;
    assert!(reply.body.contains("Đã thu hồi"), "{}", reply.body);
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.00.03.H56", Some(&secret))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The officer signs in on a second device, then changes the password on the first:
    // the second session ends, the first stays, and the old API token is revoked.
    let second = session_of(&sign_in_from(&app, PROXY, None, "u.tn", PASSWORD).await);
    let page = get_page(&app, "/can-bo/doi-mat-khau", Some(&officer)).await;
    let csrf = csrf_of(&page.body);
    let reply = post_form(
        &app,
        "/can-bo/doi-mat-khau",
        Some(&officer),
        &format!("csrf={csrf}&current={PASSWORD}&new=u.tn-moi-2026&repeat=u.tn-moi-2026"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("không được chứa tên đăng nhập"),
        "{}",
        reply.body
    );
    let reply = post_form(
        &app,
        "/can-bo/doi-mat-khau",
        Some(&officer),
        &format!("csrf={csrf}&current={PASSWORD}&new={PASSWORD}&repeat={PASSWORD}"),
    )
    .await;
    assert!(reply.body.contains("phải khác"), "{}", reply.body);
    let reply = post_form(
        &app,
        "/can-bo/doi-mat-khau",
        Some(&officer),
        &format!("csrf={csrf}&current={PASSWORD}&new=mua-xuan-tren-que&repeat=mua-xuan-tren-que"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        get_page(&app, "/can-bo", Some(&officer)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get_page(&app, "/can-bo", Some(&second)).await.status,
        StatusCode::SEE_OTHER
    );
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.01.01.H56", Some("tok-tn"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An administrator's reset ends the officer's remaining session too.
    let page = get_page(&app, "/can-bo/quan-tri", Some(&admin)).await;
    let csrf = csrf_of(&page.body);
    let reply = post_form(
        &app,
        "/can-bo/quan-tri",
        Some(&admin),
        &format!("csrf={csrf}&what=reset&username=u.tn&password=ngan"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("ít nhất 10 ký tự"), "{}", reply.body);
    let reply = post_form(
        &app,
        "/can-bo/quan-tri",
        Some(&admin),
        &format!("csrf={csrf}&what=reset&username=u.tn&password=dat-lai-boi-quan-tri"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Đã đặt lại mật khẩu"), "{}", reply.body);
    assert_eq!(
        get_page(&app, "/can-bo", Some(&officer)).await.status,
        StatusCode::SEE_OTHER
    );
    let reply = sign_in_from(&app, PROXY, None, "u.tn", "dat-lai-boi-quan-tri").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn administrators_create_reset_disable_and_revoke_accounts() {
    let app = app_behind_proxy().await;
    let admin = session_of(&sign_in_from(&app, PROXY, None, "u.qt", PASSWORD).await);
    let page = get_page(&app, "/can-bo/quan-tri", Some(&admin)).await;
    let csrf = csrf_of(&page.body);
    let post = |form: String| {
        let (app, admin) = (&app, admin.clone());
        async move { post_form(app, "/can-bo/quan-tri", Some(&admin), &form).await }
    };

    // A refused password leaves no account behind, and the message names no internal field.
    let reply = post(format!("csrf={csrf}&what=staff&username=cv.moi&full_name=Tr%E1%BA%A7n+M%E1%BB%9Bi&password=cv.moi-2026")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("không được chứa tên đăng nhập"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("password:"), "{}", reply.body);
    assert!(
        app.state
            .db
            .people()
            .staff_by_username("cv.moi")
            .await
            .unwrap()
            .is_none()
    );
    let reply = post(format!("csrf={csrf}&what=staff&username=cv.moi&full_name=Tr%E1%BA%A7n+M%E1%BB%9Bi&password=dong-song-ma-xanh")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        app.state
            .db
            .people()
            .staff_by_username("cv.moi")
            .await
            .unwrap()
            .is_some()
    );

    // A reset makes the officer choose a new password before anything else.
    let reply = post(format!(
        "csrf={csrf}&what=reset&username=u.cv&password=tam-thoi-tu-quan-tri"
    ))
    .await;
    assert!(reply.body.contains("phải đổi mật khẩu"), "{}", reply.body);
    // Nor does the API open for the account until then, even with a token made after.
    let cv = app
        .state
        .db
        .people()
        .staff_by_username("u.cv")
        .await
        .unwrap()
        .unwrap();
    let fresh = app
        .state
        .db
        .people()
        .create_api_token(cv.id, "Sau khi đặt lại", None, None, "test")
        .await
        .unwrap()
        .secret;
    let (status, e) = app
        .get("/api/v1/dossiers?agency=000.00.03.H56", Some(&fresh))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    assert!(e.to_string().contains("phải đổi mật khẩu"), "{e}");
    let officer =
        session_of(&sign_in_from(&app, PROXY, None, "u.cv", "tam-thoi-tu-quan-tri").await);
    let queue = get_page(&app, "/can-bo", Some(&officer)).await;
    assert_eq!(queue.status, StatusCode::SEE_OTHER);
    assert_eq!(queue.location, "/can-bo/doi-mat-khau");
    let page = get_page(&app, "/can-bo/doi-mat-khau", Some(&officer)).await;
    assert!(
        page.body.contains("Quản trị viên đã đặt lại mật khẩu"),
        "{}",
        page.body
    );
    let form = format!(
        "csrf={}&current=tam-thoi-tu-quan-tri&new=cua-rieng-toi-thoi&repeat=cua-rieng-toi-thoi",
        csrf_of(&page.body)
    );
    let reply = post_form(&app, "/can-bo/doi-mat-khau", Some(&officer), &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        get_page(&app, "/can-bo", Some(&officer)).await.status,
        StatusCode::OK
    );
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.00.03.H56", Some(&fresh))
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the officer's own change revoked that token too"
    );

    // Disabled: the session ends, sign-in and the API token are refused; enabled again: in.
    let reply = post(format!("csrf={csrf}&what=disable&username=u.tn")).await;
    assert!(reply.body.contains("Đã khóa tài khoản"), "{}", reply.body);
    assert!(reply.body.contains("đã khóa"), "the list shows it");
    let reply = sign_in_from(&app, PROXY, None, "u.tn", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.01.01.H56", Some("tok-tn"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let reply = post(format!("csrf={csrf}&what=enable&username=u.tn")).await;
    assert!(reply.body.contains("Đã mở lại"), "{}", reply.body);
    assert_eq!(
        sign_in_from(&app, PROXY, None, "u.tn", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Nobody locks themselves out.
    let reply = post(format!("csrf={csrf}&what=disable&username=u.qt")).await;
    assert!(reply.body.contains("không thể tự khóa"), "{}", reply.body);
    let reply = post(format!(
        "csrf={csrf}&what=revoke&username=u.qt&role=administrator&agency={PROVINCE}"
    ))
    .await;
    assert!(
        reply.body.contains("không thể tự bỏ vai trò quản trị"),
        "{}",
        reply.body
    );

    // Enabled again, the account's old tokens stay revoked; a new one is made.
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.01.01.H56", Some("tok-tn"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let tn = app
        .state
        .db
        .people()
        .staff_by_username("u.tn")
        .await
        .unwrap()
        .unwrap();
    let tn_token = app
        .state
        .db
        .people()
        .create_api_token(tn.id, "Sau khi mở lại", None, None, "test")
        .await
        .unwrap()
        .secret;

    // A role taken away: the specialist no longer sees the department's dossiers.
    let (_, d) = app
        .post("/api/v1/dossiers", Some(&tn_token), lawyer_intake())
        .await;
    let (_, d) = app
        .post(
            &format!("/api/v1/dossiers/{}/transitions", d["id"]),
            Some(&tn_token),
            serde_json::json!({"action": "forward", "expected_version": d["version"]}),
        )
        .await;
    let path = format!("/api/v1/dossiers/{}", d["id"]);
    let cv_token = app
        .state
        .db
        .people()
        .create_api_token(
            app.state
                .db
                .people()
                .staff_by_username("u.cv")
                .await
                .unwrap()
                .unwrap()
                .id,
            "Kiểm tra",
            None,
            None,
            "test",
        )
        .await
        .unwrap()
        .secret;
    assert_eq!(app.get(&path, Some(&cv_token)).await.0, StatusCode::OK);
    let reply = post(format!(
        "csrf={csrf}&what=revoke&username=u.cv&role=specialist&agency={JUSTICE}"
    ))
    .await;
    assert!(reply.body.contains("Đã bỏ vai trò"), "{}", reply.body);
    assert_eq!(
        app.get(&path, Some(&cv_token)).await.0,
        StatusCode::NOT_FOUND
    );
    let reply = post(format!(
        "csrf={csrf}&what=revoke&username=u.cv&role=specialist&agency={JUSTICE}"
    ))
    .await;
    assert!(reply.body.contains("không tìm thấy"), "{}", reply.body);
}

#[tokio::test]
async fn the_counter_sees_what_it_received_wherever_it_waits() {
    let app = app_behind_proxy().await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let d = app
        .act("tok-tn", &d, serde_json::json!({"action": "forward"}))
        .await;
    let d = app.act("tok-cv", &d,
        serde_json::json!({"action": "request_supplement", "reason": "Thiếu chữ ký", "missing": ["Bản sao CCCD"]}),
    )
    .await;
    assert_eq!(d["status"], "awaiting_supplement");
    let code = d["code"].as_str().unwrap().to_string();
    let held_by = app
        .state
        .db
        .dossiers()
        .dossier(d["id"].as_i64().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        held_by.current_agency_id, held_by.receiving_agency_id,
        "held by the department"
    );

    let counter = session_of(&sign_in_from(&app, PROXY, None, "u.tn", PASSWORD).await);
    let queue = get_page(&app, "/can-bo", Some(&counter)).await;
    let tab = queue
        .body
        .split("href=\"")
        .filter_map(|h| h.split('"').next())
        .find(|h| h.contains("status=awaiting_supplement") && h.contains("tiep-nhan=1"))
        .unwrap_or_else(|| {
            panic!(
                "a supplement tab built from the receiving agency: {}",
                queue.body
            )
        })
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let page = get_page(&app, &tab, Some(&counter)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&code),
        "the counter sees the dossier it must take papers for: {tab}\n{}",
        page.body
    );
    // The same status by the counter's own holdings does not show it (it is at the department).
    let held = get_page(&app, &tab.replace("&tiep-nhan=1", ""), Some(&counter)).await;
    assert!(!held.body.contains(&code));
    // And the dossier page opens for the counter, with the supplement to receive.
    let page = get_page(&app, &format!("/can-bo/ho-so/{}", d["id"]), Some(&counter)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nhận hồ sơ bổ sung"), "{}", page.body);
}
