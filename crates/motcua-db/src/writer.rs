//! Group commit for SQLite: one task owns the writer connection and runs the write jobs
//! that queued up meanwhile in one transaction, each in its own (nested) savepoint, so one
//! fsync makes many acknowledged writes durable. A job that fails is rolled back alone.

use sqlx::SqliteConnection;
use sqlx::sqlite::SqlitePool;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

use crate::DbError;

type Output = Result<Box<dyn Any + Send>, DbError>;
pub(crate) type BoxFuture<'c, T> = Pin<Box<dyn Future<Output = T> + Send + 'c>>;
type JobFn = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Output> + Send>;

pub(crate) struct Job {
    run: JobFn,
    done: oneshot::Sender<Output>,
}

/// Most jobs in one transaction.
const BATCH: usize = 256;

/// Starts the writer task for `pool` (a pool of one connection).
pub(crate) fn start(pool: SqlitePool) -> mpsc::Sender<Job> {
    let (tx, mut rx) = mpsc::channel::<Job>(4096);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            run_batch(&pool, jobs).await;
        }
    });
    tx
}

async fn run_batch(pool: &SqlitePool, jobs: Vec<Job>) {
    let mut conn = match pool.acquire().await {
        Ok(c) => c,
        Err(e) => {
            fail_all(jobs, &e.to_string());
            return;
        }
    };
    if let Err(e) = sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await {
        fail_all(jobs, &e.to_string());
        return;
    }
    let mut finished = Vec::with_capacity(jobs.len());
    for job in jobs {
        let savepoint = sqlx::query("SAVEPOINT job").execute(&mut *conn).await;
        let output = match savepoint {
            Ok(_) => (job.run)(&mut conn).await,
            Err(e) => Err(DbError::Sql(e)),
        };
        // A job that succeeded keeps its savepoint open until the COMMIT releases them all
        // (one statement fewer per job); a failing job rolls back to its own savepoint, the
        // innermost one named `job`, and releases it, leaving the earlier jobs' work intact.
        let settle = if output.is_ok() {
            Ok(())
        } else {
            match sqlx::query("ROLLBACK TO job").execute(&mut *conn).await {
                Ok(_) => sqlx::query("RELEASE job")
                    .execute(&mut *conn)
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            }
        };
        if let Err(e) = settle {
            // The transaction is in an unknown state: give up on the whole batch.
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            let message = e.to_string();
            fail_all_done(finished, &message);
            let _ = job.done.send(Err(DbError::Corrupt(message)));
            return;
        }
        finished.push((job.done, output));
    }
    match sqlx::query("COMMIT").execute(&mut *conn).await {
        Ok(_) => {
            for (done, output) in finished {
                let _ = done.send(output);
            }
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            fail_all_done(finished, &e.to_string());
        }
    }
}

fn fail_all(jobs: Vec<Job>, message: &str) {
    for job in jobs {
        let _ = job
            .done
            .send(Err(DbError::Corrupt(format!("không ghi được: {message}"))));
    }
}

fn fail_all_done(done: Vec<(oneshot::Sender<Output>, Output)>, message: &str) {
    for (sender, _) in done {
        let _ = sender.send(Err(DbError::Corrupt(format!("không ghi được: {message}"))));
    }
}

/// Boxes a job's future (a coercion point for the writer's job type).
pub(crate) fn boxed<'c, T>(f: impl Future<Output = T> + Send + 'c) -> BoxFuture<'c, T> {
    Box::pin(f)
}

/// Queues `f` on the writer and waits until its transaction is committed (or failed).
pub(crate) async fn submit<T, F>(queue: &mpsc::Sender<Job>, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, DbError>>
        + Send
        + 'static,
{
    let (done, wait) = oneshot::channel();
    let run: JobFn = Box::new(move |conn| {
        Box::pin(async move { f(conn).await.map(|v| Box::new(v) as Box<dyn Any + Send>) })
    });
    queue
        .send(Job { run, done })
        .await
        .map_err(|_| DbError::Corrupt("bộ ghi cơ sở dữ liệu đã dừng".into()))?;
    let output = wait
        .await
        .map_err(|_| DbError::Corrupt("bộ ghi cơ sở dữ liệu đã dừng".into()))??;
    output
        .downcast::<T>()
        .map(|b| *b)
        .map_err(|_| DbError::Corrupt("kiểu kết quả ghi không khớp".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs that fail between jobs that succeed roll back alone, whatever their order.
    #[tokio::test]
    async fn a_failing_job_in_a_batch_rolls_back_alone() {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let queue = start(pool.clone());
        let mut waits = Vec::new();
        for n in 0..30i64 {
            let queue = queue.clone();
            waits.push(tokio::spawn(async move {
                submit(&queue, move |conn: &mut SqliteConnection| {
                    boxed(async move {
                        sqlx::query("INSERT INTO t (n) VALUES ($1)")
                            .bind(n)
                            .execute(&mut *conn)
                            .await?;
                        if n % 3 == 1 {
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
}
