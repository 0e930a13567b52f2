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
    /// PostgreSQL holding back the statements given to [`Tx::write`] until the next
    /// statement that reads something (or the end of the transaction), then sending them
    /// as one: a round trip per group of writes instead of one per write.
    PgHeld(&'c mut PgConnection, &'c mut Held),
}

/// An owned statement parameter, for a statement held back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owned {
    Int(Option<i64>),
    Text(Option<String>),
    Bytes(Vec<u8>),
}

impl From<&Arg<'_>> for Owned {
    fn from(arg: &Arg<'_>) -> Self {
        match *arg {
            Arg::Int(v) => Owned::Int(v),
            Arg::Text(v) => Owned::Text(v.map(str::to_string)),
        }
    }
}

/// The writes a PostgreSQL transaction holds back ([`Tx::PgHeld`]), in order.
#[derive(Debug, Default)]
pub(crate) struct Held {
    parts: Vec<(&'static str, Vec<Owned>)>,
    /// The stand-in of a text only the last statement will know ([`Tx::send_with`]): held
    /// writes naming it may not be sent before.
    token: Option<String>,
}

impl Held {
    /// Holds `sql` with `args` back. The parts of one `WITH` run in no set order, so a
    /// statement held already under the same text must be one more row of a plain
    /// `INSERT … VALUES (…)` (the rows of one insert go in order); any other is sent first.
    pub(crate) async fn push(
        &mut self,
        conn: &mut PgConnection,
        sql: &'static str,
        args: Vec<Owned>,
    ) -> Result<(), DbError> {
        if values_tuple(sql).is_none() && self.parts.iter().any(|(held, _)| *held == sql) {
            self.send(conn).await?;
        }
        self.parts.push((sql, args));
        Ok(())
    }

    /// Sends what is held as one statement: a lone statement as it is; rows of one insert
    /// as one multi-row insert; different statements as the parts of one `WITH`.
    pub(crate) async fn send(&mut self, conn: &mut PgConnection) -> Result<(), DbError> {
        if let Some(token) = &self.token
            && self.parts.iter().any(|(_, args)| names(args, token))
        {
            return Err(DbError::Internal(
                "câu lệnh ghi còn chờ số thứ tự bị gửi trước".into(),
            ));
        }
        let mut parts = std::mem::take(&mut self.parts);
        if parts.len() <= 1 {
            if let Some((sql, args)) = parts.pop() {
                bind_owned(sqlx::query(sql), args)
                    .execute(&mut *conn)
                    .await?;
            }
            return Ok(());
        }
        let (sql, args) = combined(parts)?;
        // Made of the parts' own static texts and parameter numbers only.
        bind_owned(sqlx::query(sqlx::AssertSqlSafe(sql)), args)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// Whether a text among `args` contains `token`.
fn names(args: &[Owned], token: &str) -> bool {
    args.iter()
        .any(|a| matches!(a, Owned::Text(Some(t)) if t.contains(token)))
}

/// Binds owned parameters to a PostgreSQL query in order.
fn bind_owned<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>,
    args: impl IntoIterator<Item = Owned>,
) -> sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments> {
    for arg in args {
        query = match arg {
            Owned::Int(v) => query.bind(v),
            Owned::Text(v) => query.bind(v),
            Owned::Bytes(v) => query.bind(v),
        };
    }
    query
}

/// The head (through `VALUES`) and the one row tuple of a plain `INSERT … VALUES (…)`,
/// which more rows may join; `None` for any other statement.
fn values_tuple(sql: &str) -> Option<(&str, &str)> {
    if !sql.trim_start().starts_with("INSERT") {
        return None;
    }
    let at = sql.rfind("VALUES")?;
    let (head, tuple) = (
        &sql[..at + "VALUES".len()],
        sql[at + "VALUES".len()..].trim(),
    );
    let inner = tuple.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return None;
        }
    }
    (depth == 0).then_some((head, tuple))
}

/// Several held writes as one statement and its parameters in order: the rows of each
/// insert text joined into one multi-row insert (in the order they were held), and the
/// statements as `WITH w0 AS (first), w1 AS (second) last`, each part's `$n` moved past
/// the parameters before it.
fn combined(parts: Vec<(&'static str, Vec<Owned>)>) -> Result<(String, Vec<Owned>), DbError> {
    let (mut statements, all) = statements(parts, 0, None)?;
    let last = statements.pop().unwrap_or_default();
    let mut out = String::new();
    for (i, statement) in statements.iter().enumerate() {
        out.push_str(if i == 0 { "WITH " } else { ", " });
        out.push_str(&format!("w{i} AS ({statement})"));
    }
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&last);
    Ok((out, all))
}

/// The held writes sent after `first` (a statement returning a number and a text named
/// `text`) as one statement, `WITH n AS (first), w0 AS (…), … SELECT * FROM n`, where each
/// held text containing `token` has it replaced by the text `first` returned. The
/// parameters: `first`'s, then the token, then the writes'.
fn combined_after(
    first: &'static str,
    first_args: Vec<Owned>,
    token: &str,
    parts: Vec<(&'static str, Vec<Owned>)>,
) -> Result<(String, Vec<Owned>), DbError> {
    let mut out = String::from("WITH n AS (");
    renumber(first, 0, first_args.len(), &mut out)?;
    out.push(')');
    let token_at = first_args.len() + 1;
    let mut all = first_args;
    all.push(Owned::Text(Some(token.to_string())));
    let (statements, args) = statements(parts, all.len(), Some((token, token_at)))?;
    for (i, statement) in statements.iter().enumerate() {
        out.push_str(&format!(", w{i} AS ({statement})"));
    }
    out.push_str(" SELECT * FROM n");
    all.extend(args);
    Ok((out, all))
}

/// The held writes as statement texts (rows of one insert text joined) with their
/// parameters numbered from `offset + 1`, and those parameters in order. With a token
/// (and its parameter's number), a text parameter containing it is written as that text
/// with the token replaced by `n.text`.
fn statements(
    parts: Vec<(&'static str, Vec<Owned>)>,
    offset: usize,
    token: Option<(&str, usize)>,
) -> Result<(Vec<String>, Vec<Owned>), DbError> {
    let mut grouped: Vec<(&'static str, Vec<Vec<Owned>>)> = Vec::new();
    for (sql, args) in parts {
        match grouped.iter_mut().find(|(held, _)| *held == sql) {
            Some((_, rows)) => rows.push(args),
            None => grouped.push((sql, vec![args])),
        }
    }
    let mut texts = Vec::with_capacity(grouped.len());
    let mut all: Vec<Owned> = Vec::new();
    for (sql, rows) in grouped {
        let mut text = String::new();
        let (head, tuple) = if rows.len() == 1 {
            ("", sql)
        } else {
            values_tuple(sql)
                .ok_or_else(|| DbError::Internal(format!("không gộp được câu lệnh: {sql}")))?
        };
        text.push_str(head);
        for (r, row) in rows.into_iter().enumerate() {
            if !head.is_empty() {
                text.push_str(if r == 0 { " " } else { ", " });
            }
            let base = offset + all.len();
            renumber_by(tuple, row.len(), &mut text, |n| {
                let at = base + n;
                match (token, row.get(n - 1)) {
                    (Some((token, token_at)), Some(Owned::Text(Some(t)))) if t.contains(token) => {
                        format!("replace(${at}, ${token_at}, (SELECT text FROM n))")
                    }
                    _ => format!("${at}"),
                }
            })?;
            all.extend(row);
        }
        texts.push(text);
    }
    Ok((texts, all))
}

/// Copies `sql` to `out` with each `$n` as `$(n + offset)`; every `$` must start a
/// parameter of at most `count`.
fn renumber(sql: &str, offset: usize, count: usize, out: &mut String) -> Result<(), DbError> {
    renumber_by(sql, count, out, |n| format!("${}", n + offset))
}

/// Copies `sql` to `out` with each `$n` written as `param(n)`; every `$` must start a
/// parameter of at most `count`.
fn renumber_by(
    sql: &str,
    count: usize,
    out: &mut String,
    param: impl Fn(usize) -> String,
) -> Result<(), DbError> {
    let bad = || DbError::Internal(format!("câu lệnh gộp có tham số lạ: {sql}"));
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: usize = after[..digits].parse().map_err(|_| bad())?;
        if n == 0 || n > count {
            return Err(bad());
        }
        out.push_str(&param(n));
        rest = &after[digits..];
    }
    out.push_str(rest);
    Ok(())
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
            Tx::PgHeld($conn, held) => {
                held.send(&mut **$conn).await?;
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
            Tx::PgHeld(c, h) => Tx::PgHeld(c, h),
        }
    }

    /// Runs a statement whose result nobody reads, and which touches only rows no other
    /// statement of the transaction given here touches (new rows, mostly; an upsert by key
    /// is sent apart from an earlier one of the same text): PostgreSQL holding writes back
    /// ([`Tx::PgHeld`]) sends it with the next ones; elsewhere it runs at once. A failure
    /// may then surface at a later statement, still failing the transaction.
    pub(crate) async fn write(
        &mut self,
        sql: &'static str,
        args: &[Arg<'_>],
    ) -> Result<(), DbError> {
        self.write_owned(sql, args.iter().map(Owned::from).collect())
            .await
    }

    /// [`Tx::write`] with owned parameters (also bytes, on PostgreSQL only).
    pub(crate) async fn write_owned(
        &mut self,
        sql: &'static str,
        args: Vec<Owned>,
    ) -> Result<(), DbError> {
        match self {
            Tx::PgHeld(conn, held) => held.push(conn, sql, args).await,
            Tx::Pg(conn) => {
                bind_owned(sqlx::query(sql), args)
                    .execute(&mut **conn)
                    .await?;
                Ok(())
            }
            _ => {
                let mut borrowed = Vec::with_capacity(args.len());
                for arg in &args {
                    borrowed.push(match arg {
                        Owned::Int(v) => Arg::Int(*v),
                        Owned::Text(v) => Arg::Text(v.as_deref()),
                        Owned::Bytes(_) => {
                            return Err(DbError::Internal(
                                "tham số nhị phân chỉ dùng trên PostgreSQL".into(),
                            ));
                        }
                    });
                }
                self.execute(sql, &borrowed).await.map(|_| ())
            }
        }
    }

    /// Marks `token` as the stand-in of a text only [`Tx::send_with`] will know: until then,
    /// held writes naming it are never sent (a statement that reads something fails
    /// instead). PostgreSQL holding writes back only.
    pub(crate) fn await_text(&mut self, token: &str) -> Result<(), DbError> {
        match self {
            Tx::PgHeld(_, held) => {
                held.token = Some(token.to_string());
                Ok(())
            }
            _ => Err(DbError::Internal(
                "chỉ giao dịch PostgreSQL giữ câu lệnh ghi mới chờ được số thứ tự".into(),
            )),
        }
    }

    /// Runs `first` (returning a number and a text named `text`) and every held write in
    /// one statement, each held text naming the token of [`Tx::await_text`] taking the
    /// returned text in its place; the number and the text.
    pub(crate) async fn send_with(
        &mut self,
        first: &'static str,
        args: &[Arg<'_>],
    ) -> Result<(i64, String), DbError> {
        let Tx::PgHeld(conn, held) = self else {
            return Err(DbError::Internal(
                "chỉ giao dịch PostgreSQL giữ câu lệnh ghi mới gửi kèm được".into(),
            ));
        };
        let token = held
            .token
            .take()
            .ok_or_else(|| DbError::Internal("chưa có chỗ chờ số thứ tự".into()))?;
        let parts = std::mem::take(&mut held.parts);
        if !parts.iter().any(|(_, args)| names(args, &token)) {
            return Err(DbError::Internal(
                "không câu lệnh ghi nào chờ số thứ tự".into(),
            ));
        }
        let (sql, all) =
            combined_after(first, args.iter().map(Owned::from).collect(), &token, parts)?;
        // Made of the statements' own static texts and parameter numbers only.
        let row = bind_owned(sqlx::query(sqlx::AssertSqlSafe(sql)), all)
            .fetch_one(&mut **conn)
            .await?;
        Ok((
            sqlx::Row::try_get::<i64, _>(&row, 0)?,
            sqlx::Row::try_get::<String, _>(&row, 1)?,
        ))
    }

    /// The PostgreSQL connection with nothing held back, for statements built with sqlx
    /// directly; `None` on SQLite.
    pub(crate) async fn postgres(&mut self) -> Result<Option<&mut PgConnection>, DbError> {
        match self {
            Tx::PgHeld(conn, held) => {
                held.send(conn).await?;
                Ok(Some(&mut **conn))
            }
            Tx::Pg(conn) => Ok(Some(&mut **conn)),
            _ => Ok(None),
        }
    }

    /// Whether this is a SQLite connection (either path).
    pub(crate) fn is_sqlite(&self) -> bool {
        !matches!(self, Tx::Pg(_) | Tx::PgHeld(..))
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

    fn int(v: i64) -> Owned {
        Owned::Int(Some(v))
    }

    /// Rows of one insert join in the order held; other statements become parts of one
    /// `WITH`, numbered past the parameters before them; the last is the main statement.
    #[test]
    fn held_writes_combine_into_one_statement() {
        const A: &str = "INSERT INTO a (x, y) VALUES ($1, $2)";
        const B: &str = "UPDATE b SET x = $1 WHERE id = $2";
        const C: &str = "INSERT INTO c (x) VALUES ($1)";
        let (sql, args) = combined(vec![
            (A, vec![int(1), int(2)]),
            (B, vec![int(3), int(4)]),
            (A, vec![int(5), int(6)]),
            (C, vec![int(7)]),
        ])
        .unwrap();
        assert_eq!(
            sql,
            "WITH w0 AS (INSERT INTO a (x, y) VALUES ($1, $2), ($3, $4)), \
             w1 AS (UPDATE b SET x = $5 WHERE id = $6) INSERT INTO c (x) VALUES ($7)"
        );
        assert_eq!(args, [1, 2, 5, 6, 3, 4, 7].map(int));
        let (sql, args) = combined(vec![(C, vec![int(1)]), (C, vec![int(2)])]).unwrap();
        assert_eq!(sql, "INSERT INTO c (x) VALUES ($1), ($2)");
        assert_eq!(args.len(), 2);
    }

    /// A statement sent after a first one: the first runs as `n`, the writes become parts,
    /// and a text naming the token is rewritten with the first one's text in its place.
    #[test]
    fn writes_sent_after_a_numbering_statement() {
        const N: &str = "INSERT INTO k (a) VALUES ($1) RETURNING a, $2 AS text";
        const A: &str = "INSERT INTO a (x, y) VALUES ($1, $2)";
        let text = |t: &str| Owned::Text(Some(t.to_string()));
        let (sql, args) = combined_after(
            N,
            vec![int(1), text("z")],
            "~T",
            vec![
                (A, vec![int(7), text("code-~T")]),
                (A, vec![int(8), text("other")]),
            ],
        )
        .unwrap();
        assert_eq!(
            sql,
            "WITH n AS (INSERT INTO k (a) VALUES ($1) RETURNING a, $2 AS text), \
             w0 AS (INSERT INTO a (x, y) VALUES ($4, replace($5, $3, (SELECT text FROM n))), \
             ($6, $7)) SELECT * FROM n"
        );
        assert_eq!(
            args,
            [
                int(1),
                text("z"),
                text("~T"),
                int(7),
                text("code-~T"),
                int(8),
                text("other")
            ]
        );
    }

    /// Only a plain insert of one row may take more rows; an upsert, an update or a
    /// multi-row insert may not.
    #[test]
    fn which_statements_take_more_rows() {
        assert_eq!(
            values_tuple("INSERT INTO t (a, b) VALUES ($1, lower($2))"),
            Some(("INSERT INTO t (a, b) VALUES", "($1, lower($2))"))
        );
        for sql in [
            "INSERT INTO t (a) VALUES ($1) ON CONFLICT (a) DO NOTHING",
            "UPDATE t SET a = $1 WHERE id = $2",
            "INSERT INTO t (a) VALUES ($1), ($2) ON CONFLICT DO NOTHING",
            "INSERT INTO t (a) SELECT $1",
        ] {
            assert_eq!(values_tuple(sql), None, "{sql}");
        }
        let mut out = String::new();
        assert!(renumber("SELECT $3", 0, 2, &mut out).is_err());
        assert!(renumber("SELECT $x", 0, 2, &mut out).is_err());
    }

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
