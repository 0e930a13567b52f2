//! The server under test: the real `motcua serve`, started as a child process on loopback
//! so that its memory can be read on its own.

use anyhow::{Context, bail};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http::Connection;

pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    pub async fn start(database: &str) -> anyhow::Result<Self> {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
            probe.local_addr()?.port()
        };
        let address = format!("127.0.0.1:{port}");
        let child = Command::new(std::env::current_exe()?)
            .args([
                "serve",
                "--no-demo",
                "--listen",
                &address,
                "--database",
                database,
            ])
            .env("MOTCUA_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("không khởi động được máy chủ")?;
        let server = Self { child, address };
        let started = Instant::now();
        loop {
            if let Ok(mut c) = Connection::open(&server.address).await
                && let Ok((200, _)) = c.send("GET", "/healthz", None, None).await
            {
                return Ok(server);
            }
            if started.elapsed() > Duration::from_secs(120) {
                bail!("máy chủ không sẵn sàng sau 120 giây");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Peak resident memory of the server so far, in MiB (VmHWM).
    pub fn peak_rss_mib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .context("VmHWM")?;
        Ok(kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
