//! Neo nhật ký — signed checkpoints of the audit chain, kept outside the database.
//!
//! The chain proves that no entry was changed *unless* whoever changed it also recomputed
//! every later hash, which anyone with write access to the database can do, and that no
//! entry was removed from the middle, but not that the tail was cut off. A checkpoint seals
//! the chain's last sequence number and hash with a key that is not in the database (the
//! province's key file) and is written to a folder that is not the database's (another disk,
//! a mounted share, a write-once store). `audit verify` then checks that every checkpoint
//! is sealed by the expected key and that the database still holds the sealed entry with
//! the sealed hash: a rewrite or a truncation before the last checkpoint is reported.

use anyhow::{Context, bail};
use data_encoding::HEXLOWER;
use motcua_db::Db;
use motcua_docs::{SealKey, key_fingerprint, seal_holds};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The first line of every sealed text; a later format changes it.
pub const FORMAT: &str = "motcua-audit-checkpoint/1";

/// One checkpoint as stored in its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub format: String,
    /// The last entry's sequence number and hash when it was taken.
    pub seq: i64,
    pub hash: String,
    /// When it was taken (Unix seconds).
    pub at: i64,
    /// SHA-256 of the sealing key's public key (DER), hex.
    pub key: String,
    /// The DER signature of [`Checkpoint::message`], hex.
    pub signature: String,
}

impl Checkpoint {
    /// The text that is sealed: everything above but the signature.
    pub fn message(&self) -> String {
        format!(
            "{}\nseq={}\nhash={}\nat={}\nkey={}\n",
            self.format, self.seq, self.hash, self.at, self.key
        )
    }

    fn file_name(&self) -> String {
        format!("{:012}.json", self.seq)
    }
}

/// Reads a sealing key file (PKCS #8 private key).
pub fn load_key(path: &Path) -> anyhow::Result<SealKey> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("không đọc được tệp khóa neo nhật ký {}", path.display()))?;
    SealKey::from_file_bytes(&bytes)
        .map_err(|e| anyhow::anyhow!("tệp khóa neo nhật ký {}: {e}", path.display()))
}

/// Reads the public key to check checkpoints with (a public key file, or the private key
/// file whose public half is taken).
pub fn load_public_key(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("không đọc được tệp khóa {}", path.display()))?;
    motcua_docs::public_key_der_of(&bytes)
        .map_err(|e| anyhow::anyhow!("tệp khóa {}: {e}", path.display()))
}

/// Every checkpoint in `dir`, in sequence order. A file that is not a checkpoint is named.
pub fn read_all(dir: &Path) -> anyhow::Result<Vec<(PathBuf, Checkpoint)>> {
    let mut found = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("không đọc được thư mục điểm neo {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("không đọc được điểm neo {}", path.display()))?;
        let checkpoint: Checkpoint = serde_json::from_str(&text)
            .with_context(|| format!("tệp {} không phải điểm neo nhật ký", path.display()))?;
        found.push((path, checkpoint));
    }
    found.sort_by_key(|(_, c)| c.seq);
    Ok(found)
}

/// What taking a checkpoint did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// A new checkpoint, written at this path.
    New(PathBuf, Checkpoint),
    /// The chain has not moved since the last checkpoint.
    Unchanged(Checkpoint),
}

/// Seals the chain's current head with `key` into `dir` (created if needed), unless the
/// last checkpoint there already seals it. The file is written whole or not at all.
pub async fn take(db: &Db, key: &SealKey, dir: &Path, now: i64) -> anyhow::Result<Taken> {
    let (seq, hash) = db.audit().audit_head().await?;
    if seq == 0 {
        bail!("nhật ký kiểm tra còn trống; chưa có gì để neo");
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục điểm neo {}", dir.display()))?;
    // Never seal a log that no longer holds what was sealed before: that would put a
    // forged head under a good seal.
    let earlier = check(db, dir, &key.public_key_der()?).await?;
    if let Some(problem) = earlier.problems.first() {
        bail!("không neo thêm: nhật ký không còn khớp các điểm neo trước ({problem})");
    }
    if let Some((_, last)) = read_all(dir)?.pop()
        && last.seq == seq
        && last.hash == hash
    {
        return Ok(Taken::Unchanged(last));
    }
    let mut checkpoint = Checkpoint {
        format: FORMAT.into(),
        seq,
        hash,
        at: now,
        key: key_fingerprint(&key.public_key_der()?),
        signature: String::new(),
    };
    checkpoint.signature = HEXLOWER.encode(&key.seal(checkpoint.message().as_bytes()));
    let path = dir.join(checkpoint.file_name());
    let temp = dir.join(format!(".{}.tmp", checkpoint.file_name()));
    let text = serde_json::to_string_pretty(&checkpoint)?;
    let written = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        // A link, unlike a rename, never replaces a checkpoint already there.
        std::fs::hard_link(&temp, &path)?;
        motcua_db::sync_dir(dir)
    })();
    let _ = std::fs::remove_file(&temp);
    if let Err(e) = written {
        return Err(e).with_context(|| format!("không ghi được điểm neo {}", path.display()));
    }
    Ok(Taken::New(path, checkpoint))
}

/// What checking the database against the checkpoints found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchored {
    /// Checkpoints that hold.
    pub holding: usize,
    /// The last sequence number a holding checkpoint covers.
    pub covered: i64,
    /// Every problem, in words, first the earliest.
    pub problems: Vec<String>,
}

/// Checks every checkpoint in `dir` against the database, with the public key
/// `public_key_der`.
pub async fn check(db: &Db, dir: &Path, public_key_der: &[u8]) -> anyhow::Result<Anchored> {
    let expected_key = key_fingerprint(public_key_der);
    let (last_seq, _) = db.audit().audit_head().await?;
    let mut found = Anchored::default();
    for (path, c) in read_all(dir)? {
        let name = path.display();
        let sealed = HEXLOWER
            .decode(c.signature.as_bytes())
            .is_ok_and(|sig| seal_holds(public_key_der, c.message().as_bytes(), &sig));
        if c.format != FORMAT || c.key != expected_key {
            found.problems.push(format!(
                "điểm neo {name} không được niêm phong bằng khóa đã cho"
            ));
            continue;
        }
        if !sealed {
            found.problems.push(format!(
                "điểm neo {name} đã bị sửa (chữ ký không khớp nội dung)"
            ));
            continue;
        }
        match db.audit().audit_hash(c.seq).await? {
            None => found.problems.push(format!(
                "nhật ký bị cắt bớt: điểm neo {name} niêm phong mục {} nhưng nhật ký chỉ còn đến mục {last_seq}",
                c.seq
            )),
            Some(hash) if hash != c.hash => found.problems.push(format!(
                "nhật ký bị viết lại: mục {} không còn là mục đã niêm phong trong điểm neo {name}",
                c.seq
            )),
            Some(_) => {
                found.holding += 1;
                found.covered = found.covered.max(c.seq);
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sealed_text_names_every_field() {
        let c = Checkpoint {
            format: FORMAT.into(),
            seq: 42,
            hash: "ab".into(),
            at: 7,
            key: "cd".into(),
            signature: "ef".into(),
        };
        assert_eq!(
            c.message(),
            "motcua-audit-checkpoint/1\nseq=42\nhash=ab\nat=7\nkey=cd\n"
        );
        assert_eq!(c.file_name(), "000000000042.json");
    }
}
