//! `motcua report statistics` on a seeded demo province: the JSON report counts every
//! dossier the seed made, and the table ends with the total.

use crate::process::*;

#[test]
fn statistics_of_the_demo_province() {
    let dir = std::env::temp_dir().join(format!(
        "motcua-report-{}-{}",
        std::process::id(),
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("m.db").display());
    let files = dir.join("files");
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "--files",
        files.to_str().unwrap(),
        "seed",
        "demo",
        "--dossiers",
        "300",
    ]);
    assert!(ok, "{err}");
    let (ok, out, err) = motcua(&[
        "--database",
        &url,
        "report",
        "statistics",
        "--from",
        "2000-01-01",
        "--to",
        "2099-12-31",
        "--json",
    ]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let total = &report["total"];
    // The 300 planned, and the few taken in today reusing a kept result (the demo's reuse
    // stories, counted as reused).
    let reused = total["reused"].as_i64().unwrap();
    assert!((1..=3).contains(&reused), "{total}");
    let received = 300 + reused;
    assert_eq!(total["received"], received, "{total}");
    let finished = [
        "early",
        "on_time",
        "late",
        "apologised",
        "refused",
        "withdrawn",
        "stopped",
    ]
    .iter()
    .map(|k| total[*k].as_i64().unwrap())
    .sum::<i64>();
    assert_eq!(finished + total["open_at_end"].as_i64().unwrap(), received);
    let (ok, out, err) = motcua(&[
        "--database",
        &url,
        "report",
        "statistics",
        "--from",
        "2000-01-01",
        "--to",
        "2099-12-31",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Tổng cộng"), "{out}");
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "report",
        "statistics",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--agency",
        "000.99.99.H56",
    ]);
    assert!(!ok);
    assert!(err.contains("không có cơ quan"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
