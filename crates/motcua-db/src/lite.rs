//! Direct SQLite connections (rusqlite, beside sqlx's pools): the writer thread's own, with
//! each statement prepared once (its `$n` placeholders rewritten to SQLite's numbered `?n`,
//! so arguments bind by position) and the statistics counters of a whole group commit
//! collected into one pending record; and the read-only ones for point reads.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::OpenFlags;

use crate::DbError;
use crate::engine::Durability;
use crate::statistics::counts::StatRow;
use crate::statistics::pending::Sums;
use crate::tx::Arg;
use crate::views::PublicViews;

pub(crate) struct Lite {
    conn: rusqlite::Connection,
    /// SQL texts by address and length, as prepared (`$n` → `?n`).
    texts: HashMap<(usize, usize), Box<str>>,
    /// SQL texts built at run time, by the caller's key (already written with `?n`).
    built: HashMap<u64, Box<str>>,
    /// Counter rows of the job running now.
    job_stats: Vec<StatRow>,
    /// Counter rows of the batch's jobs that succeeded.
    batch_stats: Vec<StatRow>,
    /// The public lookup's kept views, dropped after a commit changes their dossiers.
    views: Option<Arc<PublicViews>>,
    /// Codes of dossiers the running job changed, then those of the batch's jobs that
    /// succeeded.
    job_changed: Vec<String>,
    batch_changed: Vec<String>,
    /// The pending counter records a job of the batch asked to have added in its commit,
    /// read and summed.
    fold: Option<Sums>,
    /// Counter records pending after the last commit, and after the batch's commit.
    pending: usize,
    pending_next: Option<usize>,
}

impl Lite {
    pub(crate) fn new(conn: rusqlite::Connection) -> Self {
        Self {
            conn,
            texts: HashMap::new(),
            built: HashMap::new(),
            job_stats: Vec::new(),
            batch_stats: Vec::new(),
            views: None,
            job_changed: Vec::new(),
            batch_changed: Vec::new(),
            fold: None,
            pending: 0,
            pending_next: None,
        }
    }

    /// The connection itself.
    pub(crate) fn conn(&self) -> &rusqlite::Connection {
        &self.conn
    }

    /// Counter records pending (as far as this connection knows).
    pub(crate) fn pending(&self) -> usize {
        self.pending
    }

    /// Sets how many counter records are pending (outside a batch).
    pub(crate) fn set_pending(&mut self, records: usize) {
        self.pending = records;
    }

    /// Sets how many counter records will be pending once the running batch commits.
    pub(crate) fn pending_after_commit(&mut self, records: usize) {
        self.pending_next = Some(records);
    }

    /// Whether a job of the batch asked for the pending counter records to be added.
    pub(crate) fn fold_requested(&self) -> bool {
        self.fold.is_some()
    }

    /// Keeps the pending counter records, summed, to be added before the batch's commit.
    pub(crate) fn request_fold(&mut self, sums: Sums) {
        self.fold = Some(sums);
    }

    /// The pending counter records a job asked to have added, if one did.
    pub(crate) fn take_fold(&mut self) -> Option<Sums> {
        self.fold.take()
    }

    /// The same, dropping `views` of the dossiers its commits change.
    pub(crate) fn with_views(mut self, views: Option<Arc<PublicViews>>) -> Self {
        self.views = views;
        self
    }

    /// Notes a dossier the running job changes.
    pub(crate) fn dossier_changed(&mut self, code: &str) {
        if self.views.is_some() {
            self.job_changed.push(code.to_string());
        }
    }

    /// After the batch's commit: drops the views of the dossiers it changed, and counts
    /// the counter records it left pending.
    pub(crate) fn committed(&mut self) {
        if let Some(records) = self.pending_next.take() {
            self.pending = records;
        }
        let codes = std::mem::take(&mut self.batch_changed);
        if let Some(views) = &self.views
            && !codes.is_empty()
        {
            views.changed(&codes);
        }
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
    /// [`crate::tx::Tx::insert`]); the new row's id.
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

    /// Keeps counter rows of the running job until it is settled.
    pub(crate) fn stage_stats(&mut self, rows: &[StatRow]) {
        self.job_stats.extend_from_slice(rows);
    }

    /// Settles the running job's counter rows: added to the batch's when it succeeded,
    /// dropped when it rolled back.
    pub(crate) fn job_settled(&mut self, succeeded: bool) {
        let rows = std::mem::take(&mut self.job_stats);
        let changed = std::mem::take(&mut self.job_changed);
        if !succeeded {
            return;
        }
        self.batch_changed.extend(changed);
        self.batch_stats.extend(rows);
    }

    /// The counter rows of the batch's jobs that succeeded (none left staged after), as
    /// they came: they are summed when the pending records are added up.
    pub(crate) fn take_batch_stats(&mut self) -> Vec<StatRow> {
        self.job_stats.clear();
        std::mem::take(&mut self.batch_stats)
    }

    /// Drops whatever counter rows and changed dossiers are staged (the batch rolled back).
    pub(crate) fn discard_staged(&mut self) {
        self.job_stats.clear();
        self.batch_stats.clear();
        self.job_changed.clear();
        self.batch_changed.clear();
        self.fold = None;
        self.pending_next = None;
    }
}

/// A direct connection to the database file, read-only or not, waiting up to ten seconds
/// for a lock as sqlx's connections do.
fn open(path: &Path, read_only: bool) -> Result<rusqlite::Connection, rusqlite::Error> {
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
fn bind(stmt: &mut rusqlite::Statement<'_>, args: &[Arg<'_>]) -> Result<(), DbError> {
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

/// Read-only connections to the database file for point reads on the calling thread (the
/// public lookup, a dossier by id): a prepared statement and one row, with no hand-off to
/// another thread. Connections are opened as needed and kept for reuse.
pub(crate) struct Readers {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
    /// The public lookup's views, kept between lookups.
    pub(crate) views: Arc<PublicViews>,
}

/// Most idle connections kept (each keeps its own page cache).
const IDLE_READERS: usize = 4;

impl std::fmt::Debug for Readers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Readers").field("path", &self.path).finish()
    }
}

impl Readers {
    pub(crate) fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            idle: std::sync::Mutex::new(Vec::new()),
            views: Arc::new(PublicViews::new()),
        }
    }

    /// The row `sql` returns for `key` (its one parameter), mapped by `map`; None if none.
    pub(crate) fn one<T>(
        &self,
        sql: &'static str,
        key: Arg<'_>,
        map: impl FnOnce(&rusqlite::Row<'_>) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        let conn = self.take()?;
        let out = (|| {
            let mut stmt = conn.prepare_cached(sql)?;
            bind(&mut stmt, &[key])?;
            let mut rows = stmt.raw_query();
            match rows.next()? {
                Some(row) => map(row).map(Some),
                None => Ok(None),
            }
        })();
        self.give_back(conn);
        out
    }

    /// Closes the idle connections (those in use close when given back).
    pub(crate) fn close(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    fn take(&self) -> Result<rusqlite::Connection, DbError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(conn) => Ok(conn),
            None => {
                let conn = open(&self.path, true)?;
                // A few thousand pages of cache each, so that the lookups' index and row
                // pages are read from the file once rather than on every lookup.
                conn.execute_batch("PRAGMA cache_size = -8192;")?;
                Ok(conn)
            }
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < IDLE_READERS
        {
            idle.push(conn);
        }
    }
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
