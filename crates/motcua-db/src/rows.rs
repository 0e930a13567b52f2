//! Reading columns by name from either engine's rows.

use chrono::DateTime;
use motcua_domain::calendar::{Instant, vietnam_offset};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use crate::DbError;

/// Column access shared by SQLite and PostgreSQL rows, so row mapping is written once.
pub(crate) trait RowExt {
    fn int(&self, column: &str) -> Result<i64, sqlx::Error>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn text(&self, column: &str) -> Result<String, sqlx::Error>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error>;
}

macro_rules! impl_row_ext {
    ($row:ty) => {
        impl RowExt for $row {
            fn int(&self, column: &str) -> Result<i64, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error> {
                self.try_get(column)
            }
            fn text(&self, column: &str) -> Result<String, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error> {
                self.try_get(column)
            }
        }
    };
}

impl_row_ext!(SqliteRow);
impl_row_ext!(PgRow);

/// A column of a row read on a direct SQLite connection, its error as sqlx's.
fn lite<T: rusqlite::types::FromSql>(
    row: &rusqlite::Row<'_>,
    column: &str,
) -> Result<T, sqlx::Error> {
    row.get(column)
        .map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

impl RowExt for rusqlite::Row<'_> {
    fn int(&self, column: &str) -> Result<i64, sqlx::Error> {
        lite(self, column)
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error> {
        lite(self, column)
    }
    fn text(&self, column: &str) -> Result<String, sqlx::Error> {
        lite(self, column)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error> {
        lite(self, column)
    }
}

/// The instant stored as Unix seconds, in Vietnam time.
pub fn instant(seconds: i64) -> Result<Instant, DbError> {
    DateTime::from_timestamp(seconds, 0)
        .map(|t| t.with_timezone(&vietnam_offset()))
        .ok_or_else(|| DbError::Corrupt(format!("thời điểm {seconds}")))
}
