//! Online payment in headless chromium: the demo citizen's dossier waits for a fee, the
//! citizen signs in, pays from the dossier page through a loopback VNPay gateway (written
//! apart, in Python), comes back to motcua's result page, and the dossier no longer owes
//! anything. Without chromium or python3 the test says it was skipped.

use std::io::{Read, Write};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::multipart;
use crate::e2e::cdp::{Browser, chromium_or_skip};
use crate::e2e::server::{DemoServer, PASSWORD};

const SECRET: &str = "bi-mat-cua-cong-thanh-toan-thu-nghiem";
const TMN: &str = "MOTCUA01";

/// One HTTP/1.1 exchange: the status and the body.
fn http(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> (u16, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).unwrap();
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

/// A transition through the staff API.
fn act(server: &DemoServer, token: &str, id: i64, action: Value) -> Value {
    let auth = ("authorization", format!("Bearer {token}"));
    let (_, d) = http(
        &server.base,
        "GET",
        &format!("/api/v1/dossiers/{id}"),
        std::slice::from_ref(&auth),
        b"",
    );
    let mut body = action;
    body["expected_version"] = json_of(&d)["version"].clone();
    let (status, d) = http(
        &server.base,
        "POST",
        &format!("/api/v1/dossiers/{id}/transitions"),
        &[auth, ("content-type", "application/json".into())],
        body.to_string().as_bytes(),
    );
    assert_eq!(status, 200, "{d}");
    json_of(&d)
}

struct Gateway(Child);

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_citizen_pays_from_the_dossier_page() {
    let Some(chromium) = chromium_or_skip("a_citizen_pays_from_the_dossier_page") else {
        return;
    };
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: python3 is not installed");
        return;
    }
    // The gateway must know motcua's IPN address, and motcua the gateway's.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let port_file = std::env::temp_dir().join(format!(
        "motcua-vnpay-{}",
        motcua_db::random_token(6).unwrap()
    ));
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vnpay/gateway.py");
    let _gateway = Gateway(
        Command::new("python3")
            .arg(&script)
            .arg(&port_file)
            .args([TMN, SECRET])
            .arg(format!("http://127.0.0.1:{port}/thanh-toan/vnpay/ipn"))
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    let gateway_port = loop {
        if let Ok(text) = std::fs::read_to_string(&port_file) {
            break text.trim().to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the gateway did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let gateway_url = format!("http://127.0.0.1:{gateway_port}/paymentv2/vpcpay.html");
    let server = DemoServer::start_with(
        20,
        port,
        &[
            "--vnpay-url",
            &gateway_url,
            "--vnpay-tmn-code",
            TMN,
            "--vnpay-secret",
            SECRET,
        ],
    );

    // The demo citizen files a company dissolution online (its one required paper); the
    // centre accepts and forwards it; the department asks for a fee of 150,000 đồng.
    let (status, opened) = http(
        &server.base,
        "POST",
        "/api/v1/me/session",
        &[("content-type", "application/json".into())],
        json!({"login": motcua::demo::DEMO_CITIZEN_PHONE, "password": PASSWORD})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 201, "{opened}");
    let token = json_of(&opened)["token"].as_str().unwrap().to_string();
    let filing = json!({
        "procedure_code": "2.002023",
        "case_code": "th-01",
        "receiving_agency": "000.01.01.H56",
        "applicant": {"kind": "person", "name": motcua::demo::DEMO_CITIZEN_NAME,
                      "id_number": "038190012345", "phone": motcua::demo::DEMO_CITIZEN_PHONE,
                      "notify": ["sms"]}
    });
    let pdf: &[u8] = b"%PDF-1.4\n% quyet dinh giai the\n";
    let (content_type, body) = multipart(
        &[("body", &filing.to_string())],
        &[("tp-05", "quyet-dinh-giai-the.pdf", pdf)],
    );
    let (status, d) = http(
        &server.base,
        "POST",
        "/api/v1/me/dossiers",
        &[
            ("authorization", format!("Bearer {token}")),
            ("content-type", content_type),
        ],
        &body,
    );
    assert_eq!(status, 201, "{d}");
    let id = json_of(&d)["id"].as_i64().unwrap();
    act(
        &server,
        "demo-tn.trungtam1",
        id,
        json!({"action": "accept"}),
    );
    act(
        &server,
        "demo-tn.trungtam1",
        id,
        json!({"action": "forward"}),
    );
    let d = act(
        &server,
        "demo-cv.taichinh",
        id,
        json!({"action": "request_payment", "amount_vnd": 150_000, "note": "Lệ phí"}),
    );
    assert_eq!(d["status"], "awaiting_payment");

    // In the browser: sign in, open the dossier, pay.
    let mut b = Browser::launch(chromium);
    b.goto(&server.url("/cong-dan/dang-nhap"));
    b.fill("#identifier", motcua::demo::DEMO_CITIZEN_PHONE);
    b.fill("#password", PASSWORD);
    b.click_and_wait("form.lookup button[type=submit]");
    b.goto(&server.url(&format!("/cong-dan/ho-so/{id}")));
    let page = b.body_text();
    assert!(
        page.contains("Còn phải nộp") && page.contains("150.000 đồng"),
        "{page}"
    );
    b.screenshot("payment-owed");
    b.click_and_wait("#pay button[type=submit]");
    // A page of motcua's moves on to the gateway, which pays, tells motcua by its IPN and
    // sends the browser back.
    b.wait_until(
        "location.href.includes('/thanh-toan/vnpay/ket-qua')",
        "the gateway's return",
    );
    let back = b.url();
    assert!(back.contains("/thanh-toan/vnpay/ket-qua?"), "{back}");
    let result = b.body_text();
    assert!(
        result.contains("Cổng thanh toán báo giao dịch thành công"),
        "{result}"
    );
    assert!(result.contains("Đã thanh toán"), "{result}");
    b.screenshot("payment-result");
    b.goto(&server.url(&format!("/cong-dan/ho-so/{id}")));
    let page = b.body_text();
    assert!(page.contains("Không còn khoản nào phải nộp"), "{page}");
    assert!(!b.exists("#pay"));
    // The e-receipt, from its link on the citizen's page: the department's numbered
    // receipt for the 150,000 đồng, in figures and in words.
    let href =
        b.eval("document.querySelector('a[href*=\"/bien-lai/\"]')?.getAttribute('href') ?? ''");
    let href = href.as_str().unwrap_or_default().to_string();
    assert!(
        href.starts_with(&format!("/cong-dan/ho-so/{id}/bien-lai/")),
        "no receipt link: {page}"
    );
    assert!(page.contains("Biên lai TH-"), "{page}");
    if let Some((signature, text)) = crate::browser_flows::print_form(&mut b, &href) {
        assert_ne!(signature, "failed");
        for expected in [
            "BIÊN LAI THU PHÍ, LỆ PHÍ",
            "Ký hiệu: TH-",
            "Sở Tài chính",
            "Tổng cộng: 150.000 đồng",
            "Một trăm năm mươi nghìn đồng",
            motcua::demo::DEMO_CITIZEN_NAME,
        ] {
            assert!(text.contains(expected), "missing “{expected}” in {text}");
        }
    }
    let (_, after) = http(
        &server.base,
        "GET",
        &format!("/api/v1/dossiers/{id}"),
        &[("authorization", "Bearer demo-cv.taichinh".into())],
        b"",
    );
    assert_eq!(json_of(&after)["status"], "processing");
}
