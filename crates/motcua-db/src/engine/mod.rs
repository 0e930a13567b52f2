//! The engine, below every store: connecting to SQLite or PostgreSQL from a URL, the
//! macros that run one body per engine, and what they hide — SQLite's group-commit writer
//! thread, its flushing thread and its point readers, PostgreSQL's pool. The stores reach
//! it only through [`Tx`], the macros, [`Db::readers`], [`Db::shared`] and their own
//! [`Follower`]s; the engine imports no store.

#[macro_use]
mod tx;
mod flush;
mod follower;
mod lite;
mod readers;
mod shared;
pub(crate) mod writer;

pub use flush::Durable;
pub(crate) use flush::{Answers, Log};
pub(crate) use follower::Follower;
pub(crate) use lite::{Lite, open_writer};
pub(crate) use readers::Readers;
pub(crate) use shared::Shared;
pub(crate) use tx::{Arg, Held, Owned, Tx};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

use crate::DbError;

/// Which engine a `Db` runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Engine {
    /// One writer connection (SQLite allows one writer; queuing in the pool avoids busy
    /// errors) and a pool of readers beside it (WAL lets them read while it writes).
    Sqlite {
        write: SqlitePool,
        read: SqlitePool,
        /// The group-commit writer that intakes and transitions go through.
        queue: tokio::sync::mpsc::Sender<crate::engine::writer::Msg>,
        /// Point reads on the calling thread (a database file only).
        readers: Option<std::sync::Arc<crate::engine::Readers>>,
        /// How far the writer's commits are on disk (full durability on a file only).
        durable: Option<std::sync::Arc<crate::engine::Durable>>,
    },
    Postgres(PgPool),
}

/// The database: cheap to clone, shared by the server, the worker and the commands.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) engine: Engine,
    /// What the stores keep for the life of the database (caches, kept views).
    pub(crate) shared: std::sync::Arc<Shared>,
}

/// Runs `$body` with `$pool` bound to the pool that takes writes.
macro_rules! on_write {
    ($db:expr, $pool:ident => $body:expr) => {
        match &$db.engine {
            $crate::engine::Engine::Sqlite { write: $pool, .. } => $body,
            $crate::engine::Engine::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$pool` bound to a pool for reads.
macro_rules! on_read {
    ($db:expr, $pool:ident => $body:expr) => {
        match &$db.engine {
            $crate::engine::Engine::Sqlite { read: $pool, .. } => $body,
            $crate::engine::Engine::Postgres($pool) => $body,
        }
    };
}

/// How hard SQLite works to make each commit durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// Every acknowledged commit survives a power cut (`synchronous=FULL`): the default.
    #[default]
    Full,
    /// For bulk loads that can be redone (demo seeding, benchmark set-up):
    /// `synchronous=OFF`. Never for serving.
    Bulk,
}

/// Runs `$body` (which evaluates to `Result<T, DbError>`) as one atomic write with `$conn`
/// bound to the transaction's [`Tx`](crate::engine::Tx): on SQLite through the group-commit
/// writer (the body must own what it uses), on PostgreSQL in its own transaction, whose
/// [`Tx::write`]s are held back and sent together before the commit at the latest.
macro_rules! grouped_write {
    ($db:expr, $conn:ident => $body:expr) => {
        match &$db.engine {
            $crate::engine::Engine::Sqlite { queue, .. } => {
                $crate::engine::writer::submit(queue, move |mut $conn: $crate::engine::Tx<'_>| {
                    $crate::engine::writer::boxed(async move {
                        let $conn = &mut $conn;
                        $body
                    })
                })
                .await
            }
            $crate::engine::Engine::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let mut held = $crate::engine::Held::default();
                let out = {
                    let mut conn = $crate::engine::Tx::PgHeld(&mut *tx, &mut held);
                    let $conn = &mut conn;
                    async { $body }.await
                };
                // Sending what is held and committing fail as the body would: the caller
                // sees the error as the write's outcome.
                match out {
                    Ok(value) => match held.send(&mut *tx).await {
                        Ok(()) => match tx.commit().await {
                            Ok(()) => Ok(value),
                            Err(e) => Err($crate::DbError::from(e)),
                        },
                        Err(e) => Err(e),
                    },
                    Err(e) => Err(e),
                }
            }
        }
    };
}

/// Whether `name` may name a test or benchmark database: lower-case letters, digits, `_`.
fn test_database_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Db {
    /// Opens `url` with full durability; see [`Db::connect_with`].
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        Self::connect_with(url, Durability::Full).await
    }

    /// Writes a consistent copy of a SQLite database to the new file `target` while it
    /// serves (`VACUUM INTO`: one read transaction, so the copy is the database as of one
    /// commit). PostgreSQL is copied with `pg_dump` instead.
    pub async fn snapshot_into(&self, target: &std::path::Path) -> Result<(), DbError> {
        let Engine::Sqlite { read, .. } = &self.engine else {
            return Err(DbError::invalid(
                "database",
                "bản sao trực tiếp chỉ dành cho SQLite; PostgreSQL dùng pg_dump",
            ));
        };
        let target = target.to_string_lossy().into_owned();
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(read)
            .await?;
        Ok(())
    }

    /// Moves every commit of a SQLite file's log into the file itself and empties the log
    /// (before the file is moved: a log left behind would be lost with it). Nothing to do
    /// on PostgreSQL.
    pub async fn checkpoint_log(&self) -> Result<(), DbError> {
        let Engine::Sqlite { write, .. } = &self.engine else {
            return Ok(());
        };
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(write)
            .await?;
        let busy: i64 = sqlx::Row::try_get(&row, 0)?;
        if busy != 0 {
            return Err(DbError::Unavailable(
                "không gộp được nhật ký ghi (WAL) vào tệp: còn kết nối đang đọc".into(),
            ));
        }
        Ok(())
    }

    /// The file a `sqlite:` URL names (`None` for PostgreSQL and in-memory databases).
    pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
        if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains("mode=memory") {
            return None;
        }
        SqliteConnectOptions::from_str(url)
            .ok()
            .map(|o| o.get_filename().to_path_buf())
    }

    /// Opens `url`: `sqlite://path/to/file.db` (created if missing), `sqlite::memory:`,
    /// or `postgres://user:pass@host/db`.
    pub async fn connect_with(url: &str, durability: Durability) -> Result<Self, DbError> {
        let connect_error = |e: sqlx::Error| DbError::Connect {
            url: redact(url),
            reason: e.to_string(),
        };
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(connect_error)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(match durability {
                    Durability::Full => SqliteSynchronous::Full,
                    Durability::Bulk => SqliteSynchronous::Off,
                })
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options.clone())
                .await
                .map_err(connect_error)?;
            // An in-memory database exists only on its one connection.
            let read = if memory {
                write.clone()
            } else {
                SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options.clone().read_only(true))
                    .await
                    .map_err(connect_error)?
            };
            let readers =
                (!memory).then(|| std::sync::Arc::new(Readers::new(options.get_filename())));
            let direct = if memory {
                None
            } else {
                Some(
                    open_writer(options.get_filename(), durability).map_err(|e| {
                        DbError::Connect {
                            url: redact(url),
                            reason: e.to_string(),
                        }
                    })?,
                )
            };
            // The writer's commits are flushed by a thread of their own (full durability
            // on a file); a bulk load does not flush at all.
            let (log, durable) = if direct.is_some() && durability == Durability::Full {
                let mut wal = options.get_filename().as_os_str().to_owned();
                wal.push("-wal");
                let (log, durable) = Log::start(wal.into())?;
                (Some(log), Some(durable))
            } else {
                (None, None)
            };
            let shared = std::sync::Arc::new(Shared::default());
            let queue = writer::start(write.clone(), direct, log, std::sync::Arc::clone(&shared))?;
            Ok(Self {
                engine: Engine::Sqlite {
                    write,
                    read,
                    queue,
                    readers,
                    durable,
                },
                shared,
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url).map_err(connect_error)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(connect_error)?;
            Ok(Self {
                engine: Engine::Postgres(pool),
                shared: std::sync::Arc::default(),
            })
        } else {
            Err(DbError::Connect {
                url: redact(url),
                reason: "chỉ hỗ trợ sqlite:// hoặc postgres://".into(),
            })
        }
    }

    /// Waits until every write a read so far could have seen is on disk, so an answer
    /// built from reads never reports a write a power cut could still undo. Writes are
    /// answered after their own commit is on disk; this is for answers built from reads.
    /// Immediate on PostgreSQL (a commit is visible once durable) and when no SQLite
    /// commit is waiting for the disk.
    pub async fn durable(&self) -> Result<(), DbError> {
        match &self.engine {
            Engine::Sqlite {
                durable: Some(d), ..
            } => d.wait().await,
            _ => Ok(()),
        }
    }

    /// The value of type `T` the stores keep for the life of this database (and its
    /// clones), made on first use.
    pub(crate) fn shared<T: Default + Send + Sync + 'static>(&self) -> std::sync::Arc<T> {
        self.shared.get::<T>()
    }

    /// The direct point readers, on a SQLite database file.
    pub(crate) fn readers(&self) -> Option<&crate::engine::Readers> {
        match &self.engine {
            Engine::Sqlite {
                readers: Some(r), ..
            } => Some(r),
            _ => None,
        }
    }

    pub fn kind(&self) -> EngineKind {
        match self.engine {
            Engine::Sqlite { .. } => EngineKind::Sqlite,
            Engine::Postgres(_) => EngineKind::Postgres,
        }
    }

    /// Creates a database named `name` on this PostgreSQL server (for fresh test and
    /// benchmark databases). Names are limited to lower-case letters, digits and `_`.
    pub async fn create_database_for_tests(&self, name: &str) -> Result<(), DbError> {
        let safe = test_database_name(name);
        let Engine::Postgres(pool) = &self.engine else {
            return Err(DbError::invalid(
                "database",
                "chỉ tạo được cơ sở dữ liệu trên PostgreSQL",
            ));
        };
        if !safe {
            return Err(DbError::invalid(
                "database",
                format!("tên cơ sở dữ liệu “{name}” không hợp lệ"),
            ));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(pool)
            .await?;
        Ok(())
    }

    /// The names of the databases on this PostgreSQL server.
    pub async fn database_names(&self) -> Result<Vec<String>, DbError> {
        let Engine::Postgres(pool) = &self.engine else {
            return Err(DbError::invalid(
                "database",
                "chỉ liệt kê được cơ sở dữ liệu trên PostgreSQL",
            ));
        };
        Ok(
            sqlx::query_scalar("SELECT datname::text FROM pg_database ORDER BY datname")
                .fetch_all(pool)
                .await?,
        )
    }

    /// Drops the database named `name` on this PostgreSQL server, ending its sessions (what
    /// [`Db::create_database_for_tests`] made, once done with).
    pub async fn drop_database_for_tests(&self, name: &str) -> Result<(), DbError> {
        let Engine::Postgres(pool) = &self.engine else {
            return Err(DbError::invalid(
                "database",
                "chỉ xoá được cơ sở dữ liệu trên PostgreSQL",
            ));
        };
        if !test_database_name(name) {
            return Err(DbError::invalid(
                "database",
                format!("tên cơ sở dữ liệu “{name}” không hợp lệ"),
            ));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(pool)
        .await?;
        Ok(())
    }

    /// Closes every connection. On SQLite the readers close first and a writing connection
    /// last, so that it moves the log (WAL) into the file and removes it: the file alone is
    /// then the whole database. Writes queued before the close still run; later ones fail.
    pub async fn close(&self) {
        match &self.engine {
            Engine::Sqlite {
                write,
                read,
                queue,
                readers,
                ..
            } => {
                read.close().await;
                if let Some(readers) = readers {
                    readers.close();
                }
                writer::stop(queue).await;
                write.close().await;
            }
            Engine::Postgres(pool) => pool.close().await,
        }
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact("postgres://motcua:secret@127.0.0.1:5432/db"),
            "postgres://motcua:***@127.0.0.1:5432/db"
        );
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}
