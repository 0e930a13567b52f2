//! Online payment against a loopback gateway that speaks VNPay 2.1.0 on its own
//! (`tests/vnpay/gateway.py`: Python's hmac and urllib, not motcua's code): the payment URL's
//! checksum is checked by the gateway, which pays and calls the IPN; the IPN settles the
//! payment and the dossier's obligation once; a replay is "already confirmed", a forged
//! checksum 97, another amount 04, an unknown order 01; the return page settles nothing; a
//! declined payment leaves the debt; a payment whose IPN never came is recovered by querydr.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::*;

const SECRET: &str = "bi-mat-cua-cong-thanh-toan-thu-nghiem";
const TMN: &str = "MOTCUA01";

struct Gateway {
    url: String,
    child: Child,
    http: reqwest::Client,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Gateway {
    async fn mode(&self, mode: &str) {
        self.http
            .post(format!("{}/control/mode", self.url))
            .body(mode.to_string())
            .send()
            .await
            .unwrap();
    }

    /// Has the gateway send an IPN as `ask` says; motcua's reply.
    async fn ipn(&self, ask: Value) -> Value {
        let reply = self
            .http
            .post(format!("{}/control/ipn", self.url))
            .body(ask.to_string())
            .send()
            .await
            .unwrap();
        serde_json::from_str(&reply.text().await.unwrap()).unwrap()
    }

    async fn ipn_log(&self) -> Vec<Value> {
        let reply = self
            .http
            .get(format!("{}/control/ipn-log", self.url))
            .send()
            .await
            .unwrap();
        serde_json::from_str(&reply.text().await.unwrap()).unwrap()
    }
}

/// motcua served on loopback (the gateway must reach its IPN), with the gateway started
/// against it and configured.
async fn served() -> Option<(TestApp, Gateway, String)> {
    if Command::new("python3").arg("--version").output().is_err() {
        assert!(
            std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_TOOLS=1 but python3 is missing"
        );
        eprintln!("skipped: python3 is not installed");
        return None;
    }
    let app = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vnpay/gateway.py");
    let port_file = std::env::temp_dir().join(format!(
        "motcua-vnpay-{}",
        motcua_db::random_token(6).unwrap()
    ));
    let child = Command::new("python3")
        .arg(&script)
        .arg(&port_file)
        .args([TMN, SECRET])
        .arg(format!("{base}/thanh-toan/vnpay/ipn"))
        .spawn()
        .unwrap();
    let started = Instant::now();
    let port = loop {
        if let Ok(text) = std::fs::read_to_string(&port_file) {
            break text.trim().to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the gateway did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let url = format!("http://127.0.0.1:{port}");
    let vnpay = motcua_web::payment::vnpay::Vnpay::new(
        &format!("{url}/paymentv2/vpcpay.html"),
        TMN,
        SECRET,
        Some(&format!("{url}/merchant_webapi/api/transaction")),
        Duration::from_secs(10),
    )
    .unwrap();
    app.state
        .payments
        .set(motcua_web::payment::Gateways { vnpay: Some(vnpay) })
        .unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Some((app, Gateway { url, child, http }, base))
}

/// A dossier at the Sở Tư pháp waiting for a financial obligation of `amount` đồng.
pub(crate) async fn awaiting_payment(app: &TestApp, amount: i64) -> Value {
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let d = app.act("tok-tn", &d, json!({"action": "forward"})).await;
    let d = app
        .act(
            "tok-cv",
            &d,
            json!({"action": "request_payment", "amount_vnd": amount, "note": "Lệ phí cấp chứng chỉ"}),
        )
        .await;
    assert_eq!(d["status"], "awaiting_payment");
    d
}

/// Opens a payment through the served API as `token` and has the payer's browser go to
/// the gateway: the payment, and where the gateway sends the browser back.
async fn pay(gateway: &Gateway, base: &str, token: &str, id: &Value) -> (Value, String) {
    let reply = gateway
        .http
        .post(format!("{base}/api/v1/dossiers/{id}/payments"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);
    let opened: Value = serde_json::from_str(&reply.text().await.unwrap()).unwrap();
    let url = opened["payment_url"].as_str().unwrap();
    assert!(url.starts_with(&gateway.url), "{url}");
    let reply = gateway.http.get(url).send().await.unwrap();
    assert_eq!(
        reply.status(),
        StatusCode::FOUND,
        "{:?}",
        reply.text().await
    );
    let back = reply.headers()["location"].to_str().unwrap().to_string();
    (opened, back)
}

async fn payments_of(app: &TestApp, id: &Value) -> Value {
    let (status, list) = app
        .get(&format!("/api/v1/dossiers/{id}/payments"), Some("tok-cv"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list
}

#[tokio::test]
async fn paid_through_the_gateway_and_settled_once_by_its_ipn() {
    let Some((app, gateway, base)) = served().await else {
        return;
    };
    let d = awaiting_payment(&app, 500_000).await;
    let id = d["id"].clone();
    let list = payments_of(&app, &id).await;
    assert_eq!(list["owed"]["total_vnd"], 500_000);

    // Declined: recorded as failed, still owed.
    gateway.mode("decline").await;
    let (declined, _) = pay(&gateway, &base, "tok-cv", &id).await;
    let log = gateway.ipn_log().await;
    assert_eq!(log.last().unwrap()["reply"]["RspCode"], "00", "{log:?}");
    let list = payments_of(&app, &id).await;
    assert_eq!(list["items"][0]["state"], "failed", "{list}");
    assert_eq!(list["items"][0]["reference"], declined["reference"]);
    assert_eq!(list["owed"]["total_vnd"], 500_000);

    // Paid: the gateway's IPN settles it and the obligation; the dossier goes on.
    gateway.mode("pay").await;
    let (opened, back) = pay(&gateway, &base, "tok-cv", &id).await;
    assert_eq!(opened["amount_vnd"], 500_000);
    let log = gateway.ipn_log().await;
    let last = log.last().unwrap();
    assert_eq!(last["reference"], opened["reference"]);
    assert_eq!(last["reply"]["RspCode"], "00", "{log:?}");
    let list = payments_of(&app, &id).await;
    let paid = &list["items"][1];
    assert_eq!(paid["state"], "paid", "{list}");
    assert!(paid["gateway_txn"].as_str().is_some());
    assert_eq!(paid["bank_code"], "NCB");
    assert_eq!(list["owed"]["total_vnd"], 0);
    let (_, after) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-cv"))
        .await;
    assert_eq!(after["status"], "processing", "{after}");
    let (_, history) = app
        .get(&format!("/api/v1/dossiers/{id}/history"), Some("tok-cv"))
        .await;
    let confirm = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["action"] == "confirm_payment")
        .unwrap_or_else(|| panic!("{history}"));
    assert_eq!(confirm["actor_kind"], "gateway");

    // Its e-receipt: numbered 1 in the department's series of the year, for the obligation,
    // printed with its total in words; unsigned until the department has a key, then signed
    // with it. Another department's staff cannot have it.
    let receipt = &list["receipts"][0];
    assert_eq!(receipt["payment_id"], paid["id"], "{list}");
    assert_eq!(receipt["number"], 1);
    assert_eq!(receipt["total_vnd"], 500_000);
    assert_eq!(receipt["lines"][0]["name"], "Nghĩa vụ tài chính");
    let receipt_path = format!("/api/v1/dossiers/{id}/receipts/{}", receipt["id"]);
    let fetch = |token: &'static str| {
        let path = receipt_path.clone();
        let app = &app;
        async move {
            let request = axum::http::Request::builder()
                .uri(&path)
                .header("host", "motcua.test")
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap();
            send(app, request).await
        }
    };
    let unsigned = fetch("tok-cv").await;
    assert_eq!(unsigned.status, StatusCode::OK);
    assert_eq!(unsigned.headers["content-type"], "application/pdf");
    assert_eq!(unsigned.headers["x-motcua-signature"], "none");
    assert_eq!(fetch("tok-cvtc").await.status, StatusCode::NOT_FOUND);
    let justice = app
        .state
        .db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    let now = app.state.now();
    motcua_web::signing::create_demo_key(
        &app.state.db,
        &justice,
        "test",
        now - chrono::Duration::days(1),
        now,
    )
    .await
    .unwrap();
    let signed = fetch("tok-cv").await;
    assert_eq!(signed.headers["x-motcua-signature"], "signed");
    if let Some(text) = poppler("pdftotext", &[], &signed.bytes, &["-"]) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            &format!("Ký hiệu: {}", receipt["symbol"].as_str().unwrap()),
            "Số: 0000001",
            "Sở Tư pháp",
            "Nghĩa vụ tài chính",
            "Tổng cộng: 500.000 đồng",
            "Năm trăm nghìn đồng",
            "Thanh toán trực tuyến",
            after["code"].as_str().unwrap(),
        ] {
            assert!(flat.contains(expected), "missing “{expected}” in {flat}");
        }
    }
    if let Some(report) = pdfsig(&signed.bytes) {
        assert!(report.contains("Signature is Valid."), "{report}");
        assert!(report.contains("Sở Tư pháp"), "{report}");
    }

    // The same IPN again: already confirmed, nothing changes.
    let reference = opened["reference"].as_str().unwrap();
    let again = gateway
        .ipn(json!({"reference": reference, "replay": true}))
        .await;
    assert_eq!(again["RspCode"], "02", "{again}");
    let (_, still) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-cv"))
        .await;
    assert_eq!(still["version"], after["version"]);

    // The browser's return shows what is recorded, on motcua's own page.
    assert!(
        back.starts_with(&format!("{base}/thanh-toan/vnpay/ket-qua?")),
        "{back}"
    );
    let page = gateway.http.get(&back).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Cổng thanh toán báo giao dịch thành công"),
        "{html}"
    );
    assert!(html.contains("Đã thanh toán"), "{html}");
    // A return whose checksum was tampered with is not believed.
    let tampered = back.replace("vnp_ResponseCode=00", "vnp_ResponseCode=01");
    let page = gateway.http.get(&tampered).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);

    // Nothing is left to pay.
    let (status, e) = app
        .post(
            &format!("/api/v1/dossiers/{id}/payments"),
            Some("tok-cv"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // Another department's staff cannot see the payments.
    let (status, _) = app
        .get(&format!("/api/v1/dossiers/{id}/payments"), Some("tok-cvtc"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The national portal hears of the fee and that it was paid online.
    let (portal_url, portal) = crate::portal_sync::start_portal().await;
    let sync = crate::portal_sync::sync(&app, &portal_url);
    crate::portal_sync::drain(&sync, 10).await;
    {
        let code = after["code"].as_str().unwrap();
        let s = portal.lock().unwrap();
        let record = &s.records[code];
        assert_eq!(record["DuocThanhToanTrucTuyen"], 1, "{record}");
        assert_eq!(
            record["DanhSachLePhi"],
            json!([{"TenPhiLePhi": "Nghĩa vụ tài chính", "Gia": 500_000}]),
            "{record}"
        );
    }

    // Every call the gateway made is logged with its answer.
    let calls = app.state.db.payments().callbacks(reference).await.unwrap();
    let kinds: Vec<&str> = calls.iter().map(|(k, _, _)| k.as_str()).collect();
    assert_eq!(kinds, ["ipn", "ipn", "return", "return"], "{calls:?}");
}

#[tokio::test]
async fn forged_wrong_and_lost_ipns() {
    let Some((app, gateway, base)) = served().await else {
        return;
    };
    let d = awaiting_payment(&app, 250_000).await;
    let id = d["id"].clone();

    // The gateway takes the money but its IPN never comes.
    gateway.mode("silent").await;
    let (opened, back) = pay(&gateway, &base, "tok-cv", &id).await;
    let reference = opened["reference"].as_str().unwrap();
    assert!(gateway.ipn_log().await.is_empty());
    // The browser's return alone settles nothing.
    let html = gateway
        .http
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Đang chờ xác nhận"), "{html}");
    assert_eq!(payments_of(&app, &id).await["items"][0]["state"], "pending");

    // Another amount (signed properly), a forged checksum, an unknown order: refused.
    let wrong = gateway
        .ipn(json!({"reference": reference, "amount": 100}))
        .await;
    assert_eq!(wrong["RspCode"], "04", "{wrong}");
    let forged = gateway
        .ipn(json!({"reference": reference, "forge": true}))
        .await;
    assert_eq!(forged["RspCode"], "97", "{forged}");
    let unknown = gateway
        .ipn(json!({"reference": "000.01.01.H56-260101-9999-XXXXXX"}))
        .await;
    assert_eq!(unknown["RspCode"], "01", "{unknown}");
    // Straight to the IPN with no checksum at all.
    let bare = gateway
        .http
        .get(format!(
            "{base}/thanh-toan/vnpay/ipn?vnp_TxnRef={reference}&vnp_Amount=25000000&vnp_ResponseCode=00"
        ))
        .send()
        .await
        .unwrap();
    let bare: Value = serde_json::from_str(&bare.text().await.unwrap()).unwrap();
    assert_eq!(bare["RspCode"], "97");
    // A flood of such calls is answered, and logged only up to a limit per address.
    for _ in 0..70 {
        let reply = gateway
            .http
            .get(format!(
                "{base}/thanh-toan/vnpay/ipn?vnp_TxnRef={reference}&vnp_Amount=25000000&vnp_ResponseCode=00&vnp_SecureHash=00"
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
    }
    let logged = app.state.db.payments().callbacks(reference).await.unwrap();
    assert!(
        (50..=62).contains(&logged.len()),
        "{} calls logged",
        logged.len()
    );
    assert_eq!(payments_of(&app, &id).await["items"][0]["state"], "pending");
    let (_, waiting) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-cv"))
        .await;
    assert_eq!(waiting["status"], "awaiting_payment");

    // Reconciliation (`motcua payments reconcile`) asks the gateway (querydr) and settles
    // what it proves. Without the API address it says what is missing.
    let day = app.state.now().format("%Y-%m-%d").to_string();
    let files = app.files_dir.display().to_string();
    let base_args = vec![
        "--database".to_string(),
        app.url.clone(),
        "--files".into(),
        files,
        "payments".into(),
        "reconcile".into(),
        "--date".into(),
        day,
        "--vnpay-url".into(),
        format!("{}/paymentv2/vpcpay.html", gateway.url),
        "--vnpay-tmn-code".into(),
        TMN.into(),
        "--vnpay-secret".into(),
        SECRET.into(),
    ];
    let args = base_args.clone();
    let (ok, _, err) = tokio::task::spawn_blocking(move || crate::process::motcua(&args))
        .await
        .unwrap();
    assert!(!ok);
    assert!(err.contains("--vnpay-api-url"), "{err}");
    let mut args = base_args.clone();
    args.extend([
        "--vnpay-api-url".to_string(),
        format!("{}/merchant_webapi/api/transaction", gateway.url),
    ]);
    let (ok, out, err) = tokio::task::spawn_blocking(move || crate::process::motcua(&args))
        .await
        .unwrap();
    assert!(ok, "{err}");
    assert!(
        out.contains(reference) && out.contains("250.000 đồng") && out.contains("paid"),
        "{out}"
    );
    let list = payments_of(&app, &id).await;
    assert_eq!(list["items"][0]["state"], "paid", "{list}");
    let (_, after) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-cv"))
        .await;
    assert_eq!(after["status"], "processing");
    // Asked again, nothing is pending.
    let now = app.state.now().timestamp();
    let found = motcua_web::payment::reconcile(&app.state, now - 3600, now + 60)
        .await
        .unwrap();
    assert!(found.is_empty(), "{found:?}");
    // The late IPN is then "already confirmed".
    let late = gateway.ipn(json!({"reference": reference})).await;
    assert_eq!(late["RspCode"], "02", "{late}");
}

#[tokio::test]
async fn the_owner_pays_from_the_dossier_page() {
    let Some((app, gateway, _)) = served().await else {
        return;
    };
    // A citizen files online; the counter accepts and forwards; the department asks for
    // the obligation.
    let (status, opened) = app
        .post(
            "/api/v1/me/account",
            None,
            json!({"full_name": "Nguyễn Thị Thu Hà", "phone": "0912345678",
                   "password": "mat-khau-cong-dan"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let token = opened["token"].as_str().unwrap().to_string();
    let cookie = format!("motcua_citizen={token}");
    let mut filing = lawyer_intake();
    for key in ["channel", "components"] {
        filing.as_object_mut().unwrap().remove(key);
    }
    filing["return_method"] = json!("online");
    let body = filing.to_string();
    let pdf: &[u8] = b"%PDF-1.4\n% to khai\n";
    let files: Vec<(&str, &str, &[u8])> = ["tp-01", "tp-02", "tp-03", "tp-04"]
        .iter()
        .map(|c| (*c, "giay-to.pdf", pdf))
        .collect();
    let (content_type, multipart_body) = multipart(&[("body", &body)], &files);
    let (status, d) = app
        .raw(
            axum::http::Request::builder()
                .method("POST")
                .uri("/api/v1/me/dossiers")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", content_type)
                .body(axum::body::Body::from(multipart_body))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].clone();
    let (_, staff) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-tn"))
        .await;
    let staff = app.act("tok-tn", &staff, json!({"action": "accept"})).await;
    let staff = app
        .act("tok-tn", &staff, json!({"action": "forward"}))
        .await;
    app.act(
        "tok-cv",
        &staff,
        json!({"action": "request_payment", "amount_vnd": 300_000}),
    )
    .await;

    // The owner's API view and page show what is owed, the page the button.
    let (_, mine) = app
        .get(&format!("/api/v1/me/dossiers/{id}"), Some(&token))
        .await;
    assert_eq!(mine["owed_vnd"], 300_000, "{mine}");
    let page = get_page(&app, &format!("/cong-dan/ho-so/{id}"), Some(&cookie)).await;
    assert!(page.body.contains("300.000 đồng"), "{}", page.body);
    assert!(
        page.body.contains("Ba trăm nghìn đồng"),
        "the amount in words: {}",
        page.body
    );
    assert!(page.body.contains("/thanh-toan\""), "{}", page.body);
    let csrf = csrf_of(&page.body);
    // Without the form's token: refused. Another citizen: not found.
    let forged = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/thanh-toan"),
        Some(&cookie),
        "csrf=forged",
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let sent = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/thanh-toan"),
        Some(&cookie),
        &format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let to = leaving_to(&sent.body).unwrap_or_else(|| panic!("{}", sent.body));
    assert!(to.starts_with(&gateway.url), "{to}");
    let paid = gateway.http.get(&to).send().await.unwrap();
    assert_eq!(paid.status(), StatusCode::FOUND);

    // Settled by the IPN: the page says so and nothing more is owed.
    let page = get_page(&app, &format!("/cong-dan/ho-so/{id}"), Some(&cookie)).await;
    assert!(page.body.contains("Đã thanh toán"), "{}", page.body);
    assert!(
        page.body.contains("Không còn khoản nào phải nộp"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"pay\""));
    // The citizen's bearer token reads the same through the API.
    let (status, list) = app
        .get(&format!("/api/v1/dossiers/{id}/payments"), Some(&token))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["items"][0]["state"], "paid");
    assert_eq!(list["owed"]["total_vnd"], 0);
}
