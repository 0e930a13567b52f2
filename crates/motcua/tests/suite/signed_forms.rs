//! Issued forms signed inside the PDF with the issuing agency's key, time-stamped over HTTP
//! by a time-stamping authority on loopback (OpenSSL's `openssl ts -reply` behind a small
//! server that speaks RFC 3161's HTTP binding); a draft is never signed, an agency without a
//! key prints unsigned, and a silent authority leaves the form signed without its stamp.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;

use crate::common::*;
use crate::openssl_tsa::OpensslTsa;

/// The authority on loopback: its address and the replies it sent.
struct TsaServer {
    url: String,
    replies: Arc<Mutex<Vec<Vec<u8>>>>,
}

async fn start_tsa(tag: &str) -> Option<TsaServer> {
    let tsa = Arc::new(OpensslTsa::start(tag)?);
    let replies = Arc::new(Mutex::new(Vec::new()));
    let sent = Arc::clone(&replies);
    let app = axum::Router::new().route(
        "/tsa",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (tsa, sent) = (Arc::clone(&tsa), Arc::clone(&sent));
            async move {
                // RFC 3161 §3.4: a query is posted as application/timestamp-query.
                if headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    != Some("application/timestamp-query")
                {
                    return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
                }
                let reply = tokio::task::spawn_blocking(move || tsa.reply(&body))
                    .await
                    .unwrap();
                sent.lock().unwrap().push(reply.clone());
                (
                    [(header::CONTENT_TYPE, "application/timestamp-reply")],
                    reply,
                )
                    .into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Some(TsaServer { url, replies })
}

async fn app_with_tsa(url: &str) -> TestApp {
    let tsa = motcua_web::signing::TimestampAuthority::new(url, std::time::Duration::from_secs(5))
        .unwrap();
    let app = TestApp::with_docs(motcua_web::DocsSettings {
        tsa: Some(tsa),
        ..motcua_web::DocsSettings::default()
    })
    .await;
    let db = &app.state.db;
    let centre = db.agencies().agency_by_code(CENTRE).await.unwrap().unwrap();
    let now = app.state.now();
    motcua_web::signing::create_demo_key(db, &centre, "test", now - chrono::Duration::days(1), now)
        .await
        .unwrap();
    app
}

/// A form of dossier `id` as the counter prints it: the signing state and the PDF.
async fn print(app: &TestApp, id: i64, slug: &str, cookie: &str) -> (String, Vec<u8>) {
    let request = axum::http::Request::builder()
        .uri(format!("/can-bo/ho-so/{id}/bieu-mau/{slug}"))
        .header("cookie", cookie)
        .header("host", "motcua.test")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let state = response
        .headers()
        .get("x-motcua-signature")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let bytes = axum::body::to_bytes(response.into_body(), 20 << 20)
        .await
        .unwrap();
    (state, bytes.to_vec())
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[tokio::test]
async fn issued_forms_are_signed_and_time_stamped_over_http() {
    let Some(tsa) = start_tsa("web").await else {
        return;
    };
    let app = app_with_tsa(&tsa.url).await;
    let counter = staff_session(&app, "u.tn").await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();

    // The receipt, issued by the centre, which has a key: signed inside, time-stamped.
    let (state, pdf) = print(&app, id, "giay-tiep-nhan", &counter).await;
    assert_eq!(state, "signed");
    let found = motcua_docs::verify_pdf(&pdf).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
    assert_eq!(
        found[0].verification.signer,
        "Trung tâm Phục vụ hành chính công tỉnh"
    );
    let replies = tsa.replies.lock().unwrap().clone();
    assert_eq!(replies.len(), 1, "one time-stamp for one signature");
    // The token is the reply after its status: carried in the signature.
    let token = &replies[0][replies[0].len() - 200..];
    assert!(
        String::from_utf8_lossy(&pdf).contains(&upper_hex(token)),
        "the authority's token is not in the signature"
    );
    if let Some(report) = pdfsig(&pdf) {
        assert!(report.contains("Signature is Valid."), "{report}");
        assert!(report.contains("Total document signed"), "{report}");
    }

    // An apology proposed but not approved is a draft: never signed.
    let d = app
        .act("tok-tn", &d, serde_json::json!({"action": "forward"}))
        .await;
    let due = chrono::DateTime::parse_from_rfc3339(d["due_at"].as_str().unwrap()).unwrap();
    let d = app
        .act(
            "tok-cv",
            &d,
            serde_json::json!({"action": "propose_apology", "reason": "Chờ xác minh",
                "new_due": (due + chrono::Duration::days(2)).to_rfc3339()}),
        )
        .await;
    let (state, pdf) = print(&app, id, "xin-loi", &counter).await;
    assert_eq!(state, "draft");
    assert!(motcua_docs::verify_pdf(&pdf).unwrap().is_empty());
    // Approved by the department's director: the department has no key, so it prints
    // unsigned and says so.
    app.act(
        "tok-gd",
        &d,
        serde_json::json!({"action": "approve_apology"}),
    )
    .await;
    let (state, pdf) = print(&app, id, "xin-loi", &counter).await;
    assert_eq!(state, "none");
    assert!(motcua_docs::verify_pdf(&pdf).unwrap().is_empty());
    assert_eq!(tsa.replies.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_silent_authority_leaves_the_form_signed_without_its_stamp() {
    // An address nobody answers at.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/tsa", listener.local_addr().unwrap());
    drop(listener);
    let app = app_with_tsa(&url).await;
    let counter = staff_session(&app, "u.tn").await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let (state, pdf) = print(&app, d["id"].as_i64().unwrap(), "giay-tiep-nhan", &counter).await;
    assert_eq!(state, "signed");
    let found = motcua_docs::verify_pdf(&pdf).unwrap();
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
}

#[test]
fn the_authority_address_is_checked() {
    let e = motcua_web::signing::TimestampAuthority::new(
        "ftp://tsa.example",
        std::time::Duration::from_secs(5),
    )
    .unwrap_err();
    assert!(e.contains("http://"), "{e}");
}

#[tokio::test]
async fn an_agency_signing_with_personal_certificates_uses_the_signers_key() {
    use motcua_domain::agency::SignWith;
    let app = TestApp::new().await;
    let db = &app.state.db;
    let now = app.state.now();
    let from = now - chrono::Duration::days(1);
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    let centre = db.agencies().agency_by_code(CENTRE).await.unwrap().unwrap();
    // The department has a key of its own, but signs with its leaders' personal ones.
    motcua_web::signing::create_demo_key(db, &justice, "test", from, now)
        .await
        .unwrap();
    db.agencies()
        .set_sign_with(justice.id, SignWith::Person, "test")
        .await
        .unwrap();
    let gd = db
        .people()
        .staff_by_username("u.gd")
        .await
        .unwrap()
        .unwrap();
    motcua_web::signing::create_personal_demo_key(db, &gd, "test", from, now)
        .await
        .unwrap();
    // The centre signs with personal certificates too, and its counter officer has none.
    db.agencies()
        .set_sign_with(centre.id, SignWith::Person, "test")
        .await
        .unwrap();
    motcua_web::signing::create_demo_key(db, &centre, "test", from, now)
        .await
        .unwrap();

    let counter = staff_session(&app, "u.tn").await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();
    let (state, pdf) = print(&app, id, "giay-tiep-nhan", &counter).await;
    assert_eq!(state, "none", "the officer has no personal certificate");
    assert!(motcua_docs::verify_pdf(&pdf).unwrap().is_empty());

    let d = app
        .act("tok-tn", &d, serde_json::json!({"action": "forward"}))
        .await;
    let due = chrono::DateTime::parse_from_rfc3339(d["due_at"].as_str().unwrap()).unwrap();
    let d = app
        .act(
            "tok-cv",
            &d,
            serde_json::json!({"action": "propose_apology", "reason": "Chờ xác minh",
                "new_due": (due + chrono::Duration::days(2)).to_rfc3339()}),
        )
        .await;
    app.act(
        "tok-gd",
        &d,
        serde_json::json!({"action": "approve_apology"}),
    )
    .await;
    let (state, pdf) = print(&app, id, "xin-loi", &counter).await;
    assert_eq!(state, "signed");
    let found = motcua_docs::verify_pdf(&pdf).unwrap();
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
    assert_eq!(found[0].verification.signer, "Cán bộ gd");
    if let Some(report) = pdfsig(&pdf) {
        assert!(report.contains("Cán bộ gd"), "{report}");
        assert!(report.contains("Signature is Valid."), "{report}");
    }
}
