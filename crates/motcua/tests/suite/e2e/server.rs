//! The real `motcua` binary on a fresh SQLite file: `seed demo`, then `serve` on a free port,
//! stopped and its files removed when the value is dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password of every demo login (`motcua::demo::DEMO_PASSWORD`).
pub const PASSWORD: &str = motcua::demo::DEMO_PASSWORD;

pub struct DemoServer {
    child: Child,
    dir: PathBuf,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    /// The database's URL and the folder of its files, for checks beside the browser.
    pub database: String,
    pub files: PathBuf,
}

impl DemoServer {
    /// Seeds a small demo province (`dossiers` of them) and serves it; waits until it listens.
    pub fn start(dossiers: u32) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        Self::start_with(dossiers, port, &[])
    }

    /// [`DemoServer::start`] on `port`, with `extra` arguments to `serve`.
    pub fn start_with(dossiers: u32, port: u16, extra: &[&str]) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "motcua-e2e-{}",
            motcua_db::random_token(6).expect("a random name")
        ));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        let url = format!("sqlite://{}", dir.join("e2e.db").display());
        let exe = env!("CARGO_BIN_EXE_motcua");
        let files = dir.join("files");
        let seeded = Command::new(exe)
            .args(["--database", &url, "--files", &files.display().to_string()])
            .args(["seed", "demo", "--dossiers"])
            .arg(dossiers.to_string())
            .env("MOTCUA_LOG", "error")
            .output()
            .expect("run motcua seed demo");
        assert!(
            seeded.status.success(),
            "motcua seed demo failed: {}",
            String::from_utf8_lossy(&seeded.stderr)
        );
        let address = format!("127.0.0.1:{port}");
        let child = Command::new(exe)
            .args([
                "--database",
                &url,
                "--files",
                &files.display().to_string(),
                "serve",
                "--no-demo",
                "--listen",
                &address,
            ])
            .args(extra)
            .env("MOTCUA_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("run motcua serve");
        let server = Self {
            child,
            dir,
            base: format!("http://{address}"),
            database: url,
            files,
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(&address).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "motcua serve did not listen on {address} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// The absolute URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
