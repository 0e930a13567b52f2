//! Thiết lập — the `settings` table: one value per key, read as stored, each change written
//! with its audit entry in one transaction.

use crate::audit::AuditInput;
use crate::engine::Tx;
use crate::{Db, DbError};

/// Stores `value` under `key` (replacing what was there), audited as `audit`.
pub(crate) async fn put(db: &Db, key: &str, value: &str, audit: AuditInput) -> Result<(), DbError> {
    on_write!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        crate::audit::append(&mut Tx::from(&mut *tx), audit).await?;
        tx.commit().await?;
    });
    Ok(())
}

/// The value stored under `key`, if any.
pub(crate) async fn get(db: &Db, key: &str) -> Result<Option<String>, DbError> {
    Ok(on_read!(db, pool => {
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?
    }))
}
