//! Ký kết quả — signing a dossier's result PDF with the approving agency's key (loaded as
//! configured: a key file on the server, or the demo's secret): inside a signed copy of the
//! PDF that any reader shows as signed (PAdES), or, for a file whose PDF structure cannot be
//! updated, as a detached `.p7s`; and checking a stored or uploaded copy against either.
//! Used by the pages and the demo.

use motcua_db::{
    Attachment, Db, DbError, DossierRecord, FileStore, KeyOwner, KeySource, NewAttachment,
    NewSignedResult, Purpose, SignedResult, SigningKey,
};
use motcua_docs::{AgencyKey, SignatureStatus, SignatureText, Stamp};
use motcua_domain::calendar::Instant;

/// Máy chủ dấu thời gian — an RFC 3161 time-stamping authority reached over HTTP (a POST of
/// `application/timestamp-query`, answered with `application/timestamp-reply`), so that a
/// signature carries a trusted time (PAdES baseline T). Configured with `--tsa-url`.
#[derive(Debug, Clone)]
pub struct TimestampAuthority {
    url: String,
    client: reqwest::Client,
}

impl TimestampAuthority {
    /// The authority at `url` (http or https), waiting at most `timeout` for an answer.
    pub fn new(url: &str, timeout: std::time::Duration) -> Result<Self, String> {
        let (url, client) = crate::outbound::client(url, "máy chủ dấu thời gian", timeout)?;
        Ok(Self { url, client })
    }

    async fn post(&self, request: Vec<u8>) -> Result<Vec<u8>, motcua_docs::DocsError> {
        let failed = |e: String| {
            tracing::error!(url = %self.url, error = %e, "time-stamping authority failed");
            motcua_docs::DocsError::Signature(format!("máy chủ dấu thời gian không trả lời: {e}"))
        };
        let response = self
            .client
            .post(&self.url)
            .header("content-type", "application/timestamp-query")
            .body(request)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        if !response.status().is_success() {
            return Err(failed(format!("HTTP {}", response.status())));
        }
        let bytes = response.bytes().await.map_err(|e| failed(e.to_string()))?;
        Ok(bytes.to_vec())
    }
}

/// The authority, asked from a blocking thread (signing runs off the async threads).
struct Blocking<'a> {
    tsa: &'a TimestampAuthority,
    runtime: tokio::runtime::Handle,
}

impl motcua_docs::Timestamper for Blocking<'_> {
    fn stamp(&self, request: &[u8]) -> Result<Vec<u8>, motcua_docs::DocsError> {
        self.runtime.block_on(self.tsa.post(request.to_vec()))
    }
}

/// What to do when signing with a time-stamp fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampFailure {
    /// The signature fails (a result: it must carry its time-stamp).
    Refuse,
    /// Sign again without it, with the same key (a form the counter hands over now).
    SignWithout,
}

/// Signs `pdf` inside with `key` at `now`, time-stamped by `tsa` when one is configured; on
/// a blocking thread, since a token or the authority may take a while.
pub async fn sign_inside(
    pdf: Vec<u8>,
    key: AgencyKey,
    now: Instant,
    text: SignatureText,
    tsa: Option<TimestampAuthority>,
    on_failure: StampFailure,
) -> Result<Vec<u8>, DbError> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let stamper = tsa.as_ref().map(|tsa| Blocking {
            tsa,
            runtime: runtime.clone(),
        });
        let sign = |stamper: Option<&dyn motcua_docs::Timestamper>| {
            motcua_docs::sign_pdf(&pdf, &key, now, &text, stamper).map_err(docs_error)
        };
        match (stamper.as_ref(), on_failure) {
            (Some(stamper), StampFailure::SignWithout) => sign(Some(stamper)).or_else(|e| {
                tracing::warn!(error = %e, "signing with a time-stamp failed: signed without");
                sign(None)
            }),
            (stamper, _) => sign(stamper.map(|s| s as &dyn motcua_docs::Timestamper)),
        }
    })
    .await
    .map_err(|e| DbError::Unavailable(format!("việc ký dừng giữa chừng: {e}")))?
}

/// What the visible stamp of an issued paper says besides the signing key's holder and
/// the time.
pub struct Paper {
    /// The signature's reason, e.g. "Giấy tiếp nhận hồ sơ và hẹn trả kết quả — hồ sơ …".
    pub reason: String,
    /// The issuing agency.
    pub location: String,
    /// The person who signs it with their title, when the paper names one.
    pub person: Option<String>,
    /// The stamp's last line, naming the paper ("Mã hồ sơ: …", "Biên lai: …").
    pub last_line: String,
}

/// Signs an issued paper inside the PDF with `key`: a stamp under the content (at `top`)
/// naming the key's holder, the person, the time and the paper; time-stamped when an
/// authority is configured (and, should that fail, signed without its time-stamp: the
/// paper is still handed over). A key outside its validity is refused.
pub async fn sign_paper(
    app: &crate::AppState,
    key: &SigningKey,
    paper: Paper,
    pdf: Vec<u8>,
    top: Option<f32>,
) -> Result<Vec<u8>, DbError> {
    let agency_key = load_key(key).await?;
    let now = app.now();
    if !agency_key.valid_at(now) {
        return Err(DbError::invalid(
            "signature",
            "chứng thư số của cơ quan đã hết hạn hoặc chưa có hiệu lực",
        ));
    }
    let mut lines = vec![format!("Ký số bởi: {}", agency_key.signer_name())];
    if let Some(person) = &paper.person {
        lines.push(format!("Người ký: {person}"));
    }
    lines.push(format!(
        "Ngày ký: {}",
        now.with_timezone(&motcua_domain::calendar::vietnam_offset())
            .format("%d/%m/%Y %H:%M")
    ));
    lines.push(paper.last_line);
    let text = SignatureText {
        name: agency_key.signer_name(),
        reason: paper.reason,
        location: paper.location,
        stamp: Some(Stamp {
            lines,
            link: None,
            top,
        }),
    };
    sign_inside(
        pdf,
        agency_key,
        now,
        text,
        app.docs.tsa.clone(),
        StampFailure::SignWithout,
    )
    .await
}

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
        KeySource::Token(uri) => {
            let (uri, certificate) = (uri.clone(), key.certificate.clone());
            tokio::task::spawn_blocking(move || AgencyKey::from_token(&uri, &certificate))
                .await
                .map_err(|e| DbError::Unavailable(format!("thiết bị ký không trả lời: {e}")))?
                .map_err(|e| {
                    tracing::error!(error = %e, "signing token unusable");
                    docs_error(e)
                })
        }
    }
}

/// The key that signs for agency `agency_id` a paper or result signed by `person` (a staff
/// member's id): the agency's own or the person's, as the agency chose
/// ([`motcua_domain::agency::key_for`]). A key that is not configured is an error that says
/// whose is missing.
pub async fn key_for(db: &Db, agency_id: i64, person: Option<i64>) -> Result<SigningKey, DbError> {
    use motcua_domain::agency::KeyChoice;
    let with = db
        .agencies()
        .agency(agency_id)
        .await?
        .map(|a| a.sign_with)
        .unwrap_or_default();
    let missing = |message: &str| DbError::invalid("signature", message.to_string());
    match motcua_domain::agency::key_for(with, agency_id, person) {
        KeyChoice::Agency(id) => db
            .files()
            .signing_key(id)
            .await?
            .ok_or_else(|| missing("cơ quan chưa được cấu hình khóa ký số")),
        KeyChoice::Person(staff) => db.files().personal_key(staff).await?.ok_or_else(|| {
            missing("người ký chưa có chứng thư số cá nhân (cơ quan chọn ký bằng chứng thư của người ký)")
        }),
        KeyChoice::Nobody => Err(missing(
            "cơ quan chọn ký bằng chứng thư của người ký, nhưng giấy tờ này chưa có người ký",
        )),
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
    let owner = KeyOwner::Agency(agency.id);
    demo_key(
        db,
        owner,
        &agency.name,
        &agency.code,
        actor,
        valid_from,
        now,
    )
    .await
}

/// [`create_demo_key`] for a staff member's personal key, certified in their name.
pub async fn create_personal_demo_key(
    db: &Db,
    staff: &motcua_db::Staff,
    actor: &str,
    valid_from: Instant,
    now: Instant,
) -> Result<SigningKey, DbError> {
    let owner = KeyOwner::Person(staff.id);
    demo_key(
        db,
        owner,
        &staff.full_name,
        &staff.username,
        actor,
        valid_from,
        now,
    )
    .await
}

async fn demo_key(
    db: &Db,
    owner: KeyOwner,
    name: &str,
    code: &str,
    actor: &str,
    valid_from: Instant,
    now: Instant,
) -> Result<SigningKey, DbError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|e| DbError::Internal(format!("không lấy được số ngẫu nhiên: {e}")))?;
    let made = AgencyKey::generate_demo(name, code, &secret, valid_from, 5).map_err(docs_error)?;
    let key = SigningKey {
        owner,
        certificate: made.certificate_der().map_err(docs_error)?,
        certificate_sha256: made.certificate_sha256().map_err(docs_error)?,
        subject: made.subject(),
        source: KeySource::Demo(
            made.secret()
                .ok_or_else(|| DbError::Internal("khóa mẫu không ở trong bộ nhớ".into()))?,
        ),
    };
    db.files().set_signing_key(&key, actor, now).await?;
    Ok(key)
}

/// Signs `file` (a PDF attached as the dossier's result) with the key of the agency that
/// approved the dossier and records the signed result; returns its public id. The signed
/// copy of the PDF, with the signature inside, is attached to the dossier beside the file;
/// its stamp at the foot of the last page names the signer and the time and carries the QR
/// code of its verification page under `base` (the site's address). A file whose PDF
/// structure cannot take an update (damaged, encrypted) is signed with a detached `.p7s`
/// instead. With `tsa`, the signature is time-stamped by that authority. `person` is the
/// staff member signing, whose personal key signs when the agency chose so. The caller has
/// checked who may sign.
#[allow(clippy::too_many_arguments)]
pub async fn sign_result(
    db: &Db,
    files: &FileStore,
    d: &DossierRecord,
    file: &Attachment,
    actor: String,
    person: Option<i64>,
    now: Instant,
    base: &str,
    tsa: Option<&TimestampAuthority>,
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
    let key = key_for(db, agency_id, person).await?;
    let agency_key = load_key(&key).await?;
    if !agency_key.valid_at(now) {
        return Err(DbError::invalid(
            "signature",
            "chứng thư số của cơ quan đã hết hạn hoặc chưa có hiệu lực",
        ));
    }
    let pdf = files.read(&file.sha256).await?;
    let agency = db
        .agencies()
        .agency(agency_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let id = motcua_db::new_signed_result_id()?;
    let signer = agency_key.signer_name();
    let mut lines = vec![format!("Ký bởi: {signer}")];
    if !agency.is_empty() && agency != signer {
        lines.push(agency.clone());
    }
    lines.push(format!(
        "Ngày ký: {}",
        now.with_timezone(&motcua_domain::calendar::vietnam_offset())
            .format("%d/%m/%Y %H:%M")
    ));
    lines.push(format!("Hồ sơ: {} · quét mã QR để xác thực", d.code));
    let text = SignatureText {
        name: signer,
        reason: format!("Kết quả giải quyết hồ sơ {}", d.code),
        location: agency,
        stamp: Some(Stamp {
            lines,
            link: Some(format!("{}/xac-thuc/{id}", base.trim_end_matches('/'))),
            top: None,
        }),
    };
    let (signature, checked, signed_copy) =
        sign_bytes(pdf, agency_key, now, text, &d.code, tsa.cloned()).await?;
    let size = i64::try_from(signature.len()).unwrap_or(i64::MAX);
    let signature_sha256 = files.store_bytes(signature).await?;
    let signed_copy = signed_copy.then(|| NewAttachment {
        document: None,
        reuses: None,
        component: file.component,
        purpose: Purpose::Result,
        name: signed_name(&file.name),
        sha256: signature_sha256.clone(),
        size,
        media_type: "application/pdf",
    });
    db.files()
        .record_signed_result(NewSignedResult {
            id,
            dossier_id: d.id,
            dossier_code: d.code.clone(),
            file_id: file.id,
            file_sha256: file.sha256.clone(),
            signature_sha256,
            signed_copy,
            agency_id,
            signer: checked.signer,
            certificate_sha256: checked.certificate_sha256,
            signed_at: now,
            signed_by: actor,
        })
        .await
}

/// The signature of `pdf`: a signed copy with the signature inside, or a detached `.p7s`
/// for a file whose PDF structure cannot take an update; with its check and which it is.
async fn sign_bytes(
    pdf: Vec<u8>,
    key: AgencyKey,
    now: Instant,
    text: SignatureText,
    code: &str,
    tsa: Option<TimestampAuthority>,
) -> Result<(Vec<u8>, motcua_docs::Verification, bool), DbError> {
    match motcua_docs::signable_inside(&pdf) {
        Ok(()) => {
            let signed = sign_inside(pdf, key, now, text, tsa, StampFailure::Refuse).await?;
            let found = motcua_docs::verify_pdf(&signed).map_err(docs_error)?;
            let Some(last) = found
                .into_iter()
                .last()
                .filter(|s| s.covers_whole_file && s.verification.is_valid())
            else {
                return Err(DbError::Internal(
                    "chữ ký vừa tạo không kiểm tra được".into(),
                ));
            };
            Ok((signed, last.verification, true))
        }
        Err(e) => {
            tracing::warn!(dossier = %code, error = %e, "result signed detached");
            let p7s = tokio::task::spawn_blocking(move || {
                let p7s = key.sign(&pdf, now).map_err(docs_error)?;
                let checked = motcua_docs::verify(&pdf, &p7s).map_err(docs_error)?;
                Ok::<_, DbError>((p7s, checked))
            })
            .await
            .map_err(|e| DbError::Unavailable(format!("việc ký dừng giữa chừng: {e}")))?;
            let (p7s, checked) = p7s?;
            if !checked.is_valid() {
                return Err(DbError::Internal(
                    "chữ ký vừa tạo không kiểm tra được".into(),
                ));
            }
            Ok((p7s, checked, false))
        }
    }
}

/// The signed copy's file name: the result's, marked as signed.
fn signed_name(name: &str) -> String {
    let stem = name.strip_suffix(".pdf").unwrap_or(name);
    format!("{stem}-da-ky-so.pdf")
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
    /// The stored file or signature is missing or unreadable: a fault of the server (its
    /// files folder), which says nothing about the result and is logged.
    Unavailable,
}

/// Checks `pdf` against the signed result: the signed copy itself (any copy whose signature
/// by the recorded certificate holds and covers the whole file), the file that was signed,
/// or, for a detached signature, the file the stored `.p7s` signs.
pub async fn check(files: &FileStore, r: &SignedResult, pdf: &[u8]) -> Result<Check, DbError> {
    if r.signed_file_id.is_some() {
        return Ok(check_embedded(r, pdf));
    }
    let p7s = match files.read(&r.signature_sha256).await {
        Ok(p7s) => p7s,
        Err(DbError::Corrupt(_)) => return Ok(Check::BadSignature),
        Err(e @ (DbError::NotFound(_) | DbError::Io(_))) => {
            tracing::error!(result = %r.id, error = %e, "stored signature unreadable");
            return Ok(Check::Unavailable);
        }
        Err(e) => return Err(e),
    };
    let Ok(found) = motcua_docs::verify(pdf, &p7s) else {
        return Ok(Check::BadSignature);
    };
    Ok(status_check(r, &found))
}

fn status_check(r: &SignedResult, found: &motcua_docs::Verification) -> Check {
    match found.status {
        _ if found.certificate_sha256 != r.certificate_sha256 => Check::BadSignature,
        SignatureStatus::Valid => Check::Genuine,
        SignatureStatus::Tampered => Check::Tampered,
        SignatureStatus::BadSignature => Check::BadSignature,
    }
}

/// A copy checked against a result signed inside the PDF.
fn check_embedded(r: &SignedResult, pdf: &[u8]) -> Check {
    // The file as it was before signing is the one signed: its bytes open the signed copy.
    if motcua_db::hash_bytes(pdf) == r.file_sha256 {
        return Check::Genuine;
    }
    let Ok(found) = motcua_docs::verify_pdf(pdf) else {
        return Check::Tampered;
    };
    let ours: Vec<_> = found
        .iter()
        .filter(|s| s.verification.certificate_sha256 == r.certificate_sha256)
        .collect();
    match ours.last() {
        // Another file, or one whose signature was taken out.
        None => Check::Tampered,
        // Something was added after the signature: not the copy that was signed.
        Some(s) if s.verification.is_valid() && !s.covers_whole_file => Check::Tampered,
        Some(s) => status_check(r, &s.verification),
    }
}

/// Re-verifies the stored result against its stored signature: the signed copy on its own,
/// or the result file against its `.p7s`. A stored file whose bytes changed on disk counts as
/// tampered; one that is missing or cannot be read is [`Check::Unavailable`] (logged as the
/// server fault it is), never declared forged.
pub async fn check_stored(files: &FileStore, r: &SignedResult) -> Result<Check, DbError> {
    let stored = if r.signed_file_id.is_some() {
        &r.signature_sha256
    } else {
        &r.file_sha256
    };
    let pdf = match files.read(stored).await {
        Ok(pdf) => pdf,
        Err(DbError::Corrupt(_)) => return Ok(Check::Tampered),
        Err(e @ (DbError::NotFound(_) | DbError::Io(_))) => {
            tracing::error!(result = %r.id, error = %e, "stored signed result unreadable");
            return Ok(Check::Unavailable);
        }
        Err(e) => return Err(e),
    };
    check(files, r, &pdf).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use chrono::TimeZone;

    #[tokio::test]
    async fn stored_results_are_rechecked_and_changes_on_disk_are_reported() {
        let dir = std::env::temp_dir().join(format!(
            "motcua-signing-{}",
            motcua_db::random_token(8).unwrap()
        ));
        let files = FileStore::open(&dir).unwrap();
        let at = motcua_domain::calendar::vietnam_offset()
            .with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
            .unwrap();
        let key = AgencyKey::generate_demo("Sở Tư pháp", "000.00.03.H56", &[5; 32], at, 5).unwrap();
        let pdf = b"%PDF-1.7 ket qua".to_vec();
        let p7s = key.sign(&pdf, at).unwrap();
        let file_sha256 = files.store_bytes(pdf.clone()).await.unwrap();
        let signature_sha256 = files.store_bytes(p7s).await.unwrap();
        let mut r = SignedResult {
            id: "A".repeat(20),
            dossier_id: 1,
            file_id: 1,
            file_sha256: file_sha256.clone(),
            signature_sha256,
            signed_file_id: None,
            agency_id: 1,
            signer: "Sở Tư pháp".into(),
            certificate_sha256: key.certificate_sha256().unwrap(),
            signed_at: at,
            signed_by: "staff:1".into(),
        };
        assert_eq!(check_stored(&files, &r).await.unwrap(), Check::Genuine);
        assert_eq!(
            check(&files, &r, b"%PDF-1.7 ket qua!").await.unwrap(),
            Check::Tampered
        );
        // A signature by a certificate other than the recorded one does not count.
        let recorded = r.certificate_sha256.clone();
        r.certificate_sha256 = "0".repeat(64);
        assert_eq!(check(&files, &r, &pdf).await.unwrap(), Check::BadSignature);
        r.certificate_sha256 = recorded;
        // The stored PDF changed on disk: reported as tampered, not served as genuine.
        let path = dir.join(&file_sha256[..2]).join(&file_sha256[2..]);
        std::fs::write(&path, b"%PDF-1.7 ket qua da sua").unwrap();
        assert_eq!(check_stored(&files, &r).await.unwrap(), Check::Tampered);
        // A files folder that lost the file (a wrong --files, a failed restore) is the
        // server's fault, not a forgery.
        std::fs::remove_file(&path).unwrap();
        assert_eq!(check_stored(&files, &r).await.unwrap(), Check::Unavailable);
        // One that cannot be read (here a folder where the file was) is not a forgery either.
        std::fs::create_dir(&path).unwrap();
        assert_eq!(check_stored(&files, &r).await.unwrap(), Check::Unavailable);
        std::fs::remove_dir(&path).unwrap();
        let moved = FileStore::open(dir.join("elsewhere")).unwrap();
        assert_eq!(check_stored(&moved, &r).await.unwrap(), Check::Unavailable);
        // An uploaded copy checked while the stored signature is gone: the same fault.
        assert_eq!(check(&moved, &r, &pdf).await.unwrap(), Check::Unavailable);
        let _ = std::fs::remove_dir_all(dir);
    }
}
