//! The SQLite writer thread's own connection (rusqlite, beside sqlx's pools), with each
//! statement prepared once (its `$n` placeholders rewritten to SQLite's numbered `?n`, so
//! arguments bind by position), and the stores' followers that keep work across a batch.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::OpenFlags;

use super::{Arg, Durability, Follower, Log, Shared};
use crate::DbError;

pub(crate) struct Lite {
    conn: rusqlite::Connection,
    /// SQL texts by address and length, as prepared (`$n` → `?n`).
    texts: HashMap<(usize, usize), Box<str>>,
    /// SQL texts built at run time, by the caller's key (already written with `?n`).
    built: HashMap<u64, Box<str>>,
    /// What the stores keep across the batch ([`Follower`]), one of each kind.
    followers: Vec<Box<dyn Follower>>,
    /// The state the stores share with the rest of the process.
    shared: Arc<Shared>,
}

impl Lite {
    pub(crate) fn new(conn: rusqlite::Connection, shared: Arc<Shared>) -> Self {
        Self {
            conn,
            texts: HashMap::new(),
            built: HashMap::new(),
            followers: Vec::new(),
            shared,
        }
    }

    /// The connection itself.
    pub(crate) fn conn(&self) -> &rusqlite::Connection {
        &self.conn
    }

    /// The state the stores share with the rest of the process.
    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// The follower of type `T`, made by `make` the first time it is asked for.
    pub(crate) fn follower<T: Follower>(
        &mut self,
        make: impl FnOnce(&Self) -> Result<T, DbError>,
    ) -> Result<&mut T, DbError> {
        if !self.followers.iter().any(|f| f.as_any().is::<T>()) {
            let made = Box::new(make(self)?);
            self.followers.push(made);
        }
        self.followers
            .iter_mut()
            .find_map(|f| f.as_any_mut().downcast_mut::<T>())
            .ok_or_else(|| DbError::Internal("bộ ghi không giữ được việc theo lô".into()))
    }

    /// Runs `each` on every follower, each given the connection (the followers are set
    /// aside meanwhile); the first error stops it.
    fn with_followers(
        &mut self,
        mut each: impl FnMut(&mut dyn Follower, &mut Self) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let mut followers = std::mem::take(&mut self.followers);
        let mut out = Ok(());
        for f in &mut followers {
            out = each(f.as_mut(), self);
            if out.is_err() {
                break;
            }
        }
        // A follower made meanwhile (none is, but nothing is lost if one were) stays too.
        followers.append(&mut self.followers);
        self.followers = followers;
        out
    }

    /// The running job ended: what it staged is kept for the batch, or dropped.
    pub(crate) fn job_settled(&mut self, succeeded: bool) {
        for f in &mut self.followers {
            f.job_settled(succeeded);
        }
    }

    /// Inside the batch's transaction, before its COMMIT: the followers write what the
    /// batch staged.
    pub(crate) fn before_commit(&mut self) -> Result<(), DbError> {
        self.with_followers(|f, lite| f.before_commit(lite))
    }

    /// After the batch's COMMIT.
    pub(crate) fn committed(&mut self) {
        for f in &mut self.followers {
            f.committed();
        }
    }

    /// The batch rolled back: whatever was staged is dropped.
    pub(crate) fn rolled_back(&mut self) {
        for f in &mut self.followers {
            f.rolled_back();
        }
    }

    /// Between batches, outside any transaction: each follower's own upkeep.
    pub(crate) fn idle(&mut self, log: Option<&Log>) {
        let _ = self.with_followers(|f, lite| {
            f.idle(lite, log);
            Ok(())
        });
    }

    /// The prepared statement for `sql` with `args` bound (`$1` is `args[0]`).
    pub(crate) fn statement(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<rusqlite::CachedStatement<'_>, DbError> {
        let text = self
            .texts
            .entry((sql.as_ptr() as usize, sql.len()))
            .or_insert_with(|| numbered(sql).into_boxed_str());
        let mut stmt = self.conn.prepare_cached(text)?;
        bind(&mut stmt, args)?;
        Ok(stmt)
    }

    /// Runs `sql`, an INSERT ending in `RETURNING id`, without that clause (see
    /// [`crate::engine::Tx::insert`]); the new row's id.
    pub(crate) fn insert(&mut self, sql: &'static str, args: &[Arg<'_>]) -> Result<i64, DbError> {
        let plain = sql.trim_end().strip_suffix("RETURNING id").ok_or_else(|| {
            DbError::Internal("câu lệnh thêm dòng không kết thúc bằng RETURNING id".into())
        })?;
        self.statement(plain, args)?.raw_execute()?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The prepared statement for the SQL text `build` makes for `key` (built once per
    /// key, with `?n` placeholders), with `args` bound by position.
    pub(crate) fn built_statement(
        &mut self,
        key: u64,
        build: impl FnOnce() -> String,
        args: &[Arg<'_>],
    ) -> Result<rusqlite::CachedStatement<'_>, DbError> {
        let text = self
            .built
            .entry(key)
            .or_insert_with(|| build().into_boxed_str());
        let mut stmt = self.conn.prepare_cached(text)?;
        bind(&mut stmt, args)?;
        Ok(stmt)
    }

    /// Rows changed on this connection since it was opened.
    pub(crate) fn total_changes(&self) -> u64 {
        self.conn.total_changes()
    }
}

/// A direct connection to the database file, read-only or not, waiting up to ten seconds
/// for a lock as sqlx's connections do.
pub(super) fn open(path: &Path, read_only: bool) -> Result<rusqlite::Connection, rusqlite::Error> {
    let access = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    };
    let conn =
        rusqlite::Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

/// The writer thread's own connection to the database file, with the pool's settings,
/// except that with full durability its commits do not wait for the disk: the flushing
/// thread ([`crate::flush`]) syncs the log before the commit's jobs are answered.
/// Checkpoints still sync the log before they copy it and the database after.
pub(crate) fn open_writer(
    path: &Path,
    durability: Durability,
) -> Result<rusqlite::Connection, rusqlite::Error> {
    let conn = open(path, false)?;
    conn.execute_batch(match durability {
        Durability::Full => "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
        Durability::Bulk => "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;",
    })?;
    // Statement journals stay in memory; a larger page cache keeps the indexes a batch
    // touches from being read again; checkpoints come every 10,000 log pages (40 MB) instead
    // of 1,000, so a page that many commits change is copied back to the database once.
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;
         PRAGMA wal_autocheckpoint = 10000;",
    )?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(conn)
}

/// Binds `args` to the statement's `?1`, `?2`, … in order.
pub(super) fn bind(stmt: &mut rusqlite::Statement<'_>, args: &[Arg<'_>]) -> Result<(), DbError> {
    for index in 1..=stmt.parameter_count() {
        let arg = args
            .get(index - 1)
            .ok_or_else(|| DbError::Internal(format!("thiếu tham số ${index} của câu lệnh")))?;
        match *arg {
            Arg::Int(v) => stmt.raw_bind_parameter(index, v)?,
            Arg::Text(v) => stmt.raw_bind_parameter(index, v)?,
        }
    }
    Ok(())
}

/// `sql` with each `$n` placeholder written `?n`.
fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered() {
        assert_eq!(
            numbered("UPDATE t SET a = $2, b = $10 WHERE c = $1 AND d = '$x'"),
            "UPDATE t SET a = ?2, b = ?10 WHERE c = ?1 AND d = '$x'"
        );
    }
}
