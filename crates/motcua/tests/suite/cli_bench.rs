//! `motcua bench` works end to end (a smoke run of a few seconds: fresh database, synthetic
//! province, the real server on loopback, every figure measured and written as JSON). Its
//! numbers are not judged here: speed is reported by the benchmark, never asserted by tests.

#[test]
fn every_figure_is_measured_and_written() {
    let dir = std::env::temp_dir().join(format!(
        "motcua-bench-smoke-{}",
        motcua_db::random_token(6).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("figures.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["bench", "--smoke", "--json", json.to_str().unwrap()])
        .env("MOTCUA_LOG", "error")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("figure") && table.contains("verdict"),
        "{table}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let figures = doc["figures"].as_array().unwrap();
    let names: Vec<&str> = figures
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
    for f in figures {
        assert!(
            f["measured"].as_f64().is_some_and(|v| v > 0.0),
            "{} not measured: {f}",
            f["name"]
        );
        assert!(f["met"].is_boolean(), "{f}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
