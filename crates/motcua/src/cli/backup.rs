//! `motcua backup` and `motcua restore` — a consistent copy of the database and of the
//! attached files, taken while serving, and its return.
//!
//! The database is copied first (SQLite: `VACUUM INTO`, one read transaction; PostgreSQL:
//! `pg_dump`, one snapshot), then the files folder. A file's bytes are always stored before
//! the row that refers to it is committed, so every file the copied database names was
//! already in the folder when it was copied. A manifest records what was copied and its
//! digest; `restore` checks it, every file's digest, and the audit chain.

use anyhow::{Context, bail};
use clap::Args;
use motcua_db::{Db, Durability};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use super::database::{DEFAULT_DATA_DIR, DatabaseArgs};
use super::owner::beside;

const MANIFEST: &str = "motcua-backup.json";
const FORMAT: &str = "motcua-backup/1";
const SQLITE_COPY: &str = "motcua.db";
const POSTGRES_COPY: &str = "motcua.pgdump";
const FILES: &str = "files";

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// A new or empty folder for the copy (put it on another disk or machine afterwards).
    #[arg(long)]
    to: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The folder a backup was written to.
    #[arg(long)]
    from: PathBuf,
    /// Replace a database that already holds data (SQLite: the old file is kept beside it
    /// as `<file>.before-restore-<time>`).
    #[arg(long)]
    replace: bool,
}

/// What a backup holds, written last, so a folder without it is no backup.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    engine: String,
    taken_at: i64,
    database_file: String,
    database_sha256: String,
    files: usize,
    dossiers: i64,
    audit_seq: i64,
    audit_hash: String,
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let bytes =
        std::fs::read(path).with_context(|| format!("không đọc được {}", path.display()))?;
    Ok(data_encoding::HEXLOWER.encode(&Sha256::digest(&bytes)))
}

fn files_dir(args: &DatabaseArgs) -> PathBuf {
    args.files
        .clone()
        .unwrap_or_else(|| Path::new(DEFAULT_DATA_DIR).join("files"))
}

/// The blobs of a files folder (`ab/cdef…`): each one's digest and path.
fn blobs_in(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    if !dir.exists() {
        return Ok(found);
    }
    let shards =
        std::fs::read_dir(dir).with_context(|| format!("không đọc được {}", dir.display()))?;
    for shard in shards {
        let shard = shard?.path();
        let Some(prefix) = shard
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !shard.is_dir() || prefix.len() != 2 {
            continue;
        }
        for blob in std::fs::read_dir(&shard)? {
            let blob = blob?.path();
            let Some(rest) = blob
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if rest.starts_with('.') || !blob.is_file() {
                continue;
            }
            found.push((format!("{prefix}{rest}"), blob));
        }
    }
    Ok(found)
}

/// Copies every blob from `from` to `to` that `to` lacks (each to a temporary name,
/// synced, renamed); returns how many blobs `from` holds.
fn copy_blobs(from: &Path, to: &Path) -> anyhow::Result<usize> {
    let blobs = blobs_in(from)?;
    for (digest, blob) in &blobs {
        let (shard, rest) = digest.split_at(2);
        let target_dir = to.join(shard);
        let target = target_dir.join(rest);
        if target.exists() {
            continue;
        }
        std::fs::create_dir_all(&target_dir)?;
        let temp = target_dir.join(format!(".tmp-{rest}"));
        std::fs::copy(blob, &temp)
            .with_context(|| format!("không chép được {}", blob.display()))?;
        std::fs::File::open(&temp)?.sync_all()?;
        std::fs::rename(&temp, &target)?;
        sync_dir(&target_dir)?;
    }
    Ok(blobs.len())
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    motcua_db::sync_dir(dir).with_context(|| format!("không ghi được thư mục {}", dir.display()))
}

/// Runs an external program (pg_dump, pg_restore), naming it when it is missing or fails;
/// the database password goes in its environment.
fn run(program: &str, args: &[&str], password: Option<&str>) -> anyhow::Result<()> {
    let mut command = std::process::Command::new(program);
    command.args(args);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let out = command
        .output()
        .with_context(|| format!("không chạy được {program} (cài gói postgresql-client)"))?;
    if !out.status.success() {
        bail!(
            "{program} báo lỗi: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

pub async fn backup(db_args: &DatabaseArgs, args: BackupArgs) -> anyhow::Result<()> {
    let to = &args.to;
    if to.exists() && std::fs::read_dir(to)?.next().is_some() {
        bail!(
            "thư mục {} đã có dữ liệu; hãy chọn một thư mục mới hoặc trống",
            to.display()
        );
    }
    std::fs::create_dir_all(to)
        .with_context(|| format!("không tạo được thư mục {}", to.display()))?;
    let url = db_args.url()?;
    let db = db_args.open(Durability::Full).await?;
    let result = async {
        let (audit_seq, audit_hash) = db.audit().audit_head().await?;
        let dossiers = db.dossiers().count_dossiers(None).await?;
        let (engine, file) = match db.kind() {
            motcua_db::EngineKind::Sqlite => {
                let file = to.join(SQLITE_COPY);
                db.snapshot_into(&file)
                    .await
                    .context("không chép được cơ sở dữ liệu")?;
                ("sqlite", file)
            }
            motcua_db::EngineKind::Postgres => {
                let file = to.join(POSTGRES_COPY);
                let target = file.to_string_lossy().into_owned();
                let (source, password) = without_password(&url);
                run(
                    "pg_dump",
                    &[
                        "--format=custom",
                        "--no-owner",
                        "--file",
                        &target,
                        "--dbname",
                        &source,
                    ],
                    password.as_deref(),
                )?;
                ("postgres", file)
            }
        };
        std::fs::File::open(&file)?.sync_all()?;
        let files = copy_blobs(&files_dir(db_args), &to.join(FILES))?;
        let manifest = Manifest {
            format: FORMAT.into(),
            engine: engine.into(),
            taken_at: motcua_db::now_seconds(),
            database_file: file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            database_sha256: sha256_file(&file)?,
            files,
            dossiers,
            audit_seq,
            audit_hash,
        };
        std::fs::write(to.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
        sync_dir(to)?;
        anyhow::Ok(manifest)
    }
    .await;
    db.close().await;
    let m = result?;
    println!(
        "Đã sao lưu vào {}: cơ sở dữ liệu {} ({} hồ sơ, nhật ký đến mục {}), {} tệp đính kèm.",
        to.display(),
        m.engine,
        m.dossiers,
        m.audit_seq,
        m.files
    );
    Ok(())
}

pub async fn restore(db_args: &DatabaseArgs, args: RestoreArgs) -> anyhow::Result<()> {
    let from = &args.from;
    let text = std::fs::read_to_string(from.join(MANIFEST)).with_context(|| {
        format!(
            "{} không phải bản sao lưu của motcua (thiếu {MANIFEST})",
            from.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("{MANIFEST} trong {} không đọc được", from.display()))?;
    if manifest.format != FORMAT {
        bail!(
            "bản sao lưu dạng “{}”, chương trình này đọc “{FORMAT}”",
            manifest.format
        );
    }
    let copy = from.join(&manifest.database_file);
    if sha256_file(&copy)? != manifest.database_sha256 {
        bail!(
            "tệp cơ sở dữ liệu {} trong bản sao lưu đã bị hỏng (mã băm không khớp)",
            copy.display()
        );
    }
    // Every file of the backup read and checked before anything is touched.
    let backed_up = check_blobs(&from.join(FILES))?;
    if backed_up < manifest.files {
        bail!(
            "bản sao lưu thiếu tệp đính kèm: bản kê ghi {} tệp, thư mục chỉ có {backed_up}",
            manifest.files
        );
    }
    let url = db_args.url()?;
    let _owner = super::owner::take(db_args, "khôi phục")?;
    let files = files_dir(db_args);
    let dossiers = match (manifest.engine.as_str(), Db::sqlite_file(&url)) {
        ("sqlite", Some(target)) => {
            let staged = staged_sqlite(&copy, &target, args.replace)?;
            // The staged copy is checked whole before it takes the database's place.
            let checked = check_restored(
                &format!("sqlite://{}", staged.display()),
                &manifest,
                from,
                &files,
            )
            .await;
            let dossiers = match checked {
                Ok(dossiers) => dossiers,
                Err(e) => {
                    let _ = std::fs::remove_file(&staged);
                    return Err(e);
                }
            };
            copy_blobs(&from.join(FILES), &files)?;
            swap_in(&staged, &target)?;
            dossiers
        }
        ("postgres", None) if url.starts_with("postgres") => {
            let db = Db::connect(&url).await?;
            let holds = db.bulk().holds_data().await.unwrap_or(false);
            db.close().await;
            if holds && !args.replace {
                bail!("cơ sở dữ liệu đích đã có dữ liệu; thêm --replace để thay thế");
            }
            copy_blobs(&from.join(FILES), &files)?;
            let source = copy.to_string_lossy().into_owned();
            let (target, password) = without_password(&url);
            run(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    &target,
                    &source,
                ],
                password.as_deref(),
            )?;
            // PostgreSQL restores in place: checked once it is there.
            check_restored(&url, &manifest, from, &files).await?
        }
        (engine, _) => {
            bail!("bản sao lưu là của {engine}; hãy khôi phục vào cùng loại cơ sở dữ liệu")
        }
    };
    println!(
        "Đã khôi phục từ {}: {dossiers} hồ sơ, {backed_up} tệp đính kèm; nhật ký kiểm tra khớp.",
        from.display()
    );
    Ok(())
}

/// Reads every blob of a backup's files folder and compares it with its name (its
/// digest); returns how many there are.
fn check_blobs(dir: &Path) -> anyhow::Result<usize> {
    let blobs = blobs_in(dir)?;
    for (digest, path) in &blobs {
        if &sha256_file(path)? != digest {
            bail!(
                "tệp {} trong bản sao lưu đã bị hỏng (mã băm không khớp)",
                path.display()
            );
        }
    }
    Ok(blobs.len())
}

/// Checks a restored database: its audit chain, its head against the manifest, and every
/// file it names present in the backup or already in the files folder. Returns its dossiers.
async fn check_restored(
    url: &str,
    manifest: &Manifest,
    from: &Path,
    files: &Path,
) -> anyhow::Result<i64> {
    let db = Db::connect(url).await?;
    let checked = async {
        db.migrate().await?;
        let report = db.audit().audit_verify().await?;
        if let Some((seq, why)) = report.first_broken {
            bail!("nhật ký kiểm tra của bản khôi phục bị phá vỡ tại mục {seq}: {why}");
        }
        if manifest.audit_seq > 0
            && db.audit().audit_hash(manifest.audit_seq).await?.as_deref()
                != Some(manifest.audit_hash.as_str())
        {
            bail!("nhật ký của bản khôi phục không khớp với bản kê của bản sao lưu");
        }
        for digest in db.bulk().stored_digests().await? {
            let (Some(shard), Some(rest)) = (digest.get(..2), digest.get(2..)) else {
                bail!("mã băm tệp “{digest}” trong cơ sở dữ liệu không hợp lệ");
            };
            if !from.join(FILES).join(shard).join(rest).is_file()
                && !files.join(shard).join(rest).is_file()
            {
                bail!("bản sao lưu thiếu tệp {digest} mà cơ sở dữ liệu cần");
            }
        }
        let dossiers = db.dossiers().count_dossiers(None).await?;
        // A staged SQLite copy is moved next: nothing may stay in its log.
        db.checkpoint_log().await?;
        anyhow::Ok(dossiers)
    }
    .await;
    db.close().await;
    checked
}

/// Copies the backup's database beside the target (`<file>.restoring`), synced; refuses a
/// target that holds data unless `replace`.
fn staged_sqlite(copy: &Path, target: &Path, replace: bool) -> anyhow::Result<PathBuf> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    if target.exists() && std::fs::metadata(target)?.len() > 0 && !replace {
        bail!(
            "tệp {} đã có; thêm --replace để thay thế (tệp cũ được giữ lại bên cạnh)",
            target.display()
        );
    }
    let staged = beside(target, ".restoring");
    std::fs::copy(copy, &staged).with_context(|| format!("không chép được {}", copy.display()))?;
    std::fs::File::open(&staged)?.sync_all()?;
    Ok(staged)
}

/// Puts the checked copy in the target's place, the old file (and its log) kept beside it.
fn swap_in(staged: &Path, target: &Path) -> anyhow::Result<()> {
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(staged, suffix));
    }
    if target.exists() {
        let kept = beside(
            target,
            &format!(".before-restore-{}", motcua_db::now_seconds()),
        );
        std::fs::rename(target, &kept)?;
        for suffix in ["-wal", "-shm"] {
            let side = beside(target, suffix);
            if side.exists() {
                std::fs::rename(&side, beside(&kept, suffix))?;
            }
        }
    }
    std::fs::rename(staged, target)?;
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    sync_dir(dir)
}

/// The URL without its password, and the password (percent-decoded) to hand to the
/// PostgreSQL tools in their environment rather than on a command line others can read.
fn without_password(url: &str) -> (String, Option<String>) {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return (url.to_string(), None);
    };
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return (url.to_string(), None);
    };
    let Some((user, password)) = authority[..at].split_once(':') else {
        return (url.to_string(), None);
    };
    let stripped = format!("{}{user}{}", &url[..scheme_end], &rest[at..]);
    (stripped, Some(percent_decode(password)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| text.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_leave_the_url_for_the_environment() {
        assert_eq!(
            without_password("postgres://motcua:m%40t-kh%C3%A2u@127.0.0.1:5432/db?sslmode=disable"),
            (
                "postgres://motcua@127.0.0.1:5432/db?sslmode=disable".to_string(),
                Some("m@t-khâu".to_string())
            )
        );
        assert_eq!(
            without_password("postgres://motcua@host/db"),
            ("postgres://motcua@host/db".to_string(), None)
        );
        assert_eq!(
            without_password("postgres:///db"),
            ("postgres:///db".to_string(), None)
        );
    }
}
