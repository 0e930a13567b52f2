//! Read-only direct connections to a SQLite database file, for point reads on the calling
//! thread.

use std::path::Path;

use super::Arg;
use super::lite::{bind, open};
use crate::DbError;

/// Read-only connections to the database file for point reads on the calling thread (the
/// public lookup, a dossier by id): a prepared statement and one row, with no hand-off to
/// another thread. Connections are opened as needed and kept for reuse.
pub(crate) struct Readers {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
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
