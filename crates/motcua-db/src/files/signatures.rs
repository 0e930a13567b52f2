//! Kết quả ký số — agencies' signing keys and the results signed with them.
//!
//! A key's certificate is stored in the database; its private half only as configured: the
//! path of a key file an administrator gives (the file stays outside the database and its
//! backups), or, for the demo alone, the generated secret in the row, marked `demo`. Each
//! signed result has a random public id (its verification page's address), so ids cannot be
//! enumerated; it names the result file and its digest, and the signature in the file store:
//! a signed copy of the PDF with the signature inside (PAdES), or a detached `.p7s`.

use std::path::PathBuf;

use motcua_domain::calendar::Instant;

use crate::DbError;
use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::secret::hex;

/// Where an agency's private key is.
#[derive(Clone, PartialEq, Eq)]
pub enum KeySource {
    /// A key file on the server, given by the administrator (PKCS #8, PEM or DER).
    File(PathBuf),
    /// The demo's generated secret (32 bytes), kept in the database: never for real results.
    Demo([u8; 32]),
    /// A key held in a PKCS #11 token or HSM, named by its URI (RFC 7512), which says where
    /// the PIN is read from (never the PIN itself).
    Token(String),
}

impl std::fmt::Debug for KeySource {
    // Never print a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Demo(_) => f.write_str("Demo(..)"),
            Self::Token(uri) => f.debug_tuple("Token").field(uri).finish(),
        }
    }
}

/// Whose key it is: an agency's, or a staff member's personal one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOwner {
    Agency(i64),
    Person(i64),
}

/// Khóa ký — an agency's or a person's certificate and where its private key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    pub owner: KeyOwner,
    /// The X.509 certificate, DER.
    pub certificate: Vec<u8>,
    /// SHA-256 of the certificate in hex: the fingerprint the agency publishes.
    pub certificate_sha256: String,
    /// The certificate's subject, for people.
    pub subject: String,
    pub source: KeySource,
}

impl SigningKey {
    pub fn is_demo(&self) -> bool {
        matches!(self.source, KeySource::Demo(_))
    }
}

/// A signed result before it is recorded.
#[derive(Debug, Clone)]
pub struct NewSignedResult {
    /// Its public id, drawn beforehand with [`new_public_id`] (the signed copy's stamp
    /// carries the address of its verification page).
    pub id: String,
    pub dossier_id: i64,
    /// The dossier's code, for the audit entry.
    pub dossier_code: String,
    pub file_id: i64,
    pub file_sha256: String,
    /// Digest of the `.p7s` blob in the file store.
    pub signature_sha256: String,
    /// The signed copy of the PDF with the signature inside, attached to the dossier with
    /// the signed result (`signature_sha256` is its digest); `None` for a detached `.p7s`.
    pub signed_copy: Option<crate::files::NewAttachment>,
    pub agency_id: i64,
    pub signer: String,
    pub certificate_sha256: String,
    pub signed_at: Instant,
    /// Who asked for the signature (`staff:<id>`).
    pub signed_by: String,
}

/// Kết quả đã ký — a signed result as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedResult {
    /// The random public id.
    pub id: String,
    pub dossier_id: i64,
    pub file_id: i64,
    pub file_sha256: String,
    pub signature_sha256: String,
    /// The dossier file that is the signed copy of the PDF, with the signature inside
    /// (`signature_sha256` is its digest); `None` when the signature is a detached `.p7s`.
    pub signed_file_id: Option<i64>,
    pub agency_id: i64,
    pub signer: String,
    pub certificate_sha256: String,
    pub signed_at: Instant,
    pub signed_by: String,
}

fn unhex(text: &str) -> Result<Vec<u8>, DbError> {
    let bad = || DbError::Corrupt("chuỗi hex của khóa ký".into());
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(bad)
        })
        .collect()
}

/// Writing and reading one key of `$table`, whose owner is the column `$owner`.
macro_rules! key_sql {
    ($table:literal, $owner:literal) => {
        (
            concat!(
                "INSERT INTO ",
                $table,
                " (",
                $owner,
                ", certificate, certificate_sha256,
                subject, storage, key_file, demo_secret, created_at, created_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (",
                $owner,
                ") DO UPDATE SET certificate = excluded.certificate,
                certificate_sha256 = excluded.certificate_sha256, subject = excluded.subject,
                storage = excluded.storage, key_file = excluded.key_file,
                demo_secret = excluded.demo_secret, created_at = excluded.created_at,
                created_by = excluded.created_by"
            ),
            concat!(
                "SELECT certificate, certificate_sha256, subject, storage, key_file,
                demo_secret FROM ",
                $table,
                " WHERE ",
                $owner,
                " = $1"
            ),
        )
    };
}
const AGENCY_KEY: (&str, &str) = key_sql!("signing_keys", "agency_id");
const PERSONAL_KEY: (&str, &str) = key_sql!("staff_signing_keys", "staff_id");
const INSERT_RESULT: &str = "INSERT INTO signed_results (id, dossier_id, file_id, file_sha256,
    signature_sha256, agency_id, signer, certificate_sha256, signed_at, signed_by, signed_file_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const RESULT_BY_ID: &str = "SELECT id, dossier_id, file_id, file_sha256, signature_sha256,
    agency_id, signer, certificate_sha256, signed_at, signed_by, signed_file_id FROM signed_results
    WHERE id = $1";
const RESULTS_OF_DOSSIER: &str = "SELECT id, dossier_id, file_id, file_sha256,
    signature_sha256, agency_id, signer, certificate_sha256, signed_at, signed_by, signed_file_id
    FROM signed_results WHERE dossier_id = $1 ORDER BY signed_at, id";

fn key_row(row: &impl RowExt, owner: KeyOwner) -> Result<SigningKey, DbError> {
    let source = match row.text("storage")?.as_str() {
        "file" => KeySource::File(PathBuf::from(
            row.opt_text("key_file")?
                .ok_or_else(|| DbError::Corrupt("khóa ký thiếu đường dẫn tệp".into()))?,
        )),
        "demo" => {
            let bytes = unhex(&row.opt_text("demo_secret")?.unwrap_or_default())?;
            KeySource::Demo(
                bytes
                    .try_into()
                    .map_err(|_| DbError::Corrupt("khóa ký mẫu không đủ 32 byte".into()))?,
            )
        }
        "token" => KeySource::Token(
            row.opt_text("key_file")?
                .ok_or_else(|| DbError::Corrupt("khóa ký thiếu địa chỉ thiết bị".into()))?,
        ),
        other => return Err(DbError::Corrupt(format!("nơi giữ khóa “{other}”"))),
    };
    Ok(SigningKey {
        owner,
        certificate: unhex(&row.text("certificate")?)?,
        certificate_sha256: row.text("certificate_sha256")?,
        subject: row.text("subject")?,
        source,
    })
}

fn result_row(row: &impl RowExt) -> Result<SignedResult, DbError> {
    Ok(SignedResult {
        id: row.text("id")?,
        dossier_id: row.int("dossier_id")?,
        file_id: row.int("file_id")?,
        file_sha256: row.text("file_sha256")?,
        signature_sha256: row.text("signature_sha256")?,
        signed_file_id: row.opt_int("signed_file_id")?,
        agency_id: row.int("agency_id")?,
        signer: row.text("signer")?,
        certificate_sha256: row.text("certificate_sha256")?,
        signed_at: crate::rows::instant(row.int("signed_at")?)?,
        signed_by: row.text("signed_by")?,
    })
}

/// Whether a public id has the shape [`Files::record_signed_result`] gives (so other input
/// never reaches the database).
pub fn is_public_id(text: &str) -> bool {
    text.len() == PUBLIC_ID_LEN && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// 20 characters of a 32-letter alphabet: 100 random bits.
const PUBLIC_ID_LEN: usize = 20;

/// A new random public id for a signed result.
pub fn new_public_id() -> Result<String, DbError> {
    crate::random_token(PUBLIC_ID_LEN)
}

impl super::Files<'_> {
    /// Sets (or replaces) an agency's or a person's signing key, with an audit entry.
    pub async fn set_signing_key(
        self,
        key: &SigningKey,
        actor: &str,
        now: Instant,
    ) -> Result<(), DbError> {
        let (storage, key_file, demo_secret) = match &key.source {
            KeySource::File(path) => {
                let path = path.to_str().ok_or_else(|| {
                    DbError::invalid("key_file", "đường dẫn tệp khóa phải là UTF-8")
                })?;
                ("file", Some(path.to_string()), None)
            }
            KeySource::Demo(secret) => ("demo", None, Some(hex(secret))),
            KeySource::Token(uri) => {
                if uri.contains("pin-value") {
                    return Err(DbError::invalid(
                        "key_file",
                        "không lưu mã PIN trong cơ sở dữ liệu: dùng pin-source=file:…",
                    ));
                }
                ("token", Some(uri.clone()), None)
            }
        };
        let at = now.timestamp();
        let audit = AuditInput {
            at,
            actor: actor.to_string(),
            action: "set_signing_key".into(),
            entity: match key.owner {
                KeyOwner::Agency(_) => "agency",
                KeyOwner::Person(_) => "staff",
            },
            entity_id: match key.owner {
                KeyOwner::Agency(id) | KeyOwner::Person(id) => id.to_string(),
            },
            detail: serde_json::json!({
                "certificate_sha256": key.certificate_sha256,
                "storage": storage,
            }),
        };
        let (sql, owner_id) = match key.owner {
            KeyOwner::Agency(id) => (AGENCY_KEY.0, id),
            KeyOwner::Person(id) => (PERSONAL_KEY.0, id),
        };
        let (owner_id, certificate, fingerprint, subject, actor) = (
            owner_id,
            hex(&key.certificate),
            key.certificate_sha256.clone(),
            key.subject.clone(),
            actor.to_string(),
        );
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(sql)
                .bind(owner_id)
                .bind(&certificate)
                .bind(&fingerprint)
                .bind(&subject)
                .bind(storage)
                .bind(&key_file)
                .bind(&demo_secret)
                .bind(at)
                .bind(&actor)
                .execute(&mut *tx)
                .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), audit.clone()).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The agency's signing key, if one is configured.
    pub async fn signing_key(self, agency_id: i64) -> Result<Option<SigningKey>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(AGENCY_KEY.1)
                .bind(agency_id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(|r| key_row(r, KeyOwner::Agency(agency_id))).transpose()
        })
    }

    /// A staff member's personal signing key, if one is configured.
    pub async fn personal_key(self, staff_id: i64) -> Result<Option<SigningKey>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(PERSONAL_KEY.1)
                .bind(staff_id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(|r| key_row(r, KeyOwner::Person(staff_id))).transpose()
        })
    }

    /// Records a signed result with its audit entry, in one transaction, and returns its
    /// random public id. A file is signed once: signing it again is refused.
    pub async fn record_signed_result(self, new: NewSignedResult) -> Result<String, DbError> {
        if !is_public_id(&new.id) {
            return Err(DbError::invalid(
                "id",
                "mã công khai của kết quả ký không hợp lệ",
            ));
        }
        let id = new.id.clone();
        let at = new.signed_at.timestamp();
        let audit = AuditInput {
            at,
            actor: new.signed_by.clone(),
            action: "sign_result".into(),
            entity: "dossier",
            entity_id: new.dossier_code.clone(),
            detail: serde_json::json!({
                "signed_result": id,
                "file_sha256": new.file_sha256,
                "signature_sha256": new.signature_sha256,
                "certificate_sha256": new.certificate_sha256,
                "embedded": new.signed_copy.is_some(),
            }),
        };
        let public_id = id.clone();
        let written: Result<(), DbError> = grouped_write!(self.db, conn => {
            let signed_file_id = match &new.signed_copy {
                Some(copy) => {
                    // The signed copy is the result the owner's data store keeps.
                    let copy = crate::files::NewAttachment { document: None, ..copy.clone() };
                    let signed = crate::files::attach_returning_id(conn, new.dossier_id, &copy, &new.signed_by, at)
                        .await?;
                    crate::documents::refile(conn, new.file_id, signed).await?;
                    Some(signed)
                }
                None => None,
            };
            conn.execute(INSERT_RESULT, args![
                &public_id,
                new.dossier_id,
                new.file_id,
                &new.file_sha256,
                &new.signature_sha256,
                new.agency_id,
                &new.signer,
                &new.certificate_sha256,
                at,
                &new.signed_by,
                signed_file_id,
            ]).await?;
            crate::audit::append(conn, audit).await?;
            Ok(())
        });
        match written {
            Ok(()) => Ok(id),
            Err(e) if e.is_unique_violation() => Err(DbError::invalid(
                "file",
                "tệp kết quả này đã được ký; mỗi tệp ký một lần",
            )),
            Err(e) => Err(e),
        }
    }

    /// A signed result by its public id.
    pub async fn signed_result(self, id: &str) -> Result<Option<SignedResult>, DbError> {
        if !is_public_id(id) {
            return Ok(None);
        }
        on_read!(self.db, pool => {
            let row = sqlx::query(RESULT_BY_ID)
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(result_row).transpose()
        })
    }

    /// The dossier's signed results, oldest first.
    pub async fn signed_results_of(self, dossier_id: i64) -> Result<Vec<SignedResult>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(RESULTS_OF_DOSSIER)
                .bind(dossier_id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(result_row).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_secrets_do_not_print() {
        let bytes = vec![0u8, 1, 0xab, 0xff];
        assert_eq!(unhex(&hex(&bytes)).unwrap(), bytes);
        assert!(unhex("abc").is_err());
        assert!(unhex("zz").is_err());
        let printed = format!("{:?}", KeySource::Demo([7; 32]));
        assert_eq!(printed, "Demo(..)");
    }

    #[test]
    fn public_ids_have_one_shape() {
        let id = crate::random_token(PUBLIC_ID_LEN).unwrap();
        assert!(is_public_id(&id));
        assert!(!is_public_id("1"));
        assert!(!is_public_id("../../etc/passwd...."));
    }
}
