//! Tệp đính kèm — files attached to dossiers. Each blob is stored once on disk under its
//! SHA-256 (written to a temporary name, synced, then renamed), so an upload can neither
//! overwrite another file nor escape the store; the rows in `dossier_files` say which
//! dossier, component and purpose a file serves and who gave it.

pub(crate) mod signatures;

use std::path::PathBuf;

use motcua_domain::FieldError;
use motcua_domain::calendar::Instant;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::engine::Tx;
use crate::rows::RowExt;
use crate::secret::blocking;
use crate::{Db, DbError};

/// The largest file accepted (10 MiB), and the most files one submission may carry.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES: usize = 20;

/// Why a file is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Uploaded by the citizen with an online dossier.
    Intake,
    /// Scanned at the counter from the paper dossier.
    Scan,
    /// Sent by the citizen in answer to a supplement request.
    Supplement,
    /// The result (giấy tờ kết quả) for the citizen to download.
    Result,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::Scan => "scan",
            Self::Supplement => "supplement",
            Self::Result => "result",
        }
    }

    fn parse(text: &str) -> Result<Self, DbError> {
        [Self::Intake, Self::Scan, Self::Supplement, Self::Result]
            .into_iter()
            .find(|p| p.as_str() == text)
            .ok_or_else(|| DbError::Corrupt(format!("mục đích tệp “{text}”")))
    }

    /// Whether the applicant may see and download it: what they sent and the result, not
    /// the scans the counter made (they stay inside the agencies).
    pub fn shown_to_applicant(self) -> bool {
        self != Self::Scan
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Intake => "Nộp trực tuyến",
            Self::Scan => "Bản quét tại quầy",
            Self::Supplement => "Hồ sơ bổ sung",
            Self::Result => "Kết quả",
        }
    }
}

/// A file as received from a form, before it is stored.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
    /// Index of the catalogue component it answers, if any.
    pub component: Option<i64>,
    pub purpose: Purpose,
}

/// A stored blob, ready to be attached to a dossier in the transition's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub component: Option<i64>,
    pub purpose: Purpose,
    pub name: String,
    pub sha256: String,
    pub size: i64,
    pub media_type: &'static str,
    /// The document of its owner's data store it becomes (filled in by the dossier store
    /// from the catalogue component it answers).
    pub document: Option<crate::documents::NewDocument>,
    /// The owner's document it reuses (the same bytes, no new upload), with its owner key.
    pub reuses: Option<(i64, String)>,
}

impl NewAttachment {
    /// A file that reuses `doc` for component index `component`: the same bytes under the
    /// same name, no new upload.
    pub fn reusing(
        doc: &crate::documents::StoredDocument,
        component: Option<i64>,
        purpose: Purpose,
    ) -> Result<Self, DbError> {
        Ok(Self {
            component,
            purpose,
            name: doc.name.clone(),
            sha256: doc.sha256.clone(),
            size: doc.size,
            media_type: sniffed_type(&doc.media_type)?,
            document: None,
            reuses: Some((doc.id, doc.owner_key.clone())),
        })
    }
}

/// The media type `text` names, as one of those accepted.
fn sniffed_type(text: &str) -> Result<&'static str, DbError> {
    ["application/pdf", "image/png", "image/jpeg"]
        .into_iter()
        .find(|t| *t == text)
        .ok_or_else(|| DbError::Corrupt(format!("kiểu tệp “{text}”")))
}

/// A file attached to a dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub dossier_id: i64,
    pub component: Option<i64>,
    pub purpose: Purpose,
    pub name: String,
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
    pub uploaded_by: String,
    pub at: Instant,
}

/// The kinds of file accepted, told by their first bytes rather than by their names.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// A file name safe to show and to offer for download: its last path part, NFC, without
/// control or quoting characters, at most 120 characters.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = motcua_domain::text::nfc(last.trim())
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ';'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        "tep-dinh-kem".into()
    } else {
        cleaned
    }
}

/// `name` with the extension of the kind its content was told to be: a PDF named `.html`
/// is offered as `ten.html.pdf`, so no program opens it as something else.
pub fn named_for(name: &str, media_type: &str) -> String {
    let (wanted, also): (&str, &[&str]) = match media_type {
        "application/pdf" => ("pdf", &[]),
        "image/png" => ("png", &[]),
        "image/jpeg" => ("jpg", &["jpeg", "jpe"]),
        _ => return name.to_string(),
    };
    let has = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .is_some_and(|ext| ext == wanted || also.contains(&ext.as_str()));
    if has {
        name.to_string()
    } else {
        let mut kept: String = name.chars().take(115).collect();
        kept.push('.');
        kept.push_str(wanted);
        kept
    }
}

/// Checks an upload before anything is kept: not empty, not too large, and a PDF, JPG or
/// PNG by its content. Returns its media type; the error names `field`.
pub fn check(upload: &Upload, field: &str) -> Result<&'static str, FieldError> {
    let name = clean_name(&upload.name);
    if upload.bytes.is_empty() {
        return Err(FieldError::new(field, format!("tệp “{name}” rỗng")));
    }
    if upload.bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new(
            field,
            format!("tệp “{name}” lớn quá {} MB", MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    sniff(&upload.bytes)
        .ok_or_else(|| FieldError::new(field, format!("tệp “{name}” không phải PDF, JPG hoặc PNG")))
}

/// The content-addressed store of blobs under one folder.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

fn is_digest(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl FileStore {
    /// Opens (creating it if needed) the store at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, DbError> {
        let root = root.into();
        std::fs::create_dir_all(&root).map_err(|e| {
            DbError::Io(format!(
                "không tạo được thư mục lưu tệp {}: {e}",
                root.display()
            ))
        })?;
        Ok(Self { root })
    }

    fn path_of(&self, digest: &str) -> Result<PathBuf, DbError> {
        if !is_digest(digest) {
            return Err(DbError::NotFound("tệp"));
        }
        Ok(self.root.join(&digest[..2]).join(&digest[2..]))
    }

    /// Checks an upload (size, kind) and stores its bytes; the returned attachment still
    /// has to be written with the dossier's transition. `field` names the form field.
    pub async fn store(&self, upload: Upload, field: &str) -> Result<NewAttachment, DbError> {
        let media_type = check(&upload, field).map_err(|e| DbError::Invalid(vec![e]))?;
        let name = named_for(&clean_name(&upload.name), media_type);
        let digest = hex(&Sha256::digest(&upload.bytes));
        let path = self.path_of(&digest)?;
        let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
        let bytes = upload.bytes;
        blocking(move || write_once(&path, &bytes)).await??;
        Ok(NewAttachment {
            document: None,
            reuses: None,
            component: upload.component,
            purpose: upload.purpose,
            name,
            sha256: digest,
            size,
            media_type,
        })
    }

    /// Stores bytes the server made itself (a `.p7s` signature, never an upload: no kind
    /// check) and returns their digest.
    pub async fn store_bytes(&self, bytes: Vec<u8>) -> Result<String, DbError> {
        let digest = hex(&Sha256::digest(&bytes));
        let path = self.path_of(&digest)?;
        blocking(move || write_once(&path, &bytes)).await??;
        Ok(digest)
    }

    /// The bytes of a stored blob, checked against its digest.
    pub async fn read(&self, digest: &str) -> Result<Vec<u8>, DbError> {
        let path = self.path_of(digest)?;
        let expected = digest.to_string();
        blocking(move || {
            let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => DbError::NotFound("tệp"),
                _ => DbError::Io(format!("không đọc được tệp {expected}: {e}")),
            })?;
            if hex(&Sha256::digest(&bytes)) != expected {
                return Err(DbError::Corrupt(format!("tệp {expected} đã bị thay đổi")));
            }
            Ok(bytes)
        })
        .await?
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes `bytes` at `path` unless a blob is already there: to a fresh temporary file in the
/// same folder, synced, then renamed into place.
fn write_once(path: &std::path::Path, bytes: &[u8]) -> Result<(), DbError> {
    use std::io::Write;
    let io = |e: std::io::Error| DbError::Io(format!("không ghi được tệp: {e}"));
    if path.exists() {
        return Ok(());
    }
    let dir = path
        .parent()
        .ok_or_else(|| DbError::Internal("đường dẫn tệp".into()))?;
    let new_dir = !dir.exists();
    std::fs::create_dir_all(dir).map_err(io)?;
    let temp = dir.join(format!(".tmp-{}", crate::random_token(8)?));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(io)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(io(e));
    }
    // The rename is an entry in the folder: sync the folder, so an acknowledged file
    // survives a power cut (and the folder's own entry when it was just made).
    sync_dir(dir).map_err(io)?;
    if new_dir && let Some(root) = dir.parent() {
        sync_dir(root).map_err(io)?;
    }
    Ok(())
}

/// Flushes a folder's entries to disk (after a file in it was created or renamed).
pub fn sync_dir(dir: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Attaches a stored file to `dossier_id` inside the open transaction; the new row's id.
pub(crate) async fn attach_returning_id(
    tx: &mut Tx<'_>,
    dossier_id: i64,
    file: &NewAttachment,
    by: &str,
    at: i64,
) -> Result<i64, DbError> {
    let reused = file.reuses.as_ref().map(|(id, _)| *id);
    let id = tx
        .insert(
            "INSERT INTO dossier_files (dossier_id, component, purpose, name, sha256, size,
            media_type, uploaded_by, at, reuses_document)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            args![
                dossier_id,
                file.component,
                file.purpose.as_str(),
                &file.name,
                &file.sha256,
                file.size,
                file.media_type,
                by,
                at,
                reused
            ],
        )
        .await?;
    if let Some(doc) = &file.document {
        crate::documents::record(tx, doc, dossier_id, id, by, at).await?;
    }
    if let Some((document, owner)) = &file.reuses {
        crate::documents::reuse(tx, *document, owner, dossier_id, by, at).await?;
    }
    Ok(id)
}

/// Attaches a stored file to `dossier_id` inside the open transaction.
pub(crate) async fn attach(
    tx: &mut Tx<'_>,
    dossier_id: i64,
    file: &NewAttachment,
    by: &str,
    at: i64,
) -> Result<(), DbError> {
    attach_returning_id(tx, dossier_id, file, by, at)
        .await
        .map(|_| ())
}

/// Tệp — the files attached to dossiers, signed results and the signing keys.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Tệp: see [`Files`].
    pub fn files(&self) -> Files<'_> {
        Files { db: self }
    }
}

impl Files<'_> {
    /// The files attached to a dossier, in the order they came.
    pub async fn attachments(self, dossier_id: i64) -> Result<Vec<Attachment>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(FILES_OF_DOSSIER)
                .bind(dossier_id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(attachment).collect()
        })
    }

    /// The dossier's files its applicant may see (what they sent and the result), in order.
    pub async fn for_applicant(self, dossier_id: i64) -> Result<Vec<Attachment>, DbError> {
        Ok(self
            .attachments(dossier_id)
            .await?
            .into_iter()
            .filter(|f| f.purpose.shown_to_applicant())
            .collect())
    }

    /// One attachment of one dossier (never another dossier's, whatever id is guessed).
    pub async fn attachment(self, dossier_id: i64, id: i64) -> Result<Option<Attachment>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query(ONE_FILE)
                .bind(dossier_id)
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(attachment).transpose()
        })
    }
}

const FILES_OF_DOSSIER: &str = "SELECT id, dossier_id, component, purpose, name, sha256,
    size, media_type, uploaded_by, at FROM dossier_files WHERE dossier_id = $1 ORDER BY id";
const ONE_FILE: &str = "SELECT id, dossier_id, component, purpose, name, sha256,
    size, media_type, uploaded_by, at FROM dossier_files WHERE dossier_id = $1 AND id = $2";

fn attachment(row: &impl RowExt) -> Result<Attachment, DbError> {
    Ok(Attachment {
        id: row.int("id")?,
        dossier_id: row.int("dossier_id")?,
        component: row.opt_int("component")?,
        purpose: Purpose::parse(&row.text("purpose")?)?,
        name: row.text("name")?,
        sha256: row.text("sha256")?,
        size: row.int("size")?,
        media_type: row.text("media_type")?,
        uploaded_by: row.text("uploaded_by")?,
        at: crate::rows::instant(row.int("at")?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b"<html>"), None);
    }

    #[test]
    fn names_cannot_carry_paths_or_markup() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\tmp\\Tờ khai.pdf"), "Tờ khai.pdf");
        assert_eq!(clean_name("..."), "tep-dinh-kem");
        assert_eq!(clean_name("a\"<b>;\n.pdf"), "ab.pdf");
        assert_eq!(clean_name(&"x".repeat(300)).len(), 120);
    }

    #[test]
    fn names_carry_the_extension_of_their_content() {
        assert_eq!(
            named_for("to-khai.html", "application/pdf"),
            "to-khai.html.pdf"
        );
        assert_eq!(named_for("Tờ khai.PDF", "application/pdf"), "Tờ khai.PDF");
        assert_eq!(named_for("anh.jpeg", "image/jpeg"), "anh.jpeg");
        assert_eq!(named_for("anh.png", "image/jpeg"), "anh.png.jpg");
        assert_eq!(named_for("scan", "image/png"), "scan.png");
        assert_eq!(
            named_for(&"x".repeat(120), "image/png").chars().count(),
            119
        );
    }

    #[tokio::test]
    async fn blobs_are_stored_once_and_read_back_checked() {
        let dir =
            std::env::temp_dir().join(format!("motcua-files-{}", crate::random_token(6).unwrap()));
        let store = FileStore::open(&dir).unwrap();
        let upload = |bytes: &[u8]| Upload {
            name: "giay to.pdf".into(),
            bytes: bytes.to_vec(),
            component: Some(0),
            purpose: Purpose::Intake,
        };
        let a = store.store(upload(b"%PDF-1.4 one"), "files").await.unwrap();
        let b = store.store(upload(b"%PDF-1.4 one"), "files").await.unwrap();
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(store.read(&a.sha256).await.unwrap(), b"%PDF-1.4 one");
        let err = store
            .store(upload(b"#!/bin/sh"), "files")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("không phải PDF"), "{err}");
        let err = store.store(upload(b""), "files").await.unwrap_err();
        assert!(err.to_string().contains("rỗng"), "{err}");
        assert!(matches!(
            store.read("../../etc/passwd").await,
            Err(DbError::NotFound(_))
        ));
        // A blob changed on disk is reported, not served.
        let path = store.path_of(&a.sha256).unwrap();
        std::fs::write(&path, b"%PDF-1.4 two").unwrap();
        assert!(matches!(
            store.read(&a.sha256).await,
            Err(DbError::Corrupt(_))
        ));
        // One that cannot be read is a disk fault, not damaged data.
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let unreadable = store.read(&a.sha256).await.unwrap_err();
        assert!(matches!(unreadable, DbError::Io(_)), "{unreadable:?}");
        let _ = std::fs::remove_dir_all(dir);
    }
}
