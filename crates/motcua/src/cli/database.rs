//! Opening the database named on the command line or in the environment, and the
//! commands that work on it: migrate, seed, import, export, audit.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use motcua_db::{Db, Durability};
use motcua_domain::calendar::{CalendarConfig, WorkCalendar, shipped_overrides};
use std::path::{Path, PathBuf};

/// Where the database is: `--database URL`, else `MOTCUA_DATABASE_URL`, else an embedded
/// SQLite file under `./motcua-data/`.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// sqlite://path/to/file.db or postgres://user:password@host/db
    #[arg(long, env = "MOTCUA_DATABASE_URL", global = true)]
    pub database: Option<String>,
    /// Folder for attached files (scans, uploads, results); default ./motcua-data/files.
    #[arg(long, env = "MOTCUA_FILES_DIR", global = true)]
    pub files: Option<std::path::PathBuf>,
}

pub const DEFAULT_DATA_DIR: &str = "motcua-data";

impl DatabaseArgs {
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.database {
            Some(url) => Ok(url.clone()),
            None => {
                std::fs::create_dir_all(DEFAULT_DATA_DIR)
                    .with_context(|| format!("không tạo được thư mục {DEFAULT_DATA_DIR}"))?;
                Ok(format!("sqlite://{DEFAULT_DATA_DIR}/motcua.db"))
            }
        }
    }

    /// The store of attached files.
    pub fn file_store(&self) -> anyhow::Result<motcua_db::FileStore> {
        let dir = self
            .files
            .clone()
            .unwrap_or_else(|| std::path::Path::new(DEFAULT_DATA_DIR).join("files"));
        Ok(motcua_db::FileStore::open(dir)?)
    }

    /// Connects and brings the schema up to date.
    pub async fn open(&self, durability: Durability) -> anyhow::Result<Db> {
        let url = self.url()?;
        let db = Db::connect_with(&url, durability).await?;
        db.migrate().await?;
        Ok(db)
    }
}

/// The working calendar from the database; the shipped swaps are stored on first use.
pub async fn load_calendar(db: &Db) -> anyhow::Result<WorkCalendar> {
    let mut config = db.agencies().calendar_config().await?;
    if config.overrides.is_empty() {
        let shipped = shipped_overrides()?;
        db.agencies().set_calendar_days(&shipped, "system").await?;
        config = CalendarConfig {
            overrides: shipped,
            ..config
        };
    }
    Ok(WorkCalendar::new(config)?)
}

#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// Load the demo province (agencies, staff, catalogue, dossiers) into an empty database.
    Demo {
        /// How many dossiers to generate.
        #[arg(long, default_value_t = 2000)]
        dossiers: usize,
        /// The address citizens will reach motcua at: the signed results' stamps carry the
        /// QR code of their verification page there.
        #[arg(
            long,
            env = "MOTCUA_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import procedures from a motcua-catalogue JSON file (all or nothing).
    Catalogue { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write the catalogue in force as motcua-catalogue JSON (to a file or standard output).
    Catalogue {
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Where the audit chain's checkpoints are kept, and the key that seals or checks them.
#[derive(Debug, Clone, Args)]
pub struct AnchorArgs {
    /// Folder of the signed checkpoints (outside the database: another disk or a share).
    #[arg(long = "audit-checkpoints", env = "MOTCUA_AUDIT_CHECKPOINTS")]
    pub checkpoints: Option<PathBuf>,
    /// The sealing key: a PKCS #8 P-256 private key file kept off the database (to take
    /// checkpoints); to check them, its public key file is enough.
    #[arg(long = "audit-key", env = "MOTCUA_AUDIT_KEY")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the audit chain and name the first broken entry; with checkpoints, also report
    /// a rewrite or truncation before the last checkpoint.
    Verify(AnchorArgs),
    /// Seal the chain's head now into the checkpoints folder.
    Checkpoint(AnchorArgs),
}

pub async fn migrate(args: &DatabaseArgs) -> anyhow::Result<()> {
    let _owner = super::owner::take(args, "chuyển đổi lược đồ")?;
    let db = Db::connect(&args.url()?).await?;
    let applied = db.migrate().await?;
    if applied.is_empty() {
        println!("Cơ sở dữ liệu đã ở phiên bản mới nhất.");
    } else {
        println!("Đã áp dụng các bản chuyển đổi: {applied:?}");
    }
    db.close().await;
    Ok(())
}

/// Seeds the demo into the empty database at `args`, quickly (bulk durability on SQLite),
/// all or nothing, and returns what was loaded.
///
/// A SQLite file is loaded beside its place (`<file>.demo-loading`) and moved in whole once
/// the load is done, so a load cut short leaves the database empty and the next start
/// loads again. On PostgreSQL a mark is kept while loading; a database whose mark was left
/// by a load cut short is emptied and loaded anew.
pub async fn seed_demo(
    args: &DatabaseArgs,
    dossiers: usize,
    base: &str,
) -> anyhow::Result<motcua::demo::DemoSummary> {
    let url = args.url()?;
    let Some(target) = Db::sqlite_file(&url) else {
        return seed_marked(args, dossiers, base).await;
    };
    {
        let db = args.open(Durability::Full).await?;
        let holds = db.bulk().holds_data().await;
        db.close().await;
        if holds? {
            bail!("cơ sở dữ liệu đã có dữ liệu; chỉ nạp dữ liệu mẫu vào cơ sở dữ liệu trống");
        }
    }
    let beside = super::owner::beside;
    let loading = beside(&target, ".demo-loading");
    // What a load cut short left behind.
    for stale in [
        loading.clone(),
        beside(&loading, "-wal"),
        beside(&loading, "-shm"),
    ] {
        if stale.exists() {
            std::fs::remove_file(&stale)
                .with_context(|| format!("không xóa được {}", stale.display()))?;
        }
    }
    let staged = DatabaseArgs {
        database: Some(format!("sqlite://{}", loading.display())),
        files: args.files.clone(),
    };
    let summary = load_demo(&staged, dossiers, true, base).await?;
    for side in ["-wal", "-shm"] {
        let old = beside(&target, side);
        if old.exists() {
            std::fs::remove_file(&old)
                .with_context(|| format!("không xóa được {}", old.display()))?;
        }
    }
    // The load ran without syncing (a bulk load): put it on disk before it takes the
    // database's place.
    std::fs::File::open(&loading)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("không ghi được {} xuống đĩa", loading.display()))?;
    std::fs::rename(&loading, &target)
        .with_context(|| format!("không chuyển được dữ liệu mẫu vào {}", target.display()))?;
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(beside(&loading, side));
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        motcua_db::sync_dir(dir)?;
    }
    Ok(summary)
}

/// The demo load on PostgreSQL (or in memory): marked while it runs.
async fn seed_marked(
    args: &DatabaseArgs,
    dossiers: usize,
    base: &str,
) -> anyhow::Result<motcua::demo::DemoSummary> {
    let db = args.open(Durability::Full).await?;
    let interrupted = db.bulk().demo_load_interrupted().await;
    let result = match interrupted {
        Ok(true) => {
            println!("Lần nạp dữ liệu mẫu trước bị ngắt giữa chừng: xóa phần đã nạp và nạp lại.");
            db.bulk()
                .drop_interrupted_demo()
                .await
                .map_err(anyhow::Error::from)
        }
        Ok(false) => Ok(()),
        Err(e) => Err(e.into()),
    };
    db.close().await;
    result?;
    load_demo(args, dossiers, false, base).await
}

/// Loads the demo into the empty database at `args`: the mark first, the demo, its signed
/// results, then the mark removed; a SQLite file's log is merged into it at the end.
async fn load_demo(
    args: &DatabaseArgs,
    dossiers: usize,
    staged: bool,
    base: &str,
) -> anyhow::Result<motcua::demo::DemoSummary> {
    let db = args.open(Durability::Bulk).await?;
    let loaded = async {
        if db.bulk().holds_data().await? {
            bail!("cơ sở dữ liệu đã có dữ liệu; chỉ nạp dữ liệu mẫu vào cơ sở dữ liệu trống");
        }
        db.bulk().mark_demo_load(true).await?;
        let calendar = load_calendar(&db).await?;
        let today = chrono::Utc::now()
            .with_timezone(&motcua_domain::calendar::vietnam_offset())
            .date_naive();
        let summary = motcua::demo::seed(&db, &calendar, today, dossiers).await?;
        let signed = sign_demo_results(args, &db, base).await?;
        tracing::info!(signed, "demo results signed");
        let reused = motcua::demo::reuse_results(
            &db,
            &args.file_store()?,
            &calendar,
            chrono::Utc::now().with_timezone(&motcua_domain::calendar::vietnam_offset()),
            3,
        )
        .await?;
        tracing::info!(reused, "demo results reused");
        let cases = motcua::demo::support_desk(
            &db,
            &calendar,
            chrono::Utc::now().with_timezone(&motcua_domain::calendar::vietnam_offset()),
        )
        .await?;
        tracing::info!(cases, "demo questions and feedback");
        db.bulk().mark_demo_load(false).await?;
        if staged {
            db.checkpoint_log().await?;
        }
        anyhow::Ok(summary)
    }
    .await;
    db.close().await;
    drop(db);
    loaded
}

/// A few returned demo dossiers get a signed result, for the verification page.
async fn sign_demo_results(args: &DatabaseArgs, db: &Db, base: &str) -> anyhow::Result<usize> {
    let files = args.file_store()?;
    let now = chrono::Utc::now().with_timezone(&motcua_domain::calendar::vietnam_offset());
    motcua::demo::sign_results(db, &files, now, 3, base).await
}

pub async fn seed(args: &DatabaseArgs, command: SeedCommand) -> anyhow::Result<()> {
    let SeedCommand::Demo {
        dossiers,
        public_url,
    } = command;
    let _owner = super::owner::take(args, "nạp dữ liệu mẫu")?;
    let summary = seed_demo(args, dossiers, &public_url).await?;
    println!(
        "Đã nạp dữ liệu mẫu: {} cơ quan, {} cán bộ, {} thủ tục, {} hồ sơ.",
        summary.agencies, summary.staff, summary.procedures, summary.dossiers
    );
    Ok(())
}

fn read_file(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))
}

pub async fn import(args: &DatabaseArgs, command: ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Catalogue { file } = command;
    let text = read_file(&file)?;
    let procedures = match motcua_domain::catalogue::parse_catalogue(&text) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {e}", file.display());
            }
            bail!("tệp có {} lỗi; không nhập thủ tục nào", errors.len());
        }
    };
    let db = args.open(Durability::Full).await?;
    let result = db
        .catalogue()
        .publish_procedures(&procedures, "cli", None)
        .await;
    db.close().await;
    let published = result?;
    let changed = published.iter().filter(|p| p.changed).count();
    println!(
        "Đã nhập {} thủ tục: {changed} phiên bản mới, {} không thay đổi.",
        published.len(),
        published.len() - changed
    );
    Ok(())
}

pub async fn export(args: &DatabaseArgs, command: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Catalogue { output } = command;
    let db = args.open(Durability::Full).await?;
    let procedures = db.catalogue().all_procedures().await;
    db.close().await;
    let text = motcua_domain::catalogue::export_catalogue(&procedures?)?;
    match output {
        Some(path) => std::fs::write(&path, text)
            .with_context(|| format!("không ghi được tệp {}", path.display()))?,
        None => println!("{text}"),
    }
    Ok(())
}

pub async fn audit(args: &DatabaseArgs, command: AuditCommand) -> anyhow::Result<()> {
    let db = args.open(Durability::Full).await?;
    let result = match command {
        AuditCommand::Verify(anchor) => verify_audit(&db, &anchor).await,
        AuditCommand::Checkpoint(anchor) => checkpoint(&db, &anchor).await,
    };
    db.close().await;
    result
}

async fn checkpoint(db: &Db, anchor: &AnchorArgs) -> anyhow::Result<()> {
    let (Some(dir), Some(key)) = (&anchor.checkpoints, &anchor.key) else {
        bail!(
            "cần --audit-checkpoints THƯ_MỤC và --audit-key TỆP_KHÓA (hoặc MOTCUA_AUDIT_CHECKPOINTS, MOTCUA_AUDIT_KEY)"
        );
    };
    let key = motcua::anchor::load_key(key)?;
    match motcua::anchor::take(db, &key, dir, motcua_db::now_seconds()).await? {
        motcua::anchor::Taken::New(path, c) => println!(
            "Đã neo nhật ký tại mục {} ({}): {}",
            c.seq,
            &c.hash[..16.min(c.hash.len())],
            path.display()
        ),
        motcua::anchor::Taken::Unchanged(c) => {
            println!("Nhật ký chưa có mục mới từ điểm neo mục {}.", c.seq)
        }
    }
    Ok(())
}

async fn verify_audit(db: &Db, anchor: &AnchorArgs) -> anyhow::Result<()> {
    let report = db.audit().audit_verify().await?;
    if let Some((seq, why)) = report.first_broken {
        bail!("nhật ký kiểm tra bị phá vỡ tại mục {seq}: {why}");
    }
    println!(
        "Nhật ký kiểm tra toàn vẹn: {} mục, chuỗi băm khớp.",
        report.entries
    );
    let Some(dir) = &anchor.checkpoints else {
        println!(
            "Chưa đối chiếu điểm neo (không có --audit-checkpoints): không phát hiện được việc cắt bớt hay viết lại cả đoạn cuối."
        );
        return Ok(());
    };
    let Some(key) = &anchor.key else {
        bail!("cần --audit-key (khóa công khai hoặc tệp khóa) để kiểm tra điểm neo");
    };
    let public = motcua::anchor::load_public_key(key)?;
    let found = motcua::anchor::check(db, dir, &public).await?;
    if !found.problems.is_empty() {
        for p in &found.problems {
            eprintln!("{p}");
        }
        bail!(
            "nhật ký không khớp {} điểm neo (khớp {})",
            found.problems.len(),
            found.holding
        );
    }
    if found.holding == 0 {
        bail!("thư mục {} không có điểm neo nào", dir.display());
    }
    println!(
        "Khớp {} điểm neo; nhật ký đến mục {} đúng như đã niêm phong.",
        found.holding, found.covered
    );
    Ok(())
}
