//! The API checked against its own OpenAPI document by a third-party fuzzer, schemathesis:
//! `motcua serve` on a fresh demo province (with the portal's inbound endpoint on), every
//! operation called with generated valid and invalid input as an administrator, as a
//! counter officer and as a citizen, every answer checked against the document (status codes, content types,
//! headers, response schemas, invalid input refused, authentication not ignored, the links
//! between operations). Its "schema-valid input is accepted" check is left out: a dossier
//! must also agree with the catalogue (its procedure's cases and required components), which
//! no static schema can say.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{free_address, temp_dir};

/// schemathesis: `MOTCUA_SCHEMATHESIS`, or where `.ci/run` installs it.
fn schemathesis() -> Option<PathBuf> {
    let path = std::env::var_os("MOTCUA_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../target/schemathesis/bin/schemathesis")
        });
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "MOTCUA_REQUIRE_TOOLS=1 but schemathesis is missing at {}",
        path.display()
    );
    eprintln!("skipped: schemathesis is not installed");
    None
}

/// A session of the demo citizen, opened through the API over plain HTTP/1.1.
fn citizen_token(address: &str) -> String {
    let body = format!(
        r#"{{"login":"{}","password":"{}"}}"#,
        motcua::demo::DEMO_CITIZEN_PHONE,
        motcua::demo::DEMO_PASSWORD
    );
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST /api/v1/me/session HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let json = reply.split("\r\n\r\n").nth(1).unwrap_or_default();
    let opened: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    opened["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no citizen session: {reply}"))
        .to_string()
}

#[test]
fn every_answer_matches_the_document() {
    let Some(fuzzer) = schemathesis() else {
        return;
    };
    let dir = temp_dir("fuzz");
    let address = free_address();
    let url = format!("sqlite://{}", dir.join("motcua.db").display());
    let files = dir.join("files");
    let mut server = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--database", &url, "--files"])
        .arg(&files)
        .args([
            "serve",
            "--demo-dossiers",
            "30",
            "--no-worker",
            "--listen",
            &address,
        ])
        .args(["--dvcqg-inbound-secret", "mot-bi-mat-cua-cong-dvcqg-de-thu"])
        .env("MOTCUA_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(&address).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let document = format!("http://{address}/api/v1/openapi.json");
    let citizen = citizen_token(&address);
    let mut failures = Vec::new();
    for (token, seed) in [
        ("demo-qt.hethong", "1"),
        ("demo-tn.trungtam1", "2"),
        (citizen.as_str(), "3"),
    ] {
        // Run in the scratch folder: the fuzzer keeps a cache where it runs.
        let out = Command::new(&fuzzer)
            .current_dir(&dir)
            .args(["run", &document, "-H"])
            .arg(format!("Authorization: Bearer {token}"))
            .args([
                "--checks",
                "all",
                "--exclude-checks",
                "positive_data_acceptance",
            ])
            .args(["--max-examples", "12", "--seed", seed, "--workers", "1"])
            .args(["--no-color", "--generation-database", "none"])
            .arg("--report-dir")
            .arg(dir.join(format!("report-{seed}")))
            .output()
            .unwrap();
        if !out.status.success() {
            failures.push(format!(
                "as {token}:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
