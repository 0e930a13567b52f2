//! The citizen's side of the API (`/api/v1/me`): an account and a bearer session, online
//! filing with files per component (checked as the filing page checks it), the owner's
//! dossiers and nobody else's, the notes written to them and not the internal ones, their
//! files but not the counter's scans, a supplement with files, a stale version refused,
//! withdrawal, and one rating.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

const PROCEDURE: &str = "1.000828";
const PASSWORD: &str = "mat-khau-cong-dan";
const PDF: &[u8] = b"%PDF-1.4\n% to khai\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n anh chup";

/// A multipart POST with a bearer token: text fields and files (part, file name, bytes).
async fn post_parts(
    app: &TestApp,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (StatusCode, Value) {
    let (content_type, body) = multipart(fields, files);
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    app.raw(request).await
}

fn filing() -> Value {
    json!({
        "procedure_code": PROCEDURE,
        "case_code": "chung",
        "receiving_agency": CENTRE,
        "applicant": {
            "kind": "person",
            "name": "Nguyễn Thị Thu Hà",
            "id_number": "038190012345",
            "phone": "0912345678",
            "notify": ["sms"]
        }
    })
}

const ALL_FILES: [(&str, &str, &[u8]); 4] = [
    ("tp-01", "don-de-nghi.pdf", PDF),
    ("tp-02", "bang-cu-nhan.png", PNG),
    ("tp-03", "giay-chung-nhan.pdf", PDF),
    ("tp-04", "anh-the.png", PNG),
];

fn fields_of(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn register(app: &TestApp, name: &str, phone: &str) -> String {
    let (status, opened) = app
        .post(
            "/api/v1/me/account",
            None,
            json!({"full_name": name, "phone": phone, "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["account"]["full_name"], name);
    assert_eq!(opened["account"]["verified"], false);
    opened["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn accounts_and_sessions_for_apps() {
    let app = TestApp::new().await;
    // Every problem of a registration is named.
    let (status, e) = app
        .post(
            "/api/v1/me/account",
            None,
            json!({"full_name": "", "phone": "123", "password": "ngan"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = fields_of(&e);
    for field in ["full_name", "phone", "password"] {
        assert!(fields.iter().any(|f| f == field), "{field}: {e}");
    }
    let (status, e) = app
        .post(
            "/api/v1/me/account",
            None,
            json!({"full_name": "An", "password": PASSWORD, "role": "admin"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("role"),
        "{e}"
    );

    let first = register(&app, "Nguyễn Thị Thu Hà", "0912345678").await;
    let (status, me) = app.get("/api/v1/me", Some(&first)).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["phone"], "0912345678");
    assert_eq!(me["identities"], json!([]));

    // Sign-in by phone in another spelling; a wrong password is 401 without saying which.
    let (status, e) = app
        .post(
            "/api/v1/me/session",
            None,
            json!({"login": "0912345678", "password": "sai-mat-khau"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{e}");
    assert_eq!(e["error"]["code"], "unauthorized");
    let (status, opened) = app
        .post(
            "/api/v1/me/session",
            None,
            json!({"login": "+84 912 345 678", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let second = opened["token"].as_str().unwrap().to_string();
    assert!(opened["expires_at"].as_str().is_some(), "{opened}");

    // A staff token is not a citizen's, nor the other way round.
    assert_eq!(
        app.get("/api/v1/me", Some("tok-tn")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&format!("/api/v1/dossiers?agency={CENTRE}"), Some(&first))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", None).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Signing out ends that session only.
    let (status, _) = app
        .call(Method::DELETE, "/api/v1/me/session", Some(&second), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", Some(&second)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/v1/me", Some(&first)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn filing_through_the_api_is_checked_like_the_page() {
    let app = TestApp::new().await;
    let token = register(&app, "Nguyễn Thị Thu Hà", "0912345678").await;
    let body = filing().to_string();

    // No files: the required components are missing, named, nothing filed.
    let (status, e) = app
        .post("/api/v1/me/dossiers", Some(&token), filing())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_of(&e), ["components"], "{e}");

    // A file for no component of the case, and a program disguised as a PDF.
    let (status, e) = post_parts(
        &app,
        "/api/v1/me/dossiers",
        &token,
        &[("body", &body)],
        &[
            ("tp-01", "don.pdf", b"MZ\x90\x00 not a pdf"),
            ("tp-99", "la.pdf", PDF),
            ALL_FILES[1],
            ALL_FILES[2],
            ALL_FILES[3],
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields = fields_of(&e);
    assert!(fields.iter().any(|f| f == "tp-99"), "{e}");
    assert!(
        e.to_string().contains("không phải PDF, JPG hoặc PNG"),
        "{e}"
    );

    // A receiving agency that does not take the procedure, an unknown case, a procedure
    // not offered online.
    let mut elsewhere = filing();
    elsewhere["receiving_agency"] = json!("000.00.00.H99");
    let (status, e) = post_parts(
        &app,
        "/api/v1/me/dossiers",
        &token,
        &[("body", &elsewhere.to_string())],
        &ALL_FILES,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_of(&e), ["receiving_agency"], "{e}");
    let mut case = filing();
    case["case_code"] = json!("khong-co");
    let (status, e) = app.post("/api/v1/me/dossiers", Some(&token), case).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_of(&e), ["case_code"], "{e}");
    let mut procedure = filing();
    procedure["procedure_code"] = json!("9.999999");
    let (status, e) = app
        .post("/api/v1/me/dossiers", Some(&token), procedure)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_of(&e), ["procedure_code"], "{e}");
    // Staff's multipart fields are not the citizen's.
    let (status, e) = post_parts(
        &app,
        "/api/v1/me/dossiers",
        &token,
        &[("body", &body), ("purpose", "result")],
        &ALL_FILES,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(
        app.state.db.dossiers().count_dossiers(None).await.unwrap(),
        0,
        "nothing filed"
    );

    // Filed: an online dossier awaiting the counter, its four files kept.
    let (status, d) = post_parts(
        &app,
        "/api/v1/me/dossiers",
        &token,
        &[("body", &body)],
        &ALL_FILES,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!(d["channel"], "online");
    assert_eq!(d["status"], "submitted");
    assert_eq!(d["receiving_agency"]["code"], CENTRE);
    assert_eq!(d["may_withdraw"], true);
    assert_eq!(d["may_rate"], false);
    assert_eq!(d["components"].as_array().unwrap().len(), 4);
    assert!(d["due_at"].is_null(), "the clock starts at acceptance: {d}");
    assert!(d["lookup_secret"].as_str().is_some(), "{d}");
    let id = d["id"].as_i64().unwrap();
    let (_, files) = app
        .get(&format!("/api/v1/me/dossiers/{id}/files"), Some(&token))
        .await;
    assert_eq!(files["items"].as_array().unwrap().len(), 4, "{files}");
    let (_, list) = app.get("/api/v1/me/dossiers", Some(&token)).await;
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["status_code"], 1);

    // The counter sees it like any online dossier.
    let (status, staff) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-tn"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(staff["citizen_id"], me_id(&app, &token).await);

    // Another citizen sees nothing of it.
    let other = register(&app, "Trần Văn Khác", "0987654321").await;
    for path in [
        format!("/api/v1/me/dossiers/{id}"),
        format!("/api/v1/me/dossiers/{id}/history"),
        format!("/api/v1/me/dossiers/{id}/files"),
        format!("/api/v1/me/dossiers/{id}/files/1"),
        "/api/v1/me/dossiers/abc".to_string(),
    ] {
        let (status, e) = app.get(&path, Some(&other)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!e.to_string().contains("Thu Hà"), "{path}");
    }
    let (status, _) = app
        .post(
            &format!("/api/v1/me/dossiers/{id}/withdrawal"),
            Some(&other),
            json!({"expected_version": d["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.get("/api/v1/me/dossiers", Some(&other)).await;
    assert_eq!(list["items"], json!([]));
}

async fn me_id(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/me", Some(token)).await.1["id"].clone()
}

#[tokio::test]
async fn supplement_withdrawal_and_rating_through_the_api() {
    let app = TestApp::new().await;
    let token = register(&app, "Nguyễn Thị Thu Hà", "0912345678").await;
    let (status, d) = post_parts(
        &app,
        "/api/v1/me/dossiers",
        &token,
        &[("body", &filing().to_string())],
        &ALL_FILES,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let (_, staff) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-tn"))
        .await;
    let staff = app.act("tok-tn", &staff, json!({"action": "accept"})).await;
    app.act(
        "tok-tn",
        &staff,
        json!({"action": "request_supplement", "reason": "Thiếu chữ ký",
                   "missing": ["Bản sao CCCD"]}),
    )
    .await;
    // A scan the counter makes stays inside.
    let (content_type, scan) = multipart(&[("purpose", "scan")], &[("files", "quet.pdf", PDF)]);
    let (status, _) = app
        .raw(
            Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/dossiers/{id}/files"))
                .header("authorization", "Bearer tok-tn")
                .header("content-type", content_type)
                .body(Body::from(scan))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (_, mine) = app
        .get(&format!("/api/v1/me/dossiers/{id}"), Some(&token))
        .await;
    assert_eq!(mine["status"], "awaiting_supplement");
    assert_eq!(mine["supplement"]["reason"], "Thiếu chữ ký");
    assert_eq!(mine["supplement"]["missing"], json!(["Bản sao CCCD"]));
    assert!(
        mine["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["event"] == "supplement_requested" && m["channel"] == "sms"),
        "{mine}"
    );
    let (_, files) = app
        .get(&format!("/api/v1/me/dossiers/{id}/files"), Some(&token))
        .await;
    assert!(!files.to_string().contains("quet.pdf"), "{files}");
    let scan_id = app
        .state
        .db
        .files()
        .attachments(id)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.name == "quet.pdf")
        .unwrap()
        .id;
    let (status, _) = app
        .get(
            &format!("/api/v1/me/dossiers/{id}/files/{scan_id}"),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let supplements = format!("/api/v1/me/dossiers/{id}/supplements");
    let version = mine["version"].to_string();
    let body = json!({"expected_version": mine["version"], "note": "Đã ký"}).to_string();
    // Without a file: named; at an old version: a conflict; nothing sent either way.
    let (status, e) = post_parts(&app, &supplements, &token, &[("body", &body)], &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_of(&e), ["files"]);
    let stale = json!({"expected_version": mine["version"].as_i64().unwrap() - 1}).to_string();
    let (status, e) = post_parts(
        &app,
        &supplements,
        &token,
        &[("body", &stale)],
        &[("files", "cccd.png", PNG)],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{e}");
    let (status, sent) = post_parts(
        &app,
        &supplements,
        &token,
        &[("body", &body)],
        &[("files", "cccd.png", PNG)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    assert!(
        sent["supplement"]["submitted_at"].as_str().is_some(),
        "{sent}"
    );
    assert_ne!(sent["version"].to_string(), version);
    let (_, files) = app
        .get(&format!("/api/v1/me/dossiers/{id}/files"), Some(&token))
        .await;
    let cccd = files["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "cccd.png")
        .unwrap_or_else(|| panic!("{files}"));
    assert_eq!(cccd["purpose"], "supplement");
    let reply = send(
        &app,
        Request::builder()
            .uri(format!("/api/v1/me/dossiers/{id}/files/{}", cccd["id"]))
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.bytes, PNG);

    // The counter takes the supplement in, with a note of its own.
    let (_, staff) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-tn"))
        .await;
    let staff = app
        .act(
            "tok-tn",
            &staff,
            json!({"action": "receive_supplement", "note": "Ghi chú nội bộ"}),
        )
        .await;

    // The history shows the reason given to them and their own note; the counter's stays
    // inside.
    let (_, history) = app
        .get(&format!("/api/v1/me/dossiers/{id}/history"), Some(&token))
        .await;
    let items = history["items"].as_array().unwrap();
    assert!(
        items.iter().any(|h| h["action"] == "request_supplement"
            && h["note"].as_str().unwrap().starts_with("Thiếu chữ ký")),
        "{history}"
    );
    assert!(
        items
            .iter()
            .any(|h| h["action"] == "submit_supplement" && h["note"] == "Đã ký"),
        "{history}"
    );
    assert!(
        items
            .iter()
            .any(|h| h["action"] == "receive_supplement" && h["note"].is_null()),
        "{history}"
    );
    assert!(!history.to_string().contains("nội bộ"), "{history}");

    // Not rated before it ends; withdrawn, then rated once.
    let answers = json!({"time": 2, "agencies": 2, "contacts": "1", "information": 2,
        "attitude": 2, "lawfulness": 2, "complaints": 2, "online": 1});
    let rating = json!({"answers": answers, "overall": "satisfied", "comment": "Nhanh"});
    let (status, e) = app
        .post(
            &format!("/api/v1/me/dossiers/{id}/rating"),
            Some(&token),
            rating.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, done) = app
        .post(
            &format!("/api/v1/me/dossiers/{id}/withdrawal"),
            Some(&token),
            json!({"expected_version": staff["version"], "reason": "Nộp lại sau"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "withdrawn");
    assert_eq!(done["may_withdraw"], false);
    assert_eq!(done["may_rate"], true);
    let mut bad = rating.clone();
    bad["answers"]["time"] = json!(7);
    let (status, e) = app
        .post(
            &format!("/api/v1/me/dossiers/{id}/rating"),
            Some(&token),
            bad,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields_of(&e), ["time"], "{e}");
    let (status, rated) = app
        .post(
            &format!("/api/v1/me/dossiers/{id}/rating"),
            Some(&token),
            rating.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rated}");
    assert_eq!(rated["rating"]["overall"], "satisfied");
    assert_eq!(rated["may_rate"], false);
    let (status, e) = app
        .post(
            &format!("/api/v1/me/dossiers/{id}/rating"),
            Some(&token),
            rating,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}
