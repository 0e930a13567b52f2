//! The national population database asked from the intake screen, against a loopback
//! server that answers as the province's proxy does (SOAP inside `{error_code, message}`)
//! and checks the request's shape on its own: a citizen found and agreeing, one whose name
//! disagrees, an unknown one, a lookup without a reason, an officer who takes nothing in; each
//! lookup audited with the officer and the reason.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

const KNOWN: &str = "038090012345";

fn soap(id: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>\
         <CongdanCollection xmlns=\"http://www.mic.gov.vn/dancu/1.0\"><CongDan>\
         <SoDinhDanh>{id}</SoDinhDanh><HoVaTen><Ho>Trần</Ho><ChuDem>Văn</ChuDem><Ten>Bình</Ten>\
         </HoVaTen><NgayThangNamSinh><NgayThangNam>19900512</NgayThangNam></NgayThangNamSinh>\
         <ThuongTru><ChiTiet>Số 5 Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa</ChiTiet></ThuongTru>\
         </CongDan></CongdanCollection></s:Body></s:Envelope>"
    )
}

/// The proxy: it answers a well-formed request (upper-case name without marks or spaces,
/// twelve-digit ID, `yyyyMMdd` birth date, the officer named) and keeps what it was asked.
async fn start_proxy() -> (String, Arc<Mutex<Vec<Value>>>) {
    let asked: Arc<Mutex<Vec<Value>>> = Arc::default();
    let seen = Arc::clone(&asked);
    let app = axum::Router::new().route(
        "/ChiaSeThongTinCongDan",
        axum::routing::post(move |body: String| {
            let seen = Arc::clone(&seen);
            async move {
                let Ok(q) = serde_json::from_str::<Value>(&body) else {
                    return axum::Json(json!({"error_code": "1", "message": "JSON?"}));
                };
                seen.lock().unwrap().push(q.clone());
                let name = q["HoVaTen"].as_str().unwrap_or_default();
                let formed = name.chars().all(|c| c.is_ascii_uppercase())
                    && q["SoDinhDanh"].as_str().is_some_and(|s| s.len() == 12)
                    && q["NgayThangNam"].as_str().is_some_and(|s| s.len() == 8)
                    && q["MaCanBo"].as_str().is_some_and(|s| !s.is_empty());
                if !formed {
                    return axum::Json(json!({"error_code": "2", "message": "Sai tham số"}));
                }
                let message = if q["SoDinhDanh"] == KNOWN {
                    soap(KNOWN)
                } else {
                    "<s:Envelope><s:Body/></s:Envelope>".to_string()
                };
                axum::Json(json!({"error_code": "0", "message": message}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/ChiaSeThongTinCongDan",
        listener.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, asked)
}

async fn ask(app: &TestApp, cookie: &str, csrf: &str, fields: &str) -> (StatusCode, Value) {
    let reply = post_form(
        app,
        "/can-bo/dan-cu",
        Some(cookie),
        &format!("csrf={csrf}&{fields}"),
    )
    .await;
    let body = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, body)
}

#[tokio::test]
async fn the_counter_checks_an_applicant_against_the_population_database() {
    let app = TestApp::new().await;
    let counter = staff_session(&app, "u.tn").await;
    // Not configured: nothing offered, nothing answered.
    let page = get_page(&app, "/can-bo/tiep-nhan?procedure=1.000828", Some(&counter)).await;
    assert!(!page.body.contains("data-population"));
    let csrf = csrf_of(&page.body);
    let (status, _) = ask(&app, &counter, &csrf, "id_number=038090012345").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (url, asked) = start_proxy().await;
    let adapter =
        motcua_web::population::Adapter::new(&url, None, "037", "VPCP", Duration::from_secs(5))
            .unwrap();
    app.state.population.set(adapter).unwrap();
    let page = get_page(&app, "/can-bo/tiep-nhan?procedure=1.000828", Some(&counter)).await;
    assert!(page.body.contains("data-population"), "{}", page.body);

    let form = |id: &str, name: &str, reason: &str| {
        format!(
            "id_number={id}&name={}&birth_date=1990-05-12&reason={}",
            encode(name),
            encode(reason)
        )
    };
    let (status, found) = ask(
        &app,
        &counter,
        &csrf,
        &form(KNOWN, "Trần Văn Bình", "Tiếp nhận hồ sơ"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["found"], true);
    assert_eq!(found["agrees"], true);
    assert!(
        found["citizen"]["permanent_address"]
            .as_str()
            .unwrap()
            .contains("Lê Lợi")
    );
    assert_eq!(asked.lock().unwrap()[0]["HoVaTen"], "TRANVANBINH");
    assert_eq!(asked.lock().unwrap()[0]["MaCanBo"], "u.tn");

    let (_, other) = ask(
        &app,
        &counter,
        &csrf,
        &form(KNOWN, "Trần Văn An", "Tiếp nhận hồ sơ"),
    )
    .await;
    assert_eq!(
        (other["found"].clone(), other["agrees"].clone()),
        (json!(true), json!(false))
    );
    let (_, unknown) = ask(
        &app,
        &counter,
        &csrf,
        &form("038090099999", "Lê Thị Hoa", "Tiếp nhận hồ sơ"),
    )
    .await;
    assert_eq!(unknown["found"], false);

    // Refused by name: no reason, a bad ID number; an officer who takes nothing in.
    let (status, e) = ask(&app, &counter, &csrf, &form(KNOWN, "Trần Văn Bình", "")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["field"], "reason");
    let (status, e) = ask(&app, &counter, &csrf, &form("12345", "A", "x")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["field"], "id_number");
    let specialist = staff_session(&app, "u.cv").await;
    let page = get_page(&app, "/can-bo", Some(&specialist)).await;
    let (status, _) = ask(
        &app,
        &specialist,
        &csrf_of(&page.body),
        &form(KNOWN, "Trần Văn Bình", "Xem"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Every lookup that reached the database is in the audit chain, with officer and reason.
    let audit = app
        .state
        .db
        .audit()
        .audit_of("citizen", KNOWN)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(audit.iter().all(|e| e.action == "population_lookup"
        && e.actor.starts_with("staff:")
        && e.detail.contains("Tiếp nhận hồ sơ")));
    assert_eq!(asked.lock().unwrap().len(), 3);
}
