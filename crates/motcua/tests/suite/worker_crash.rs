//! `motcua worker` killed in the middle of a send: after a restart (two workers at once)
//! every message reaches the gateway and none is accepted twice. And `motcua serve`
//! delivers by itself and stops cleanly.

use crate::common::*;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A gateway that holds the third request it receives until the caller goes away.
#[derive(Default)]
struct Gateway {
    arrivals: Vec<String>,
    accepted: HashMap<String, u32>,
}

struct Shared {
    state: Mutex<Gateway>,
    held: tokio::sync::Notify,
}

async fn sms(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> (StatusCode, String) {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let hold = {
        let mut g = shared.state.lock().unwrap();
        g.arrivals.push(key.clone());
        g.arrivals.len() == 3
    };
    if hold {
        shared.held.notify_one();
        std::future::pending::<()>().await;
    }
    *shared
        .state
        .lock()
        .unwrap()
        .accepted
        .entry(key)
        .or_default() += 1;
    (StatusCode::OK, "{\"status\":\"accepted\"}".into())
}

async fn start_gateway() -> (String, Arc<Shared>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(Gateway::default()),
        held: tokio::sync::Notify::new(),
    });
    let router = axum::Router::new()
        .route("/sms", axum::routing::post(sms))
        .with_state(Arc::clone(&shared));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (gateway, shared)
}

fn worker(url: &str, gateway: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--database", url, "worker"])
        .args(["--sms-url", gateway, "--sms-timeout", "2"])
        .args(["--notify-fallback", "", "--notify-lease", "3"])
        .args(["--webhook-timeout", "2"])
        .args(["--notify-poll", "0.1", "--notify-batch", "1"])
        .args(["--notify-retry-base", "0.2"])
        .env("MOTCUA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_loses_nothing_and_sends_nothing_twice() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let (status, body) = app
            .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    app.state.db.close().await;

    let (gateway, shared) = start_gateway().await;

    let mut first = worker(&app.url, &gateway);
    tokio::time::timeout(Duration::from_secs(30), shared.held.notified())
        .await
        .expect("the third message reaches the gateway");
    first.kill().unwrap();
    first.wait().unwrap();
    let held_key = shared.state.lock().unwrap().arrivals[2].clone();

    let mut restarted = [worker(&app.url, &gateway), worker(&app.url, &gateway)];
    let deadline = Instant::now() + Duration::from_secs(30);
    while shared.state.lock().unwrap().accepted.len() < 5 {
        assert!(Instant::now() < deadline, "not every message was delivered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Give a duplicate the time to show up if one were coming.
    tokio::time::sleep(Duration::from_millis(800)).await;
    for child in &mut restarted {
        child.kill().unwrap();
        child.wait().unwrap();
    }

    {
        let g = shared.state.lock().unwrap();
        assert!(
            g.accepted.values().all(|n| *n == 1),
            "accepted twice: {:?}",
            g.accepted
        );
        let mut arrivals: HashMap<&str, u32> = HashMap::new();
        for key in &g.arrivals {
            *arrivals.entry(key).or_default() += 1;
        }
        assert_eq!(arrivals.len(), 5);
        for (key, n) in &arrivals {
            let expected = if *key == held_key { 2 } else { 1 };
            assert_eq!(*n, expected, "message {key} arrived {n} times");
        }
    }

    let db = motcua_db::Db::connect(&app.url).await.unwrap();
    let counts = db.outbox().outbox_counts().await.unwrap();
    assert_eq!(counts, [("sent".to_string(), 5)]);
    db.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_delivers_and_stops_on_sigterm() {
    let app = TestApp::new().await;
    let (status, body) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.state.db.close().await;
    let (gateway, shared) = start_gateway().await;

    let mut serve = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--database", &app.url, "serve", "--listen", "127.0.0.1:0"])
        .args(["--sms-url", &gateway, "--notify-poll", "0.1"])
        .env("MOTCUA_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while shared.state.lock().unwrap().accepted.is_empty() {
        assert!(Instant::now() < deadline, "serve did not deliver");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let term = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let mut waited = 0;
    let exit = loop {
        if let Some(status) = serve.try_wait().unwrap() {
            break status;
        }
        assert!(waited < 100, "serve did not stop on SIGTERM");
        waited += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exit.success(), "{exit:?}");
    let db = motcua_db::Db::connect(&app.url).await.unwrap();
    assert_eq!(
        db.outbox().outbox_counts().await.unwrap(),
        [("sent".to_string(), 1)]
    );
    assert_eq!(
        db.outbox().message_templates().await.unwrap().len(),
        motcua_notify::defaults::defaults().len(),
        "defaults stored on start: the citizens' and the officers' messages"
    );
    db.close().await;
}
