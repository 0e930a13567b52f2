//! Đăng nhập — staff passwords (argon2id), the lock-out after repeated failures, and
//! server-side sessions whose tokens are stored only as hashes.

use motcua_domain::password::check_new_password;

use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::secret::{blocking, hash_password, password_matches};
use crate::{DbError, Staff};

/// Failed attempts within this window lock an account out.
pub const LOCKOUT_WINDOW_SECONDS: i64 = 15 * 60;
pub const LOCKOUT_FAILURES: i64 = 5;
/// A session lasts this long after sign-in.
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// Counts one attempt on an account's guard row and returns the attempts in its window: a
/// window older than the lock-out's starts over at one.
const BUMP_GUARD: &str = "INSERT INTO login_guards (key, failures, window_start) VALUES ($1, 1, $2)
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_guards.window_start <= $3 THEN 1 ELSE login_guards.failures + 1 END,
        window_start = CASE WHEN login_guards.window_start <= $3 THEN $2 ELSE login_guards.window_start END
    RETURNING failures";

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

impl super::People<'_> {
    /// Sets a staff member's password, checked by the password policy
    /// ([`check_new_password`]). When it replaces one (a change or a reset), every session
    /// of the account ends except `keep` (the one that asked, when the officer changes
    /// their own), and every API token is revoked.
    pub async fn set_password(
        self,
        staff_id: i64,
        password: &str,
        actor: &str,
        keep: Option<&str>,
    ) -> Result<(), DbError> {
        self.store_password(staff_id, password, actor, keep, false)
            .await
    }

    /// An administrator's reset: [`People::set_password`] without keeping any session, and the
    /// officer must choose a new password at the next sign-in.
    pub async fn reset_password(
        self,
        staff_id: i64,
        password: &str,
        actor: &str,
    ) -> Result<(), DbError> {
        self.store_password(staff_id, password, actor, None, true)
            .await
    }

    async fn store_password(
        self,
        staff_id: i64,
        password: &str,
        actor: &str,
        keep: Option<&str>,
        must_change: bool,
    ) -> Result<(), DbError> {
        let staff = self
            .staff_member(staff_id)
            .await?
            .ok_or(DbError::NotFound("cán bộ"))?;
        let mut identities = vec![staff.username.as_str()];
        identities.extend(staff.phone.as_deref());
        identities.extend(staff.email.as_deref());
        check_new_password(password, &identities, None).map_err(|e| DbError::Invalid(vec![e]))?;
        let old: Option<String> = on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
                .bind(staff_id)
                .fetch_optional(pool)
                .await?
                .flatten()
        });
        // A first password opens the account; only a change or a reset of an existing one
        // ends the account's other sessions and revokes its API tokens.
        let replaces = old.is_some() || must_change;
        if let Some(old) = old {
            let new = password.to_string();
            if blocking(move || password_matches(&new, &old)).await? {
                return Err(DbError::invalid(
                    "password",
                    "mật khẩu mới phải khác mật khẩu đang dùng",
                ));
            }
        }
        let owned = password.to_string();
        let hash = blocking(move || hash_password(&owned)).await??;
        let kept = keep.map(crate::hash_token).unwrap_or_default();
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query("UPDATE staff SET password_hash = $1, must_change_password = $2 WHERE id = $3")
                .bind(&hash)
                .bind(i64::from(must_change))
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() != 1 {
                return Err(DbError::NotFound("cán bộ"));
            }
            let (mut ended, mut revoked) = (0, 0);
            if replaces {
                ended = sqlx::query("DELETE FROM sessions WHERE staff_id = $1 AND id_hash <> $2")
                    .bind(staff_id)
                    .bind(&kept)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                revoked = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: if must_change { "reset_password" } else { "set_password" }.into(),
                entity: "staff",
                entity_id: staff_id.to_string(),
                detail: serde_json::json!({"sessions_ended": ended, "tokens_revoked": revoked}),
            }).await?;
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(())
        })
    }

    /// Gives every staff member in `staff_ids` the same password (one hash, for generated
    /// accounts such as the demo's), checked by the password policy for each of them.
    pub async fn set_same_password(
        self,
        staff_ids: &[i64],
        password: &str,
        actor: &str,
    ) -> Result<(), DbError> {
        let mut members = Vec::with_capacity(staff_ids.len());
        for id in staff_ids {
            let staff = self
                .staff_member(*id)
                .await?
                .ok_or(DbError::NotFound("cán bộ"))?;
            check_new_password(password, &[staff.username.as_str()], None)
                .map_err(|e| DbError::Invalid(vec![e]))?;
            members.push(staff.id);
        }
        let owned = password.to_string();
        let hash = blocking(move || hash_password(&owned)).await??;
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            for staff_id in &members {
                sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
                    .bind(&hash)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
                crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
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
    pub async fn login(self, username: &str, password: &str, now: i64) -> Result<Login, DbError> {
        let username = username.trim().to_lowercase();
        let row: Option<(i64, Option<String>)> = on_read!(self.db, pool => {
            let row = sqlx::query("SELECT id, password_hash FROM staff WHERE username = $1 AND active = 1")
                .bind(&username)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some((r.int("id")?, r.opt_text("password_hash")?)),
                None => None,
            }
        });
        let key = match &row {
            Some((id, _)) => format!("staff:{id}"),
            None => format!("staff?:{}", crate::hash_token(&username)),
        };
        match self.check_password(&key, row, password, now).await? {
            Login::Ok(id) => Ok(self.staff_member(id).await?.map_or(Login::Wrong, Login::Ok)),
            Login::Wrong => Ok(Login::Wrong),
            Login::Locked => Ok(Login::Locked),
        }
    }

    /// The lock-out and password check shared by staff and citizens: `key` names the
    /// account (its id when it exists, else what was typed); `row` is its id and stored hash.
    ///
    /// The attempt is counted *before* the password is checked, in one atomic bump of the
    /// account's row, so concurrent guesses cannot all read a count below the limit: the
    /// sixth of any number of simultaneous wrong guesses is refused unchecked. A right
    /// password clears the count.
    pub(crate) async fn check_password(
        self,
        key: &str,
        row: Option<(i64, Option<String>)>,
        password: &str,
        now: i64,
    ) -> Result<Login<i64>, DbError> {
        let attempts: i64 = on_write!(self.db, pool => {
            sqlx::query_scalar(BUMP_GUARD)
                .bind(key)
                .bind(now)
                .bind(now - LOCKOUT_WINDOW_SECONDS)
                .fetch_one(pool)
                .await?
        });
        if attempts > LOCKOUT_FAILURES {
            return Ok(Login::Locked);
        }
        let verified = match row {
            // An empty hash: an account opened by a national identity, with no password.
            Some((id, Some(hash))) if !hash.is_empty() => {
                let password = password.to_string();
                blocking(move || password_matches(&password, &hash))
                    .await?
                    .then_some(id)
            }
            _ => None,
        };
        match verified {
            Some(id) => {
                on_write!(self.db, pool => {
                    sqlx::query("DELETE FROM login_guards WHERE key = $1")
                        .bind(key)
                        .execute(pool)
                        .await?;
                });
                Ok(Login::Ok(id))
            }
            None => {
                // Windows that have passed are dropped, so names typed once (however many)
                // do not stay.
                on_write!(self.db, pool => {
                    sqlx::query("DELETE FROM login_guards WHERE window_start <= $1")
                        .bind(now - LOCKOUT_WINDOW_SECONDS)
                        .execute(pool)
                        .await?;
                });
                Ok(Login::Wrong)
            }
        }
    }

    /// Opens a session for `staff_id`; returns the token for the cookie.
    pub async fn create_session(self, staff_id: i64, now: i64) -> Result<String, DbError> {
        self.open_session(Realm::Staff, staff_id, now).await
    }

    /// The live session behind `token` at `now`, if any.
    pub async fn session(self, token: &str, now: i64) -> Result<Option<Session>, DbError> {
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
    pub async fn end_session(self, token: &str, now: i64) -> Result<(), DbError> {
        self.close_session(Realm::Staff, token, now).await
    }

    pub(crate) async fn open_session(
        self,
        realm: Realm,
        subject: i64,
        now: i64,
    ) -> Result<String, DbError> {
        let token = crate::random_token(32)?;
        let csrf = crate::random_token(24)?;
        on_write!(self.db, pool => {
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
        self,
        realm: Realm,
        token: &str,
        now: i64,
    ) -> Result<Option<(i64, String, i64)>, DbError> {
        Ok(on_read!(self.db, pool => {
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
        self,
        realm: Realm,
        token: &str,
        now: i64,
    ) -> Result<(), DbError> {
        on_write!(self.db, pool => {
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
        let hash = crate::secret::hash_password("mật khẩu dài").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(super::password_matches("mật khẩu dài", &hash));
        assert!(!super::password_matches("mat khau dai", &hash));
    }
}
