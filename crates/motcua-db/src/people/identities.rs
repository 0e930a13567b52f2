//! Đăng nhập bằng định danh điện tử — the sign-ins under way with a national identity
//! provider (state, nonce and PKCE verifier, each used once) and the citizen's account that a
//! provider's account signs in to: linked once, found again by the provider's subject, else by
//! the identification number, else opened without a password.

use motcua_domain::identity::NationalIdentity;

use super::citizens::Citizen;
use crate::DbError;
use crate::audit::AuditInput;
use crate::rows::RowExt;

/// How long a sign-in may take between leaving for the provider and coming back.
pub const SIGN_IN_SECONDS: i64 = 600;

/// A sign-in under way, kept under its state until the provider sends the citizen back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    /// The provider's name in the settings (`vneid`, `dvcqg`).
    pub provider: String,
    pub nonce: String,
    /// The PKCE code verifier (RFC 7636).
    pub verifier: String,
    /// Where to go once signed in (a local path).
    pub next: String,
}

/// How the identity found its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    /// The provider's account was linked before.
    Known,
    /// An account with the same identification number is linked now.
    ByIdNumber,
    /// A new account was opened from the identity.
    Opened,
}

impl Linked {
    fn as_str(self) -> &'static str {
        match self {
            Linked::Known => "known",
            Linked::ByIdNumber => "id_number",
            Linked::Opened => "opened",
        }
    }
}

impl super::People<'_> {
    /// Keeps a sign-in under way under `state` (only its hash is stored) and forgets those
    /// older than a day.
    pub async fn begin_sign_in(
        self,
        state: &str,
        pending: &PendingSignIn,
        now: i64,
    ) -> Result<(), DbError> {
        let state_hash = crate::hash_token(state);
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM identity_sign_ins WHERE created_at < $1")
                .bind(now - 86_400)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO identity_sign_ins (state_hash, provider, nonce, verifier, next, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&state_hash)
                .bind(&pending.provider)
                .bind(&pending.nonce)
                .bind(&pending.verifier)
                .bind(&pending.next)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The sign-in under way under `state`, taken once: a state never issued, already used
    /// or older than [`SIGN_IN_SECONDS`] gives `None`.
    pub async fn take_sign_in(
        self,
        state: &str,
        now: i64,
    ) -> Result<Option<PendingSignIn>, DbError> {
        let state_hash = crate::hash_token(state);
        Ok(on_write!(self.db, pool => {
            let row = sqlx::query("UPDATE identity_sign_ins SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND created_at > $3 RETURNING provider, nonce, verifier, next")
                .bind(&state_hash)
                .bind(now)
                .bind(now - SIGN_IN_SECONDS)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => Some(PendingSignIn {
                    provider: r.text("provider")?,
                    nonce: r.text("nonce")?,
                    verifier: r.text("verifier")?,
                    next: r.text("next")?,
                }),
                None => None,
            }
        }))
    }

    /// The citizen's account a national identity signs in to, in one transaction with its
    /// audit entry: the account linked to the provider's subject; else the oldest active
    /// account with the same identification number, linked now; else a new account without a
    /// password (its phone and e-mail kept only when no other account uses them). The name
    /// and number the provider vouches for replace those typed before, and the account's
    /// level of assurance becomes the highest its identities vouched for.
    pub async fn sign_in_with_identity(
        self,
        identity: &NationalIdentity,
        now: i64,
    ) -> Result<(Citizen, Linked), DbError> {
        let assurance = identity.assurance.map(i64::from);
        let (id, linked) = on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let known: Option<(i64, i64)> = sqlx::query_as("SELECT c.id, c.active FROM citizen_identities i JOIN citizens c ON c.id = i.citizen_id WHERE i.provider = $1 AND i.subject = $2")
                .bind(&identity.provider)
                .bind(&identity.subject)
                .fetch_optional(&mut *tx)
                .await?;
            let (id, linked) = match known {
                Some((_, active)) if active != 1 => {
                    return Err(DbError::invalid("", "tài khoản công dân này đã bị khóa; hãy liên hệ bộ phận một cửa"));
                }
                Some((id, _)) => (id, Linked::Known),
                None => {
                    let same: Option<i64> = match &identity.id_number {
                        Some(number) => sqlx::query_scalar("SELECT id FROM citizens WHERE active = 1 AND id_number = $1 ORDER BY id LIMIT 1")
                            .bind(number)
                            .fetch_optional(&mut *tx)
                            .await?,
                        None => None,
                    };
                    match same {
                        Some(id) => (id, Linked::ByIdNumber),
                        None => {
                            let mut contact = [identity.phone.clone(), identity.email.clone()];
                            for value in contact.iter_mut() {
                                if let Some(v) = value.as_deref() {
                                    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM citizens WHERE phone = $1 OR email = $1")
                                        .bind(v)
                                        .fetch_optional(&mut *tx)
                                        .await?;
                                    if taken.is_some() {
                                        *value = None;
                                    }
                                }
                            }
                            let [phone, email] = contact;
                            let id: i64 = sqlx::query_scalar("INSERT INTO citizens (full_name, phone, email, id_number, password_hash, active, created_at) VALUES ($1, $2, $3, $4, '', 1, $5) RETURNING id")
                                .bind(&identity.full_name)
                                .bind(&phone)
                                .bind(&email)
                                .bind(&identity.id_number)
                                .bind(now)
                                .fetch_one(&mut *tx)
                                .await?;
                            (id, Linked::Opened)
                        }
                    }
                }
            };
            sqlx::query("INSERT INTO citizen_identities (provider, subject, citizen_id, assurance, tech_id, linked_at, signed_in_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
                ON CONFLICT (provider, subject) DO UPDATE SET assurance = excluded.assurance, tech_id = excluded.tech_id, signed_in_at = excluded.signed_in_at")
                .bind(&identity.provider)
                .bind(&identity.subject)
                .bind(id)
                .bind(assurance)
                .bind(&identity.tech_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE citizens SET full_name = $2, id_number = COALESCE($3, id_number), assurance = (SELECT MAX(assurance) FROM citizen_identities WHERE citizen_id = $1) WHERE id = $1")
                .bind(id)
                .bind(&identity.full_name)
                .bind(&identity.id_number)
                .execute(&mut *tx)
                .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: format!("citizen:{id}"),
                action: "sign_in_identity".into(),
                entity: "citizen",
                entity_id: id.to_string(),
                detail: serde_json::json!({
                    "provider": identity.provider,
                    "assurance": identity.assurance,
                    "linked": linked.as_str(),
                }),
            }).await?;
            tx.commit().await?;
            (id, linked)
        });
        let citizen = self
            .citizen(id)
            .await?
            .ok_or_else(|| DbError::Internal(format!("tài khoản công dân {id} vừa ghi đã mất")))?;
        Ok((citizen, linked))
    }

    /// The identity providers a citizen's account is linked to, with each one's level.
    pub async fn identities_of(
        self,
        citizen_id: i64,
    ) -> Result<Vec<(String, Option<u8>)>, DbError> {
        Ok(on_read!(self.db, pool => {
            let rows = sqlx::query("SELECT provider, assurance FROM citizen_identities WHERE citizen_id = $1 ORDER BY provider")
                .bind(citizen_id)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push((
                    r.text("provider")?,
                    r.opt_int("assurance")?.and_then(|l| u8::try_from(l).ok()),
                ));
            }
            out
        }))
    }
}
