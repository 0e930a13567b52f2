//! The database commands as an operator runs them: migrate, import with line-precise
//! errors, export, audit verify, and a database that does not answer.

use crate::process::*;
use std::process::Command;

#[test]
fn import_export_and_audit_on_a_fresh_database() {
    let dir = temp_dir("cli");
    let url = format!("sqlite://{}", dir.join("m.db").display());
    let (ok, out, err) = motcua(&["--database", &url, "migrate"]);
    assert!(ok, "{err}");
    assert!(out.contains("Đã áp dụng"), "{out}");

    // A file with an error on one line imports nothing and names the line.
    let catalogue = include_str!("../../../../data/demo/catalogue.json");
    let broken = catalogue.replacen("\"originals\": 1", "\"originals\": -1", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("\"originals\": -1"))
        .unwrap()
        + 1;
    let bad = dir.join("bad.json");
    std::fs::write(&bad, &broken).unwrap();
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "import",
        "catalogue",
        bad.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        err.contains(&format!("dòng {line}")),
        "expected line {line} in: {err}"
    );
    assert!(err.contains("không nhập thủ tục nào"), "{err}");

    // The demo's procedures name agencies that are not in this database: refused whole.
    let good = dir.join("good.json");
    std::fs::write(&good, catalogue).unwrap();
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "import",
        "catalogue",
        good.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(err.contains("chưa có trong hệ thống"), "{err}");

    let (ok, out, err) = motcua(&["--database", &url, "audit", "verify"]);
    assert!(ok, "{err}");
    assert!(out.contains("chuỗi băm khớp"), "{out}");
    let (ok, out, _) = motcua(&["--database", &url, "export", "catalogue"]);
    assert!(ok);
    assert!(out.contains("\"procedures\": []"), "{out}");
}

#[test]
fn seeded_demo_exports_what_it_imported() {
    let dir = temp_dir("cli");
    let url = format!("sqlite://{}", dir.join("d.db").display());
    // The demo's signed results go to the given files folder, not the working directory.
    let files = dir.join("files");
    let files = files.to_str().unwrap();
    let (ok, out, err) = motcua(&[
        "--database",
        &url,
        "--files",
        files,
        "seed",
        "demo",
        "--dossiers",
        "60",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("45 thủ tục"), "{out}");
    let exported = dir.join("out.json");
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "export",
        "catalogue",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&exported).unwrap();
    let procedures = motcua_domain::catalogue::parse_catalogue(&text).unwrap();
    assert_eq!(procedures.len(), 45);
    // Importing the same catalogue again changes nothing.
    let (ok, out, err) = motcua(&[
        "--database",
        &url,
        "import",
        "catalogue",
        exported.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("0 phiên bản mới, 45 không thay đổi"), "{out}");
    // Seeding twice is refused.
    let (ok, _, err) = motcua(&["--database", &url, "seed", "demo"]);
    assert!(!ok);
    assert!(err.contains("đã có"), "{err}");
}

#[test]
fn a_database_that_does_not_answer_is_named() {
    let (ok, _, err) = motcua(&[
        "--database",
        "postgres://motcua:secret@127.0.0.1:9/none",
        "migrate",
    ]);
    assert!(!ok);
    assert!(
        err.contains("không kết nối được cơ sở dữ liệu postgres://motcua:***@127.0.0.1:9/none"),
        "{err}"
    );
    assert!(!err.contains("secret"));
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let (ok, _, err) = motcua(&["--database", "mysql://x", "migrate"]);
    assert!(!ok);
    assert!(
        err.contains("chỉ hỗ trợ sqlite:// hoặc postgres://"),
        "{err}"
    );
}

#[test]
fn one_server_per_sqlite_file_and_the_commands_that_wait_for_it() {
    let dir = temp_dir("cli");
    let url = format!("sqlite://{}", dir.join("m.db").display());
    let files = dir.join("files").display().to_string();
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "--files",
        &files,
        "seed",
        "demo",
        "--dossiers",
        "10",
    ]);
    assert!(ok, "{err}");
    let address = free_address();
    let mut serve = serve(&url, &files, &address);
    let refused = [
        vec!["serve", "--no-demo", "--listen", "127.0.0.1:0"],
        vec!["seed", "demo", "--dossiers", "5"],
        vec!["statistics", "rebuild"],
        vec!["migrate"],
    ];
    for command in refused {
        let mut args = vec!["--database", url.as_str(), "--files", files.as_str()];
        args.extend(command.iter().copied());
        let (ok, _, err) = motcua(&args);
        assert!(!ok, "{command:?} ran beside serve");
        assert!(
            err.contains("đang được một tiến trình motcua khác dùng"),
            "{command:?}: {err}"
        );
    }
    // The commands that cooperate run beside it.
    let (ok, out, err) = motcua(&["--database", &url, "api-token", "list"]);
    assert!(
        ok && !out.contains("demo-") && out.contains("API"),
        "{out}{err}"
    );
    let backup = dir.join("sao-luu");
    let (ok, _, err) = motcua(&[
        "--database",
        &url,
        "--files",
        &files,
        "backup",
        "--to",
        backup.to_str().unwrap(),
    ]);
    assert!(ok, "backup beside serve: {err}");
    let (ok, _, err) = motcua(&["--database", &url, "audit", "verify"]);
    assert!(ok, "{err}");
    // Stopped, the file is free again.
    let _ = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status();
    let _ = serve.wait();
    // A damaged counter record breaks the statistics, naming it; the command repairs them.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::query("INSERT INTO stat_pending (rows) VALUES (x'ffffffff')")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let report = [
        "--database",
        url.as_str(),
        "report",
        "statistics",
        "--from",
        "2020-01-01",
        "--to",
        "2030-12-31",
    ];
    let (ok, _, err) = motcua(&report);
    assert!(!ok, "a damaged record is not read as if whole");
    assert!(err.contains("hỏng"), "{err}");
    let (ok, out, err) = motcua(&["--database", &url, "statistics", "rebuild"]);
    assert!(ok, "{err}");
    assert!(out.contains("Đã dựng lại số liệu thống kê"), "{out}");
    let (ok, out, err) = motcua(&report);
    assert!(ok, "{err}");
    assert!(out.contains("10"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}
