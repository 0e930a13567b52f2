//! The `motcua` binary as an operator runs it: a command and its output, a fresh database
//! on either engine, a temporary folder, and `serve` started on a free port.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `motcua` with `args`: (succeeded, standard output, standard error).
pub fn motcua<S: AsRef<OsStr>>(args: &[S]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(args)
        .env("MOTCUA_LOG", "error")
        .output()
        .expect("run motcua");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A new empty folder under the system's temporary one.
pub fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "motcua-{what}-{}-{}",
        std::process::id(),
        motcua_db::random_token(8).unwrap()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh SQLite file's URL.
pub fn temp_url() -> String {
    format!("sqlite://{}", temp_dir("app").join("motcua.db").display())
}

/// The test server's URL (MOTCUA_TEST_POSTGRES_URL), or `None` (with a note) when the
/// PostgreSQL half cannot run here. With MOTCUA_REQUIRE_POSTGRES=1 it must run.
pub fn postgres_base() -> Option<String> {
    let Ok(base) = std::env::var("MOTCUA_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("MOTCUA_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_POSTGRES=1 but MOTCUA_TEST_POSTGRES_URL is not set"
        );
        eprintln!("PostgreSQL half SKIPPED: set MOTCUA_TEST_POSTGRES_URL to run it");
        return None;
    };
    Some(base)
}

/// A fresh, empty PostgreSQL database's URL, or `None` (with a note) when the PostgreSQL
/// half cannot run here. With MOTCUA_REQUIRE_POSTGRES=1 it must run.
pub async fn postgres_url() -> Option<String> {
    let base = postgres_base()?;
    let name = format!(
        "motcua_t_{}",
        motcua_db::random_token(10).unwrap().to_lowercase()
    );
    let admin = motcua_db::Db::connect(&base).await.unwrap();
    admin.create_database_for_tests(&name).await.unwrap();
    admin.close().await;
    let (prefix, _) = base.rsplit_once('/').unwrap();
    Some(format!("{prefix}/{name}"))
}

/// A fresh database on the named engine (`sqlite` or `postgres`), or `None` when the
/// PostgreSQL half is skipped.
pub async fn engine_url(engine: &str) -> Option<String> {
    match engine {
        "sqlite" => Some(temp_url()),
        _ => postgres_url().await,
    }
}

/// A loopback address with a free port.
pub fn free_address() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    format!("127.0.0.1:{port}")
}

/// `motcua serve` on `url` without the demo and the worker, once it listens at `address`.
pub fn serve(url: &str, files: &str, address: &str) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args([
            "--database",
            url,
            "--files",
            files,
            "serve",
            "--no-demo",
            "--no-worker",
        ])
        .args(["--listen", address])
        .env("MOTCUA_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(address).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// One HTTP/1.1 exchange on a fresh connection, with `headers` (each line ending in CRLF):
/// the status and the whole answer (head and body), or `None` when the server did not
/// answer (then nothing was acknowledged).
pub fn exchange(
    address: &str,
    method: &str,
    path: &str,
    headers: &str,
    body: &str,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, text))
}

/// [`exchange`] of JSON with a bearer token: the status and the body.
pub fn json_exchange(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Option<(u16, String)> {
    let (status, text) = exchange(
        address,
        method,
        path,
        &format!("Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"),
        body,
    )?;
    Some((status, text.split_once("\r\n\r\n")?.1.to_string()))
}
