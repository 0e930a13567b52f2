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

const BUMP_HEAD: &str =
    "UPDATE audit_head SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash";
const SET_HEAD: &str = "UPDATE audit_head SET last_hash = $1 WHERE id = 1";
const READ_HEAD: &str = "SELECT last_seq + 1 AS last_seq, last_hash FROM audit_head WHERE id = 1";

pub(crate) const INSERT: &str = "INSERT INTO audit_log
    (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Appends an [`AuditInput`] inside the open transaction `tx` (either engine).
///
/// PostgreSQL bumps the head row first (its row lock serializes concurrent appends, so the
/// chain never forks) and sets the new hash after; SQLite, whose single writer already
/// serializes appends, reads the head, and a trigger on `audit_log` moves it on with the
/// insert (one statement fewer per write).
pub(crate) async fn append(tx: &mut Tx<'_>, input: AuditInput) -> Result<(), DbError> {
    let sqlite = tx.is_sqlite();
    let (seq, prev) = tx
        .int_text(if sqlite { READ_HEAD } else { BUMP_HEAD }, &[])
        .await?;
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
    if !sqlite {
        tx.execute(SET_HEAD, args![&hash]).await?;
    }
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

impl Audit<'_> {
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
