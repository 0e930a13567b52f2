//! A dossier's files through the API, under the staff pages' rules: the counter attaches
//! scans (checked by kind), whoever may see the dossier lists and downloads them, anyone else
//! is told the dossier does not exist, and a file id of another dossier finds nothing.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

use crate::common::*;

const PDF: &[u8] = b"%PDF-1.7\n% ban quet don de nghi\n%%EOF\n";

/// A multipart POST of `fields` and `files` (name, bytes) with a bearer token.
async fn post_files(
    app: &TestApp,
    path: &str,
    token: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> (StatusCode, Value) {
    let files: Vec<(&str, &str, &[u8])> = files.iter().map(|(n, b)| ("files", *n, *b)).collect();
    let (content_type, body) = multipart(fields, &files);
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    let reply = send(app, request).await;
    (
        reply.status,
        serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn files_are_attached_listed_and_downloaded_under_the_pages_rules() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let files = format!("/api/v1/dossiers/{}/files", d["id"]);

    // The counter attaches a scan of the first component.
    let (status, list) = post_files(
        &app,
        &files,
        "tok-tn",
        &[("purpose", "scan"), ("component", "0")],
        &[("đơn đề nghị.pdf", PDF)],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["purpose"], "scan");
    assert_eq!(item["component"], 0);
    assert_eq!(item["media_type"], "application/pdf");
    assert_eq!(item["name"], "đơn đề nghị.pdf");

    // What is wrong is named, and nothing is attached.
    let (status, e) = post_files(&app, &files, "tok-tn", &[], &[("a.txt", b"van ban")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("a.txt"),
        "{e}"
    );
    let (status, e) = post_files(
        &app,
        &files,
        "tok-tn",
        &[("purpose", "ket_qua")],
        &[("b.pdf", PDF)],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["fields"][0]["field"], "purpose");
    let (status, _) = post_files(&app, &files, "tok-tn", &[], &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Someone with no role where the dossier has been: it does not exist for them.
    let (status, _) = post_files(&app, &files, "tok-cvtc", &[], &[("c.pdf", PDF)]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get(&files, Some("tok-cvtc")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, listed) = app.get(&files, Some("tok-tn")).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");

    // Downloaded whole, with its type and name.
    let id = item["id"].as_i64().unwrap();
    let request = Request::builder()
        .uri(format!("{files}/{id}"))
        .header("authorization", "Bearer tok-tn")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.bytes, PDF);
    assert_eq!(reply.headers["content-type"], "application/pdf");
    assert!(
        reply.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("UTF-8''")
    );
    // The same file id under another dossier finds nothing.
    let (_, other) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let (status, _) = app
        .get(
            &format!("/api/v1/dossiers/{}/files/{id}", other["id"]),
            Some("tok-tn"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .get(&format!("{files}/khong-phai-so"), Some("tok-tn"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_intake_and_a_transition_carry_their_files_in_their_own_transaction() {
    let app = TestApp::new().await;
    let body = lawyer_intake().to_string();
    let (status, d) = post_files(
        &app,
        "/api/v1/dossiers",
        "tok-tn",
        &[("body", &body), ("component", "1")],
        &[("bằng cử nhân.pdf", PDF)],
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let files = format!("/api/v1/dossiers/{}/files", d["id"]);
    let (_, listed) = app.get(&files, Some("tok-tn")).await;
    assert_eq!(listed["items"][0]["component"], 1, "{listed}");
    assert_eq!(listed["items"][0]["purpose"], "scan");
    // A wrong file refuses the whole intake: no dossier is made.
    let (status, e) = post_files(
        &app,
        "/api/v1/dossiers",
        "tok-tn",
        &[("body", &body)],
        &[("ghi-chu.txt", b"khong phai PDF")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, page) = app
        .get("/api/v1/dossiers?agency=000.01.01.H56", Some("tok-tn"))
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    // Without its JSON part the request is refused by name.
    let (status, e) = post_files(&app, "/api/v1/dossiers", "tok-tn", &[], &[("a.pdf", PDF)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["fields"][0]["field"], "body");

    // A transition with a scan: the dossier moves and the file is attached with it.
    let action =
        serde_json::json!({"action": "forward", "expected_version": d["version"]}).to_string();
    let (status, moved) = post_files(
        &app,
        &format!("/api/v1/dossiers/{}/transitions", d["id"]),
        "tok-tn",
        &[("body", &action)],
        &[("phiếu kiểm soát.pdf", PDF)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{moved}");
    assert_eq!(moved["version"], 2);
    let (_, listed) = app.get(&files, Some("tok-tn")).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{listed}");
    // A stale version: nothing moves and nothing is attached.
    let (status, _) = post_files(
        &app,
        &format!("/api/v1/dossiers/{}/transitions", d["id"]),
        "tok-tn",
        &[("body", &action)],
        &[("lan-hai.pdf", PDF)],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, listed) = app.get(&files, Some("tok-tn")).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
}
