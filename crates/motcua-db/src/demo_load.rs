//! Nạp dữ liệu mẫu trọn vẹn — the mark of a demo load in progress, and the clean slate a
//! load cut short is redone from on PostgreSQL (a SQLite file is loaded beside its place
//! and moved in whole instead).

use crate::{Db, DbError, EngineKind};

impl Db {
    /// Marks a demo load as begun (`true`) or finished (`false`).
    pub async fn mark_demo_load(&self, loading: bool) -> Result<(), DbError> {
        on_write!(self, pool => {
            if loading {
                sqlx::query("INSERT INTO demo_loads (id, started_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
                    .bind(crate::now_seconds())
                    .execute(pool)
                    .await?;
            } else {
                sqlx::query("DELETE FROM demo_loads").execute(pool).await?;
            }
        });
        Ok(())
    }

    /// Whether a demo load began and never finished.
    pub async fn demo_load_interrupted(&self) -> Result<bool, DbError> {
        let n: i64 = on_read!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM demo_loads").fetch_one(pool).await?
        });
        Ok(n > 0)
    }

    /// Drops every table of the current schema (PostgreSQL only), so the next `migrate`
    /// starts from nothing: only for a database whose demo load was cut short, which was
    /// empty when the load began.
    pub async fn drop_interrupted_demo(&self) -> Result<(), DbError> {
        if self.kind() != EngineKind::Postgres || !self.demo_load_interrupted().await? {
            return Err(DbError::Forbidden(
                "chỉ xóa được cơ sở dữ liệu PostgreSQL có lần nạp mẫu bị ngắt".into(),
            ));
        }
        on_write!(self, pool => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()",
            )
            .fetch_all(pool)
            .await?;
            if !tables.is_empty() {
                let sql = format!("DROP TABLE {} CASCADE", tables.join(", "));
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
            }
        });
        Ok(())
    }
}
