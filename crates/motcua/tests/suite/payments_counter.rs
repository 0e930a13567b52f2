//! Payments taken at the counter: recorded by an officer of the agency holding the dossier
//! with the paper receipt's number, the awaited obligation confirmed in the same step, once:
//! a second recording on the same view is a conflict, a missing receipt number is named,
//! and officers elsewhere get no form.

use axum::http::StatusCode;
use serde_json::Value;

use crate::common::*;
use crate::payments_vnpay::awaiting_payment;

async fn record(app: &TestApp, cookie: &str, id: &Value, form: &str) -> Reply {
    let page = get_page(app, &format!("/can-bo/ho-so/{id}"), Some(cookie)).await;
    let csrf = csrf_of(&page.body);
    post_form(
        app,
        &format!("/can-bo/ho-so/{id}/thu-phi"),
        Some(cookie),
        &format!("csrf={csrf}&{form}"),
    )
    .await
}

#[tokio::test]
async fn a_counter_payment_is_recorded_once_with_its_receipt() {
    let app = TestApp::new().await;
    let d = awaiting_payment(&app, 500_000).await;
    let id = d["id"].clone();
    let version = d["version"].as_i64().unwrap();
    let cv = staff_session(&app, "u.cv").await;

    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&cv)).await;
    assert!(page.body.contains("500.000 đồng"), "{}", page.body);
    assert!(page.body.contains("id=\"counter-payment\""));

    // A missing receipt number is named; nothing recorded.
    let bad = record(
        &app,
        &cv,
        &id,
        &format!("version={version}&method=cash&receipt_no="),
    )
    .await;
    assert!(bad.body.contains("số biên lai"), "{}", bad.body);
    // On an older view: a conflict.
    let stale = record(
        &app,
        &cv,
        &id,
        &format!("version={}&method=cash&receipt_no=BL-0001", version - 1),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        app.state
            .db
            .payments()
            .of_dossier(id.as_i64().unwrap())
            .await
            .unwrap()
            .is_empty()
    );

    let done = record(
        &app,
        &cv,
        &id,
        &format!("version={version}&method=transfer&receipt_no=BL-0001"),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let (_, after) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-cv"))
        .await;
    assert_eq!(after["status"], "processing");
    let (_, list) = app
        .get(&format!("/api/v1/dossiers/{id}/payments"), Some("tok-cv"))
        .await;
    let paid = &list["items"][0];
    assert_eq!(paid["method"], "transfer", "{list}");
    assert_eq!(paid["state"], "paid");
    assert_eq!(paid["receipt_no"], "BL-0001");
    assert_eq!(paid["gateway"], "counter");
    assert_eq!(paid["amount_vnd"], 500_000);
    assert_eq!(list["owed"]["total_vnd"], 0);
    let (_, history) = app
        .get(&format!("/api/v1/dossiers/{id}/history"), Some("tok-cv"))
        .await;
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["action"] == "confirm_payment" && h["actor_kind"] == "staff"),
        "{history}"
    );

    // The same form sent again: a conflict, no second payment.
    let again = record(
        &app,
        &cv,
        &id,
        &format!("version={version}&method=cash&receipt_no=BL-0002"),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let (_, list) = app
        .get(&format!("/api/v1/dossiers/{id}/payments"), Some("tok-cv"))
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&cv)).await;
    assert!(page.body.contains("BL-0001"));
    assert!(!page.body.contains("id=\"counter-payment\""));
    // The e-receipt is linked from the page and prints the transfer and its paper number.
    let rid = list["receipts"][0]["id"].as_i64().unwrap();
    let link = format!("/can-bo/ho-so/{id}/bien-lai/{rid}");
    assert!(page.body.contains(&link), "{}", page.body);
    let pdf = get_page(&app, &link, Some(&cv)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF"));
    if let Some(text) = poppler("pdftotext", &[], &pdf.bytes, &["-"]) {
        assert!(text.contains("Chuyển khoản"), "{text}");
        assert!(text.contains("BL-0001"), "{text}");
    }
    let elsewhere = staff_session(&app, "u.cvtc").await;
    let hidden = get_page(&app, &link, Some(&elsewhere)).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let wrong = get_page(&app, &format!("/can-bo/ho-so/{id}/bien-lai/abc"), Some(&cv)).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    // The day's reconciliation: the department that collected it sees it, another does not.
    let today = app.state.now().date_naive().to_string();
    let (status, day) = app
        .get(
            &format!("/api/v1/payments/reconciliation?date={today}"),
            Some("tok-cv"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{day}");
    assert_eq!(day["paid"], serde_json::json!([1, 500_000]), "{day}");
    let line = &day["lines"][0];
    assert_eq!(line["agency"], "Sở Tư pháp");
    assert_eq!(
        (line["gateway"].as_str(), line["method"].as_str()),
        (Some("counter"), Some("transfer"))
    );
    let (_, other) = app
        .get(
            &format!("/api/v1/payments/reconciliation?date={today}"),
            Some("tok-cvtc"),
        )
        .await;
    assert_eq!(other["lines"], serde_json::json!([]), "{other}");
    let (status, e) = app
        .get(
            "/api/v1/payments/reconciliation?date=03-12-2026",
            Some("tok-cv"),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    let page = get_page(&app, &format!("/can-bo/thanh-toan?ngay={today}"), Some(&cv)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Sở Tư pháp") && page.body.contains("500.000 đồng"),
        "{}",
        page.body
    );
    let excel = get_page(
        &app,
        &format!("/can-bo/thanh-toan/excel?ngay={today}"),
        Some(&cv),
    )
    .await;
    assert_eq!(excel.status, StatusCode::OK);
    assert!(excel.bytes.starts_with(b"PK"), "an xlsx is a zip");
}

#[tokio::test]
async fn officers_elsewhere_cannot_record() {
    let app = TestApp::new().await;
    let d = awaiting_payment(&app, 200_000).await;
    let id = d["id"].clone();
    let version = d["version"].as_i64().unwrap();
    // The centre's counter officer sees the dossier (it received it) but it is held by the
    // department: no form, and a forged post is refused.
    let tn = staff_session(&app, "u.tn").await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&tn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("200.000 đồng"));
    assert!(!page.body.contains("id=\"counter-payment\""));
    let refused = record(
        &app,
        &tn,
        &id,
        &format!("version={version}&method=cash&receipt_no=BL-9"),
    )
    .await;
    assert!(
        refused.body.contains("cơ quan đang giữ hồ sơ"),
        "{}",
        refused.body
    );
    // Another department does not see it at all.
    let other = staff_session(&app, "u.cvtc").await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&other)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        app.state
            .db
            .payments()
            .of_dossier(id.as_i64().unwrap())
            .await
            .unwrap()
            .is_empty()
    );
}
