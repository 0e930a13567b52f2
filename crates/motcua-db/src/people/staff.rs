//! Cán bộ — staff accounts, their API tokens, and the roles they hold over agency sub-trees.

use motcua_domain::agency::Role;
use serde::{Deserialize, Serialize};

use crate::DbError;
use crate::audit::AuditInput;
use crate::rows::RowExt;

/// A staff member as stored (never with secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// Set by an administrator's reset: the officer must choose a new password first.
    #[serde(default)]
    pub must_change_password: bool,
}

/// A role held over an agency and everything below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub agency_id: i64,
    pub agency_code: String,
    pub role: Role,
}

/// A staff member to create; `token` is a first API bearer token (stored hashed, named
/// “API”, without expiry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub username: String,
    pub full_name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub password_hash: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
}

pub(crate) fn staff(row: &impl RowExt) -> Result<Staff, DbError> {
    Ok(Staff {
        id: row.int("id")?,
        username: row.text("username")?,
        full_name: row.text("full_name")?,
        title: row.opt_text("title")?,
        phone: row.opt_text("phone")?,
        email: row.opt_text("email")?,
        active: row.int("active")? != 0,
        must_change_password: row.int("must_change_password")? != 0,
    })
}

macro_rules! select_staff {
    () => {
        "SELECT id, username, full_name, title, phone, email, active, must_change_password FROM staff"
    };
}

const ROLES_OVER: &str = "SELECT DISTINCT r.role FROM staff_roles r
    JOIN agencies g ON g.id = r.agency_id
    JOIN agencies t ON t.path LIKE g.path || '%'
    WHERE r.staff_id = $1 AND t.id = $2";

impl super::People<'_> {
    pub async fn create_staff(self, new: &NewStaff, actor: &str) -> Result<Staff, DbError> {
        self.insert_staff(new, false, actor).await
    }

    /// Creates a staff member; `must_change` makes them choose their own password at the
    /// first sign-in (an account whose first password an administrator chose).
    async fn insert_staff(
        self,
        new: &NewStaff,
        must_change: bool,
        actor: &str,
    ) -> Result<Staff, DbError> {
        let username = new.username.trim().to_lowercase();
        let mut errors = Vec::new();
        if username.len() < 3
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            errors.push(motcua_domain::FieldError::new(
                "username",
                "tên đăng nhập gồm ít nhất 3 ký tự a-z, 0-9, dấu chấm, gạch dưới hoặc gạch ngang",
            ));
        }
        let full_name = motcua_domain::text::nfc(new.full_name.trim());
        if full_name.is_empty() {
            errors.push(motcua_domain::FieldError::new(
                "full_name",
                "họ tên không được để trống",
            ));
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let now = crate::now_seconds();
        let token_hash = new.token.as_deref().map(crate::hash_token);
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE username = $1")
                .bind(&username)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(DbError::invalid("username", format!("tên đăng nhập “{username}” đã được dùng")));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO staff (username, full_name, title, phone, email, password_hash, active, created_at, must_change_password)
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
            )
            .bind(&username)
            .bind(&full_name)
            .bind(&new.title)
            .bind(&new.phone)
            .bind(&new.email)
            .bind(&new.password_hash)
            .bind(now)
            .bind(i64::from(must_change))
            .fetch_one(&mut *tx)
            .await?;
            if let Some(hash) = &token_hash {
                sqlx::query(
                    "INSERT INTO api_tokens (staff_id, name, token_hash, created_at, created_by)
                     VALUES ($1, 'API', $2, $3, $4)",
                )
                .bind(id)
                .bind(hash)
                .bind(now)
                .bind(actor)
                .execute(&mut *tx)
                .await?;
            }
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: "create_staff".into(),
                entity: "staff",
                entity_id: id.to_string(),
                detail: serde_json::json!({"username": username}),
            }).await?;
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(Staff {
                id,
                username,
                full_name,
                title: new.title.clone(),
                phone: new.phone.clone(),
                email: new.email.clone(),
                active: true,
                must_change_password: must_change,
            })
        })
    }

    /// Creates a staff member with a first password an administrator chose, checked by the
    /// password policy before anything is written (a refused password leaves no account
    /// behind); the officer chooses their own at the first sign-in.
    pub async fn create_staff_with_password(
        self,
        new: &NewStaff,
        password: &str,
        actor: &str,
    ) -> Result<Staff, DbError> {
        let username = new.username.trim().to_lowercase();
        let mut identities = vec![username.as_str()];
        identities.extend(new.phone.as_deref());
        identities.extend(new.email.as_deref());
        motcua_domain::password::check_new_password(password, &identities, None)
            .map_err(|e| DbError::Invalid(vec![e]))?;
        let owned = password.to_string();
        let hash = crate::secret::blocking(move || crate::secret::hash_password(&owned)).await??;
        self.insert_staff(
            &NewStaff {
                password_hash: Some(hash),
                ..new.clone()
            },
            true,
            actor,
        )
        .await
    }

    /// Enables or disables an account; disabling ends its sessions at once (its API tokens
    /// stop opening the API with it). Nobody disables their own account.
    pub async fn set_staff_active(
        self,
        staff_id: i64,
        active: bool,
        actor_id: i64,
    ) -> Result<Staff, DbError> {
        if !active && staff_id == actor_id {
            return Err(DbError::Forbidden(
                "không thể tự khóa tài khoản của chính mình".into(),
            ));
        }
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query("UPDATE staff SET active = $1 WHERE id = $2")
                .bind(i64::from(active))
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() != 1 {
                return Err(DbError::NotFound("cán bộ"));
            }
            if !active {
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
                // Enabling the account again must not bring old tokens back.
                sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
            }
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: format!("staff:{actor_id}"),
                action: if active { "enable_staff" } else { "disable_staff" }.into(),
                entity: "staff",
                entity_id: staff_id.to_string(),
                detail: serde_json::json!({}),
            }).await?;
            tx.commit().await?;
            Ok::<_, DbError>(())
        })?;
        self.db.kept_changed().await;
        self.staff_member(staff_id)
            .await?
            .ok_or(DbError::NotFound("cán bộ"))
    }

    /// Takes `role` over `agency_code` from `staff_id`. Nobody takes the administrator role
    /// from themselves.
    pub async fn revoke(
        self,
        staff_id: i64,
        agency_code: &str,
        role: Role,
        actor_id: i64,
    ) -> Result<(), DbError> {
        if role == Role::Administrator && staff_id == actor_id {
            return Err(DbError::Forbidden(
                "không thể tự bỏ vai trò quản trị của chính mình".into(),
            ));
        }
        let agency = self
            .db
            .agencies()
            .agency_by_code(agency_code)
            .await?
            .ok_or(DbError::NotFound("cơ quan"))?;
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query("DELETE FROM staff_roles WHERE staff_id = $1 AND agency_id = $2 AND role = $3")
                .bind(staff_id)
                .bind(agency.id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            if removed.rows_affected() == 0 {
                return Err(DbError::NotFound("vai trò này của cán bộ"));
            }
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: format!("staff:{actor_id}"),
                action: "revoke_role".into(),
                entity: "staff",
                entity_id: staff_id.to_string(),
                detail: serde_json::json!({"agency": agency_code, "role": role.as_str()}),
            }).await?;
            tx.commit().await?;
            Ok::<_, DbError>(())
        })?;
        self.db.kept_changed().await;
        Ok(())
    }

    /// Gives `staff_id` the `role` over the agency `agency_code` and its sub-tree.
    pub async fn grant(
        self,
        staff_id: i64,
        agency_code: &str,
        role: Role,
        actor: &str,
    ) -> Result<(), DbError> {
        let agency = self
            .db
            .agencies()
            .agency_by_code(agency_code)
            .await?
            .ok_or_else(|| {
                DbError::invalid(
                    "agency_code",
                    format!("không có cơ quan mã “{agency_code}”"),
                )
            })?;
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO staff_roles (staff_id, agency_id, role) VALUES ($1, $2, $3)
                 ON CONFLICT (staff_id, agency_id, role) DO NOTHING",
            )
            .bind(staff_id)
            .bind(agency.id)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: "grant_role".into(),
                entity: "staff",
                entity_id: staff_id.to_string(),
                detail: serde_json::json!({"agency": agency_code, "role": role.as_str()}),
            }).await?;
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(())
        })
    }

    pub async fn staff_by_username(self, username: &str) -> Result<Option<Staff>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(concat!(select_staff!(), " WHERE username = $1"))
                .bind(username.trim().to_lowercase())
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(staff).transpose()
        })
    }

    pub async fn staff_member(self, id: i64) -> Result<Option<Staff>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(concat!(select_staff!(), " WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(staff).transpose()
        })
    }

    /// Every role and agency a staff member holds.
    pub async fn grants(self, staff_id: i64) -> Result<Vec<Grant>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT r.agency_id, a.code, r.role FROM staff_roles r JOIN agencies a ON a.id = r.agency_id
                 WHERE r.staff_id = $1 ORDER BY a.path, r.role",
            )
            .bind(staff_id)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let role = row.text("role")?;
                    Ok(Grant {
                        agency_id: row.int("agency_id")?,
                        agency_code: row.text("code")?,
                        role: Role::parse(&role).ok_or_else(|| DbError::Corrupt(format!("vai trò “{role}”")))?,
                    })
                })
                .collect()
        })
    }

    /// Every staff member, by name.
    pub async fn all_staff(self) -> Result<Vec<Staff>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(concat!(select_staff!(), " ORDER BY full_name")).fetch_all(pool).await?;
            rows.iter().map(staff).collect()
        })
    }

    /// The active staff holding a role at agency `agency_id` (by name): who a case there may
    /// be assigned to.
    pub async fn staff_at(self, agency_id: i64) -> Result<Vec<Staff>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(concat!(select_staff!(),
                " WHERE active = 1 AND id IN (SELECT staff_id FROM staff_roles WHERE agency_id = $1) ORDER BY full_name"))
                .bind(agency_id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(staff).collect()
        })
    }

    /// Danh bạ: every active staff member with the roles granted to them, agency by agency
    /// (agency id, staff, roles there), for the public directory.
    pub async fn directory(self) -> Result<Vec<(i64, Staff, Vec<Role>)>, DbError> {
        let rows: Vec<(i64, Staff, String)> = on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT r.agency_id, r.role, s.id, s.username, s.full_name, s.title, s.phone, s.email, s.active, s.must_change_password
                 FROM staff s JOIN staff_roles r ON r.staff_id = s.id
                 WHERE s.active = 1 ORDER BY r.agency_id, s.full_name, s.id",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.int("agency_id")?, staff(r)?, r.text("role")?)))
                .collect::<Result<Vec<_>, DbError>>()?
        });
        let mut out: Vec<(i64, Staff, Vec<Role>)> = Vec::new();
        for (agency, member, role) in rows {
            let Some(role) = Role::parse(&role) else {
                continue;
            };
            match out.last_mut() {
                Some((a, m, roles)) if *a == agency && m.id == member.id => roles.push(role),
                _ => out.push((agency, member, vec![role])),
            }
        }
        Ok(out)
    }

    /// The active staff who hold any role over `agency_id` (there or on an ancestor), by name.
    pub async fn staff_over(self, agency_id: i64) -> Result<Vec<Staff>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT DISTINCT s.id, s.username, s.full_name, s.title, s.phone, s.email, s.active, s.must_change_password
                 FROM staff s JOIN staff_roles r ON r.staff_id = s.id
                 JOIN agencies g ON g.id = r.agency_id
                 JOIN agencies t ON t.path LIKE g.path || '%'
                 WHERE t.id = $1 AND s.active = 1 ORDER BY s.full_name",
            )
            .bind(agency_id)
            .fetch_all(pool)
            .await?;
            rows.iter().map(staff).collect()
        })
    }

    /// The roles `staff_id` holds over `agency_id` (granted there or on an ancestor).
    pub async fn roles_over(self, staff_id: i64, agency_id: i64) -> Result<Vec<Role>, DbError> {
        let since = self.db.shared::<RoleCache>().0.generation();
        if let Some(roles) = self.db.shared::<RoleCache>().0.get(&(staff_id, agency_id)) {
            return Ok(roles);
        }
        let roles: Vec<Role> = on_read!(self.db, pool => {
            let rows: Vec<String> = sqlx::query_scalar(ROLES_OVER)
                .bind(staff_id)
                .bind(agency_id)
                .fetch_all(pool)
                .await?;
            rows.iter().filter_map(|r| Role::parse(r)).collect()
        });
        self.db
            .shared::<RoleCache>()
            .0
            .put(since, (staff_id, agency_id), roles.clone());
        Ok(roles)
    }
}

/// Roles by (staff, agency), kept for a few seconds.
#[derive(Debug)]
pub(crate) struct RoleCache(
    pub(crate) crate::cache::Cache<(i64, i64), Vec<motcua_domain::agency::Role>>,
);

impl Default for RoleCache {
    fn default() -> Self {
        Self(crate::cache::Cache::new(crate::cache::SHORT, 100_000))
    }
}

/// A token's holder and its expiry, by the token's hash, kept for a few seconds; dropped
/// whenever a staff member, their password or a token changes.
#[derive(Debug)]
pub(crate) struct TokenHolders(
    pub(crate) crate::cache::Cache<String, Option<(Staff, Option<i64>)>>,
);

impl Default for TokenHolders {
    fn default() -> Self {
        Self(crate::cache::Cache::new(crate::cache::SHORT, 100_000))
    }
}
