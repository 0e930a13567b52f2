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
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn files_dir(args: &DatabaseArgs) -> PathBuf {
    args.files
        .clone()
        .unwrap_or_else(|| Path::new(DEFAULT_DATA_DIR).join("files"))
}

/// Copies every stored blob (`ab/cdef…`) from `from` to `to` that `to` lacks, checking
/// each one's digest when `check` is set; returns how many blobs `from` holds.
fn copy_blobs(from: &Path, to: &Path, check: bool) -> anyhow::Result<usize> {
    let mut count = 0;
    if !from.exists() {
        return Ok(0);
    }
    for shard in
        std::fs::read_dir(from).with_context(|| format!("không đọc được {}", from.display()))?
    {
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
            count += 1;
            let digest = format!("{prefix}{rest}");
            if check && sha256_file(&blob)? != digest {
                bail!(
                    "tệp {} trong bản sao lưu đã bị hỏng (mã băm không khớp)",
                    blob.display()
                );
            }
            let target_dir = to.join(&prefix);
            let target = target_dir.join(&rest);
            if target.exists() {
                continue;
            }
            std::fs::create_dir_all(&target_dir)?;
            let temp = target_dir.join(format!(".tmp-{rest}"));
            std::fs::copy(&blob, &temp)
                .with_context(|| format!("không chép được {}", blob.display()))?;
            std::fs::File::open(&temp)?.sync_all()?;
            std::fs::rename(&temp, &target)?;
        }
    }
    Ok(count)
}

fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Runs an external program (pg_dump, pg_restore), naming it when it is missing or fails.
fn run(program: &str, args: &[&str]) -> anyhow::Result<()> {
    let out = std::process::Command::new(program)
        .args(args)
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
        let (audit_seq, audit_hash) = db.audit_head().await?;
        let dossiers = db.count_dossiers(None).await?;
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
                run(
                    "pg_dump",
                    &[
                        "--format=custom",
                        "--no-owner",
                        "--file",
                        &target,
                        "--dbname",
                        &url,
                    ],
                )?;
                ("postgres", file)
            }
        };
        std::fs::File::open(&file)?.sync_all()?;
        let files = copy_blobs(&files_dir(db_args), &to.join(FILES), false)?;
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
    let url = db_args.url()?;
    let _owner = super::owner::take(db_args, "khôi phục")?;
    let sqlite_file = Db::sqlite_file(&url);
    match (manifest.engine.as_str(), &sqlite_file) {
        ("sqlite", Some(target)) => restore_sqlite(&copy, target, args.replace)?,
        ("postgres", None) if url.starts_with("postgres") => {
            let db = Db::connect(&url).await?;
            let holds = db.agencies().await.is_ok_and(|a| !a.is_empty());
            db.close().await;
            if holds && !args.replace {
                bail!("cơ sở dữ liệu đích đã có dữ liệu; thêm --replace để thay thế");
            }
            let source = copy.to_string_lossy().into_owned();
            run(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    &url,
                    &source,
                ],
            )?;
        }
        (engine, _) => {
            bail!("bản sao lưu là của {engine}; hãy khôi phục vào cùng loại cơ sở dữ liệu")
        }
    }
    let restored = copy_blobs(&from.join(FILES), &files_dir(db_args), true)?;
    let db = db_args.open(Durability::Full).await?;
    let checked = async {
        let report = db.audit_verify().await?;
        if let Some((seq, why)) = report.first_broken {
            bail!("nhật ký kiểm tra của bản khôi phục bị phá vỡ tại mục {seq}: {why}");
        }
        if db.audit_hash(manifest.audit_seq).await?.as_deref() != Some(manifest.audit_hash.as_str())
            && manifest.audit_seq > 0
        {
            bail!("nhật ký của bản khôi phục không khớp với bản kê của bản sao lưu");
        }
        anyhow::Ok(db.count_dossiers(None).await?)
    }
    .await;
    db.close().await;
    let dossiers = checked?;
    println!(
        "Đã khôi phục từ {}: {dossiers} hồ sơ, {restored} tệp đính kèm; nhật ký kiểm tra khớp.",
        from.display()
    );
    Ok(())
}

fn restore_sqlite(copy: &Path, target: &Path, replace: bool) -> anyhow::Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let with = |suffix: &str| {
        let mut name = target.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    if target.exists() {
        let holds = std::fs::metadata(target)?.len() > 0;
        if holds && !replace {
            bail!(
                "tệp {} đã có; thêm --replace để thay thế (tệp cũ được giữ lại bên cạnh)",
                target.display()
            );
        }
        let kept = with(&format!(".before-restore-{}", motcua_db::now_seconds()));
        std::fs::rename(target, &kept)?;
        for suffix in ["-wal", "-shm"] {
            let side = with(suffix);
            if side.exists() {
                let mut aside = kept.as_os_str().to_owned();
                aside.push(suffix);
                std::fs::rename(&side, PathBuf::from(aside))?;
            }
        }
    }
    let temp = with(".restoring");
    std::fs::copy(copy, &temp).with_context(|| format!("không chép được {}", copy.display()))?;
    std::fs::File::open(&temp)?.sync_all()?;
    std::fs::rename(&temp, target)?;
    sync_dir(dir)
}
