//! `motcua bench` works end to end (a smoke run of a few seconds: fresh database, synthetic
//! province, the real server on loopback, every figure measured and written as JSON). Its
//! numbers are not judged here: speed is reported by the benchmark, never asserted by tests.
//! On PostgreSQL it also runs with two server processes, and leaves no database behind.

use crate::process::postgres_base;

/// Runs `motcua bench --smoke` with `args` in a fresh folder; its table and its JSON
/// figures, after checking it succeeded and measured every figure.
fn smoke(args: &[&str]) -> (String, serde_json::Value) {
    let dir = std::env::temp_dir().join(format!(
        "motcua-bench-smoke-{}",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("figures.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["bench", "--smoke", "--json", json.to_str().unwrap()])
        .args(args)
        .env("MOTCUA_LOG", "error")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        table.contains("figure") && table.contains("verdict"),
        "{table}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    for f in doc["figures"].as_array().unwrap() {
        assert!(
            f["measured"].as_f64().is_some_and(|v| v > 0.0),
            "{} not measured: {f}",
            f["name"]
        );
        assert!(f["met"].is_boolean(), "{f}");
    }
    let _ = std::fs::remove_dir_all(dir);
    (table, doc)
}

#[test]
fn every_figure_is_measured_and_written() {
    let (_, doc) = smoke(&[]);
    let names: Vec<&str> = doc["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for wanted in [
        "deadlines",
        "intake",
        "transitions",
        "public lookup",
        "staff queue, first page",
        "staff queue, deep page",
        "statistics",
        "memory",
    ] {
        assert!(
            names.iter().any(|n| n.contains(wanted)),
            "{wanted} missing from {names:?}"
        );
    }
}

/// On PostgreSQL with two server processes: every figure measured, the header names both
/// processes, and the benchmark's own database is dropped afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_postgresql_and_nothing_left_behind() {
    let Some(base) = postgres_base() else {
        return;
    };
    let admin = motcua_db::Db::connect(&base).await.unwrap();
    let before = bench_databases(&admin).await;
    let (table, doc) = smoke(&["--nodes", "2", "--bench-database", &base]);
    assert!(table.contains("over 2 server processes"), "{table}");
    assert_eq!(doc["nodes"], 2);
    let after = bench_databases(&admin).await;
    assert!(
        after.is_subset(&before),
        "left behind: {:?}",
        after.difference(&before)
    );
    admin.close().await;
}

/// The benchmark databases on the server.
async fn bench_databases(admin: &motcua_db::Db) -> std::collections::HashSet<String> {
    admin
        .database_names()
        .await
        .unwrap()
        .into_iter()
        .filter(|n| n.starts_with("motcua_bench_"))
        .collect()
}
