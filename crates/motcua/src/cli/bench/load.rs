//! The load generator: a number of connections each sending requests from a shared list
//! as fast as answers come, for a fixed time per round; throughput and latency figures.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::http::Connection;

/// One request to send.
#[derive(Debug, Clone)]
pub struct Job {
    pub method: &'static str,
    pub path: String,
    pub token: Option<String>,
    pub body: Option<Vec<u8>>,
}

/// What a round measured.
#[derive(Debug, Clone, Default)]
pub struct Round {
    pub ok: u64,
    pub failed: u64,
    pub seconds: f64,
    pub latencies_us: Vec<u64>,
    pub first_failure: Option<String>,
}

impl Round {
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.seconds.max(1e-9)
    }
}

/// Sends the jobs `jobs(i)` for i counted by `next` (each at most once) over `connections`
/// connections spread over `addresses` for `duration` or until the jobs run out.
pub type Jobs = Arc<dyn Fn(usize) -> Option<Job> + Send + Sync>;

pub async fn round(
    addresses: &[String],
    connections: usize,
    jobs: Jobs,
    next: Arc<AtomicUsize>,
    duration: Duration,
) -> anyhow::Result<Round> {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(connections);
    for c in 0..connections {
        let jobs = Arc::clone(&jobs);
        let next = Arc::clone(&next);
        // The connections spread over the servers in turn.
        let address = addresses
            .get(c % addresses.len().max(1))
            .cloned()
            .unwrap_or_default();
        tasks.push(tokio::spawn(async move {
            let mut out = Round::default();
            let mut conn = Connection::open(&address).await?;
            while started.elapsed() < duration {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs(i) else { break };
                let t = Instant::now();
                let (status, body) = conn
                    .send(
                        job.method,
                        &job.path,
                        job.token.as_deref(),
                        job.body.as_deref(),
                    )
                    .await?;
                out.latencies_us
                    .push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
                if (200..300).contains(&status) {
                    out.ok += 1;
                } else {
                    out.failed += 1;
                    if out.first_failure.is_none() {
                        out.first_failure =
                            Some(format!("{status} {}", String::from_utf8_lossy(&body)));
                    }
                }
            }
            anyhow::Ok(out)
        }));
    }
    let mut total = Round::default();
    for t in tasks {
        let r = t.await??;
        total.ok += r.ok;
        total.failed += r.failed;
        total.latencies_us.extend(r.latencies_us);
        if total.first_failure.is_none() {
            total.first_failure = r.first_failure;
        }
    }
    total.seconds = started.elapsed().as_secs_f64();
    Ok(total)
}

/// p50, p95, p99 in milliseconds.
pub fn percentiles(latencies_us: &mut [u64]) -> (f64, f64, f64) {
    if latencies_us.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    latencies_us.sort_unstable();
    let at = |p: f64| {
        let i = ((latencies_us.len() as f64 - 1.0) * p).round() as usize;
        latencies_us[i.min(latencies_us.len() - 1)] as f64 / 1000.0
    };
    (at(0.50), at(0.95), at(0.99))
}

pub fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
