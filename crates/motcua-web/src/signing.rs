//! Ký kết quả — signing a dossier's result PDF with the approving agency's key (loaded as
//! configured: a key file on the server, or the demo's secret), and checking a stored or
//! uploaded result against its detached signature. Used by the pages and the demo.

use motcua_db::{
    Attachment, Db, DbError, DossierRecord, FileStore, KeySource, NewSignedResult, Purpose,
    SignedResult, SigningKey,
};
use motcua_docs::{AgencyKey, SignatureStatus};
use motcua_domain::calendar::Instant;

fn docs_error(e: motcua_docs::DocsError) -> DbError {
    DbError::invalid("signature", e.to_string())
}

/// The agency's key, ready to sign: the key file read now (so a replaced file is used at
/// once), or the demo secret from the database.
pub async fn load_key(key: &SigningKey) -> Result<AgencyKey, DbError> {
    match &key.source {
        KeySource::Demo(secret) => {
            AgencyKey::from_parts(secret, &key.certificate).map_err(docs_error)
        }
        KeySource::File(path) => {
            let bytes = tokio::fs::read(path).await.map_err(|e| {
                // The path is the administrator's setting, not personal data.
                tracing::error!(path = %path.display(), error = %e, "signing key file unreadable");
                DbError::invalid("signature", "không đọc được tệp khóa ký của cơ quan")
            })?;
            AgencyKey::from_files(&bytes, &key.certificate).map_err(docs_error)
        }
    }
}

/// Makes and stores a demo key for an agency (a fresh random secret and a self-signed
/// certificate valid for five years from `valid_from`), marked as a demo key.
pub async fn create_demo_key(
    db: &Db,
    agency: &motcua_db::Agency,
    actor: &str,
    valid_from: Instant,
    now: Instant,
) -> Result<SigningKey, DbError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| DbError::Corrupt(format!("no randomness: {e}")))?;
    let made = AgencyKey::generate_demo(&agency.name, &agency.code, &secret, valid_from, 5)
        .map_err(docs_error)?;
    let key = SigningKey {
        agency_id: agency.id,
        certificate: made.certificate_der().map_err(docs_error)?,
        certificate_sha256: made.certificate_sha256().map_err(docs_error)?,
        subject: made.subject(),
        source: KeySource::Demo(made.secret()),
    };
    db.set_signing_key(&key, actor, now).await?;
    Ok(key)
}

/// Signs `file` (a PDF attached as the dossier's result) with the key of the agency that
/// approved the dossier, stores the `.p7s` and records the signed result; returns its
/// public id. The caller has checked who may sign.
pub async fn sign_result(
    db: &Db,
    files: &FileStore,
    d: &DossierRecord,
    file: &Attachment,
    actor: String,
    now: Instant,
) -> Result<String, DbError> {
    if file.purpose != Purpose::Result || file.media_type != "application/pdf" {
        return Err(DbError::invalid(
            "file",
            "chỉ ký được tệp PDF đính kèm là kết quả",
        ));
    }
    if !motcua_domain::dossier::result_signable(d.status) {
        return Err(DbError::invalid(
            "file",
            "chỉ ký kết quả khi hồ sơ đã được phê duyệt",
        ));
    }
    let agency_id = motcua_domain::dossier::signing_agency(&d.state);
    let key = db.signing_key(agency_id).await?.ok_or_else(|| {
        DbError::invalid(
            "signature",
            "cơ quan phê duyệt chưa được cấu hình khóa ký số",
        )
    })?;
    let agency_key = load_key(&key).await?;
    let pdf = files.read(&file.sha256).await?;
    let p7s = agency_key.sign(&pdf, now).map_err(docs_error)?;
    let checked = motcua_docs::verify(&pdf, &p7s).map_err(docs_error)?;
    if !checked.is_valid() {
        return Err(DbError::Corrupt(
            "chữ ký vừa tạo không kiểm tra được".into(),
        ));
    }
    let signature_sha256 = files.store_bytes(p7s).await?;
    db.record_signed_result(NewSignedResult {
        dossier_id: d.id,
        dossier_code: d.code.clone(),
        file_id: file.id,
        file_sha256: file.sha256.clone(),
        signature_sha256,
        agency_id,
        signer: checked.signer,
        certificate_sha256: checked.certificate_sha256,
        signed_at: now,
        signed_by: actor,
    })
    .await
}

/// What a check of a file against a signed result found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Đúng bản đã ký, không bị thay đổi.
    Genuine,
    /// The file is not the one signed (changed, or another file).
    Tampered,
    /// The signature itself does not hold, or is not the recorded certificate's.
    BadSignature,
}

/// Checks `pdf` against the result's stored signature and recorded certificate.
pub async fn check(files: &FileStore, r: &SignedResult, pdf: &[u8]) -> Result<Check, DbError> {
    let p7s = files.read(&r.signature_sha256).await?;
    let Ok(found) = motcua_docs::verify(pdf, &p7s) else {
        return Ok(Check::BadSignature);
    };
    Ok(match found.status {
        _ if found.certificate_sha256 != r.certificate_sha256 => Check::BadSignature,
        SignatureStatus::Valid => Check::Genuine,
        SignatureStatus::Tampered => Check::Tampered,
        SignatureStatus::BadSignature => Check::BadSignature,
    })
}

/// Re-verifies the stored result file against its stored signature. A stored file whose
/// bytes changed on disk counts as tampered.
pub async fn check_stored(files: &FileStore, r: &SignedResult) -> Result<Check, DbError> {
    match files.read(&r.file_sha256).await {
        Ok(pdf) => check(files, r, &pdf).await,
        Err(DbError::Corrupt(_) | DbError::NotFound(_)) => Ok(Check::Tampered),
        Err(e) => Err(e),
    }
}
