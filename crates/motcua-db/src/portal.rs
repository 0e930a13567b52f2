//! Đồng bộ DVCQG — which dossiers the national portal must hear of, and how far it has heard.
//! Every intake and transition marks its dossier pending in its own transaction ([`touch`]);
//! the sync worker leases pending dossiers ([`Portal::claim`]), sends them, and records the
//! outcome ([`Portal::finish`], [`Portal::fail`]). A change made while a send is under way
//! bumps the generation, so the row stays pending and the change goes out next.

use serde::{Deserialize, Serialize};

use crate::engine::Tx;
use crate::rows::RowExt;
use crate::{Db, DbError};

const TOUCH: &str = "INSERT INTO portal_sync (dossier_id, pending, generation, next_attempt_at)
    VALUES ($1, 1, 1, $2)
    ON CONFLICT (dossier_id) DO UPDATE SET pending = 1, generation = portal_sync.generation + 1,
    next_attempt_at = CASE WHEN portal_sync.pending = 1 THEN portal_sync.next_attempt_at
        ELSE excluded.next_attempt_at END";

/// Marks `dossier_id` as changed, inside the transaction that changed it.
pub(crate) async fn touch(tx: &mut Tx<'_>, dossier_id: i64, at: i64) -> Result<(), DbError> {
    tx.write(TOUCH, args![dossier_id, at]).await?;
    Ok(())
}

/// Records in `tx` that the portal has everything of `claim` up to history row
/// `history_sent`; whether the lease was still `owner`'s (otherwise nothing changed).
pub(crate) async fn finish(
    tx: &mut Tx<'_>,
    owner: &str,
    claim: &SyncClaim,
    history_sent: i64,
    at: i64,
) -> Result<bool, DbError> {
    let changed = tx
        .execute(
            FINISH,
            args![claim.dossier_id, claim.generation, history_sent, at, owner],
        )
        .await?;
    Ok(changed > 0)
}

const CLAIM_SQLITE: &str = "UPDATE portal_sync SET lease_owner = $1, lease_until = $2,
    attempts = attempts + 1
  WHERE dossier_id IN (SELECT dossier_id FROM portal_sync
    WHERE pending = 1 AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
    ORDER BY next_attempt_at, dossier_id LIMIT $4)
  RETURNING dossier_id, generation, known, history_sent, attempts";

/// The same claim; rows another worker is claiming right now are skipped.
const CLAIM_POSTGRES: &str = "UPDATE portal_sync SET lease_owner = $1, lease_until = $2,
    attempts = attempts + 1
  WHERE dossier_id IN (SELECT dossier_id FROM portal_sync
    WHERE pending = 1 AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
    ORDER BY next_attempt_at, dossier_id LIMIT $4 FOR UPDATE SKIP LOCKED)
  RETURNING dossier_id, generation, known, history_sent, attempts";

const FINISH: &str = "UPDATE portal_sync SET known = 1, history_sent = $3, synced_at = $4,
    last_error = NULL, attempts = 0, lease_owner = NULL, lease_until = NULL,
    pending = CASE WHEN generation = $2 THEN 0 ELSE 1 END
  WHERE dossier_id = $1 AND lease_owner = $5";

const FAIL: &str = "UPDATE portal_sync SET known = $3, history_sent = $4, last_error = $5,
    next_attempt_at = $6, lease_owner = NULL, lease_until = NULL
  WHERE dossier_id = $1 AND lease_owner = $2";

/// Marks the chosen dossiers pending with their whole history to send, in one statement.
const RESYNC: &str = "INSERT INTO portal_sync (dossier_id, pending, generation, next_attempt_at)
    SELECT id, 1, 1, $3 FROM dossiers
    WHERE ($1 IS NULL OR received_at >= $1) AND ($2 IS NULL OR code = $2)
    ON CONFLICT (dossier_id) DO UPDATE SET pending = 1,
        generation = portal_sync.generation + 1, history_sent = 0,
        next_attempt_at = excluded.next_attempt_at";

const STATE: &str = "SELECT pending, known, attempts, synced_at, last_error, next_attempt_at
    FROM portal_sync WHERE dossier_id = $1";

/// A dossier leased for sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncClaim {
    pub dossier_id: i64,
    /// The change count read; a later change keeps the dossier pending after this send.
    pub generation: i64,
    /// The portal has the record already: send it as an update.
    pub known: bool,
    /// The last history row the portal has.
    pub history_sent: i64,
    /// This is the n-th attempt since the last success.
    pub attempt: i64,
}

/// How far the portal has heard of a dossier, for staff and the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// Never sent (or nothing to send because sync is not configured).
    NotYet,
    /// The portal has every change.
    Synced { at: i64 },
    /// Changes are waiting; the last attempt failed with `error` (if any).
    Waiting {
        synced_at: Option<i64>,
        attempts: i64,
        error: Option<String>,
        next_attempt_at: i64,
    },
}

/// Đồng bộ DVCQG: see the module.
#[derive(Debug, Clone, Copy)]
pub struct Portal<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Đồng bộ DVCQG: see [`Portal`].
    pub fn portal(&self) -> Portal<'_> {
        Portal { db: self }
    }
}

impl Portal<'_> {
    /// Leases up to `limit` dossiers due for sending until `lease_until`, oldest first.
    pub async fn claim(
        self,
        owner: &str,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<SyncClaim>, DbError> {
        let sql = match self.db.kind() {
            crate::EngineKind::Sqlite => CLAIM_SQLITE,
            crate::EngineKind::Postgres => CLAIM_POSTGRES,
        };
        on_write!(self.db, pool => {
            let rows = sqlx::query(sql)
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let mut out = rows
                .iter()
                .map(|row| {
                    Ok(SyncClaim {
                        dossier_id: row.int("dossier_id")?,
                        generation: row.int("generation")?,
                        known: row.int("known")? != 0,
                        history_sent: row.int("history_sent")?,
                        attempt: row.int("attempts")?,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            out.sort_by_key(|c| c.dossier_id);
            Ok(out)
        })
    }

    /// The send failed with `error` after the portal got what `known` and `history_sent`
    /// say; the next attempt waits until `retry_at`.
    pub async fn fail(
        self,
        owner: &str,
        claim: &SyncClaim,
        known: bool,
        history_sent: i64,
        error: &str,
        retry_at: i64,
    ) -> Result<(), DbError> {
        let (id, owner, error) = (claim.dossier_id, owner.to_string(), error.to_string());
        on_write!(self.db, pool => {
            sqlx::query(FAIL)
                .bind(id)
                .bind(&owner)
                .bind(i64::from(known))
                .bind(history_sent)
                .bind(&error)
                .bind(retry_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// How far the portal has heard of `dossier_id`.
    pub async fn state(self, dossier_id: i64) -> Result<SyncState, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(STATE)
                .bind(dossier_id)
                .fetch_optional(pool)
                .await?;
            let Some(row) = row else {
                return Ok(SyncState::NotYet);
            };
            let synced_at = row.opt_int("synced_at")?;
            Ok(match (row.int("pending")? != 0, synced_at) {
                (false, Some(at)) => SyncState::Synced { at },
                (false, None) => SyncState::NotYet,
                (true, _) => SyncState::Waiting {
                    synced_at,
                    attempts: row.int("attempts")?,
                    error: row.opt_text("last_error")?,
                    next_attempt_at: row.int("next_attempt_at")?,
                },
            })
        })
    }

    /// Marks for sending again every dossier received from `from` (a Unix time) on, or the
    /// one whose code is `code`, with its whole history; returns how many.
    pub async fn resync(
        self,
        from: Option<i64>,
        code: Option<&str>,
        now: i64,
    ) -> Result<u64, DbError> {
        let code = code.map(str::to_string);
        on_write!(self.db, pool => {
            let marked = sqlx::query(RESYNC)
                .bind(from)
                .bind(&code)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected();
            Ok(marked)
        })
    }

    /// How many dossiers received in `[from, to)` the portal has in full, of how many.
    pub async fn synced_share(self, from: i64, to: i64) -> Result<(i64, i64), DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(
                "SELECT COUNT(*) AS total,
                        COALESCE(SUM(CASE WHEN s.pending = 0 AND s.synced_at IS NOT NULL
                            THEN 1 ELSE 0 END), 0) AS synced
                 FROM dossiers d LEFT JOIN portal_sync s ON s.dossier_id = d.id
                 WHERE d.received_at >= $1 AND d.received_at < $2",
            )
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await?;
            Ok((row.int("synced")?, row.int("total")?))
        })
    }
}
