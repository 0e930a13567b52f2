//! Forward-only migrations, one folder per engine, embedded in the binary.

use crate::{Db, DbError};

type Migration = (i64, &'static str, &'static str);

const SQLITE: &[Migration] = &[
    (
        1,
        "core",
        include_str!("../migrations/sqlite/0001_core.sql"),
    ),
    (
        2,
        "sessions",
        include_str!("../migrations/sqlite/0002_sessions.sql"),
    ),
    (
        3,
        "citizens",
        include_str!("../migrations/sqlite/0003_citizens.sql"),
    ),
    (
        4,
        "delivery",
        include_str!("../migrations/sqlite/0004_delivery.sql"),
    ),
    (
        5,
        "statistics",
        include_str!("../migrations/sqlite/0005_statistics.sql"),
    ),
    (
        6,
        "signatures",
        include_str!("../migrations/sqlite/0006_signatures.sql"),
    ),
    (
        7,
        "tickets",
        include_str!("../migrations/sqlite/0007_tickets.sql"),
    ),
    (
        8,
        "partial_indexes",
        include_str!("../migrations/sqlite/0008_partial_indexes.sql"),
    ),
    (
        9,
        "no_total_rows",
        include_str!("../migrations/sqlite/0009_no_total_rows.sql"),
    ),
    (
        10,
        "pending_counts",
        include_str!("../migrations/sqlite/0010_pending_counts.sql"),
    ),
    (
        11,
        "agency_queues",
        include_str!("../migrations/sqlite/0011_agency_queues.sql"),
    ),
    (
        12,
        "credentials",
        include_str!("../migrations/sqlite/0012_credentials.sql"),
    ),
    (
        13,
        "demo_loads",
        include_str!("../migrations/sqlite/0013_demo_loads.sql"),
    ),
    (
        14,
        "staff_accounts",
        include_str!("../migrations/sqlite/0014_staff_accounts.sql"),
    ),
    (
        15,
        "receiving_queues",
        include_str!("../migrations/sqlite/0015_receiving_queues.sql"),
    ),
    (
        16,
        "history_counts",
        include_str!("../migrations/sqlite/0016_history_counts.sql"),
    ),
    (
        17,
        "dossier_search",
        include_str!("../migrations/sqlite/0017_dossier_search.sql"),
    ),
    (
        18,
        "alerts",
        include_str!("../migrations/sqlite/0018_alerts.sql"),
    ),
    (
        19,
        "alert_delivery",
        include_str!("../migrations/sqlite/0019_alert_delivery.sql"),
    ),
    (
        20,
        "embedded_signatures",
        include_str!("../migrations/sqlite/0020_embedded_signatures.sql"),
    ),
    (
        21,
        "token_keys",
        include_str!("../migrations/sqlite/0021_token_keys.sql"),
    ),
    (
        22,
        "applicant_signatures",
        include_str!("../migrations/sqlite/0022_applicant_signatures.sql"),
    ),
    (
        23,
        "personal_keys",
        include_str!("../migrations/sqlite/0023_personal_keys.sql"),
    ),
    (
        24,
        "portal_sync",
        include_str!("../migrations/sqlite/0024_portal_sync.sql"),
    ),
    (
        25,
        "portal_inbound",
        include_str!("../migrations/sqlite/0025_portal_inbound.sql"),
    ),
    (
        26,
        "national_identity",
        include_str!("../migrations/sqlite/0026_national_identity.sql"),
    ),
    (
        27,
        "synced_counts",
        include_str!("../migrations/sqlite/0027_synced_counts.sql"),
    ),
    (
        28,
        "webhooks",
        include_str!("../migrations/sqlite/0028_webhooks.sql"),
    ),
    (
        29,
        "identity_sessions",
        include_str!("../migrations/sqlite/0029_identity_sessions.sql"),
    ),
    (
        30,
        "payments",
        include_str!("../migrations/sqlite/0030_payments.sql"),
    ),
    (
        31,
        "payment_counts",
        include_str!("../migrations/sqlite/0031_payment_counts.sql"),
    ),
    (
        32,
        "identity_logout",
        include_str!("../migrations/sqlite/0032_identity_logout.sql"),
    ),
    (
        33,
        "receipts",
        include_str!("../migrations/sqlite/0033_receipts.sql"),
    ),
    (
        34,
        "documents",
        include_str!("../migrations/sqlite/0034_documents.sql"),
    ),
    (
        35,
        "support",
        include_str!("../migrations/sqlite/0035_support.sql"),
    ),
    (
        36,
        "audit_pending",
        include_str!("../migrations/sqlite/0036_audit_pending.sql"),
    ),
    (
        37,
        "address_failures",
        include_str!("../migrations/sqlite/0037_address_failures.sql"),
    ),
];
const POSTGRES: &[Migration] = &[
    (
        1,
        "core",
        include_str!("../migrations/postgres/0001_core.sql"),
    ),
    (
        2,
        "sessions",
        include_str!("../migrations/postgres/0002_sessions.sql"),
    ),
    (
        3,
        "citizens",
        include_str!("../migrations/postgres/0003_citizens.sql"),
    ),
    (
        4,
        "delivery",
        include_str!("../migrations/postgres/0004_delivery.sql"),
    ),
    (
        5,
        "statistics",
        include_str!("../migrations/postgres/0005_statistics.sql"),
    ),
    (
        6,
        "signatures",
        include_str!("../migrations/postgres/0006_signatures.sql"),
    ),
    (
        7,
        "tickets",
        include_str!("../migrations/postgres/0007_tickets.sql"),
    ),
    (
        8,
        "partial_indexes",
        include_str!("../migrations/postgres/0008_partial_indexes.sql"),
    ),
    (
        9,
        "no_total_rows",
        include_str!("../migrations/postgres/0009_no_total_rows.sql"),
    ),
    (
        10,
        "pending_counts",
        include_str!("../migrations/postgres/0010_pending_counts.sql"),
    ),
    (
        11,
        "agency_queues",
        include_str!("../migrations/postgres/0011_agency_queues.sql"),
    ),
    (
        12,
        "credentials",
        include_str!("../migrations/postgres/0012_credentials.sql"),
    ),
    (
        13,
        "demo_loads",
        include_str!("../migrations/postgres/0013_demo_loads.sql"),
    ),
    (
        14,
        "staff_accounts",
        include_str!("../migrations/postgres/0014_staff_accounts.sql"),
    ),
    (
        15,
        "receiving_queues",
        include_str!("../migrations/postgres/0015_receiving_queues.sql"),
    ),
    (
        16,
        "history_counts",
        include_str!("../migrations/postgres/0016_history_counts.sql"),
    ),
    (
        17,
        "dossier_search",
        include_str!("../migrations/postgres/0017_dossier_search.sql"),
    ),
    (
        18,
        "alerts",
        include_str!("../migrations/postgres/0018_alerts.sql"),
    ),
    (
        19,
        "alert_delivery",
        include_str!("../migrations/postgres/0019_alert_delivery.sql"),
    ),
    (
        20,
        "embedded_signatures",
        include_str!("../migrations/postgres/0020_embedded_signatures.sql"),
    ),
    (
        21,
        "token_keys",
        include_str!("../migrations/postgres/0021_token_keys.sql"),
    ),
    (
        22,
        "applicant_signatures",
        include_str!("../migrations/postgres/0022_applicant_signatures.sql"),
    ),
    (
        23,
        "personal_keys",
        include_str!("../migrations/postgres/0023_personal_keys.sql"),
    ),
    (
        24,
        "portal_sync",
        include_str!("../migrations/postgres/0024_portal_sync.sql"),
    ),
    (
        25,
        "portal_inbound",
        include_str!("../migrations/postgres/0025_portal_inbound.sql"),
    ),
    (
        26,
        "national_identity",
        include_str!("../migrations/postgres/0026_national_identity.sql"),
    ),
    (
        27,
        "synced_counts",
        include_str!("../migrations/postgres/0027_synced_counts.sql"),
    ),
    (
        28,
        "webhooks",
        include_str!("../migrations/postgres/0028_webhooks.sql"),
    ),
    (
        29,
        "identity_sessions",
        include_str!("../migrations/postgres/0029_identity_sessions.sql"),
    ),
    (
        30,
        "payments",
        include_str!("../migrations/postgres/0030_payments.sql"),
    ),
    (
        31,
        "payment_counts",
        include_str!("../migrations/postgres/0031_payment_counts.sql"),
    ),
    (
        32,
        "identity_logout",
        include_str!("../migrations/postgres/0032_identity_logout.sql"),
    ),
    (
        33,
        "receipts",
        include_str!("../migrations/postgres/0033_receipts.sql"),
    ),
    (
        34,
        "documents",
        include_str!("../migrations/postgres/0034_documents.sql"),
    ),
    (
        35,
        "support",
        include_str!("../migrations/postgres/0035_support.sql"),
    ),
    (
        36,
        "audit_pending",
        include_str!("../migrations/postgres/0036_audit_pending.sql"),
    ),
    (
        37,
        "address_failures",
        include_str!("../migrations/postgres/0037_address_failures.sql"),
    ),
];

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL, checksum TEXT)";
/// Tables made before checksums were kept get the column (an error on this probe says so).
const HAS_CHECKSUM: &str = "SELECT checksum FROM schema_migrations WHERE version = 0";
const ADD_CHECKSUM: &str = "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT";
const ADD_CHECKSUM_POSTGRES: &str =
    "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT";
const APPLIED: &str = "SELECT version, checksum FROM schema_migrations ORDER BY version";
const SET_CHECKSUM: &str =
    "UPDATE schema_migrations SET checksum = $2 WHERE version = $1 AND checksum IS NULL";
const IS_APPLIED: &str = "SELECT COUNT(*) FROM schema_migrations WHERE version = $1";
const RECORD: &str = "INSERT INTO schema_migrations (version, name, applied_at, checksum)
    VALUES ($1, $2, $3, $4)";
/// Taken first in each migration's transaction, so that two processes migrating one
/// database at once apply each migration once: on PostgreSQL an advisory lock held to the
/// end of the transaction, on SQLite the write lock (a write statement takes it).
const LOCK_POSTGRES: &str = "SELECT pg_advisory_xact_lock(7261202601)";
const LOCK_SQLITE: &str = "DELETE FROM schema_migrations WHERE version < 0";

/// A migration's checksum: SHA-256 of its SQL text, in hex.
fn checksum(sql: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The tables motcua's migrations create on an engine (and the migrations' own table):
/// what may be dropped when a database must start again from nothing.
pub(crate) fn own_tables(kind: crate::EngineKind) -> Vec<String> {
    let list = match kind {
        crate::EngineKind::Sqlite => SQLITE,
        crate::EngineKind::Postgres => POSTGRES,
    };
    let mut tables = vec!["schema_migrations".to_string()];
    for (_, _, sql) in list {
        let mut rest = *sql;
        while let Some(at) = rest.find("CREATE TABLE ") {
            rest = &rest[at + "CREATE TABLE ".len()..];
            let name = rest.trim_start_matches("IF NOT EXISTS ");
            let name: String = name
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && !tables.contains(&name) {
                tables.push(name);
            }
        }
    }
    tables
}

impl Db {
    /// Applies the migrations this database has not seen yet, each in its own transaction
    /// under a lock (so two processes starting at once apply each once), and returns the
    /// versions this call applied. A database newer than this binary is refused, and so is
    /// one whose applied migrations differ from this binary's (their checksums): its schema
    /// is not the one this program was written for.
    pub async fn migrate(&self) -> Result<Vec<i64>, DbError> {
        let (list, lock) = match self.kind() {
            crate::EngineKind::Sqlite => (SQLITE, LOCK_SQLITE),
            crate::EngineKind::Postgres => (POSTGRES, LOCK_POSTGRES),
        };
        let postgres = self.kind() == crate::EngineKind::Postgres;
        let done = on_write!(self, pool => {
            // The migrations' own table, made or brought up to date under the same lock.
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query(lock).execute(&mut *tx).await?;
            }
            sqlx::query(CREATE_TABLE).execute(&mut *tx).await?;
            if postgres {
                sqlx::query(ADD_CHECKSUM_POSTGRES).execute(&mut *tx).await?;
            } else if sqlx::query(HAS_CHECKSUM).fetch_optional(&mut *tx).await.is_err() {
                sqlx::query(ADD_CHECKSUM).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            let applied: Vec<(i64, Option<String>)> =
                sqlx::query_as(APPLIED).fetch_all(pool).await?;
            let known = list.last().map_or(0, |m| m.0);
            if let Some(newest) = applied.iter().map(|a| a.0).max().filter(|v| *v > known) {
                return Err(DbError::Unavailable(format!(
                    "cơ sở dữ liệu ở phiên bản lược đồ {newest}, mới hơn chương trình này ({known}); hãy cập nhật motcua"
                )));
            }
            for (version, stored) in &applied {
                let Some((_, name, sql)) = list.iter().find(|m| m.0 == *version) else {
                    continue;
                };
                let expected = checksum(sql);
                match stored {
                    // Applied before checksums were kept: recorded now.
                    None => {
                        sqlx::query(SET_CHECKSUM)
                            .bind(version)
                            .bind(&expected)
                            .execute(pool)
                            .await?;
                    }
                    Some(stored) if *stored != expected => {
                        return Err(DbError::Unavailable(format!(
                            "bước nâng cấp lược đồ {version} ({name}) đã áp dụng cho cơ sở dữ liệu này khác với bước cùng số của chương trình (mã kiểm tra {stored} ≠ {expected}); cơ sở dữ liệu không phải của phiên bản motcua này"
                        )));
                    }
                    Some(_) => {}
                }
            }
            let mut done = Vec::new();
            for (version, name, sql) in list {
                if applied.iter().any(|a| a.0 == *version) {
                    continue;
                }
                let mut tx = pool.begin().await?;
                sqlx::query(lock).execute(&mut *tx).await?;
                // Another process may have applied it while this one waited for the lock.
                let there: i64 = sqlx::query_scalar(IS_APPLIED)
                    .bind(version)
                    .fetch_one(&mut *tx)
                    .await?;
                if there > 0 {
                    tx.rollback().await?;
                    continue;
                }
                sqlx::raw_sql(*sql).execute(&mut *tx).await?;
                sqlx::query(RECORD)
                    .bind(version)
                    .bind(name)
                    .bind(crate::now_seconds())
                    .bind(checksum(sql))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                tracing::info!(version, name, "migration applied");
                done.push(*version);
            }
            Ok::<_, DbError>(done)
        });
        let done = done?;
        // Migration 5 leaves the statistics counters to be filled from the stored dossiers.
        if self.statistics().statistics_need_backfill().await? {
            self.statistics().rebuild_statistics().await?;
        }
        // Migration 17 leaves the search terms of stored dossiers to be written.
        self.dossiers().fill_search_terms().await?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn own_tables_are_read_from_the_migrations() {
        for kind in [crate::EngineKind::Sqlite, crate::EngineKind::Postgres] {
            let tables = super::own_tables(kind);
            for t in [
                "schema_migrations",
                "agencies",
                "dossiers",
                "audit_log",
                "login_guards",
                "api_tokens",
                "demo_loads",
            ] {
                assert!(tables.iter().any(|n| n == t), "{kind:?}: {t} in {tables:?}");
            }
        }
    }
}
