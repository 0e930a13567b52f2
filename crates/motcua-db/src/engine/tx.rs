//! One statement interface over the connections a write can run on: SQLite through its own
//! writer thread (prepared statements, no hand-off per statement), SQLite through sqlx (an
//! in-memory database, whose one connection sqlx owns), and PostgreSQL through sqlx.
//!
//! SQL keeps its `$n` placeholders on every path: on SQLite each `$n` is bound by its
//! number, so a statement may name a parameter twice or out of order.

use sqlx::{PgConnection, SqliteConnection};

use crate::DbError;

/// A statement parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}

impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Some(v))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Some(v.as_str()))
    }
}

impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::Text(v)
    }
}

impl<'a> From<&'a Option<String>> for Arg<'a> {
    fn from(v: &'a Option<String>) -> Self {
        Arg::Text(v.as_deref())
    }
}

/// The parameters of one statement, converted: `args![a, b, c]`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::engine::Arg::from($value)),*]
    };
}

/// The connection of an open transaction.
pub(crate) enum Tx<'c> {
    /// SQLite on the writer thread's own connection.
    Lite(&'c mut crate::engine::Lite),
    /// SQLite through sqlx.
    Sqlx(&'c mut SqliteConnection),
    Pg(&'c mut PgConnection),
}

impl<'c> From<&'c mut SqliteConnection> for Tx<'c> {
    fn from(conn: &'c mut SqliteConnection) -> Self {
        Tx::Sqlx(conn)
    }
}

impl<'c> From<&'c mut PgConnection> for Tx<'c> {
    fn from(conn: &'c mut PgConnection) -> Self {
        Tx::Pg(conn)
    }
}

/// Binds `args` to a sqlx query in order.
macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match *arg {
                Arg::Int(v) => query.bind(v),
                Arg::Text(v) => query.bind(v),
            };
        }
        query
    }};
}

/// Runs `$lite` on the writer thread's connection, or `$body` with `$q` the bound sqlx
/// query and `$conn` its connection.
macro_rules! per_conn {
    ($tx:expr, $sql:expr, $args:expr, |$lc:ident| $lite:expr, |$q:ident, $conn:ident| $body:expr) => {
        match $tx {
            Tx::Lite($lc) => $lite,
            Tx::Sqlx($conn) => {
                let $q = bind_all!(sqlx::query($sql), $args);
                $body
            }
            Tx::Pg($conn) => {
                let $q = bind_all!(sqlx::query($sql), $args);
                $body
            }
        }
    };
}

impl Tx<'_> {
    /// The same connection for a shorter borrow.
    pub(crate) fn reborrow(&mut self) -> Tx<'_> {
        match self {
            Tx::Lite(c) => Tx::Lite(c),
            Tx::Sqlx(c) => Tx::Sqlx(c),
            Tx::Pg(c) => Tx::Pg(c),
        }
    }

    /// Whether this is a SQLite connection (either path).
    pub(crate) fn is_sqlite(&self) -> bool {
        !matches!(self, Tx::Pg(_))
    }

    /// Runs a statement; the number of rows it changed.
    pub(crate) async fn execute(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<u64, DbError> {
        per_conn!(
            self,
            sql,
            args,
            |conn| Ok(conn.statement(sql, args)?.raw_execute()? as u64),
            |q, conn| Ok(q.execute(&mut **conn).await?.rows_affected())
        )
    }

    /// The first column of the first row, if the statement returns a row.
    pub(crate) async fn opt_int(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<Option<i64>, DbError> {
        per_conn!(
            self,
            sql,
            args,
            |conn| {
                let mut stmt = conn.statement(sql, args)?;
                let mut rows = stmt.raw_query();
                match rows.next()? {
                    Some(row) => Ok(Some(row.get(0)?)),
                    None => Ok(None),
                }
            },
            |q, conn| {
                let row = q.fetch_optional(&mut **conn).await?;
                match row {
                    Some(r) => Ok(Some(sqlx::Row::try_get::<i64, _>(&r, 0)?)),
                    None => Ok(None),
                }
            }
        )
    }

    /// The first column of the row the statement must return.
    pub(crate) async fn int(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<i64, DbError> {
        self.opt_int(sql, args)
            .await?
            .ok_or_else(|| DbError::Internal("câu lệnh không trả về dòng nào".into()))
    }

    /// Runs an INSERT ending in `RETURNING id`; the new row's id. On the writer's own SQLite
    /// connection the statement runs without its RETURNING clause and the id comes from the
    /// connection: SQLite carries RETURNING out as a trigger, which makes the insert keep a
    /// statement journal (a copy of every page it changes, in case it fails half-way).
    pub(crate) async fn insert(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<i64, DbError> {
        match self {
            Tx::Lite(conn) => conn.insert(sql, args),
            _ => self.int(sql, args).await,
        }
    }

    /// The first two columns (a number and a text) of the row the statement must return.
    pub(crate) async fn int_text(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<(i64, String), DbError> {
        let missing = || DbError::Internal("câu lệnh không trả về dòng nào".into());
        per_conn!(
            self,
            sql,
            args,
            |conn| {
                let mut stmt = conn.statement(sql, args)?;
                let mut rows = stmt.raw_query();
                let row = rows.next()?.ok_or_else(missing)?;
                Ok((row.get(0)?, row.get(1)?))
            },
            |q, conn| {
                let row = q.fetch_optional(&mut **conn).await?.ok_or_else(missing)?;
                Ok((
                    sqlx::Row::try_get::<i64, _>(&row, 0)?,
                    sqlx::Row::try_get::<String, _>(&row, 1)?,
                ))
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `$n` parameters bind by number on the direct path, also repeated and out of order.
    #[tokio::test]
    async fn numbered_parameters_bind_by_number() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT, c INTEGER)")
            .unwrap();
        let mut lite = crate::engine::Lite::new(conn, Default::default());
        let mut tx = Tx::Lite(&mut lite);
        let changed = tx
            .execute(
                "INSERT INTO t (c, b, a) VALUES ($3, $2, $1 + $3)",
                args![1i64, "x", Some(10i64)],
            )
            .await
            .unwrap();
        assert_eq!(changed, 1);
        let (a, b) = tx
            .int_text("SELECT a, b FROM t WHERE c = $1", args![10i64])
            .await
            .unwrap();
        assert_eq!((a, b.as_str()), (11, "x"));
        assert_eq!(
            tx.opt_int("SELECT a FROM t WHERE b = $1", args![None::<&str>])
                .await
                .unwrap(),
            None
        );
        assert!(tx.execute("SELECT $2", args![1i64]).await.is_err());
    }
}
