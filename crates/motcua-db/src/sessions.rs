//! Đăng nhập — staff passwords (argon2id), the lock-out after repeated failures, and
//! server-side sessions whose tokens are stored only as hashes.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::{Db, DbError, Staff};

/// Failed attempts within this window lock a username out.
pub const LOCKOUT_WINDOW_SECONDS: i64 = 15 * 60;
pub const LOCKOUT_FAILURES: i64 = 5;
/// A session lasts this long after sign-in.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// How a sign-in attempt ended (for staff, or for a citizen's account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login<T = Staff> {
    Ok(T),
    /// Unknown user or wrong password (deliberately not told apart).
    Wrong,
    /// Too many failures recently; try again later.
    Locked,
}

/// A signed-in staff member and the session's form token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff: Staff,
    pub csrf: String,
    pub expires_at: i64,
}

pub(crate) fn hash_password(password: &str) -> Result<String, DbError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DbError::Corrupt(format!("không băm được mật khẩu: {e}")))
}

pub(crate) fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DbError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DbError::Corrupt(format!("tác vụ băm mật khẩu dừng: {e}")))
}

impl Db {
    /// Sets a staff member's password (at least 8 characters).
    pub async fn set_password(
        &self,
        staff_id: i64,
        password: &str,
        actor: &str,
    ) -> Result<(), DbError> {
        self.set_same_password(&[staff_id], password, actor).await
    }

    /// Gives every staff member in `staff_ids` the same password (one hash, for generated
    /// accounts such as the demo's).
    pub async fn set_same_password(
        &self,
        staff_ids: &[i64],
        password: &str,
        actor: &str,
    ) -> Result<(), DbError> {
        if password.chars().count() < 8 {
            return Err(DbError::invalid(
                "password",
                "mật khẩu phải có ít nhất 8 ký tự",
            ));
        }
        let owned = password.to_string();
        let hash = blocking(move || hash_password(&owned)).await??;
        let now = crate::now_seconds();
        on_write!(self, pool => {
            let mut tx = pool.begin().await?;
            for staff_id in staff_ids {
                let updated = sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
                    .bind(&hash)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
                if updated.rows_affected() != 1 {
                    return Err(DbError::NotFound("cán bộ"));
                }
                crate::audit::append(&mut crate::tx::Tx::from(&mut *tx), AuditInput {
                    at: now,
                    actor: actor.to_string(),
                    action: "set_password".into(),
                    entity: "staff",
                    entity_id: staff_id.to_string(),
                    detail: serde_json::json!({}),
                }).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Checks a username and password at `now` (Unix seconds), counting failures.
    pub async fn login(&self, username: &str, password: &str, now: i64) -> Result<Login, DbError> {
        let username = username.trim().to_lowercase();
        let row: Option<(i64, Option<String>)> = on_read!(self, pool => {
            let row = sqlx::query("SELECT id, password_hash FROM staff WHERE username = $1 AND active = 1")
                .bind(&username)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some((r.int("id")?, r.opt_text("password_hash")?)),
                None => None,
            }
        });
        match self.check_password(&username, row, password, now).await? {
            Login::Ok(id) => Ok(self.staff_member(id).await?.map_or(Login::Wrong, Login::Ok)),
            Login::Wrong => Ok(Login::Wrong),
            Login::Locked => Ok(Login::Locked),
        }
    }

    /// The lock-out and password check shared by staff and citizens: `key` names the
    /// account in the failure log; `row` is its id and stored hash, when it exists.
    pub(crate) async fn check_password(
        &self,
        key: &str,
        row: Option<(i64, Option<String>)>,
        password: &str,
        now: i64,
    ) -> Result<Login<i64>, DbError> {
        let failures: i64 = on_read!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at > $2")
                .bind(key)
                .bind(now - LOCKOUT_WINDOW_SECONDS)
                .fetch_one(pool)
                .await?
        });
        if failures >= LOCKOUT_FAILURES {
            return Ok(Login::Locked);
        }
        let verified = match row {
            Some((id, Some(hash))) => {
                let password = password.to_string();
                blocking(move || password_matches(&password, &hash))
                    .await?
                    .then_some(id)
            }
            _ => None,
        };
        match verified {
            Some(id) => {
                on_write!(self, pool => {
                    sqlx::query("DELETE FROM login_failures WHERE username = $1")
                        .bind(key)
                        .execute(pool)
                        .await?;
                });
                Ok(Login::Ok(id))
            }
            None => {
                on_write!(self, pool => {
                    sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
                        .bind(key)
                        .bind(now)
                        .execute(pool)
                        .await?;
                });
                Ok(Login::Wrong)
            }
        }
    }

    /// Opens a session for `staff_id`; returns the token for the cookie.
    pub async fn create_session(&self, staff_id: i64, now: i64) -> Result<String, DbError> {
        self.open_session(Realm::Staff, staff_id, now).await
    }

    /// The live session behind `token` at `now`, if any.
    pub async fn session(&self, token: &str, now: i64) -> Result<Option<Session>, DbError> {
        let Some((staff_id, csrf, expires_at)) =
            self.live_session(Realm::Staff, token, now).await?
        else {
            return Ok(None);
        };
        Ok(self
            .staff_member(staff_id)
            .await?
            .filter(|s| s.active)
            .map(|staff| Session {
                staff,
                csrf,
                expires_at,
            }))
    }

    /// Ends a session (sign-out), and removes expired ones.
    pub async fn end_session(&self, token: &str, now: i64) -> Result<(), DbError> {
        self.close_session(Realm::Staff, token, now).await
    }

    pub(crate) async fn open_session(
        &self,
        realm: Realm,
        subject: i64,
        now: i64,
    ) -> Result<String, DbError> {
        let token = crate::random_token(32)?;
        let csrf = crate::random_token(24)?;
        on_write!(self, pool => {
            sqlx::query(realm.insert())
                .bind(crate::hash_token(&token))
                .bind(subject)
                .bind(&csrf)
                .bind(now)
                .bind(now + SESSION_SECONDS)
                .execute(pool)
                .await?;
        });
        Ok(token)
    }

    /// The subject, form token and expiry of a live session.
    pub(crate) async fn live_session(
        &self,
        realm: Realm,
        token: &str,
        now: i64,
    ) -> Result<Option<(i64, String, i64)>, DbError> {
        Ok(on_read!(self, pool => {
            let row = sqlx::query(realm.select())
                .bind(crate::hash_token(token))
                .bind(now)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some((r.int("subject")?, r.text("csrf")?, r.int("expires_at")?)),
                None => None,
            }
        }))
    }

    pub(crate) async fn close_session(
        &self,
        realm: Realm,
        token: &str,
        now: i64,
    ) -> Result<(), DbError> {
        on_write!(self, pool => {
            sqlx::query(realm.delete())
                .bind(crate::hash_token(token))
                .bind(now)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}

/// Whose sessions: staff and citizens keep theirs in separate tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Realm {
    Staff,
    Citizen,
}

impl Realm {
    fn insert(self) -> &'static str {
        match self {
            Self::Staff => {
                "INSERT INTO sessions (id_hash, staff_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
            }
            Self::Citizen => {
                "INSERT INTO citizen_sessions (id_hash, citizen_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
            }
        }
    }

    fn select(self) -> &'static str {
        match self {
            Self::Staff => {
                "SELECT staff_id AS subject, csrf, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2"
            }
            Self::Citizen => {
                "SELECT citizen_id AS subject, csrf, expires_at FROM citizen_sessions WHERE id_hash = $1 AND expires_at > $2"
            }
        }
    }

    fn delete(self) -> &'static str {
        match self {
            Self::Staff => "DELETE FROM sessions WHERE id_hash = $1 OR expires_at <= $2",
            Self::Citizen => "DELETE FROM citizen_sessions WHERE id_hash = $1 OR expires_at <= $2",
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_hash_and_verify() {
        let hash = super::hash_password("mật khẩu dài").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(super::password_matches("mật khẩu dài", &hash));
        assert!(!super::password_matches("mat khau dai", &hash));
    }
}
