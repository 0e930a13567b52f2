//! Log flushing for the SQLite writer: a batch commits without waiting for the disk, and a
//! thread of its own makes the log durable (one `fdatasync` for every commit since the
//! last) before the batch's jobs are answered, so the next batch runs meanwhile.
//!
//! A commit is visible to readers before it is durable. Nothing written after it can
//! outlive it (the log is replayed in order and stops at the first frame missing), and an
//! answer never reports it before it is durable: jobs are answered after their flush, and
//! readers wait for [`Durable::wait`] before they answer.

use std::fs::File;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use tokio::sync::{oneshot, watch};

use crate::DbError;

/// Jobs of one committed batch, answered once the commit is durable.
/// What a write job answers: its value, boxed, or why it failed.
pub(crate) type Output = Result<Box<dyn std::any::Any + Send>, DbError>;

pub(crate) type Answers = Vec<(oneshot::Sender<Output>, Output)>;

/// How far the writer's commits are durable.
#[derive(Debug)]
pub struct Durable {
    /// Number of the last commit begun: readers may see it from then on.
    begun: AtomicU64,
    /// Number of the last commit known to be on disk.
    flushed: AtomicU64,
    /// A flush failed: what was committed since may be lost, and nothing is answered.
    failed: AtomicBool,
    changed: watch::Sender<()>,
}

impl Durable {
    fn new() -> Self {
        Self {
            begun: AtomicU64::new(0),
            flushed: AtomicU64::new(0),
            failed: AtomicBool::new(false),
            changed: watch::Sender::new(()),
        }
    }

    /// Numbers a commit about to run.
    fn begin(&self) -> u64 {
        self.begun.fetch_add(1, Ordering::AcqRel) + 1
    }

    fn flushed_to(&self, number: u64) {
        self.flushed.fetch_max(number, Ordering::AcqRel);
        self.changed.send_replace(());
    }

    fn fail(&self) {
        self.failed.store(true, Ordering::Release);
        self.changed.send_replace(());
    }

    /// Number of the last commit begun.
    #[cfg(test)]
    pub(crate) fn begun(&self) -> u64 {
        self.begun.load(Ordering::Acquire)
    }

    /// Number of the last commit on disk.
    #[cfg(test)]
    pub(crate) fn flushed(&self) -> u64 {
        self.flushed.load(Ordering::Acquire)
    }

    /// Whether a flush has failed (the writer then refuses work).
    pub(crate) fn failed(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }

    /// Waits until every commit begun so far is durable, so what a read saw can be
    /// answered. Immediate when nothing is waiting for the disk.
    pub async fn wait(&self) -> Result<(), DbError> {
        let target = self.begun.load(Ordering::Acquire);
        if !self.failed() && self.flushed.load(Ordering::Acquire) >= target {
            return Ok(());
        }
        // Subscribed before the conditions are checked again, so no flush is missed.
        let mut changes = self.changed.subscribe();
        loop {
            if self.failed() {
                return Err(flush_failed("một lần ghi trước đó không ghi bền được"));
            }
            if self.flushed.load(Ordering::Acquire) >= target {
                return Ok(());
            }
            if changes.changed().await.is_err() {
                return Err(flush_failed("bộ ghi đã dừng"));
            }
        }
    }
}

fn flush_failed(reason: &str) -> DbError {
    DbError::Unavailable(format!(
        "không bảo đảm được dữ liệu đã ghi xuống đĩa ({reason}); cần kiểm tra ổ đĩa và khởi động lại máy chủ"
    ))
}

struct Pending {
    number: u64,
    answers: Answers,
}

/// The writer's side: numbers commits and hands their answers to the flushing thread.
pub(crate) struct Log {
    durable: Arc<Durable>,
    flush: mpsc::Sender<Pending>,
}

impl Log {
    /// Starts the flushing thread for the log file `wal`.
    pub(crate) fn start(wal: PathBuf) -> Result<(Self, Arc<Durable>), DbError> {
        let durable = Arc::new(Durable::new());
        let (flush, pending) = mpsc::channel::<Pending>();
        let shared = Arc::clone(&durable);
        std::thread::Builder::new()
            .name("motcua-flush".into())
            .spawn(move || run(&wal, &shared, &pending))
            .map_err(|e| {
                DbError::Unavailable(format!("không khởi động được luồng ghi đĩa: {e}"))
            })?;
        Ok((
            Self {
                durable: Arc::clone(&durable),
                flush,
            },
            durable,
        ))
    }

    /// Numbers the commit about to run (before it runs, so no reader sees it unnumbered).
    pub(crate) fn begin(&self) -> u64 {
        self.durable.begin()
    }

    /// Whether a flush has failed.
    pub(crate) fn failed(&self) -> bool {
        self.durable.failed()
    }

    /// Answers `answers` once commit `number` is durable (none: a commit that failed,
    /// which only has to stop holding readers back).
    pub(crate) fn settle(&self, number: u64, answers: Answers) {
        if let Err(mpsc::SendError(pending)) = self.flush.send(Pending { number, answers }) {
            self.durable.fail();
            fail(pending.answers, "luồng ghi đĩa đã dừng");
        }
    }
}

fn fail(answers: Answers, reason: &str) {
    for (done, _) in answers {
        let _ = done.send(Err(flush_failed(reason)));
    }
}

/// The flushing thread: takes every batch committed so far, flushes the log once, then
/// answers them all.
fn run(wal: &std::path::Path, durable: &Durable, pending: &mpsc::Receiver<Pending>) {
    let mut file: Option<File> = None;
    while let Ok(first) = pending.recv() {
        let mut batches = vec![first];
        batches.extend(pending.try_iter());
        let last = batches.iter().map(|b| b.number).max().unwrap_or(0);
        let flushed = if durable.failed() {
            Err("một lần ghi trước đó không ghi bền được".to_string())
        } else {
            flush(&mut file, wal).map_err(|e| format!("{}: {e}", wal.display()))
        };
        match flushed {
            Ok(()) => {
                durable.flushed_to(last);
                for batch in batches {
                    for (done, output) in batch.answers {
                        let _ = done.send(output);
                    }
                }
            }
            Err(reason) => {
                durable.fail();
                tracing::error!("không ghi bền được nhật ký cơ sở dữ liệu: {reason}");
                for batch in batches {
                    fail(batch.answers, &reason);
                }
            }
        }
    }
}

/// `fdatasync` of the log file, opened on first use (it exists once a commit has run).
fn flush(file: &mut Option<File>, wal: &std::path::Path) -> std::io::Result<()> {
    if let Some(f) = file {
        return f.sync_data();
    }
    let opened = File::open(wal)?;
    opened.sync_data()?;
    *file = Some(opened);
    Ok(())
}
