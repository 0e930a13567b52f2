//! Group commit for SQLite: one thread owns the writer connection and runs the write jobs
//! that queued up meanwhile in one transaction, so one fsync makes many acknowledged writes
//! durable. A job that fails is rolled back alone ([`run_direct`], [`run_in_savepoint`]).
//!
//! On a database file the thread keeps its own SQLite connection and prepared statements,
//! so a job's statements run without leaving the thread. It also holds sqlx's one write
//! connection while it works (handing it back when nothing is queued, or after a few
//! batches), which keeps the process's other writes out of its way. An in-memory database
//! has only sqlx's connection, which the jobs then use.
//!
//! With full durability the commit itself does not wait for the disk: the flushing thread
//! ([`super::flush`]) makes the log durable and only then answers the batch's jobs, while
//! this thread already runs the next batch.

use sqlx::sqlite::SqlitePool;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

use super::flush::Output;
use super::{Lite, Log, Shared, Tx};
use crate::DbError;

pub(crate) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;
type JobFn = Box<dyn for<'c> FnOnce(Tx<'c>) -> BoxFuture<'c, Output> + Send>;

pub(crate) struct Job {
    run: JobFn,
    done: oneshot::Sender<Output>,
}

/// What the writer's queue carries: a job, or the order to finish the queued jobs, close
/// its connection and answer once it is closed.
pub(crate) enum Msg {
    Job(Job),
    Stop(oneshot::Sender<()>),
}

/// Most jobs in one transaction.
const BATCH: usize = 256;

/// Most batches in a row that keep sqlx's write connection before the process's other
/// writes get their turn (they also get it whenever nothing is queued). Handing it back
/// costs a round trip through sqlx's SQLite thread, so it is not done after every batch.
const HOLD_BATCHES: usize = 8;

/// Starts the writer thread for `pool` (a pool of one connection), running jobs on
/// `direct` when given (a connection to the same database file, whose followers reach the
/// stores' `shared` state), and answering them after `log` made their commit durable when
/// given (else as soon as it is committed).
pub(crate) fn start(
    pool: SqlitePool,
    direct: Option<rusqlite::Connection>,
    log: Option<Log>,
    shared: std::sync::Arc<Shared>,
) -> Result<mpsc::Sender<Msg>, DbError> {
    let mut direct = direct.map(|c| Lite::new(c, shared));
    let runtime = tokio::runtime::Handle::try_current()
        .map_err(|e| DbError::Internal(format!("bộ ghi cần môi trường tokio: {e}")))?;
    let (tx, mut rx) = mpsc::channel::<Msg>(4096);
    std::thread::Builder::new()
        .name("motcua-writer".into())
        .spawn(move || {
            let mut held = None;
            let mut held_for = 0;
            let mut stops = Vec::new();
            while let Some(first) = rx.blocking_recv() {
                let mut jobs = Vec::new();
                let mut next = Some(first);
                while let Some(msg) = next.take() {
                    match msg {
                        Msg::Job(job) => jobs.push(job),
                        Msg::Stop(answer) => {
                            // Whatever was queued before the end still runs.
                            rx.close();
                            stops.push(answer);
                        }
                    }
                    if jobs.len() < BATCH {
                        next = rx.try_recv().ok();
                    }
                }
                if !jobs.is_empty() {
                    let committed = runtime.block_on(run_batch(
                        &pool,
                        &mut held,
                        direct.as_mut(),
                        log.as_ref(),
                        jobs,
                    ));
                    held_for += 1;
                    if let Some(lite) = direct.as_mut() {
                        lite.idle(log.as_ref());
                    }
                    if !committed || held_for >= HOLD_BATCHES || rx.is_empty() {
                        // Handing it back spawns a task: done inside the runtime.
                        runtime.block_on(async { drop(held.take()) });
                        held_for = 0;
                    }
                }
                if !stops.is_empty() && rx.is_empty() {
                    break;
                }
            }
            runtime.block_on(async { drop(held.take()) });
            // The connection closes before the answer, and the log's last answers are
            // given before its thread ends.
            drop(direct);
            drop(log);
            for answer in stops {
                let _ = answer.send(());
            }
        })
        .map_err(|e| DbError::Unavailable(format!("không khởi động được bộ ghi: {e}")))?;
    Ok(tx)
}

/// Runs one batch holding sqlx's write connection (`held`, taken from `pool` when empty);
/// whether it committed.
async fn run_batch(
    pool: &SqlitePool,
    held: &mut Option<sqlx::pool::PoolConnection<sqlx::Sqlite>>,
    direct: Option<&mut Lite>,
    log: Option<&Log>,
    jobs: Vec<Job>,
) -> bool {
    if log.is_some_and(Log::failed) {
        fail_all(
            jobs,
            "nhật ký cơ sở dữ liệu không ghi bền được; cần khởi động lại máy chủ",
        );
        return false;
    }
    let held = match held {
        Some(c) => c,
        None => match pool.acquire().await {
            Ok(c) => held.insert(c),
            Err(e) => {
                fail_all(jobs, &e.to_string());
                return false;
            }
        },
    };
    let mut tx = match direct {
        Some(conn) => Tx::Lite(conn),
        None => Tx::Sqlx(held),
    };
    if let Err(e) = tx.execute("BEGIN IMMEDIATE", &[]).await {
        fail_all(jobs, &e.to_string());
        return false;
    }
    let mut finished = Vec::with_capacity(jobs.len());
    for job in jobs {
        let settled = if let Tx::Lite(lite) = &mut tx {
            run_direct(lite, job.run).await
        } else {
            run_in_savepoint(&mut tx, job.run).await
        };
        match settled {
            Ok(output) => finished.push((job.done, output)),
            Err((output, message)) => {
                // The transaction is in doubt: give up on the whole batch.
                rollback(&mut tx).await;
                fail_all_done(finished, &message);
                let _ = job.done.send(output);
                return false;
            }
        }
    }
    // The followers write what the batch kept (the counter rows, as one pending record).
    if let Tx::Lite(lite) = &mut tx
        && let Err(e) = lite.before_commit()
    {
        rollback(&mut tx).await;
        fail_all_done(finished, &e.to_string());
        return false;
    }
    let number = log.map(Log::begin);
    match tx.execute("COMMIT", &[]).await {
        Ok(_) => {
            if let Tx::Lite(lite) = &mut tx {
                lite.committed();
            }
            match (log, number) {
                (Some(log), Some(number)) => log.settle(number, finished),
                _ => {
                    for (done, output) in finished {
                        let _ = done.send(output);
                    }
                }
            }
            true
        }
        Err(e) => {
            rollback(&mut tx).await;
            fail_all_done(finished, &e.to_string());
            if let (Some(log), Some(number)) = (log, number) {
                log.settle(number, Vec::new());
            }
            false
        }
    }
}

/// Runs a job on the writer's own connection, without a savepoint (journaling every page
/// it changes would cost more than the job's own writes). A job that fails before changing
/// anything fails alone, since a failing statement undoes itself. One that fails after
/// changing rows leaves the batch in doubt: `Err` with its output and the reason the other
/// jobs of the batch fail (none of them was acknowledged).
async fn run_direct(lite: &mut Lite, run: JobFn) -> Result<Output, (Output, String)> {
    let before = lite.total_changes();
    let output = run(Tx::Lite(&mut *lite)).await;
    lite.job_settled(output.is_ok());
    match &output {
        Err(e) if lite.total_changes() != before => {
            let message = e.to_string();
            Err((output, message))
        }
        _ => Ok(output),
    }
}

/// Runs a job in its own savepoint. A job that succeeded keeps its savepoint open until
/// the COMMIT releases them all (one statement fewer per job); a failing job rolls back to
/// its own savepoint, the innermost one named `job`, and releases it, leaving the earlier
/// jobs' work intact. `Err` when that fails and the transaction is in an unknown state.
async fn run_in_savepoint(tx: &mut Tx<'_>, run: JobFn) -> Result<Output, (Output, String)> {
    let output = match tx.execute("SAVEPOINT job", &[]).await {
        Ok(_) => run(tx.reborrow()).await,
        Err(e) => Err(e),
    };
    if output.is_ok() {
        return Ok(output);
    }
    let settle = match tx.execute("ROLLBACK TO job", &[]).await {
        Ok(_) => tx.execute("RELEASE job", &[]).await,
        Err(e) => Err(e),
    };
    match settle {
        Ok(_) => Ok(output),
        Err(e) => {
            let message = e.to_string();
            Err((Err(DbError::Unavailable(message.clone())), message))
        }
    }
}

/// Rolls the batch back, dropping what its followers staged.
async fn rollback(tx: &mut Tx<'_>) {
    if let Tx::Lite(lite) = tx {
        lite.rolled_back();
    }
    let _ = tx.execute("ROLLBACK", &[]).await;
}

fn fail_all(jobs: Vec<Job>, message: &str) {
    for job in jobs {
        let _ = job.done.send(Err(DbError::Unavailable(format!(
            "không ghi được: {message}"
        ))));
    }
}

fn fail_all_done(done: super::Answers, message: &str) {
    for (sender, _) in done {
        let _ = sender.send(Err(DbError::Unavailable(format!(
            "không ghi được: {message}"
        ))));
    }
}

/// Boxes a job's future (a coercion point for the writer's job type).
pub(crate) fn boxed<'c, T>(f: impl Future<Output = T> + Send + 'c) -> BoxFuture<'c, T> {
    Box::pin(f)
}

/// Queues `f` on the writer and waits until its transaction is committed (or failed).
pub(crate) async fn submit<T, F>(queue: &mpsc::Sender<Msg>, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: for<'c> FnOnce(Tx<'c>) -> BoxFuture<'c, Result<T, DbError>> + Send + 'static,
{
    let (done, wait) = oneshot::channel();
    let run: JobFn = Box::new(move |conn| {
        Box::pin(async move { f(conn).await.map(|v| Box::new(v) as Box<dyn Any + Send>) })
    });
    queue
        .send(Msg::Job(Job { run, done }))
        .await
        .map_err(|_| DbError::Unavailable("bộ ghi cơ sở dữ liệu đã dừng".into()))?;
    let output = wait
        .await
        .map_err(|_| DbError::Unavailable("bộ ghi cơ sở dữ liệu đã dừng".into()))??;
    output
        .downcast::<T>()
        .map(|b| *b)
        .map_err(|_| DbError::Internal("kiểu kết quả ghi không khớp".into()))
}

/// Runs the jobs queued so far, then closes the writer's connection; returns once it is
/// closed (at once when the writer had already stopped). Later jobs are refused.
pub(crate) async fn stop(queue: &mpsc::Sender<Msg>) {
    let (answer, closed) = oneshot::channel();
    if queue.send(Msg::Stop(answer)).await.is_ok() {
        let _ = closed.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thirty concurrent jobs, one in three failing (after its insert, or before it), on
    /// `pool` (and `direct`): the stored rows are exactly the successful jobs'.
    async fn failing_jobs_roll_back_alone(
        pool: SqlitePool,
        direct: Option<rusqlite::Connection>,
        fail_after_insert: bool,
    ) {
        sqlx::query("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let queue = start(pool.clone(), direct, None, Default::default()).unwrap();
        let mut waits = Vec::new();
        for n in 0..30i64 {
            let queue = queue.clone();
            waits.push(tokio::spawn(async move {
                submit(&queue, move |mut conn: Tx<'_>| {
                    boxed(async move {
                        let fails = n % 3 == 1;
                        if fails && !fail_after_insert {
                            return Err(DbError::Corrupt(format!("job {n} fails")));
                        }
                        conn.execute("INSERT INTO t (n) VALUES ($1)", args![n])
                            .await?;
                        if fails {
                            return Err(DbError::Corrupt(format!("job {n} fails")));
                        }
                        Ok(n)
                    })
                })
                .await
            }));
        }
        let mut ok = Vec::new();
        for w in waits {
            if let Ok(n) = w.await.unwrap() {
                ok.push(n);
            }
        }
        ok.sort_unstable();
        let stored: Vec<i64> = sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(stored, ok);
        assert_eq!(stored.len(), 20);
        assert!(stored.iter().all(|n| n % 3 != 1));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_job_rolls_back_alone_in_memory() {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        failing_jobs_roll_back_alone(pool, None, true).await;
    }

    /// A fresh database file and a one-connection pool on it.
    async fn file_pool() -> (std::path::PathBuf, SqlitePool) {
        let path = std::env::temp_dir().join(format!(
            "motcua-writer-{}-{}.db",
            std::process::id(),
            crate::random_token(6).unwrap()
        ));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        (path, pool)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_job_rolls_back_alone_on_the_direct_connection() {
        let (path, pool) = file_pool().await;
        let direct = rusqlite::Connection::open(&path).unwrap();
        failing_jobs_roll_back_alone(pool.clone(), Some(direct), false).await;

        // A job that fails after changing rows takes its batch down with it: nothing of it
        // stays, and the writer goes on with the next batch.
        let queue = start(
            pool.clone(),
            Some(rusqlite::Connection::open(&path).unwrap()),
            None,
            Default::default(),
        )
        .unwrap();
        let failed = submit(&queue, |mut conn: Tx<'_>| {
            boxed(async move {
                conn.execute("INSERT INTO t (n) VALUES (100)", &[]).await?;
                Err::<(), _>(DbError::Corrupt("fails after its insert".into()))
            })
        })
        .await;
        assert!(failed.is_err());
        let kept = submit(&queue, |mut conn: Tx<'_>| {
            boxed(async move { conn.execute("INSERT INTO t (n) VALUES (101)", &[]).await })
        })
        .await
        .unwrap();
        assert_eq!(kept, 1);
        let high: Vec<i64> = sqlx::query_scalar("SELECT n FROM t WHERE n >= 100")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(high, vec![101]);
        let _ = std::fs::remove_file(&path);
    }

    /// A writer on a fresh database file with the log flushed by `log_path`'s thread.
    async fn flushed_writer(
        log_path: Option<&str>,
    ) -> (
        std::path::PathBuf,
        SqlitePool,
        mpsc::Sender<Msg>,
        std::sync::Arc<crate::engine::Durable>,
    ) {
        let (path, pool) = file_pool().await;
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let direct = crate::engine::open_writer(&path, crate::Durability::Full).unwrap();
        let wal = log_path.map_or_else(|| format!("{}-wal", path.display()), str::to_string);
        let (log, durable) = Log::start(wal.into()).unwrap();
        let queue = start(pool.clone(), Some(direct), Some(log), Default::default()).unwrap();
        (path, pool, queue, durable)
    }

    /// Stops the writer, closes the pool and removes the database files.
    async fn close_and_remove(queue: mpsc::Sender<Msg>, pool: SqlitePool, path: &std::path::Path) {
        stop(&queue).await;
        pool.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }

    fn insert(n: i64) -> impl for<'c> FnOnce(Tx<'c>) -> BoxFuture<'c, Result<u64, DbError>> {
        move |mut conn: Tx<'_>| {
            boxed(async move {
                conn.execute("INSERT INTO t (n) VALUES ($1)", args![n])
                    .await
            })
        }
    }

    /// Jobs are answered only once their commit is flushed: after the last answer, every
    /// commit begun is on disk, and a read has nothing to wait for.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_are_answered_after_their_commit_is_flushed() {
        let (path, pool, queue, durable) = flushed_writer(None).await;
        let mut waits = Vec::new();
        for n in 0..40i64 {
            let queue = queue.clone();
            waits.push(tokio::spawn(async move { submit(&queue, insert(n)).await }));
        }
        for w in waits {
            assert_eq!(w.await.unwrap().unwrap(), 1);
        }
        let begun = durable.begun();
        assert!(begun >= 1);
        assert_eq!(durable.flushed(), begun);
        durable.wait().await.unwrap();
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(stored, 40);
        close_and_remove(queue, pool, &path).await;
    }

    /// While jobs keep coming, the writer still hands sqlx's write connection back every
    /// few batches, so the process's other writes are not starved.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn other_writes_get_their_turn_under_a_stream_of_jobs() {
        let (path, pool, queue, _durable) = flushed_writer(None).await;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut producers = Vec::new();
        for p in 0..16i64 {
            let queue = queue.clone();
            let stop = std::sync::Arc::clone(&stop);
            producers.push(tokio::spawn(async move {
                let mut n = 0i64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    submit(&queue, insert(p * 1_000_000 + n)).await.unwrap();
                    n += 1;
                }
                n
            }));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let mut other = Vec::new();
        for n in 0..5i64 {
            let wrote = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                sqlx::query("INSERT INTO t (n) VALUES ($1)")
                    .bind(-1 - n)
                    .execute(&pool),
            )
            .await;
            other.push(wrote.is_ok_and(|r| r.is_ok()));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut jobs = 0;
        for p in producers {
            jobs += p.await.unwrap();
        }
        assert_eq!(other, vec![true; 5]);
        let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(stored, jobs + 5);
        close_and_remove(queue, pool, &path).await;
    }

    /// A log that cannot be flushed answers the batch with an error naming the problem,
    /// and the writer takes no more work: nothing is acknowledged that may not be on disk.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_flush_answers_errors_and_stops_the_writer() {
        let (path, pool, queue, durable) =
            flushed_writer(Some("/nonexistent-motcua-dir/bench.db-wal")).await;
        let first = submit(&queue, insert(1)).await.unwrap_err();
        // A disk that cannot be synced makes the database unavailable, not its data damaged.
        assert!(matches!(first, DbError::Unavailable(_)), "{first:?}");
        let first = first.to_string();
        assert!(
            first.contains("không bảo đảm được dữ liệu đã ghi xuống đĩa"),
            "{first}"
        );
        assert!(first.contains("nonexistent-motcua-dir"), "{first}");
        let second = submit(&queue, insert(2)).await.unwrap_err().to_string();
        assert!(second.contains("khởi động lại"), "{second}");
        assert!(durable.wait().await.is_err());
        // Once stopped, the writer refuses work as unavailable.
        stop(&queue).await;
        let after = submit(&queue, insert(3)).await.unwrap_err();
        assert!(matches!(after, DbError::Unavailable(_)), "{after:?}");
        close_and_remove(queue, pool, &path).await;
    }
}
