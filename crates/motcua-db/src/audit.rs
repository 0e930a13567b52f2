//! Nhật ký kiểm tra — the append-only audit log, each entry chained to the previous one by
//! its SHA-256 hash, so that any edit or removal breaks the chain at that point.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::engine::Tx;
use crate::rows::RowExt;
use crate::secret::hex;
use crate::{Db, DbError};

/// One audit entry before it is chained.
#[derive(Debug, Clone)]
pub(crate) struct AuditInput {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: &'static str,
    pub entity_id: String,
    pub detail: serde_json::Value,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub entries: i64,
    /// The first entry whose hash, link or sequence does not hold, and why.
    pub first_broken: Option<(i64, String)>,
}

/// The entry's hash: over the previous hash, its sequence, instant, and the five fields
/// actor, action, entity, entity id and detail.
pub(crate) fn chain_hash(prev: &str, seq: i64, at: i64, fields: [&str; 5]) -> String {
    let mut h = Sha256::new();
    let (seq, at) = (seq.to_string(), at.to_string());
    for part in [prev, &seq, &at].into_iter().chain(fields) {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex(&h.finalize())
}

const READ_HEAD: &str = "SELECT last_seq + 1 AS last_seq, last_hash FROM audit_head WHERE id = 1";

pub(crate) const INSERT: &str = "INSERT INTO audit_log
    (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

const INSERT_PENDING: &str = "INSERT INTO audit_pending (at, actor, action, entity, entity_id,
    detail) VALUES ($1, $2, $3, $4, $5, $6)";

/// Appends an [`AuditInput`] inside the open transaction `tx` (either engine).
///
/// SQLite, whose single writer already serializes appends, reads the head, chains the entry
/// and inserts it; a trigger on `audit_log` moves the head on with the insert. PostgreSQL
/// writes the entry to `audit_pending` in the caller's transaction — no shared row is
/// locked, so concurrent writes do not wait on one another — and [`Audit::chain_pending`]
/// chains the committed entries in batches (one head update per batch) moments later.
pub(crate) async fn append(tx: &mut Tx<'_>, input: AuditInput) -> Result<(), DbError> {
    if !tx.is_sqlite() {
        let detail = input.detail.to_string();
        tx.write(
            INSERT_PENDING,
            args![
                input.at,
                &input.actor,
                &input.action,
                input.entity,
                &input.entity_id,
                &detail
            ],
        )
        .await?;
        return Ok(());
    }
    let (seq, prev) = tx.int_text(READ_HEAD, &[]).await?;
    let detail = input.detail.to_string();
    let hash = chain_hash(
        &prev,
        seq,
        input.at,
        [
            &input.actor,
            &input.action,
            input.entity,
            &input.entity_id,
            &detail,
        ],
    );
    tx.execute(
        INSERT,
        args![
            seq,
            input.at,
            &input.actor,
            &input.action,
            input.entity,
            &input.entity_id,
            &detail,
            &prev,
            &hash
        ],
    )
    .await?;
    Ok(())
}

const PAGE: &str = "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
    FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000";

fn entry(row: &impl RowExt) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        seq: row.int("seq")?,
        at: row.int("at")?,
        actor: row.text("actor")?,
        action: row.text("action")?,
        entity: row.text("entity")?,
        entity_id: row.text("entity_id")?,
        detail: row.text("detail")?,
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

/// Nhật ký — the audit chain: its head, its entries, its check.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Nhật ký: see [`Audit`].
    pub fn audit(&self) -> Audit<'_> {
        Audit { db: self }
    }
}

/// A batch of chained entries, column by column (as PostgreSQL's `UNNEST` takes them), and
/// the waiting rows they came from.
#[derive(Default)]
struct Chained {
    ids: Vec<i64>,
    seq: Vec<i64>,
    at: Vec<i64>,
    actor: Vec<String>,
    action: Vec<String>,
    entity: Vec<String>,
    entity_id: Vec<String>,
    detail: Vec<String>,
    prev_hash: Vec<String>,
    hash: Vec<String>,
}

/// How many pending entries one chaining transaction takes at most.
const CHAIN_BATCH: i64 = 2000;

/// The advisory lock that lets one process at a time chain (PostgreSQL).
const CHAIN_LOCK: i64 = 0x6d6f_7463_7561_0a01;

impl Audit<'_> {
    /// Chains the committed entries waiting in `audit_pending` (PostgreSQL; nothing waits on
    /// SQLite), oldest first, in batches: each batch one transaction that takes the chaining
    /// lock, reads the head, inserts the chained entries, moves the head once and removes
    /// them from the waiting list. Several processes may call it at once: they take turns.
    /// Entries about one dossier keep their order (its writes take its row lock in turn, so
    /// a later one is numbered after the earlier one committed). How many it chained.
    pub async fn chain_pending(self) -> Result<u64, DbError> {
        let crate::engine::Engine::Postgres(pool) = &self.db.engine else {
            return Ok(0);
        };
        let mut total = 0u64;
        loop {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(CHAIN_LOCK)
                .execute(&mut *tx)
                .await?;
            let head =
                sqlx::query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
                    .fetch_one(&mut *tx)
                    .await?;
            let (mut seq, mut prev) = (head.int("last_seq")?, head.text("last_hash")?);
            let rows = sqlx::query(
                "SELECT id, at, actor, action, entity, entity_id, detail FROM audit_pending
                 ORDER BY id LIMIT $1",
            )
            .bind(CHAIN_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            if rows.is_empty() {
                tx.commit().await?;
                return Ok(total);
            }
            let n = rows.len();
            let mut c = Chained::default();
            for r in &rows {
                c.ids.push(r.int("id")?);
                let (at, actor, action, entity, entity_id, detail) = (
                    r.int("at")?,
                    r.text("actor")?,
                    r.text("action")?,
                    r.text("entity")?,
                    r.text("entity_id")?,
                    r.text("detail")?,
                );
                seq += 1;
                let hash = chain_hash(
                    &prev,
                    seq,
                    at,
                    [&actor, &action, &entity, &entity_id, &detail],
                );
                c.seq.push(seq);
                c.at.push(at);
                c.actor.push(actor);
                c.action.push(action);
                c.entity.push(entity);
                c.entity_id.push(entity_id);
                c.detail.push(detail);
                c.prev_hash.push(std::mem::replace(&mut prev, hash.clone()));
                c.hash.push(hash);
            }
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::TEXT[],
                     $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[])",
            )
            .bind(&c.seq)
            .bind(&c.at)
            .bind(&c.actor)
            .bind(&c.action)
            .bind(&c.entity)
            .bind(&c.entity_id)
            .bind(&c.detail)
            .bind(&c.prev_hash)
            .bind(&c.hash)
            .execute(&mut *tx)
            .await?;
            let ids = c.ids;
            sqlx::query("DELETE FROM audit_pending WHERE id = ANY($1)")
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&prev)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            total += n as u64;
            if (n as i64) < CHAIN_BATCH {
                return Ok(total);
            }
        }
    }

    /// Records an act that changes nothing else (a lookup in a national database, say) as an
    /// entry of the chain, on its own.
    pub async fn record(
        self,
        actor: &str,
        action: &str,
        entity: &'static str,
        entity_id: &str,
        detail: serde_json::Value,
    ) -> Result<(), DbError> {
        let input = AuditInput {
            at: crate::now_seconds(),
            actor: actor.to_string(),
            action: action.to_string(),
            entity,
            entity_id: entity_id.to_string(),
            detail,
        };
        grouped_write!(self.db, conn => {
            append(conn, input).await?;
            Ok(())
        })
    }

    /// The chain's last entry as stored: its sequence and hash (`(0, "")` when empty).
    pub async fn audit_head(self) -> Result<(i64, String), DbError> {
        self.chain_pending().await?;
        let row: Option<(i64, String)> = on_read!(self.db, pool => {
            let row = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some((r.int("seq")?, r.text("hash")?)),
                None => None,
            }
        });
        Ok(row.unwrap_or_default())
    }

    /// The stored hash of entry `seq`, if there is such an entry.
    pub async fn audit_hash(self, seq: i64) -> Result<Option<String>, DbError> {
        Ok(on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
                .bind(seq)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Walks the whole chain and names the first entry that does not hold.
    pub async fn audit_verify(self) -> Result<AuditReport, DbError> {
        self.chain_pending().await?;
        let mut last_seq = 0i64;
        let mut last_hash = String::new();
        let mut count = 0i64;
        loop {
            let page: Vec<AuditEntry> = on_read!(self.db, pool => {
                let rows = sqlx::query(PAGE).bind(last_seq).fetch_all(pool).await?;
                rows.iter().map(entry).collect::<Result<Vec<_>, _>>()?
            });
            if page.is_empty() {
                break;
            }
            for e in page {
                count += 1;
                let broken = if e.seq != last_seq + 1 {
                    Some(format!(
                        "thiếu mục {} (sau mục {last_seq} là mục {})",
                        last_seq + 1,
                        e.seq
                    ))
                } else if e.prev_hash != last_hash {
                    Some("không nối với mã băm của mục trước".to_string())
                } else if e.hash
                    != chain_hash(
                        &e.prev_hash,
                        e.seq,
                        e.at,
                        [&e.actor, &e.action, &e.entity, &e.entity_id, &e.detail],
                    )
                {
                    Some("nội dung đã bị sửa (mã băm không khớp)".to_string())
                } else {
                    None
                };
                if let Some(why) = broken {
                    return Ok(AuditReport {
                        entries: count,
                        first_broken: Some((e.seq, why)),
                    });
                }
                last_seq = e.seq;
                last_hash = e.hash;
            }
        }
        let head_seq: i64 = on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT last_seq FROM audit_head WHERE id = 1").fetch_one(pool).await?
        });
        if head_seq != last_seq {
            return Ok(AuditReport {
                entries: count,
                first_broken: Some((
                    last_seq + 1,
                    format!("các mục từ {} đến {head_seq} đã bị xóa", last_seq + 1),
                )),
            });
        }
        Ok(AuditReport {
            entries: count,
            first_broken: None,
        })
    }

    /// The audit entries about one entity, oldest first.
    pub async fn audit_of(self, entity: &str, entity_id: &str) -> Result<Vec<AuditEntry>, DbError> {
        self.chain_pending().await?;
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash
                 FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY seq",
            )
            .bind(entity)
            .bind(entity_id)
            .fetch_all(pool)
            .await?;
            Ok(rows.iter().map(entry).collect::<Result<Vec<_>, _>>()?)
        })
    }
}
