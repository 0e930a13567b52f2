//! The first start's demo load is all or nothing: killed halfway, it leaves nothing that is
//! served as if whole, and the next load starts from an empty database, on both engines.

use crate::process::*;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn seed(url: &str, files: &str, dossiers: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args([
            "--database",
            url,
            "--files",
            files,
            "seed",
            "demo",
            "--dossiers",
            dossiers,
        ])
        .env("MOTCUA_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

async fn a_load_cut_short_is_loaded_again(engine: &str) {
    let Some(url) = engine_url(engine).await else {
        return;
    };
    let files = std::env::temp_dir()
        .join(format!(
            "motcua-demo-files-{}",
            motcua_db::random_token(6).unwrap()
        ))
        .display()
        .to_string();
    let staged = motcua_db::Db::sqlite_file(&url).map(|f| {
        let mut name = f.into_os_string();
        name.push(".demo-loading");
        std::path::PathBuf::from(name)
    });
    let mut child = seed(&url, &files, "6000");
    // Wait until the load is well under way, then cut it short.
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the load never started"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the load ended before it could be cut"
        );
        let under_way = match &staged {
            Some(file) => std::fs::metadata(file).is_ok_and(|m| m.len() > 256 * 1024),
            None => match motcua_db::Db::connect(&url).await {
                Ok(db) => {
                    let going = db.bulk().demo_load_interrupted().await.unwrap_or(false)
                        && db.dossiers().count_dossiers(None).await.unwrap_or(0) > 0;
                    db.close().await;
                    going
                }
                Err(_) => false,
            },
        };
        if under_way {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Nothing half-loaded is there to be served.
    let db = motcua_db::Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    if staged.is_some() {
        assert!(
            db.agencies().all().await.unwrap().is_empty(),
            "a SQLite file is moved in whole or not at all"
        );
    } else {
        assert!(
            db.bulk().demo_load_interrupted().await.unwrap(),
            "the mark shows the load was cut short"
        );
    }
    db.close().await;

    // The next load starts over and is whole.
    let out = seed(&url, &files, "12").wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = motcua_db::Db::connect(&url).await.unwrap();
    assert_eq!(db.dossiers().count_dossiers(None).await.unwrap(), 12);
    assert!(!db.bulk().demo_load_interrupted().await.unwrap());
    assert!(
        db.audit()
            .audit_verify()
            .await
            .unwrap()
            .first_broken
            .is_none()
    );
    db.close().await;
    if let Some(file) = staged {
        assert!(!file.exists(), "the staged file was moved into place");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_load_cut_short_is_loaded_again() {
    a_load_cut_short_is_loaded_again("sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_load_cut_short_is_loaded_again() {
    a_load_cut_short_is_loaded_again("postgres").await;
}
