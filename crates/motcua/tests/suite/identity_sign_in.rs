//! Sign-in with the national identity against a real OpenID provider: the npm package
//! `oidc-provider` (OpenID certified) run on node by `tests/oidc/provider.mjs`, with the
//! citizen's claims under VNeID's names. The browser's part is played here: cookies kept per
//! site, redirects followed by hand, the provider's login form filled in. Covered: an account
//! linked by its ID number and then by its subject, a new account opened, ES256 as well as
//! RS256 tokens, the verified mark on a dossier filed from a verified account (and in the
//! portal's record), a wrong state, a state never bound to this browser, a replayed code, a
//! code redeemed under another sign-in, a refusal at the provider, and an expired ID token.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::http::StatusCode;
use motcua_web::sso::{ProviderSettings, Sso};
use serde_json::{Value, json};

use crate::common::*;

const BINH: &str = "038090012345";
const LAN: &str = "001195000777";
const SECRET: &str = "mot-bi-mat-du-dai-cho-ung-dung-motcua";

/// `oidc-provider`'s entry point: `MOTCUA_OIDC_PROVIDER`, or where `.ci/run` installs it.
fn provider_module() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("MOTCUA_OIDC_PROVIDER")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/oidc/node_modules/oidc-provider/lib/index.js")
        });
    let found = path.exists() && Command::new("node").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_TOOLS=1 but node or oidc-provider ({}) is missing",
            path.display()
        );
        eprintln!("skipped: node or oidc-provider is not installed");
        return None;
    }
    Some(path)
}

/// A provider process, stopped when dropped.
struct OpenIdProvider {
    child: Child,
    url: String,
}

impl Drop for OpenIdProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn accounts() -> Value {
    json!({
        BINH: {"HoVaTen": "Trần Văn Bình", "SoDinhDanh": BINH, "NgayThangNamSinh": "19900512",
               "LoaiTaiKhoan": 1, "loAs": ["LoA2"], "acr": "LoA2", "TechID": "TECH-BINH",
               "SoDienThoai": "0987654321",
               "logoutUri": "https://vneid.example/api/idp/third-party/logout?token_id=binh-1"},
        LAN: {"HoVaTen": "Lê Thị Lan", "SoDinhDanh": LAN, "NgayThangNamSinh": "19950101",
              "LoaiTaiKhoan": 1, "loAs": ["LoA1"], "acr": "LoA1"},
        "cong-ty": {"HoVaTen": "Công ty TNHH Ánh Dương", "LoaiTaiKhoan": 2, "MaSoThue": "2801234567"},
    })
}

/// Starts the provider with two clients: `motcua-vneid` (RS256 ID tokens) and
/// `motcua-dvcqg` (ES256), both sending the citizen back to `http://motcua.test`. Its clock
/// runs `skew` seconds off.
fn start_provider(module: &std::path::Path, skew: i64) -> OpenIdProvider {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/provider.mjs");
    let clients = json!([
        {"client_id": "motcua-vneid", "client_secret": SECRET,
         "redirect_uris": ["http://motcua.test/cong-dan/dang-nhap/vneid/ve"],
         "post_logout_redirect_uris": ["http://motcua.test/"],
         "token_endpoint_auth_method": "client_secret_post"},
        {"client_id": "motcua-dvcqg", "client_secret": SECRET,
         "redirect_uris": ["http://motcua.test/cong-dan/dang-nhap/dvcqg/ve"],
         "post_logout_redirect_uris": ["http://motcua.test/"],
         "token_endpoint_auth_method": "client_secret_post",
         "id_token_signed_response_alg": "ES256"},
    ]);
    // The endpoints where DVCQG's WSO2 has them.
    let routes = json!({"authorization": "/oauth2/authorize", "token": "/oauth2/token",
                        "userinfo": "/oauth2/userinfo", "jwks": "/oauth2/jwks"});
    let mut child = Command::new("node")
        .arg(&script)
        .env("OIDC_PROVIDER_MODULE", module)
        .env("OIDC_CLIENTS", clients.to_string())
        .env("OIDC_ACCOUNTS", accounts().to_string())
        .env("OIDC_ROUTES", routes.to_string())
        .env("OIDC_CLOCK_SKEW", skew.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    // Whatever it prints later is read and dropped (a closed pipe would stop it).
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let port = line.trim().strip_prefix("listening ").unwrap_or_else(|| {
        panic!("the provider did not start: {line:?}");
    });
    OpenIdProvider {
        url: format!("http://127.0.0.1:{port}"),
        child,
    }
}

fn settings(name: &str, provider: &OpenIdProvider, post: bool) -> ProviderSettings {
    ProviderSettings {
        name: name.into(),
        label: if name == "vneid" {
            "VNeID".into()
        } else {
            "tài khoản Cổng Dịch vụ công quốc gia".into()
        },
        discovery_url: format!("{}/.well-known/openid-configuration", provider.url),
        client_id: format!("motcua-{name}"),
        client_secret: Some(SECRET.into()),
        scope: "openid".into(),
        acr_values: (name == "dvcqg").then(|| "LoA1".into()),
        userinfo_post: post,
    }
}

async fn app_with(provider: &OpenIdProvider) -> TestApp {
    let app = TestApp::new().await;
    let sso = Sso::new(
        vec![
            settings("vneid", provider, false),
            settings("dvcqg", provider, true),
        ],
        2,
        Duration::from_secs(10),
    )
    .unwrap();
    app.state.sso.set(sso).unwrap();
    app
}

/// A browser's cookies for one site.
#[derive(Default, Clone)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn take(&mut self, headers: &axum::http::HeaderMap) {
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.0.remove(name);
            } else {
                self.0.insert(name.to_string(), value.to_string());
            }
        }
    }
    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The provider's side of the browser: follows redirects on the provider's site, logs in
/// with `login` on its form, and returns where it finally sends the browser (motcua).
async fn at_provider(start: &str, login: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut jar = Jar::default();
    let mut url = start.to_string();
    let mut logged_in = false;
    for _ in 0..10 {
        if url.starts_with("http://motcua.test") {
            return url;
        }
        let reply = client
            .get(&url)
            .header("cookie", jar.header())
            .send()
            .await
            .unwrap();
        let reply = if reply.headers().contains_key("location") {
            reply
        } else {
            // The provider's login form.
            assert!(!logged_in, "the provider asked twice");
            let status = reply.status().as_u16();
            let body = reply.text().await.unwrap_or_default();
            assert_eq!(status, 200, "{url}: {body}");
            assert!(body.contains("name=\"login\""), "{body}");
            logged_in = true;
            client
                .post(&url)
                .header("cookie", jar.header())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("login={login}"))
                .send()
                .await
                .unwrap()
        };
        jar.take(reply.headers());
        let Some(to) = reply.headers().get("location") else {
            panic!("{url} answered {} without going on", reply.status());
        };
        let to = to.to_str().unwrap().to_string();
        url = match to.strip_prefix('/') {
            Some(path) => {
                let origin: Vec<&str> = url.split('/').take(3).collect();
                format!("{}/{path}", origin.join("/"))
            }
            None => to,
        };
    }
    panic!("too many redirects at the provider, last {url}");
}

/// Starts a sign-in at motcua: the browser's motcua cookies (with the state's) and the
/// provider's address it is sent to.
async fn begin(app: &TestApp, provider: &str, jar: &mut Jar) -> String {
    let reply = get_page(
        app,
        &format!("/cong-dan/dang-nhap/{provider}?next=%2Fcong-dan"),
        Some(&jar.header())
            .filter(|h| !h.is_empty())
            .map(String::as_str),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    jar.take(&reply.headers);
    assert!(jar.0.contains_key("motcua_sso"));
    let to = reply.location.clone();
    for part in [
        "response_type=code",
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "state=",
        "redirect_uri=http%3A%2F%2Fmotcua.test%2Fcong-dan%2Fdang-nhap%2F",
    ] {
        assert!(to.contains(part), "{part} in {to}");
    }
    to
}

/// Comes back to motcua at `back` (the provider's redirect) with the browser's cookies.
async fn come_back(app: &TestApp, back: &str, jar: &mut Jar) -> Reply {
    let path = back.trim_start_matches("http://motcua.test");
    let reply = get_page(app, path, Some(&jar.header())).await;
    jar.take(&reply.headers);
    reply
}

/// A whole sign-in as `login`: the signed-in jar.
async fn sign_in(app: &TestApp, provider: &str, login: &str) -> Jar {
    let mut jar = Jar::default();
    let to = begin(app, provider, &mut jar).await;
    let back = at_provider(&to, login).await;
    let reply = come_back(app, &back, &mut jar).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, "/cong-dan");
    assert!(jar.0.contains_key("motcua_citizen"));
    assert!(
        !jar.0.contains_key("motcua_sso"),
        "the state cookie is cleared"
    );
    jar
}

/// The value of `name` in `url`'s query.
fn param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} in {url}"))
        .to_string()
}

/// The page refused with `status` and a message saying `word`.
fn refused(reply: &Reply, status: StatusCode, word: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let said = message_of(reply);
    assert!(said.contains(word), "{word} in {said}");
}

fn message_of(reply: &Reply) -> String {
    let start = reply.body.find("role=\"alert\">").unwrap_or_else(|| {
        panic!("no message on the page: {}", reply.body);
    });
    let rest = &reply.body[start + 13..];
    rest[..rest.find("</p>").unwrap()].to_string()
}

#[tokio::test]
async fn vneid_links_by_id_number_marks_filings_verified_and_dvcqg_opens_an_account() {
    let Some(module) = provider_module() else {
        return;
    };
    let provider = start_provider(&module, 0);
    let app = app_with(&provider).await;

    // The sign-in page offers both providers.
    let page = get_page(&app, "/cong-dan/dang-nhap", None).await;
    assert!(
        page.body.contains("href=\"/cong-dan/dang-nhap/vneid?next="),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia")
    );

    // An account registered with a password and Bình's number, under another name.
    let people = app.state.db.people();
    let before = people
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: "Tran Van Binh".into(),
                phone: Some("0912000111".into()),
                email: None,
                id_number: Some(BINH.into()),
                password: "mat-khau-cua-binh".into(),
            },
            motcua_db::now_seconds(),
        )
        .await
        .unwrap();
    assert_eq!(before.assurance, None);

    let jar = sign_in(&app, "vneid", BINH).await;
    let cookie = format!("motcua_citizen={}", jar.0["motcua_citizen"]);
    let mine = get_page(&app, "/cong-dan", Some(&cookie)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        mine.body.contains("Trần Văn Bình"),
        "the vouched name replaces the typed one"
    );
    assert!(
        mine.body
            .contains("Tài khoản đã xác thực định danh điện tử: VNeID (mức 2)"),
        "{}",
        mine.body
    );
    let linked = people.citizen(before.id).await.unwrap().unwrap();
    assert_eq!(linked.full_name, "Trần Văn Bình");
    assert_eq!(linked.assurance, Some(2));
    assert_eq!(
        linked.phone.as_deref(),
        Some("0912000111"),
        "the account's phone is kept"
    );
    assert_eq!(
        people.identities_of(before.id).await.unwrap(),
        vec![("vneid".to_string(), Some(2))]
    );
    // The password still opens the same account.
    let login = people
        .citizen_login("0912000111", "mat-khau-cua-binh", motcua_db::now_seconds())
        .await
        .unwrap();
    assert!(matches!(login, motcua_db::Login::Ok(c) if c.id == before.id));

    // A dossier filed from this account is marked verified, and the portal's record says so.
    let (id, _) = crate::citizen_pages::file_online(&app, &cookie).await;
    let marks = app.state.db.dossiers().portal_marks(id).await.unwrap();
    assert!(marks.verified_identity);
    let officer = staff_session(&app, "u.tn").await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&officer)).await;
    assert!(
        page.body.contains("Đã xác thực định danh điện tử"),
        "{}",
        page.body
    );
    assert_eq!(
        marks.subject_id.as_deref(),
        Some("TECH-BINH"),
        "MaDoiTuong: the portal's TechID"
    );

    // Signing out ends this VNeID sign-in at the address VNeID gave for it (`logoutUri`),
    // through a page that moves on (a form may not redirect to another site).
    let mine = get_page(&app, "/cong-dan", Some(&cookie)).await;
    let out = post_form(
        &app,
        "/cong-dan/dang-xuat",
        Some(&cookie),
        &format!("csrf={}", csrf_of(&mine.body)),
    )
    .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert_eq!(
        leaving_to(&out.body).as_deref(),
        Some("https://vneid.example/api/idp/third-party/logout?token_id=binh-1")
    );
    assert_eq!(
        get_page(&app, "/cong-dan", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER,
        "signed out here"
    );

    // Signing in again finds the account by its subject, not a second one.
    sign_in(&app, "vneid", BINH).await;
    let audit = app
        .state
        .db
        .audit()
        .audit_of("citizen", &before.id.to_string())
        .await
        .unwrap();
    let links: Vec<Value> = audit
        .iter()
        .filter(|e| e.action == "sign_in_identity")
        .map(|e| serde_json::from_str::<Value>(&e.detail).unwrap())
        .collect();
    assert_eq!(links.len(), 2, "{audit:?}");
    let linked: Vec<&str> = links
        .iter()
        .map(|d| d["linked"].as_str().unwrap())
        .collect();
    assert!(
        linked.contains(&"id_number") && linked.contains(&"known"),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .all(|d| d["provider"] == "vneid" && d["assurance"] == 2)
    );

    // Lan has no account: one is opened without a password, at level 1 (not verified), and
    // signed in through the DVCQG account (ES256 tokens, userinfo by POST).
    let jar = sign_in(&app, "dvcqg", LAN).await;
    let cookie = format!("motcua_citizen={}", jar.0["motcua_citizen"]);
    let session = people
        .citizen_session(jar.0["motcua_citizen"].as_str(), motcua_db::now_seconds())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.citizen.full_name, "Lê Thị Lan");
    assert_eq!(session.citizen.id_number.as_deref(), Some(LAN));
    assert_eq!(session.citizen.assurance, Some(1));
    let (id, _) = crate::citizen_pages::file_online(&app, &cookie).await;
    assert!(
        !app.state
            .db
            .dossiers()
            .portal_marks(id)
            .await
            .unwrap()
            .verified_identity
    );
    let mine = get_page(&app, "/cong-dan", Some(&cookie)).await;
    assert!(mine.body.contains("chưa đủ"), "{}", mine.body);
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&officer)).await;
    assert!(!page.body.contains("Đã xác thực định danh điện tử"));
    // No password opens an account made this way.
    assert!(matches!(
        people
            .citizen_login(LAN, "", motcua_db::now_seconds())
            .await
            .unwrap(),
        motcua_db::Login::Wrong
    ));

    // A business account is refused with the reason.
    let mut jar = Jar::default();
    let to = begin(&app, "vneid", &mut jar).await;
    let back = at_provider(&to, "cong-ty").await;
    let reply = come_back(&app, &back, &mut jar).await;
    refused(&reply, StatusCode::FORBIDDEN, "doanh nghiệp");
    assert!(!jar.0.contains_key("motcua_citizen"));
}

#[tokio::test]
async fn the_portals_deep_link_signs_in_through_the_portal_and_opens_the_filing() {
    let Some(module) = provider_module() else {
        return;
    };
    let provider = start_provider(&module, 0);
    let app = app_with(&provider).await;
    let link =
        format!("/dvcqg/nop?vnconnect=1&MaTTHCDP=1.000828&MaCoQuanThucHien={CENTRE}&MaDVC=x");
    let filing = format!("/cong-dan/nop/1.000828?co_quan={CENTRE}");
    // Not signed in: through the DVCQG account, then back to the procedure's filing.
    let reply = get_page(&app, &link, None).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let next = reply
        .location
        .strip_prefix("/cong-dan/dang-nhap/dvcqg?next=")
        .unwrap_or_else(|| panic!("{}", reply.location))
        .replace("%2F", "/")
        .replace("%3F", "?")
        .replace("%3D", "=");
    assert_eq!(next, filing);
    let mut jar = Jar::default();
    let start = get_page(&app, &reply.location, None).await;
    jar.take(&start.headers);
    let back = at_provider(&start.location, LAN).await;
    let reply = come_back(&app, &back, &mut jar).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, filing);
    let cookie = format!("motcua_citizen={}", jar.0["motcua_citizen"]);
    let page = get_page(&app, &filing, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("<option value=\"{CENTRE}\" selected")),
        "the receiving agency the portal named is chosen"
    );
    // Signed in already: straight to the filing.
    let reply = get_page(&app, &link, Some(&cookie)).await;
    assert_eq!(reply.location, filing);
    // Signing out here ends the session at the portal's provider too, which accepts the
    // request (a wrong address to come back to would be refused there).
    let mine = get_page(&app, "/cong-dan", Some(&cookie)).await;
    let out = post_form(
        &app,
        "/cong-dan/dang-xuat",
        Some(&cookie),
        &format!("csrf={}", csrf_of(&mine.body)),
    )
    .await;
    // The form's answer may not redirect to another site: a page moves on there.
    assert_eq!(out.status, StatusCode::OK);
    let end = leaving_to(&out.body).unwrap_or_else(|| panic!("{}", out.body));
    assert!(
        end.starts_with(&format!(
            "{}/session/end?client_id=motcua-dvcqg&",
            provider.url
        )),
        "{end}"
    );
    assert!(
        end.contains("post_logout_redirect_uri=http%3A%2F%2Fmotcua.test%2F"),
        "{end}"
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(
        client.get(&end).send().await.unwrap().status().as_u16(),
        200
    );
    let elsewhere = end.replace("motcua.test", "ke-gian.test");
    assert_eq!(
        client
            .get(&elsewhere)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        400
    );
    assert_eq!(
        get_page(&app, "/cong-dan", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER,
        "signed out here"
    );
    // A link without a procedure is refused by name.
    let reply = get_page(&app, "/dvcqg/nop?vnconnect=1&MaTTHCDP=%3Cx%3E", None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("MaTTHCDP"), "{}", reply.body);
}

#[tokio::test]
async fn wrong_state_replayed_code_refusal_and_expired_token_sign_nobody_in() {
    let Some(module) = provider_module() else {
        return;
    };
    let provider = start_provider(&module, 0);
    let app = app_with(&provider).await;

    // A wrong state: refused before the provider is asked.
    let mut jar = Jar::default();
    let to = begin(&app, "vneid", &mut jar).await;
    let back = at_provider(&to, BINH).await;
    let state = param(&back, "state");
    let forged = back.replace(&format!("state={state}"), "state=KHONGPHAIMA");
    let reply = come_back(&app, &forged, &mut jar.clone()).await;
    refused(&reply, StatusCode::BAD_REQUEST, "state không khớp");
    // The right state from a browser that did not start the sign-in.
    let reply = come_back(&app, &back, &mut Jar::default()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // The genuine return signs in, once.
    let reply = come_back(&app, &back, &mut jar.clone()).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // The same return again (a replayed code): the state is spent.
    let reply = come_back(&app, &back, &mut jar.clone()).await;
    refused(&reply, StatusCode::BAD_REQUEST, "đã dùng");
    // The used code under a new sign-in's state: the provider refuses it (used, and not this
    // sign-in's PKCE verifier).
    let code = param(&back, "code");
    let mut fresh = Jar::default();
    let to = begin(&app, "vneid", &mut fresh).await;
    let new_state = param(&to, "state");
    let replay =
        format!("http://motcua.test/cong-dan/dang-nhap/vneid/ve?code={code}&state={new_state}");
    let reply = come_back(&app, &replay, &mut fresh).await;
    refused(&reply, StatusCode::UNAUTHORIZED, "không nhận mã đăng nhập");
    assert!(!fresh.0.contains_key("motcua_citizen"));

    // The citizen says no at the provider.
    let mut jar = Jar::default();
    let to = begin(&app, "vneid", &mut jar).await;
    let state = param(&to, "state");
    let denied =
        format!("http://motcua.test/cong-dan/dang-nhap/vneid/ve?error=access_denied&state={state}");
    let reply = come_back(&app, &denied, &mut jar).await;
    refused(&reply, StatusCode::UNAUTHORIZED, "không đồng ý");
    // A response claiming another issuer (RFC 9207).
    let mut jar = Jar::default();
    let to = begin(&app, "vneid", &mut jar).await;
    let back = at_provider(&to, BINH).await;
    let other = back.replace("iss=http", "iss=https");
    let reply = come_back(&app, &other, &mut jar).await;
    refused(&reply, StatusCode::BAD_REQUEST, "iss");

    // A provider whose clock is two hours behind issues tokens that have already expired.
    let late = start_provider(&module, -7200);
    let app = app_with(&late).await;
    let mut jar = Jar::default();
    let to = begin(&app, "vneid", &mut jar).await;
    let back = at_provider(&to, BINH).await;
    let reply = come_back(&app, &back, &mut jar).await;
    refused(&reply, StatusCode::UNAUTHORIZED, "hết hạn");
    assert!(!jar.0.contains_key("motcua_citizen"));

    // A provider that cannot be reached: the page says so, nobody is signed in.
    drop(late);
    let reply = get_page(&app, "/cong-dan/dang-nhap/dvcqg?next=%2Fcong-dan", None).await;
    refused(&reply, StatusCode::BAD_GATEWAY, "không kết nối được");
    let unknown = get_page(&app, "/cong-dan/dang-nhap/zalo", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
