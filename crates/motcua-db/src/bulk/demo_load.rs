//! Nạp dữ liệu mẫu trọn vẹn — the mark of a demo load in progress, and the clean slate a
//! load cut short is redone from on PostgreSQL (a SQLite file is loaded beside its place
//! and moved in whole instead).

use crate::{DbError, EngineKind};

impl super::Bulk<'_> {
    /// Whether anything was ever stored here: agencies, staff, citizens or dossiers (a
    /// demo is loaded only where there is none).
    pub async fn holds_data(self) -> Result<bool, DbError> {
        let n: i64 = on_read!(self.db, pool => {
            sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM agencies) + (SELECT COUNT(*) FROM staff)
                      + (SELECT COUNT(*) FROM citizens) + (SELECT COUNT(*) FROM dossiers)",
            )
            .fetch_one(pool)
            .await?
        });
        Ok(n > 0)
    }

    /// Marks a demo load as begun (`true`) or finished (`false`).
    pub async fn mark_demo_load(self, loading: bool) -> Result<(), DbError> {
        on_write!(self.db, pool => {
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

    /// The digest of every stored blob a row refers to (attached files, signed results and
    /// their signatures): what a files folder must hold for this database.
    pub async fn stored_digests(self) -> Result<Vec<String>, DbError> {
        Ok(on_read!(self.db, pool => {
            sqlx::query_scalar(
                "SELECT sha256 FROM dossier_files UNION SELECT file_sha256 FROM signed_results
                 UNION SELECT signature_sha256 FROM signed_results",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether a demo load began and never finished.
    pub async fn demo_load_interrupted(self) -> Result<bool, DbError> {
        let n: i64 = on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM demo_loads").fetch_one(pool).await?
        });
        Ok(n > 0)
    }

    /// Drops motcua's tables (PostgreSQL only), so the next `migrate` starts from nothing:
    /// only for a database whose demo load was cut short, which was empty when the load
    /// began. One server must make the first start with the demo: a second one starting
    /// meanwhile would take the load in progress for one cut short.
    pub async fn drop_interrupted_demo(self) -> Result<(), DbError> {
        if self.db.kind() != EngineKind::Postgres || !self.demo_load_interrupted().await? {
            return Err(DbError::Forbidden(
                "chỉ xóa được cơ sở dữ liệu PostgreSQL có lần nạp mẫu bị ngắt".into(),
            ));
        }
        // Only motcua's own tables: others that share the schema are left alone. The names
        // come from the migrations shipped in this program, never from input.
        let sql = format!(
            "DROP TABLE IF EXISTS {} CASCADE",
            crate::migrate::own_tables(EngineKind::Postgres).join(", ")
        );
        on_write!(self.db, pool => {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await?;
        });
        Ok(())
    }
}
