//! `motcua dvcqg` and the national platform's flags: where the national public-service
//! portal takes dossiers (new records, updates, history; shared by `serve` and `worker`),
//! sending dossiers again on request, and the population database the counter asks.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use motcua_db::{Db, Durability};
use motcua_notify::Backoff;
use motcua_notify::portal::{PortalConfig, PortalSync};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

use super::database::DatabaseArgs;
use super::notify::Running;

/// The portal's dossier sync. Nothing is sent unless the three addresses are set.
#[derive(Debug, Clone, Args)]
pub struct PortalArgs {
    /// Where new dossier records go (the portal's "thêm mới").
    #[arg(long, env = "MOTCUA_DVCQG_SYNC_URL")]
    dvcqg_sync_url: Option<String>,
    /// Where records the portal already has go (its "cập nhật").
    #[arg(long, env = "MOTCUA_DVCQG_UPDATE_URL")]
    dvcqg_update_url: Option<String>,
    /// Where the processing history goes, ten records at a time.
    #[arg(long, env = "MOTCUA_DVCQG_HISTORY_URL")]
    dvcqg_history_url: Option<String>,
    /// Sent as a Bearer token when set.
    #[arg(long, env = "MOTCUA_DVCQG_TOKEN", hide_env_values = true)]
    dvcqg_token: Option<String>,
    /// Seconds to wait for each answer.
    #[arg(long, env = "MOTCUA_DVCQG_TIMEOUT", default_value_t = 30)]
    dvcqg_timeout: u64,
    /// The address citizens reach motcua at, for the links to signed results sent to the
    /// portal (`serve` falls back to `--public-url`).
    #[arg(long, env = "MOTCUA_PUBLIC_URL")]
    dvcqg_links_url: Option<String>,
}

impl PortalArgs {
    /// The sync's settings, or none when the portal is not configured; a partial
    /// configuration names what is missing.
    pub fn config(&self, worker_id: &str) -> anyhow::Result<Option<PortalConfig>> {
        let urls = [
            ("--dvcqg-sync-url", &self.dvcqg_sync_url),
            ("--dvcqg-update-url", &self.dvcqg_update_url),
            ("--dvcqg-history-url", &self.dvcqg_history_url),
        ];
        let missing: Vec<&str> = urls
            .iter()
            .filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()))
            .map(|(name, _)| *name)
            .collect();
        if missing.len() == urls.len() {
            return Ok(None);
        }
        if !missing.is_empty() {
            bail!(
                "đồng bộ DVCQG cần đủ ba địa chỉ; còn thiếu {}",
                missing.join(", ")
            );
        }
        let url = |v: &Option<String>| v.clone().unwrap_or_default().trim().to_string();
        Ok(Some(PortalConfig {
            sync_url: url(&self.dvcqg_sync_url),
            update_url: url(&self.dvcqg_update_url),
            history_url: url(&self.dvcqg_history_url),
            token: self.dvcqg_token.clone().filter(|t| !t.is_empty()),
            timeout: Duration::from_secs(self.dvcqg_timeout.clamp(1, 600)),
            backoff: Backoff {
                base: Duration::from_secs(30),
                cap: Duration::from_secs(3600),
                max_attempts: u32::MAX,
            },
            poll: Duration::from_secs(5),
            batch: 20,
            worker_id: format!("{worker_id}-dvcqg"),
            public_url: self
                .dvcqg_links_url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
        }))
    }
}

/// The national population database, asked from the intake screen (through the
/// province's proxy). Not offered unless the address is set.
#[derive(Debug, Clone, Args)]
pub struct PopulationArgs {
    /// The proxy's address for citizen lookups ("ChiaSeThongTinCongDan").
    #[arg(long, env = "MOTCUA_POPULATION_URL")]
    population_url: Option<String>,
    /// Sent as a Bearer token when set.
    #[arg(long, env = "MOTCUA_POPULATION_TOKEN", hide_env_values = true)]
    population_token: Option<String>,
    /// The integration code the province was given (`MaTichHop`).
    #[arg(long, env = "MOTCUA_POPULATION_INTEGRATION", default_value = "")]
    population_integration: String,
    /// The service code (`MaDVC`).
    #[arg(long, env = "MOTCUA_POPULATION_SERVICE", default_value = "VPCP")]
    population_service: String,
    /// Seconds to wait for an answer.
    #[arg(long, env = "MOTCUA_POPULATION_TIMEOUT", default_value_t = 15)]
    population_timeout: u64,
}

impl PopulationArgs {
    /// The adapter, or none when not configured.
    pub fn adapter(&self) -> anyhow::Result<Option<motcua_web::population::Adapter>> {
        let Some(url) = self
            .population_url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        else {
            return Ok(None);
        };
        motcua_web::population::Adapter::new(
            url,
            self.population_token.clone(),
            self.population_integration.trim(),
            self.population_service.trim(),
            Duration::from_secs(self.population_timeout.clamp(1, 120)),
        )
        .map(Some)
        .map_err(|e| anyhow::anyhow!(e))
    }
}

/// Starts the sync as a task, when the portal is configured.
pub async fn start(
    db: &Db,
    args: &PortalArgs,
    worker_id: &str,
    public_url: Option<&str>,
) -> anyhow::Result<Option<Running>> {
    let Some(mut config) = args.config(worker_id)? else {
        return Ok(None);
    };
    if config.public_url.is_none() {
        config.public_url = public_url.map(str::to_string);
    }
    let sync = PortalSync::new(db.clone(), config)?;
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(Arc::new(sync).run(stopped));
    Ok(Some(Running::new(stop, task, vec!["dvcqg"])))
}

#[derive(Debug, Subcommand)]
pub enum PortalCommand {
    /// Send dossiers to the portal again, whole (record and history): those received from
    /// a date on, or the one with a code.
    Resync {
        /// First date of receipt (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// One dossier's code.
        #[arg(long)]
        code: Option<String>,
    },
}

pub async fn run(db_args: &DatabaseArgs, command: PortalCommand) -> anyhow::Result<()> {
    let db = db_args.open(Durability::Full).await?;
    let result = run_on(&db, command).await;
    db.close().await;
    result
}

async fn run_on(db: &Db, command: PortalCommand) -> anyhow::Result<()> {
    match command {
        PortalCommand::Resync { from, code } => {
            if from.is_none() && code.is_none() {
                bail!("cần --from NGÀY hoặc --code MÃ_HỒ_SƠ");
            }
            let from = match from {
                Some(text) => {
                    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                        .with_context(|| format!("ngày “{text}” không đúng dạng năm-tháng-ngày"))?;
                    Some(motcua_db::day_start(day))
                }
                None => None,
            };
            let code = code.as_deref().map(str::trim);
            let count = db
                .portal()
                .resync(from, code, motcua_db::now_seconds())
                .await?;
            if count == 0 {
                bail!("không có hồ sơ nào khớp");
            }
            println!("Đã đánh dấu {count} hồ sơ để gửi lại lên Cổng Dịch vụ công quốc gia.");
        }
    }
    Ok(())
}
