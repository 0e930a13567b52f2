//! `TestApp`: a fresh SQLite database with a small province and the demo catalogue, and the
//! real router called in-process.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use motcua_db::{Db, NewAgency, NewStaff};
use motcua_domain::agency::{AgencyLevel, Role};
use motcua_domain::calendar::{CalendarConfig, WorkCalendar, shipped_overrides};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub use crate::process::*;

pub const PROVINCE: &str = "000.00.00.H56";
pub const CENTRE: &str = "000.01.01.H56";
pub const JUSTICE: &str = "000.00.03.H56";
pub const FINANCE: &str = "000.00.12.H56";

pub struct TestApp {
    pub state: Arc<motcua_web::AppState>,
    pub router: axum::Router,
    pub url: String,
    /// The folder of the attached files.
    pub files_dir: std::path::PathBuf,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with_security(motcua_web::SecuritySettings::default()).await
    }

    /// [`TestApp::new`] behind the given proxies.
    pub async fn with_security(security: motcua_web::SecuritySettings) -> Self {
        Self::build(temp_url(), security, motcua_web::DocsSettings::default()).await
    }

    /// [`TestApp::new`] printing and signing forms with `docs`.
    pub async fn with_docs(docs: motcua_web::DocsSettings) -> Self {
        Self::build(temp_url(), motcua_web::SecuritySettings::default(), docs).await
    }

    /// The small province on the database at `url` (either engine).
    pub async fn on(url: String) -> Self {
        Self::build(
            url,
            motcua_web::SecuritySettings::default(),
            motcua_web::DocsSettings::default(),
        )
        .await
    }

    async fn build(
        url: String,
        security: motcua_web::SecuritySettings,
        docs: motcua_web::DocsSettings,
    ) -> Self {
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let agency = |code: &str, name: &str, parent: Option<&str>| NewAgency {
            code: code.into(),
            name: name.into(),
            level: AgencyLevel::Province,
            parent_code: parent.map(str::to_string),
            phone: None,
            address: None,
        };
        for a in [
            agency(PROVINCE, "Ủy ban nhân dân tỉnh Thanh Hóa", None),
            agency(
                "000.00.01.H56",
                "Văn phòng Ủy ban nhân dân tỉnh",
                Some(PROVINCE),
            ),
            agency(
                CENTRE,
                "Trung tâm Phục vụ hành chính công tỉnh",
                Some("000.00.01.H56"),
            ),
            agency(JUSTICE, "Sở Tư pháp", Some(PROVINCE)),
            agency(FINANCE, "Sở Tài chính", Some(PROVINCE)),
        ] {
            db.agencies().create_agency(&a, "test").await.unwrap();
        }
        for (username, code, role) in [
            ("tn", CENTRE, Role::CounterOfficer),
            ("cv", JUSTICE, Role::Specialist),
            ("tp", JUSTICE, Role::UnitLeader),
            ("gd", JUSTICE, Role::AgencyLeader),
            ("ct", PROVINCE, Role::AgencyLeader),
            ("cvtc", FINANCE, Role::Specialist),
            ("qt", PROVINCE, Role::Administrator),
        ] {
            let s = db
                .people()
                .create_staff(
                    &NewStaff {
                        username: format!("u.{username}"),
                        full_name: format!("Cán bộ {username}"),
                        token: Some(format!("tok-{username}")),
                        ..NewStaff::default()
                    },
                    "test",
                )
                .await
                .unwrap();
            db.people().grant(s.id, code, role, "test").await.unwrap();
        }
        // The procedures of the two departments from the demo catalogue.
        let all = motcua_domain::catalogue::parse_catalogue(include_str!(
            "../../../../../data/demo/catalogue.json"
        ))
        .unwrap();
        let mine: Vec<_> = all
            .into_iter()
            .filter(|p| {
                let known = [PROVINCE, "000.00.01.H56", CENTRE, JUSTICE, FINANCE];
                p.agencies
                    .iter()
                    .all(|a| [JUSTICE, FINANCE].contains(&a.as_str()))
                    && p.coordinating.iter().all(|a| known.contains(&a.as_str()))
                    && p.workflow.iter().all(|s| match &s.agency {
                        motcua_domain::catalogue::StepAgency::Agency(c) => {
                            known.contains(&c.as_str())
                        }
                        _ => true,
                    })
            })
            .collect();
        db.catalogue()
            .publish_procedures(&mine, "test", None)
            .await
            .unwrap();
        db.agencies()
            .set_calendar_days(&shipped_overrides().unwrap(), "test")
            .await
            .unwrap();
        let calendar = WorkCalendar::new(CalendarConfig {
            overrides: shipped_overrides().unwrap(),
            ..CalendarConfig::default()
        })
        .unwrap();
        let files_dir = std::env::temp_dir().join(format!(
            "motcua-files-{}",
            motcua_db::random_token(6).unwrap()
        ));
        let files = motcua_db::FileStore::open(&files_dir).unwrap();
        let state = motcua_web::AppState::with_settings(db, calendar, files, docs, security);
        let router = motcua_web::router(Arc::clone(&state));
        Self {
            state,
            router,
            url,
            files_dir,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            request = request.header("authorization", format!("Bearer {t}"));
        }
        let request = match body {
            Some(b) => request
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        self.raw(request).await
    }

    pub async fn raw(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
            .await
            .unwrap();
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        self.call(Method::GET, path, token, None).await
    }

    /// Takes `action` on the dossier `d` (as the API returned it) with `token`, at the
    /// version it carries; the transition must succeed. Returns the dossier after it.
    pub async fn act(&self, token: &str, d: &Value, action: Value) -> Value {
        let mut body = action;
        body["expected_version"] = d["version"].clone();
        let (status, d) = self
            .post(
                &format!("/api/v1/dossiers/{}/transitions", d["id"]),
                Some(token),
                body,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{d}");
        d
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, token, Some(body)).await
    }
}

/// A complete counter intake of the lawyer's certificate procedure (1.000828, Sở Tư pháp).
pub fn lawyer_intake() -> Value {
    serde_json::json!({
        "receiving_agency": CENTRE,
        "procedure_code": "1.000828",
        "case_code": "chung",
        "channel": "counter",
        "applicant": {
            "kind": "person",
            "name": "Nguyễn Thị Thu Hà",
            "id_number": "038190012345",
            "phone": "0912 345 678",
            "notify": ["sms"]
        },
        "components": [
            {"code": "tp-01", "form": "original"},
            {"code": "tp-02", "form": "copy"},
            {"code": "tp-03", "form": "original"},
            {"code": "tp-04", "form": "original"}
        ],
        "return_method": "in_person"
    })
}

/// A page's answer, as the page tests read it.
pub struct Reply {
    pub status: StatusCode,
    pub body: String,
    pub bytes: Vec<u8>,
    pub headers: axum::http::HeaderMap,
    /// Where a redirect points ("" otherwise).
    pub location: String,
}

/// Sends a request to the router in-process.
pub async fn send(app: &TestApp, request: Request<Body>) -> Reply {
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let location = headers
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), 20 << 20)
        .await
        .unwrap()
        .to_vec();
    Reply {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
        headers,
        location,
    }
}

/// GET a page, with a session cookie if given.
pub async fn get_page(app: &TestApp, path: &str, cookie: Option<&str>) -> Reply {
    let mut r = Request::builder().uri(path).header("host", "motcua.test");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(app, r.body(Body::empty()).unwrap()).await
}

/// POST a urlencoded form, with a session cookie if given.
pub async fn post_form(app: &TestApp, path: &str, cookie: Option<&str>, form: &str) -> Reply {
    let (cookie, form) = as_browser(path, cookie, form);
    let mut r = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", "motcua.test")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(app, r.body(Body::from(form)).unwrap()).await
}

/// A multipart body of text `fields` and `files` (field, file name, bytes), with the
/// content type that announces its boundary.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----motcua-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// `text` percent-encoded for a query string or a form body.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The CSRF token of the first form on a page.
pub fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[at..].split('"').next().unwrap().to_string()
}

/// The session cookie of a staff member signed in now (the session is opened directly; the
/// sign-in form has its own tests).
pub async fn staff_session(app: &TestApp, username: &str) -> String {
    let s = app
        .state
        .db
        .people()
        .staff_by_username(username)
        .await
        .unwrap()
        .unwrap();
    let token = app
        .state
        .db
        .people()
        .create_session(s.id, app.state.now().timestamp())
        .await
        .unwrap();
    format!("motcua_session={token}")
}

/// The sign-in forms' token as a browser holds it: the cookie the form page set, and the
/// field the form carries (they must match).
pub const FORM_TOKEN: &str = "TESTFORMTOKEN23456789ABC";
pub const FORM_COOKIE: &str = "motcua_form=TESTFORMTOKEN23456789ABC";

/// A sign-in or registration form as a browser sends it after loading the form page: with
/// the form cookie and its token. Other forms pass through unchanged.
pub fn as_browser(path: &str, cookie: Option<&str>, form: &str) -> (Option<String>, String) {
    let sign_in_form = [
        "/can-bo/dang-nhap",
        "/cong-dan/dang-nhap",
        "/cong-dan/dang-ky",
        "/hoi-dap/gui",
    ]
    .contains(&path.split('?').next().unwrap_or_default());
    if !sign_in_form || form.contains("csrf=") {
        return (cookie.map(str::to_string), form.to_string());
    }
    let cookie = match cookie {
        Some(c) => format!("{c}; {FORM_COOKIE}"),
        None => FORM_COOKIE.to_string(),
    };
    (Some(cookie), format!("{form}&csrf={FORM_TOKEN}"))
}

/// Sends a request as a browser would (a form gets the same-site headers and token
/// cookie), and returns the answer's status, bytes and headers.
pub async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let (cookie, form) = match form {
        Some(f) => {
            let (c, f) = as_browser(path, cookie, f);
            (c, Some(f))
        }
        None => (cookie.map(str::to_string), None),
    };
    let mut request = Request::builder().method(method).uri(path);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let request = match form {
        Some(f) => request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(f)),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, bytes.to_vec(), headers)
}

/// What poppler's `tool` prints (its standard output and error) run as `tool args FILE
/// after` on `pdf`, or None when poppler-utils is missing: the test says so, and with
/// MOTCUA_REQUIRE_TOOLS=1 fails instead.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8], after: &[&str]) -> Option<String> {
    let dir = scratch("file.pdf", pdf);
    let out = std::process::Command::new(tool)
        .args(args)
        .arg(dir.join("file.pdf"))
        .args(after)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(out) => Some(format!(
            "{}{}",
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8_lossy(&out.stderr)
        )),
        Err(_) => {
            missing(tool);
            None
        }
    }
}

/// `pdfsig`'s report on a signed PDF (see [`poppler`]).
pub fn pdfsig(pdf: &[u8]) -> Option<String> {
    poppler("pdfsig", &[], pdf, &[])
}

/// A scratch folder holding `bytes` as `name`, for a tool that reads files.
fn scratch(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "motcua-tool-{}",
        motcua_db::random_token(8).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
    dir
}

/// The tool named is missing: the test says so, and with MOTCUA_REQUIRE_TOOLS=1 fails.
fn missing(tool: &str) {
    assert!(
        std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "MOTCUA_REQUIRE_TOOLS=1 but {tool} is missing"
    );
    eprintln!("{tool} missing: the check is SKIPPED");
}

/// Every page of a PDF rendered by poppler's `pdftoppm` at `dpi`, as PNG bytes in page
/// order, or None when pdftoppm is missing.
pub fn pdf_pages(pdf: &[u8], dpi: u32) -> Option<Vec<Vec<u8>>> {
    let dir = scratch("file.pdf", pdf);
    let made = std::process::Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "file.pdf", "page"])
        .current_dir(&dir)
        .status();
    let pages = if made.is_ok_and(|s| s.success()) {
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        paths.sort();
        Some(paths.iter().map(|p| std::fs::read(p).unwrap()).collect())
    } else {
        missing("pdftoppm");
        None
    };
    let _ = std::fs::remove_dir_all(&dir);
    pages
}

/// The QR codes `zbarimg` reads in an image, or None when it is missing.
pub fn qr_codes(png: &[u8]) -> Option<String> {
    let dir = scratch("image.png", png);
    let out = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "image.png"])
        .current_dir(&dir)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(_) => {
            missing("zbarimg");
            None
        }
    }
}

/// Where a "moving on" page sends the browser (its link, unescaped), if the page is one.
pub fn leaving_to(html: &str) -> Option<String> {
    let start = html.find("id=\"leave\" href=\"")? + "id=\"leave\" href=\"".len();
    let end = html[start..].find('"')? + start;
    let href = html[start..end]
        .replace("&#x3D;", "=")
        .replace("&#x2F;", "/")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(
        html.contains(&format!("content=\"0;url={}\"", &html[start..end])),
        "the page moves on by itself"
    );
    Some(href)
}
