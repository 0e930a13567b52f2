//! The JSON API as a client sees it: authentication, authorization by role and agency,
//! the whole workflow by HTTP, conflicts, validation errors and the public lookup.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

async fn intake(app: &TestApp) -> Value {
    let (status, body) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn act(app: &TestApp, token: &str, d: &Value, action: Value) -> (StatusCode, Value) {
    let mut body = action;
    body["expected_version"] = d["version"].clone();
    app.post(
        &format!("/api/v1/dossiers/{}/transitions", d["id"]),
        Some(token),
        body,
    )
    .await
}

#[tokio::test]
async fn openapi_documents_exactly_the_routed_operations() {
    let app = TestApp::new().await;
    let (status, doc) = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    // The router's own table and the document name the same operations.
    let mut routed: Vec<String> = motcua_web::api::operations()
        .into_iter()
        .map(|(method, path)| format!("{} {path}", method.as_str().to_lowercase()))
        .collect();
    let mut documented: Vec<String> = paths
        .iter()
        .flat_map(|path| {
            doc["paths"][path.as_str()]
                .as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{method} {path}"))
        })
        .collect();
    routed.sort();
    documented.sort();
    assert_eq!(
        routed, documented,
        "routed and documented operations differ"
    );
    assert!(routed.len() > 30, "{routed:?}");
    for path in &paths {
        let concrete = path
            .replace("{code}", "1.000828")
            .replace("{id}", "1")
            .replace("{file}", "1");
        for (method, _) in doc["paths"][path.as_str()].as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let (_, body) = app
                .call(method.clone(), &format!("/api/v1{concrete}"), None, None)
                .await;
            let message = body["error"]["message"].as_str().unwrap_or("");
            assert!(
                !message.contains("đường dẫn API"),
                "{method} {path} is documented but not routed"
            );
        }
    }
    // The transition body has one alternative per action of the action table, with the
    // fields it needs.
    let alternatives = doc["components"]["schemas"]["Transition"]["oneOf"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = alternatives
        .iter()
        .map(|a| a["properties"]["action"]["const"].as_str().unwrap())
        .collect();
    let table: Vec<&str> = motcua_domain::dossier::ACTIONS
        .iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, table);
    let supplement = &alternatives[names
        .iter()
        .position(|n| *n == "request_supplement")
        .unwrap()];
    assert_eq!(
        supplement["required"],
        serde_json::json!(["action", "missing", "reason"])
    );
    assert_eq!(supplement["properties"]["missing"]["type"], "array");
    assert_eq!(supplement["title"], "Yêu cầu bổ sung hồ sơ");
    let (status, body) = app.get("/api/v1/khong-co", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn catalogue_is_public_and_searchable_without_diacritics() {
    let app = TestApp::new().await;
    let (status, list) = app
        .get(
            "/api/v1/procedures?q=chung%20chi%20hanh%20nghe%20luat%20su",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list[0]["code"], "1.000828", "{list}");
    let (status, p) = app.get("/api/v1/procedures/1.000828", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(p["version"], 1);
    let (status, e) = app.get("/api/v1/procedures/9.999999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(e["error"]["message"].as_str().unwrap().contains("9.999999"));
    let (status, agencies) = app.get("/api/v1/agencies", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(agencies.as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn staff_endpoints_need_a_valid_token() {
    let app = TestApp::new().await;
    for token in [None, Some("sai-ma")] {
        let (status, body) = app
            .get("/api/v1/dossiers?agency=000.01.01.H56", token)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}

#[tokio::test]
async fn bad_bodies_are_named_and_change_nothing() {
    let app = TestApp::new().await;
    let mut body = lawyer_intake();
    body["applicant"]["id_number"] = json!("12");
    body["components"] = json!([{"code": "tp-01", "form": "original"}]);
    let (status, e) = app.post("/api/v1/dossiers", Some("tok-tn"), body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["applicant.id_number", "components"]);
    assert!(
        e["error"]["fields"][1]["message"]
            .as_str()
            .unwrap()
            .contains("còn thiếu")
    );

    let (status, e) = app
        .post(
            "/api/v1/dossiers",
            Some("tok-tn"),
            json!({"receiving_agency": CENTRE}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["code"], "invalid");

    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/dossiers")
        .header("authorization", "Bearer tok-tn")
        .header("content-type", "application/json")
        .body(Body::from("{\"receiving_agency\": "))
        .unwrap();
    let (status, e) = app.raw(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["error"]["message"].as_str().unwrap().contains("JSON"));

    // A specialist is not a counter officer: no intake.
    let (status, _) = app
        .post("/api/v1/dossiers", Some("tok-cv"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.state.db.dossiers().count_dossiers(None).await.unwrap(),
        0
    );
}

#[tokio::test]
async fn the_workflow_by_http_with_roles_conflicts_and_lookup() {
    let app = TestApp::new().await;
    let d = intake(&app).await;
    let code = d["code"].as_str().unwrap().to_string();
    assert!(code.starts_with("000.01.01.H56-"), "{code}");
    assert_eq!(d["status"], "accepted");
    let id = d["id"].clone();

    // Another department cannot see it; the forward is refused for the specialist too.
    let (status, _) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-cvtc"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, e) = act(&app, "tok-cv", &d, json!({"action": "forward"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");

    let (status, d) = act(
        &app,
        "tok-tn",
        &d,
        json!({"action": "forward", "note": "Chuyển Sở Tư pháp"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "processing");
    // A stale version is a conflict.
    let mut stale = d.clone();
    stale["version"] = json!(1);
    let (status, e) = act(&app, "tok-cv", &stale, json!({"action": "forward"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(e["error"]["code"], "conflict");
    // Approval cannot be skipped to.
    let (status, e) = act(&app, "tok-cv", &d, json!({"action": "approve"})).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("rule"))
    );

    let (_, d) = act(
        &app,
        "tok-cv",
        &d,
        json!({"action": "appraise", "note": "Đủ điều kiện"}),
    )
    .await;
    let (_, d) = act(&app, "tok-cv", &d, json!({"action": "forward"})).await;
    let (_, d) = act(&app, "tok-tp", &d, json!({"action": "forward"})).await;
    let (status, d) = act(&app, "tok-gd", &d, json!({"action": "forward"})).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    // The last processing step is at the province people's committee.
    let (status, d) = act(&app, "tok-ct", &d, json!({"action": "approve"})).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "result_ready");
    let (status, e) = act(
        &app,
        "tok-tn",
        &d,
        json!({"action": "return", "method": "post"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["field"], "tracking");
    let (status, d) = act(
        &app,
        "tok-tn",
        &d,
        json!({"action": "return", "method": "in_person"}),
    )
    .await;
    assert_eq!(
        (status, d["status"].as_str()),
        (StatusCode::OK, Some("returned"))
    );

    let (status, history) = app
        .get(&format!("/api/v1/dossiers/{id}/history"), Some("tok-gd"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history.as_array().unwrap().len(), 8);
    assert_eq!(history[1]["note"], "Chuyển Sở Tư pháp");

    // The public lookup shows progress, never the applicant.
    let secret = d["lookup_secret"].as_str().unwrap();
    let (status, view) = app
        .get(&format!("/api/v1/lookup?code={code}&secret={secret}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["status"], 10);
    assert!(!view.to_string().contains("Nguyễn Thị Thu Hà"));
    assert!(!view.to_string().contains("038190012345"));
    let (status, _) = app
        .get(&format!("/api/v1/lookup?code={code}&secret=AAAAAAAA"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/v1/lookup?code=x", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn queues_are_scoped_to_the_callers_agencies() {
    let app = TestApp::new().await;
    for _ in 0..3 {
        intake(&app).await;
    }
    let (status, page) = app
        .get(
            "/api/v1/dossiers?agency=000.01.01.H56&status=accepted&limit=2",
            Some("tok-tn"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    let next = page["next"].as_str().unwrap();
    let (_, page2) = app
        .get(
            &format!("/api/v1/dossiers?agency=000.01.01.H56&status=accepted&after={next}"),
            Some("tok-tn"),
        )
        .await;
    assert_eq!(page2["items"].as_array().unwrap().len(), 1);
    assert!(page2["next"].is_null());
    // Not their agency.
    let (status, _) = app
        .get("/api/v1/dossiers?agency=000.01.01.H56", Some("tok-cvtc"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, e) = app
        .get(
            "/api/v1/dossiers?agency=000.01.01.H56&status=lost",
            Some("tok-tn"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["fields"][0]["field"], "status");
    let (status, page) = app
        .get("/api/v1/dossiers?assignee=me", Some("tok-cv"))
        .await;
    assert_eq!(
        (status, page["items"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );
}

#[tokio::test]
async fn malformed_ids_and_queries_get_the_json_error() {
    let app = TestApp::new().await;
    let (status, e) = app.get("/api/v1/dossiers/abc", Some("tok-tn")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(e["error"]["code"], "not_found");
    let (status, e) = app
        .get(
            "/api/v1/dossiers?agency=000.01.01.H56&limit=nhieu",
            Some("tok-tn"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["code"], "invalid");
}

#[tokio::test]
async fn malformed_bodies_are_named_in_vietnamese() {
    let app = TestApp::new().await;
    let mut body = lawyer_intake();
    body["applicant"].as_object_mut().unwrap().remove("name");
    body["channel"] = json!("fax");
    let (status, e) = app.post("/api/v1/dossiers", Some("tok-tn"), body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let said = e.to_string();
    assert!(
        !said.contains("Failed to deserialize") && !said.contains("expected"),
        "{said}"
    );
    assert!(
        said.contains("thiếu trường name") || said.contains("giá trị fax không hợp lệ"),
        "{said}"
    );
    let (status, e) = app
        .get(
            "/api/v1/dossiers?agency=000.01.01.H56&limit=nhieu",
            Some("tok-tn"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "limit", "{e}");
    assert_eq!(
        e["error"]["fields"][0]["message"], "tham số không hợp lệ: không phải một số",
        "{e}"
    );
    assert!(!e.to_string().contains("Failed to deserialize"), "{e}");
}

/// A database that cannot serve (here closed under the server) answers 503 with the code
/// "unavailable", so a client knows to try again later, never "internal" or "damaged".
#[tokio::test]
async fn a_database_that_cannot_serve_answers_503() {
    let app = TestApp::new().await;
    app.state.db.close().await;
    let (status, body) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    let page = get_page(&app, "/thu-tuc", None).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body
            .contains("Hệ thống tạm thời chưa lưu được dữ liệu"),
        "{}",
        page.body
    );
}
