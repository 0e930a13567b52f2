//! `motcua backup` taken while dossiers and files keep arriving, and `motcua restore` into a
//! new database and files folder, on both engines: every dossier and file acknowledged
//! before the backup began is in the restored copy, readable and unchanged, and the audit
//! chain holds.

use crate::common::*;
use axum::http::StatusCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// One acknowledged write: the dossier, its code and the digest of its attached file, and
/// when it was acknowledged.
struct Acked {
    id: i64,
    code: String,
    sha256: String,
    at: Instant,
}

/// Intakes with a file each, from two clients, until `stop`.
async fn load(app: Arc<TestApp>, stop: Arc<AtomicBool>, client: usize) -> Vec<Acked> {
    let mut acked = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (status, d) = app
            .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        let (id, code) = (
            d["id"].as_i64().unwrap(),
            d["code"].as_str().unwrap().to_string(),
        );
        let file = app
            .state
            .files
            .store(
                motcua_db::Upload {
                    name: format!("ban-chup-{client}-{n}.pdf"),
                    bytes: format!("%PDF-1.7 ban chup {client} {n} {code}").into_bytes(),
                    component: Some(0),
                    purpose: motcua_db::Purpose::Intake,
                },
                "files",
            )
            .await
            .unwrap();
        let sha256 = file.sha256.clone();
        app.state
            .db
            .dossiers()
            .attach_files(id, &code, vec![file], "staff:test".into(), app.state.now())
            .await
            .unwrap();
        acked.push(Acked {
            id,
            code,
            sha256,
            at: Instant::now(),
        });
    }
    acked
}

async fn backup_under_load_restores_whole(engine: &str) {
    let Some(url) = engine_url(engine).await else {
        return;
    };
    let app = Arc::new(TestApp::on(url.clone()).await);
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..2)
        .map(|c| tokio::spawn(load(Arc::clone(&app), Arc::clone(&stop), c)))
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;

    let to = temp_dir("backup").join("copy");
    let args = vec![
        "--database".to_string(),
        url.clone(),
        "--files".into(),
        app.files_dir.display().to_string(),
        "backup".into(),
        "--to".into(),
        to.display().to_string(),
    ];
    let began = Instant::now();
    let (ok, out, err) = tokio::task::spawn_blocking(move || motcua(&args))
        .await
        .unwrap();
    assert!(ok, "backup: {err}");
    assert!(out.contains("Đã sao lưu"), "{out}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut acked = Vec::new();
    for c in clients {
        acked.extend(c.await.unwrap());
    }
    let before: Vec<&Acked> = acked.iter().filter(|a| a.at < began).collect();
    assert!(
        before.len() >= 5,
        "the load ran before the backup ({})",
        before.len()
    );
    assert!(acked.len() > before.len(), "and went on while it ran");

    // A second backup into the same folder is refused, naming it.
    let again = vec![
        "--database".to_string(),
        url.clone(),
        "backup".into(),
        "--to".into(),
        to.display().to_string(),
    ];
    let (ok, _, err) = motcua(&again);
    assert!(!ok && err.contains("đã có dữ liệu"), "{err}");

    // Restore into a new database and files folder.
    let restored_url = engine_url(engine).await.unwrap();
    let restored_files = temp_dir("restored-files");
    let args = vec![
        "--database".to_string(),
        restored_url.clone(),
        "--files".into(),
        restored_files.display().to_string(),
        "restore".into(),
        "--from".into(),
        to.display().to_string(),
    ];
    let (ok, out, err) = motcua(&args);
    assert!(ok, "restore: {err}");
    assert!(out.contains("nhật ký kiểm tra khớp"), "{out}");
    let db = motcua_db::Db::connect(&restored_url).await.unwrap();
    let files = motcua_db::FileStore::open(&restored_files).unwrap();
    for a in &before {
        let d = db
            .dossiers()
            .dossier(a.id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{} lost", a.code));
        assert_eq!(d.code, a.code);
        let attached = db.files().attachments(a.id).await.unwrap();
        assert!(
            attached.iter().any(|f| f.sha256 == a.sha256),
            "{}: file row lost",
            a.code
        );
        files
            .read(&a.sha256)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", a.code));
    }
    // Every file the copy names is in the copy.
    let restored = db.dossiers().count_dossiers(None).await.unwrap();
    for id in 1..=restored {
        for f in db.files().attachments(id).await.unwrap() {
            files.read(&f.sha256).await.unwrap();
        }
    }
    assert!(
        db.audit()
            .audit_verify()
            .await
            .unwrap()
            .first_broken
            .is_none()
    );
    db.close().await;

    // Restoring over a database that holds data needs --replace.
    let (ok, _, err) = motcua(&args);
    assert!(!ok && err.contains("--replace"), "{err}");
    let mut replace = args.clone();
    replace.push("--replace".into());
    let (ok, _, err) = motcua(&replace);
    assert!(ok, "restore --replace: {err}");

    // A backup whose files folder lost a file is refused before anything is touched.
    let shard = std::fs::read_dir(to.join("files"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let blob = std::fs::read_dir(&shard)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let kept = std::fs::read(&blob).unwrap();
    std::fs::remove_file(&blob).unwrap();
    let (ok, _, err) = motcua(&replace);
    assert!(!ok && err.contains("thiếu tệp"), "{err}");
    std::fs::write(&blob, kept).unwrap();

    // A damaged copy is refused before anything is touched.
    let copy = std::fs::read_dir(&to)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "db" || e == "pgdump"))
        .unwrap();
    let mut bytes = std::fs::read(&copy).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&copy, bytes).unwrap();
    let (ok, _, err) = motcua(&replace);
    assert!(!ok && err.contains("đã bị hỏng"), "{err}");
    let _ = std::fs::remove_dir_all(&to);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_backup_under_load_restores_whole() {
    backup_under_load_restores_whole("sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_backup_under_load_restores_whole() {
    backup_under_load_restores_whole("postgres").await;
}
