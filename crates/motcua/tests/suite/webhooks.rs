//! Webhooks for integrators: subscriptions managed through the API by administrators only,
//! checked by name; each event a subscription hears becomes a delivery written with the
//! change; the worker POSTs it to a loopback receiver that checks the signature with
//! openssl (not with motcua's code) and fails the first time; the delivery is retried,
//! arrives once, and a removed subscription receives nothing more.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

#[derive(Debug, Clone)]
struct Received {
    event: String,
    delivery: String,
    timestamp: i64,
    signature: String,
    body: String,
}

/// A receiver that keeps what it gets and answers 503 to its first request.
async fn start_receiver() -> (String, Arc<Mutex<Vec<Received>>>) {
    let got: Arc<Mutex<Vec<Received>>> = Arc::default();
    let seen = Arc::clone(&got);
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = Arc::clone(&seen);
            async move {
                let header = |n: &str| {
                    headers
                        .get(n)
                        .map(|v| v.to_str().unwrap().to_string())
                        .unwrap_or_default()
                };
                let mut seen = seen.lock().unwrap();
                seen.push(Received {
                    event: header("x-motcua-event"),
                    delivery: header("x-motcua-delivery"),
                    timestamp: header("x-motcua-timestamp").parse().unwrap_or(0),
                    signature: header("x-motcua-signature"),
                    body,
                });
                if seen.len() == 1 {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

fn worker(app: &TestApp) -> Arc<motcua_notify::Worker> {
    let config = motcua_notify::NotifyConfig {
        smtp: None,
        sms: None,
        zalo: None,
        fallback: Vec::new(),
        backoff: motcua_notify::Backoff {
            base: Duration::from_secs(1),
            cap: Duration::from_secs(1),
            max_attempts: 5,
        },
        lease: Duration::from_secs(30),
        webhook_timeout: Duration::from_secs(5),
        poll: Duration::from_millis(10),
        batch: 20,
        worker_id: "webhook-test".into(),
    };
    Arc::new(motcua_notify::Worker::new(app.state.db.clone(), config).unwrap())
}

#[tokio::test]
async fn deliveries_are_signed_retried_and_stop_when_removed() {
    let app = TestApp::new().await;
    let (url, got) = start_receiver().await;

    // Only an administrator subscribes, and what is wrong is named.
    let new = json!({"url": url, "events": ["status_changed", "result_ready"],
                     "description": "Hệ thống một cửa liên thông của Sở"});
    let (status, _) = app
        .post("/api/v1/webhooks", Some("tok-tn"), new.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, e) = app
        .post(
            "/api/v1/webhooks",
            Some("tok-qt"),
            json!({"url": "ftp://x", "events": ["ket_qua"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["url", "events"], "{e}");
    let (status, e) = app
        .post(
            "/api/v1/webhooks",
            Some("tok-qt"),
            json!({"url": url, "events": ["*"], "extra": 1}),
        )
        .await;
    assert!(status.is_client_error(), "{e}");
    let (status, made) = app.post("/api/v1/webhooks", Some("tok-qt"), new).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let secret = made["secret"].as_str().unwrap().to_string();
    let id = made["webhook"]["id"].as_i64().unwrap();
    let (_, list) = app.get("/api/v1/webhooks", Some("tok-qt")).await;
    assert_eq!(list["items"][0]["id"], id);
    assert!(
        list.to_string().find(&secret).is_none(),
        "the secret is not listed"
    );
    let (status, events) = app.get("/api/v1/webhooks/events", Some("tok-tn")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(events["items"].as_array().unwrap().len() > 10);

    // A dossier received at the counter: its status is set, one delivery.
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let worker = worker(&app);
    Arc::clone(&worker).run_once().await.unwrap();
    assert_eq!(
        got.lock().unwrap().len(),
        1,
        "the first try is answered 503"
    );
    // Retried after the back-off: the same delivery, signed again.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    Arc::clone(&worker).run_once().await.unwrap();
    let all = got.lock().unwrap().clone();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].delivery, all[1].delivery,
        "one delivery, tried twice"
    );
    assert_eq!(all[1].event, "status_changed");
    let body: Value = serde_json::from_str(&all[1].body).unwrap();
    assert_eq!(body["event"], "status_changed");
    assert_eq!(body["action"], "intake");
    assert_eq!(body["dossier"]["code"], d["code"]);
    assert_eq!(body["dossier"]["status"], "accepted");
    assert_eq!(body["dossier"]["status_code"], 2);
    assert_eq!(body["dossier"]["previous_status"], Value::Null);
    assert!(
        !all[1].body.contains("Nguyễn"),
        "no personal data: {}",
        all[1].body
    );
    let now = motcua_db::now_seconds();
    for r in &all {
        assert!((now - r.timestamp).abs() < 60);
        if let Some(expected) = crate::portal_inbound::openssl_hmac(&secret, r.timestamp, &r.body) {
            assert_eq!(r.signature, format!("sha256={expected}"));
        }
    }
    // Nothing more to send.
    Arc::clone(&worker).run_once().await.unwrap();
    assert_eq!(got.lock().unwrap().len(), 2);

    // Removed: the next change of status is not delivered.
    let path = format!("/api/v1/webhooks/{id}");
    let remove =
        |token: &'static str| app.call(axum::http::Method::DELETE, &path, Some(token), None);
    assert_eq!(remove("tok-tn").await.0, StatusCode::FORBIDDEN);
    assert_eq!(remove("tok-qt").await.0, StatusCode::NO_CONTENT);
    assert_eq!(remove("tok-qt").await.0, StatusCode::NOT_FOUND);
    let d = app.act("tok-tn", &d, json!({"action": "forward"})).await;
    assert_eq!(d["status"], "processing", "{d}");
    Arc::clone(&worker).run_once().await.unwrap();
    assert_eq!(got.lock().unwrap().len(), 2);
}
