//! Dossier sync to the national portal against a loopback portal that keeps records by
//! `MaHoSo` the way the portal does (a new record is refused as existing, an update needs
//! the record, history is appended): while the portal fails nothing is lost; when it
//! recovers every dossier arrives once, its history in order and without repeats; a record
//! the portal stored while our side saw a failure is updated, not duplicated; and a change
//! made while a send was under way is sent next.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use motcua_db::SyncState;
use motcua_notify::Backoff;
use motcua_notify::portal::{PortalConfig, PortalSync};
use serde_json::{Value, json};

use crate::common::*;

/// What the portal does with the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Serve,
    /// Answers 503 without doing anything.
    Down,
    /// Does the work, then answers 503 (the answer is lost on the way).
    LoseAnswer,
}

#[derive(Default)]
pub(crate) struct PortalState {
    pub(crate) records: HashMap<String, Value>,
    created: usize,
    updated: usize,
    history: Vec<Value>,
    plan: VecDeque<Mode>,
    requests: usize,
    /// Holds the next new record until the test lets it go: (arrived, proceed).
    pause: Option<(Arc<tokio::sync::Notify>, Arc<tokio::sync::Notify>)>,
}

pub(crate) type Shared = Arc<Mutex<PortalState>>;

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer tok-portal")
}

/// Takes the next mode and checks what every request must carry.
fn admit(
    state: &Shared,
    headers: &HeaderMap,
    body: &str,
) -> Result<(Mode, Vec<Value>), Box<Response>> {
    let mut s = state.lock().unwrap();
    s.requests += 1;
    let mode = s.plan.pop_front().unwrap_or(Mode::Serve);
    if mode == Mode::Down {
        return Err(Box::new(StatusCode::SERVICE_UNAVAILABLE.into_response()));
    }
    if !authorised(headers) {
        return Err(Box::new(StatusCode::UNAUTHORIZED.into_response()));
    }
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(body) else {
        return Err(Box::new(
            (StatusCode::BAD_REQUEST, "không phải mảng JSON").into_response(),
        ));
    };
    Ok((mode, items))
}

fn answer(mode: Mode, body: Value) -> Response {
    match mode {
        Mode::LoseAnswer => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        _ => axum::Json(body).into_response(),
    }
}

fn well_formed(record: &Value) -> bool {
    let time = |v: &Value| {
        v.as_str()
            .is_some_and(|t| t.len() == 14 && t.bytes().all(|b| b.is_ascii_digit()))
    };
    record["MaHoSo"].as_str().is_some_and(|c| !c.is_empty())
        && time(&record["NgayTiepNhan"])
        && (1..=10).contains(&record["TrangThaiHoSo"].as_i64().unwrap_or(0))
}

async fn create(State(state): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let pause = state.lock().unwrap().pause.take();
    if let Some((arrived, proceed)) = pause {
        arrived.notify_one();
        proceed.notified().await;
    }
    let (mode, items) = match admit(&state, &headers, &body) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut s = state.lock().unwrap();
    for record in items {
        if !well_formed(&record) {
            return answer(
                mode,
                json!({"error_code": "1", "message": "Dữ liệu không hợp lệ"}),
            );
        }
        let code = record["MaHoSo"].as_str().unwrap_or_default().to_string();
        if s.records.contains_key(&code) {
            return answer(
                mode,
                json!({"error_code": "-3", "message": "Hồ sơ đã tồn tại"}),
            );
        }
        s.records.insert(code, record);
        s.created += 1;
    }
    answer(
        mode,
        json!({"error_code": "0", "message": "Thêm mới thành công"}),
    )
}

async fn update(State(state): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let (mode, items) = match admit(&state, &headers, &body) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut s = state.lock().unwrap();
    for record in items {
        let code = record["MaHoSo"].as_str().unwrap_or_default().to_string();
        if !s.records.contains_key(&code) || !well_formed(&record) {
            return answer(
                mode,
                json!({"error_code": "1", "message": "Không tìm thấy hồ sơ"}),
            );
        }
        s.records.insert(code, record);
        s.updated += 1;
    }
    answer(
        mode,
        json!({"error_code": "0", "message": "Cập nhật thành công"}),
    )
}

async fn history(State(state): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let (mode, items) = match admit(&state, &headers, &body) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let mut s = state.lock().unwrap();
    if items.len() > 10 {
        return (StatusCode::BAD_REQUEST, "tối đa 10 bản ghi").into_response();
    }
    s.history.extend(items);
    match mode {
        Mode::LoseAnswer => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        _ => "Đồng bộ tiến trình thành công".into_response(),
    }
}

pub(crate) async fn start_portal() -> (String, Shared) {
    let state: Shared = Arc::default();
    let app = axum::Router::new()
        .route("/them-moi", post(create))
        .route("/cap-nhat", post(update))
        .route("/tien-trinh", post(history))
        .with_state(Arc::clone(&state));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, state)
}

pub(crate) fn sync(app: &TestApp, base: &str) -> PortalSync {
    PortalSync::new(
        app.state.db.clone(),
        PortalConfig {
            sync_url: format!("{base}/them-moi"),
            update_url: format!("{base}/cap-nhat"),
            history_url: format!("{base}/tien-trinh"),
            token: Some("tok-portal".into()),
            timeout: Duration::from_secs(5),
            // Retries come at once here; the back-off itself is the outbox's, tested there.
            backoff: Backoff {
                base: Duration::ZERO,
                cap: Duration::ZERO,
                max_attempts: 100,
            },
            poll: Duration::from_millis(50),
            batch: 10,
            worker_id: "test-sync".into(),
            public_url: Some("https://dichvucong.example.vn/".into()),
        },
    )
    .unwrap()
}

/// Runs the worker until nothing is pending (at most `rounds` times).
pub(crate) async fn drain(sync: &PortalSync, rounds: usize) {
    for _ in 0..rounds {
        if sync.run_once().await.unwrap() == 0 {
            return;
        }
    }
}

/// The history items the portal holds for `code`, as (status, content).
fn history_of(state: &Shared, code: &str) -> Vec<(i64, String)> {
    state
        .lock()
        .unwrap()
        .history
        .iter()
        .filter(|h| h["MaHoSo"] == code)
        .map(|h| {
            (
                h["TrangThai"].as_i64().unwrap_or(0),
                h["NoiDungXuLy"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn dossiers_reach_the_portal_once_in_order_whatever_it_does() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (base, portal) = start_portal().await;
    let worker = sync(&app, &base);

    // The portal is down for the first sends: nothing is lost, the error is kept.
    portal.lock().unwrap().plan.extend([Mode::Down; 3]);
    let (_, a) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let a = app.act("tok-tn", &a, json!({"action": "forward"})).await;
    let (_, b) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let (a_id, b_id) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
    let (a_code, b_code) = (a["code"].as_str().unwrap(), b["code"].as_str().unwrap());
    assert_eq!(worker.run_once().await.unwrap(), 2);
    match db.portal().state(a_id).await.unwrap() {
        SyncState::Waiting { error: Some(e), .. } => assert!(e.contains("503"), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(portal.lock().unwrap().records.is_empty());
    let counter = staff_session(&app, "u.tn").await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{a_id}"), Some(&counter)).await;
    assert!(page.body.contains("lần trước lỗi"), "{}", page.body);
    let (_, state) = app
        .get(&format!("/api/v1/dossiers/{a_id}/dvcqg"), Some("tok-tn"))
        .await;
    assert_eq!(state["state"], "waiting", "{state}");
    assert!(
        state["error"].as_str().unwrap_or_default().contains("503"),
        "{state}"
    );

    // It recovers: each dossier once, with its latest status and its history in order.
    drain(&worker, 10).await;
    {
        let s = portal.lock().unwrap();
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.created, 2);
        assert_eq!(
            s.records[a_code]["TrangThaiHoSo"], 4,
            "{}",
            s.records[a_code]
        );
        assert_eq!(s.records[b_code]["TrangThaiHoSo"], 2);
        assert_eq!(s.records[a_code]["MaTTHC"], "1.000828");
    }
    let steps = history_of(&portal, a_code);
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(steps[0].1.starts_with("Tiếp nhận hồ sơ"), "{steps:?}");
    assert!(steps[1].1.starts_with("Chuyển bước tiếp theo"), "{steps:?}");
    assert!(matches!(
        db.portal().state(a_id).await.unwrap(),
        SyncState::Synced { .. }
    ));
    assert!(matches!(
        db.portal().state(b_id).await.unwrap(),
        SyncState::Synced { .. }
    ));
    let page = get_page(&app, &format!("/can-bo/ho-so/{a_id}"), Some(&counter)).await;
    assert!(page.body.contains("Đã đồng bộ lúc"), "{}", page.body);
    let (status, state) = app
        .get(&format!("/api/v1/dossiers/{a_id}/dvcqg"), Some("tok-tn"))
        .await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert_eq!(state["state"], "synced", "{state}");

    // A new step: an update, and only the new history row.
    app.act("tok-cv", &a, json!({"action": "forward"})).await;
    drain(&worker, 5).await;
    assert_eq!(portal.lock().unwrap().updated, 1);
    assert_eq!(history_of(&portal, a_code).len(), 3);

    // The portal stores a record but its answer is lost: the retry finds it existing and
    // updates it; the record is there once.
    portal.lock().unwrap().plan.push_back(Mode::LoseAnswer);
    let (_, c) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let c_code = c["code"].as_str().unwrap().to_string();
    drain(&worker, 5).await;
    {
        let s = portal.lock().unwrap();
        assert_eq!(s.created, 3, "stored once");
        assert!(s.records.contains_key(&c_code));
    }
    assert_eq!(history_of(&portal, &c_code).len(), 1);
}

#[tokio::test]
async fn a_change_made_during_a_send_is_sent_next() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (base, portal) = start_portal().await;
    let worker = sync(&app, &base);
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();
    let code = d["code"].as_str().unwrap().to_string();
    // The dossier moves on while its record is on the way to the portal.
    let (arrived, proceed) = (
        Arc::new(tokio::sync::Notify::new()),
        Arc::new(tokio::sync::Notify::new()),
    );
    portal.lock().unwrap().pause = Some((Arc::clone(&arrived), Arc::clone(&proceed)));
    let worker = Arc::new(worker);
    let sending = {
        let worker = Arc::clone(&worker);
        tokio::spawn(async move { worker.run_once().await.unwrap() })
    };
    arrived.notified().await;
    app.act("tok-tn", &d, json!({"action": "forward"})).await;
    proceed.notify_one();
    assert_eq!(sending.await.unwrap(), 1);
    assert_eq!(portal.lock().unwrap().records[&code]["TrangThaiHoSo"], 2);
    assert!(
        matches!(
            db.portal().state(id).await.unwrap(),
            SyncState::Waiting { .. }
        ),
        "the change must still be pending"
    );
    // The next round sends the dossier as it is now.
    drain(&worker, 5).await;
    assert_eq!(portal.lock().unwrap().records[&code]["TrangThaiHoSo"], 4);
    assert_eq!(history_of(&portal, &code).len(), 2);
    assert!(matches!(
        db.portal().state(id).await.unwrap(),
        SyncState::Synced { .. }
    ));
    // Sent again on request, whole.
    assert_eq!(
        db.portal()
            .resync(None, Some(&code), motcua_db::now_seconds())
            .await
            .unwrap(),
        1
    );
    drain(&worker, 5).await;
    assert_eq!(history_of(&portal, &code).len(), 4);
    assert_eq!(portal.lock().unwrap().records.len(), 1);
}
