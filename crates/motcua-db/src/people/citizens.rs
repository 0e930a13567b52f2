//! Tài khoản công dân — citizens' accounts (phone or e-mail + password), their sessions,
//! and the dossiers they own.

use motcua_domain::dossier::{check_citizen_id, check_email, normalize_phone};
use motcua_domain::password::check_new_password;
use motcua_domain::{FieldError, text::nfc};
use serde::Serialize;

use crate::DbError;
use crate::audit::AuditInput;
use crate::people::sessions::{Login, Realm};
use crate::rows::RowExt;
use crate::secret::{blocking, hash_password};

/// A citizen's account as shown back to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citizen {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub id_number: Option<String>,
    /// The highest level of assurance a national identity vouched for (none for an account
    /// only ever signed in to with a password); see [`motcua_domain::identity::is_verified`].
    pub assurance: Option<u8>,
}

/// A citizen from a row of `id, full_name, phone, email, id_number, assurance`.
pub(crate) fn citizen_of<R: RowExt>(r: &R) -> Result<Citizen, DbError> {
    Ok(Citizen {
        id: r.int("id")?,
        full_name: r.text("full_name")?,
        phone: r.opt_text("phone")?,
        email: r.opt_text("email")?,
        id_number: r.opt_text("id_number")?,
        assurance: r
            .opt_int("assurance")?
            .and_then(|level| u8::try_from(level).ok()),
    })
}

/// A signed-in citizen and the session's form token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenSession {
    pub citizen: Citizen,
    pub csrf: String,
}

/// What a registration form sends.
#[derive(Debug, Clone, Default)]
pub struct NewCitizen {
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub id_number: Option<String>,
    pub password: String,
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Checks and normalizes a registration, naming every field at fault.
fn check(new: NewCitizen) -> Result<NewCitizen, Vec<FieldError>> {
    let mut errors = Vec::new();
    let full_name = nfc(new.full_name.trim());
    if full_name.is_empty() {
        errors.push(FieldError::new("full_name", "họ tên không được để trống"));
    } else if full_name.chars().count() > 200 {
        errors.push(FieldError::new("full_name", "họ tên dài quá 200 ký tự"));
    }
    let mut phone = blank_to_none(new.phone);
    let email = blank_to_none(new.email).map(|e| e.to_lowercase());
    let id_number = blank_to_none(new.id_number);
    if phone.is_none() && email.is_none() {
        errors.push(FieldError::new(
            "phone",
            "cần số điện thoại hoặc địa chỉ thư điện tử để đăng nhập",
        ));
    }
    if let Some(p) = &phone {
        match normalize_phone(p) {
            Ok(p) => phone = Some(p),
            Err(e) => errors.push(FieldError::new("phone", e)),
        }
    }
    if let Some(Err(e)) = email.as_deref().map(check_email) {
        errors.push(FieldError::new("email", e));
    }
    if let Some(Err(e)) = id_number.as_deref().map(check_citizen_id) {
        errors.push(FieldError::new("id_number", e));
    }
    let identities: Vec<&str> = [
        Some(full_name.as_str()),
        phone.as_deref(),
        email.as_deref(),
        id_number.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Err(e) = check_new_password(&new.password, &identities, None) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(NewCitizen {
            full_name,
            phone,
            email,
            id_number,
            password: new.password,
        })
    } else {
        Err(errors)
    }
}

/// The phone or e-mail typed at sign-in, in the form it is stored.
fn login_key(identifier: &str) -> String {
    let trimmed = identifier.trim();
    if trimmed.contains('@') {
        trimmed.to_lowercase()
    } else {
        normalize_phone(trimmed).unwrap_or_else(|_| trimmed.to_string())
    }
}

impl super::People<'_> {
    /// Opens a citizen account. A phone or e-mail already registered is refused by name.
    pub async fn register_citizen(self, new: NewCitizen, now: i64) -> Result<Citizen, DbError> {
        let new = check(new).map_err(DbError::Invalid)?;
        for (field, value, label) in [
            ("phone", &new.phone, "số điện thoại"),
            ("email", &new.email, "địa chỉ thư điện tử"),
        ] {
            if let Some(v) = value
                && self.citizen_id_by_login(v).await?.is_some()
            {
                return Err(DbError::invalid(
                    field,
                    format!("{label} “{v}” đã được dùng cho một tài khoản khác"),
                ));
            }
        }
        let password = new.password.clone();
        let hash = blocking(move || hash_password(&password)).await??;
        let inserted: Result<i64, DbError> = async {
            on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar("INSERT INTO citizens (full_name, phone, email, id_number, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id")
                .bind(&new.full_name)
                .bind(&new.phone)
                .bind(&new.email)
                .bind(&new.id_number)
                .bind(&hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: format!("citizen:{id}"),
                action: "register".into(),
                entity: "citizen",
                entity_id: id.to_string(),
                detail: serde_json::json!({}),
            }).await?;
            tx.commit().await?;
            Ok(id)
            })
        }
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if e.is_unique_violation() => {
                return Err(DbError::invalid(
                    "phone",
                    "số điện thoại hoặc thư điện tử vừa được đăng ký cho tài khoản khác",
                ));
            }
            Err(e) => return Err(e),
        };
        Ok(Citizen {
            id,
            full_name: new.full_name,
            phone: new.phone,
            email: new.email,
            id_number: new.id_number,
            assurance: None,
        })
    }

    async fn citizen_id_by_login(self, key: &str) -> Result<Option<i64>, DbError> {
        Ok(on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT id FROM citizens WHERE phone = $1 OR email = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// A citizen's account by id.
    pub async fn citizen(self, id: i64) -> Result<Option<Citizen>, DbError> {
        Ok(on_read!(self.db, pool => {
            let row = sqlx::query("SELECT id, full_name, phone, email, id_number, assurance FROM citizens WHERE active = 1 AND id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some(citizen_of(&r)?),
                None => None,
            }
        }))
    }

    /// Checks a citizen's phone or e-mail and password, with the same lock-out as staff.
    pub async fn citizen_login(
        self,
        identifier: &str,
        password: &str,
        now: i64,
    ) -> Result<Login<Citizen>, DbError> {
        let key = login_key(identifier);
        let row: Option<(i64, Option<String>)> = on_read!(self.db, pool => {
            let row = sqlx::query("SELECT id, password_hash FROM citizens WHERE active = 1 AND (phone = $1 OR email = $1)")
                .bind(&key)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some((r.int("id")?, r.opt_text("password_hash")?)),
                None => None,
            }
        });
        // The guard is the account's, whichever of its phone or e-mail was typed.
        let guard = match &row {
            Some((id, _)) => format!("citizen:{id}"),
            None => format!("citizen?:{}", crate::hash_token(&key)),
        };
        match self.check_password(&guard, row, password, now).await? {
            Login::Ok(id) => Ok(self.citizen(id).await?.map_or(Login::Wrong, Login::Ok)),
            Login::Wrong => Ok(Login::Wrong),
            Login::Locked => Ok(Login::Locked),
        }
    }

    /// Opens a citizen's session; returns the token for the cookie.
    pub async fn create_citizen_session(
        self,
        citizen_id: i64,
        now: i64,
    ) -> Result<String, DbError> {
        self.open_session(Realm::Citizen, citizen_id, now).await
    }

    /// Opens a citizen's session signed in through identity provider `provider`, with the
    /// address that ends that sign-in at the provider when it gave one.
    pub async fn create_citizen_session_through(
        self,
        citizen_id: i64,
        provider: &str,
        logout: Option<&str>,
        now: i64,
    ) -> Result<String, DbError> {
        let token = crate::random_token(32)?;
        let csrf = crate::random_token(24)?;
        on_write!(self.db, pool => {
            sqlx::query("INSERT INTO citizen_sessions (id_hash, citizen_id, csrf, created_at, expires_at, identity_provider, identity_logout) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(crate::hash_token(&token))
                .bind(citizen_id)
                .bind(&csrf)
                .bind(now)
                .bind(now + crate::SESSION_SECONDS)
                .bind(provider)
                .bind(logout)
                .execute(pool)
                .await?;
        });
        Ok(token)
    }

    /// The live citizen session behind `token`.
    pub async fn citizen_session(
        self,
        token: &str,
        now: i64,
    ) -> Result<Option<CitizenSession>, DbError> {
        let Some((id, csrf, _)) = self.live_session(Realm::Citizen, token, now).await? else {
            return Ok(None);
        };
        Ok(self
            .citizen(id)
            .await?
            .map(|citizen| CitizenSession { citizen, csrf }))
    }

    /// Ends a citizen's session; the identity provider it was opened through, if any, with
    /// the address that ends the sign-in there when the provider gave one.
    pub async fn end_citizen_session(
        self,
        token: &str,
        now: i64,
    ) -> Result<Option<(String, Option<String>)>, DbError> {
        let through: Option<(String, Option<String>)> = on_read!(self.db, pool => {
            let row = sqlx::query("SELECT identity_provider, identity_logout FROM citizen_sessions WHERE id_hash = $1")
                .bind(crate::hash_token(token))
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => r
                    .opt_text("identity_provider")?
                    .map(|p| Ok::<_, DbError>((p, r.opt_text("identity_logout")?)))
                    .transpose()?,
                None => None,
            }
        });
        self.close_session(Realm::Citizen, token, now).await?;
        Ok(through)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_are_checked_and_normalized() {
        let ok = check(NewCitizen {
            full_name: " Nguyễn Văn An ".into(),
            phone: Some("+84 912 345 678".into()),
            email: Some(" An@Example.VN ".into()),
            id_number: Some(String::new()),
            password: "mật khẩu mùa thu".into(),
        })
        .unwrap();
        assert_eq!(ok.full_name, "Nguyễn Văn An");
        assert_eq!(ok.phone.as_deref(), Some("0912345678"));
        assert_eq!(ok.email.as_deref(), Some("an@example.vn"));
        assert_eq!(ok.id_number, None);

        let errs = check(NewCitizen {
            full_name: " ".into(),
            password: "short".into(),
            ..NewCitizen::default()
        })
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "phone", "password"]);
        assert_eq!(login_key(" 0912.345.678 "), "0912345678");
        assert_eq!(login_key("An@Example.VN"), "an@example.vn");
    }
}
