//! Mã API — staff API tokens: named, optionally expiring, revocable, stored only as hashes;
//! the plain token is shown once, when it is created.

use serde::Serialize;

use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::{DbError, Staff};

/// An API token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub staff_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: i64,
    pub created_by: String,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl ApiToken {
    /// Whether the token opens the API at `now`.
    pub fn live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }

    /// Its state at `now`, as the administration page and the command line say it.
    pub fn state_vi(&self, now: i64) -> String {
        let date = |seconds: i64| {
            chrono::DateTime::from_timestamp(seconds, 0)
                .map(|t| {
                    t.with_timezone(&motcua_domain::calendar::vietnam_offset())
                        .format("%d/%m/%Y %H:%M")
                        .to_string()
                })
                .unwrap_or_default()
        };
        match (self.revoked_at, self.expires_at) {
            (Some(at), _) => format!("đã thu hồi {}", date(at)),
            (None, Some(at)) if at <= now => format!("hết hạn {}", date(at)),
            (None, Some(at)) => format!("dùng được đến {}", date(at)),
            (None, None) => "dùng được, không hết hạn".into(),
        }
    }
}

/// A token just created: its row and the plain token, which is not kept.
#[derive(Debug, Clone)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

macro_rules! select_tokens {
    () => {
        "SELECT t.id, t.staff_id, s.username, t.name, t.created_at, t.created_by,
         t.expires_at, t.revoked_at FROM api_tokens t JOIN staff s ON s.id = t.staff_id"
    };
}

fn token(row: &impl RowExt) -> Result<ApiToken, DbError> {
    Ok(ApiToken {
        id: row.int("id")?,
        staff_id: row.int("staff_id")?,
        username: row.text("username")?,
        name: row.text("name")?,
        created_at: row.int("created_at")?,
        created_by: row.text("created_by")?,
        expires_at: row.opt_int("expires_at")?,
        revoked_at: row.opt_int("revoked_at")?,
    })
}

/// Checks a token's name: what it is for, so a list of tokens can be read.
fn check_name(name: &str) -> Result<String, DbError> {
    let name = motcua_domain::text::nfc(name.trim());
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DbError::invalid(
            "name",
            "tên mã API (dùng cho việc gì) cần từ 1 đến 100 ký tự",
        ));
    }
    Ok(name)
}

impl super::People<'_> {
    /// Creates an API token for `staff_id` named `name`, valid until `expires_at` (Unix
    /// seconds; `None` never expires). `secret` is the token to store the hash of; `None`
    /// draws a random one.
    pub async fn create_api_token(
        self,
        staff_id: i64,
        name: &str,
        expires_at: Option<i64>,
        secret: Option<String>,
        actor: &str,
    ) -> Result<CreatedToken, DbError> {
        let name = check_name(name)?;
        let now = crate::now_seconds();
        if expires_at.is_some_and(|e| e <= now) {
            return Err(DbError::invalid(
                "expires_at",
                "ngày hết hạn phải ở sau hôm nay",
            ));
        }
        let staff = self
            .staff_member(staff_id)
            .await?
            .ok_or(DbError::NotFound("cán bộ"))?;
        let secret = match secret {
            Some(s) => s,
            None => format!("mc_{}", crate::random_token(40)?),
        };
        let hash = crate::hash_token(&secret);
        let id = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM api_tokens WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(DbError::invalid("token", "mã API này đã được dùng"));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO api_tokens (staff_id, name, token_hash, created_at, created_by, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(staff_id)
            .bind(&name)
            .bind(&hash)
            .bind(now)
            .bind(actor)
            .bind(expires_at)
            .fetch_one(&mut *tx)
            .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: "create_api_token".into(),
                entity: "staff",
                entity_id: staff_id.to_string(),
                detail: serde_json::json!({"token": id, "name": name, "expires_at": expires_at}),
            }).await?;
            tx.commit().await?;
            id
        });
        self.db.kept_changed().await;
        Ok(CreatedToken {
            token: ApiToken {
                id,
                staff_id,
                username: staff.username,
                name,
                created_at: now,
                created_by: actor.to_string(),
                expires_at,
                revoked_at: None,
            },
            secret,
        })
    }

    /// The API tokens of one staff member, or of everyone; newest first.
    pub async fn api_tokens(self, staff_id: Option<i64>) -> Result<Vec<ApiToken>, DbError> {
        on_read!(self.db, pool => {
            let rows = match staff_id {
                Some(id) => sqlx::query(concat!(select_tokens!(), " WHERE t.staff_id = $1 ORDER BY t.id DESC"))
                    .bind(id)
                    .fetch_all(pool)
                    .await?,
                None => sqlx::query(concat!(select_tokens!(), " ORDER BY t.id DESC"))
                    .fetch_all(pool)
                    .await?,
            };
            rows.iter().map(token).collect()
        })
    }

    /// Revokes a token at once (in this process; another process's cache lets it through
    /// for at most ten seconds). Revoking a revoked token changes nothing.
    pub async fn revoke_api_token(self, id: i64, actor: &str) -> Result<ApiToken, DbError> {
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let row = sqlx::query(concat!(select_tokens!(), " WHERE t.id = $1"))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(DbError::NotFound("mã API"))?;
            let mut found = token(&row)?;
            if found.revoked_at.is_none() {
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                    at: now,
                    actor: actor.to_string(),
                    action: "revoke_api_token".into(),
                    entity: "staff",
                    entity_id: found.staff_id.to_string(),
                    detail: serde_json::json!({"token": id}),
                }).await?;
                found.revoked_at = Some(now);
            }
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(found)
        })
    }

    /// The active staff member holding this API token, while it is neither revoked nor
    /// expired.
    pub async fn staff_by_token(self, token: &str) -> Result<Option<Staff>, DbError> {
        let hash = crate::hash_token(token);
        let now = crate::now_seconds();
        let since = self
            .db
            .shared::<crate::people::staff::TokenHolders>()
            .0
            .generation();
        let cached = match self
            .db
            .shared::<crate::people::staff::TokenHolders>()
            .0
            .get(&hash)
        {
            Some(found) => found,
            None => {
                let found = on_read!(self.db, pool => {
                    let row = sqlx::query(
                        "SELECT s.id, s.username, s.full_name, s.title, s.phone, s.email, s.active, s.must_change_password, t.expires_at
                         FROM api_tokens t JOIN staff s ON s.id = t.staff_id
                         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND s.active = 1",
                    )
                    .bind(&hash)
                    .fetch_optional(pool)
                    .await?;
                    match row {
                        Some(r) => Some((crate::people::staff::staff(&r)?, r.opt_int("expires_at")?)),
                        None => None,
                    }
                });
                self.db
                    .shared::<crate::people::staff::TokenHolders>()
                    .0
                    .put(since, hash, found.clone());
                found
            }
        };
        Ok(cached
            .filter(|(_, expires)| expires.is_none_or(|e| e > now))
            .map(|(staff, _)| staff))
    }
}
