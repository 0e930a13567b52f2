//! Dossiers filed on the national portal and pushed to motcua: signed with the shared secret
//! (the signature made here by `openssl dgst -hmac`, not by motcua's code), from an allowed
//! address; each portal code makes one online dossier awaiting acceptance, with its files;
//! a repeat, a forged or stale signature, a foreign address and a bad body are answered by
//! name and create nothing.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

const SECRET: &str = "bi-mat-chung-cua-cong-2026";

/// `HMAC-SHA256(secret, "<ts>.<body>")` in hex, by OpenSSL; `None` without it.
pub(crate) fn openssl_hmac(secret: &str, ts: i64, body: &str) -> Option<String> {
    let child = Command::new("openssl")
        .args(["dgst", "-sha256", "-hmac", secret])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        assert!(
            std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_TOOLS=1 but openssl is missing"
        );
        return None;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{ts}.{body}").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // "SHA2-256(stdin)= 3f…"
    Some(text.rsplit(' ').next().unwrap().trim().to_string())
}

async fn push(
    app: &TestApp,
    body: &str,
    ts: i64,
    signature: &str,
    from: &str,
) -> (StatusCode, Value) {
    push_to(app, "/api/v1/dvcqg/ho-so", body, ts, signature, from).await
}

fn dossier_body(portal_code: &str) -> String {
    let pdf = data_encoding_base64(b"%PDF-1.7\n% Don de nghi cap chung chi hanh nghe\n%%EOF\n");
    json!({
        "MaHoSoQG": portal_code,
        "MaTTHC": "1.000828",
        "DonVi": CENTRE,
        "ChuHoSo": "Trần Văn Bình",
        "LoaiDoiTuong": 1,
        "SoGiayToChuHoSo": "038090012345",
        "SoDienThoai": "0912345678",
        "Email": "binh@example.vn",
        "TrichYeuHoSo": "Cấp chứng chỉ hành nghề luật sư",
        "TaiKhoanDuocXacThucVoiVNeID": "1",
        "ThanhPhanHoSo": [
            {"MaThanhPhanHoSo": "tp-01", "SoBanChinh": 1,
             "TepDinhKem": [{"TenTep": "don-de-nghi.pdf", "Base64": pdf}]},
            {"MaThanhPhanHoSo": "tp-02", "SoBanSao": 1},
            {"MaThanhPhanHoSo": "tp-03", "SoBanChinh": 1},
            {"MaThanhPhanHoSo": "tp-04", "SoBanChinh": 1}
        ]
    })
    .to_string()
}

/// Standard base64, written out here so the test does not lean on the code it checks.
fn data_encoding_base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[tokio::test]
async fn a_dossier_filed_on_the_portal_arrives_once_and_only_from_the_portal() {
    let app = TestApp::with_security(motcua_web::SecuritySettings {
        portal_inbound: Some(motcua_web::PortalInbound {
            secret: SECRET.into(),
            allow: vec!["127.0.0.0/8".parse().unwrap()],
        }),
        ..motcua_web::SecuritySettings::default()
    })
    .await;
    let now = app.state.now().timestamp();
    let body = dossier_body("G22.99-261203-000123");
    let Some(signature) = openssl_hmac(SECRET, now, &body) else {
        return;
    };

    // Signed, from the portal's address: an online dossier awaiting acceptance, with its file.
    let (status, made) = push(&app, &body, now, &signature, "127.0.0.1").await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["MaHoSoQG"], "G22.99-261203-000123");
    let code = made["MaHoSo"].as_str().unwrap().to_string();
    let db = &app.state.db;
    let d = db
        .dossiers()
        .by_portal_code("G22.99-261203-000123")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.code, code);
    assert_eq!(d.status, motcua_domain::dossier::Status::Submitted);
    assert_eq!(d.channel, motcua_domain::catalogue::Channel::Online);
    assert_eq!(d.applicant.name, "Trần Văn Bình");
    let files = db.files().attachments(d.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].media_type, "application/pdf");
    assert_eq!(files[0].component, Some(0));
    // It waits at the receiving counter like any online filing.
    let (_, page) = app
        .get(
            &format!("/api/v1/dossiers?agency={CENTRE}&status=submitted"),
            Some("tok-tn"),
        )
        .await;
    assert!(page.to_string().contains(&code), "{page}");

    // Pushed again (the portal retrying): the same dossier, nothing new.
    let (status, again) = push(&app, &body, now, &signature, "127.0.0.1").await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["MaHoSo"], code.as_str());
    let count = |app: &TestApp| {
        let db = app.state.db.clone();
        async move {
            db.dossiers()
                .list_dossiers(&motcua_db::DossierFilter::default())
                .await
                .unwrap()
                .items
                .len()
        }
    };
    let before = count(&app).await;

    // Refused by name, creating nothing: a forged signature, a stale one, a foreign address,
    // a body that is not the portal's.
    let other = dossier_body("G22.99-261203-000999");
    let forged = openssl_hmac("not-the-secret-at-all", now, &other).unwrap();
    let (status, e) = push(&app, &other, now, &forged, "127.0.0.1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{e}");
    assert!(e.to_string().contains("chữ ký"), "{e}");
    let old = now - 3600;
    let stale = openssl_hmac(SECRET, old, &other).unwrap();
    let (status, _) = push(&app, &other, old, &stale, "127.0.0.1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let good = openssl_hmac(SECRET, now, &other).unwrap();
    let (status, e) = push(&app, &other, now, &good, "10.1.2.3").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    let bad = json!({"MaHoSoQG": "G22.99-261203-000777", "MaTTHC": "9.999999", "DonVi": CENTRE,
        "ChuHoSo": "X"})
    .to_string();
    let signed = openssl_hmac(SECRET, now, &bad).unwrap();
    let (status, e) = push(&app, &bad, now, &signed, "127.0.0.1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e.to_string().contains("9.999999"), "{e}");
    assert_eq!(count(&app).await, before);
    assert!(
        db.dossiers()
            .by_portal_code("G22.99-261203-000999")
            .await
            .unwrap()
            .is_none()
    );
}

async fn push_to(
    app: &TestApp,
    path: &str,
    body: &str,
    ts: i64,
    signature: &str,
    from: &str,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method("POST")
        .uri(path)
        .header("content-type", "application/json")
        .header("x-motcua-timestamp", ts.to_string())
        .header("x-motcua-signature", format!("sha256={signature}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    let ip: IpAddr = from.parse().unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::new(ip, 40_000)));
    app.raw(request).await
}

#[tokio::test]
async fn a_supplement_filed_on_the_portal_reaches_its_dossier() {
    let app = TestApp::with_security(motcua_web::SecuritySettings {
        portal_inbound: Some(motcua_web::PortalInbound {
            secret: SECRET.into(),
            allow: Vec::new(),
        }),
        ..motcua_web::SecuritySettings::default()
    })
    .await;
    let now = app.state.now().timestamp();
    let body = dossier_body("G22.99-261203-000500");
    let Some(signature) = openssl_hmac(SECRET, now, &body) else {
        return;
    };
    let (status, made) = push(&app, &body, now, &signature, "192.0.2.7").await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let d = app
        .state
        .db
        .dossiers()
        .by_portal_code("G22.99-261203-000500")
        .await
        .unwrap()
        .unwrap();
    // Accepted at the counter, sent on, and a paper asked for.
    let (_, d) = app
        .get(&format!("/api/v1/dossiers/{}", d.id), Some("tok-tn"))
        .await;
    let d = app.act("tok-tn", &d, json!({"action": "accept"})).await;
    let d = app.act("tok-tn", &d, json!({"action": "forward"})).await;
    let d = app
        .act(
            "tok-cv",
            &d,
            json!({"action": "request_supplement", "missing": ["Giấy khám sức khỏe: bản còn hạn"],
                "reason": "Giấy khám sức khỏe đã hết hạn"}),
        )
        .await;
    assert_eq!(d["status"], "awaiting_supplement");

    let pdf = data_encoding_base64(b"%PDF-1.7\n% Giay kham suc khoe\n%%EOF\n");
    let supplement = json!({"MaHoSoQG": "G22.99-261203-000500", "GhiChu": "Bản khám mới",
        "TepDinhKem": [{"TenTep": "kham-suc-khoe.pdf", "Base64": pdf}]})
    .to_string();
    let signature = openssl_hmac(SECRET, now, &supplement).unwrap();
    let (status, answered) = push_to(
        &app,
        "/api/v1/dvcqg/bo-sung",
        &supplement,
        now,
        &signature,
        "127.0.0.1",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let after = app
        .state
        .db
        .dossiers()
        .dossier(d["id"].as_i64().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        after
            .state
            .supplement
            .as_ref()
            .is_some_and(|s| s.submitted_at.is_some())
    );
    let files = app.state.db.files().attachments(after.id).await.unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.purpose == motcua_db::Purpose::Supplement && f.name.contains("kham")),
        "{files:?}"
    );
    // Synced back to the portal under motcua's code, carrying the portal's own.
    let (base, portal) = crate::portal_sync::start_portal().await;
    let worker = crate::portal_sync::sync(&app, &base);
    crate::portal_sync::drain(&worker, 5).await;
    let record = portal.lock().unwrap().records[&after.code].clone();
    assert_eq!(record["MaHoSoQG"], "G22.99-261203-000500");
    assert_eq!(
        record["TaiKhoanDuocXacThucVoiVNeID"], 1,
        "filed from a VNeID-verified account on the portal"
    );
    // For a dossier the portal never pushed: named, nothing done.
    let stray = json!({"MaHoSoQG": "G22.99-000000-000000",
        "TepDinhKem": [{"TenTep": "a.pdf", "Base64": pdf}]})
    .to_string();
    let signature = openssl_hmac(SECRET, now, &stray).unwrap();
    let (status, e) = push_to(
        &app,
        "/api/v1/dvcqg/bo-sung",
        &stray,
        now,
        &signature,
        "127.0.0.1",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(e.to_string().contains("G22.99-000000-000000"), "{e}");
}

#[tokio::test]
async fn without_a_secret_the_endpoint_is_off() {
    let app = TestApp::new().await;
    let body = dossier_body("G22.99-261203-000001");
    let (status, _) = push(&app, &body, 0, "00", "127.0.0.1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
