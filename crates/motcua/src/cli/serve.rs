//! `motcua serve`: migrate, load the demo on first start, and serve the application.

use anyhow::Context;
use clap::Args;
use motcua_db::Durability;
use std::sync::Arc;

use super::database::{DatabaseArgs, load_calendar, seed_demo};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MOTCUA_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Do not load the demo province into an empty database.
    #[arg(long)]
    no_demo: bool,
    /// Dossiers in the demo loaded on first start.
    #[arg(long, default_value_t = 2000)]
    demo_dossiers: usize,
    /// Do not deliver notifications from this process (run `motcua worker` instead).
    #[arg(long, env = "MOTCUA_NO_WORKER")]
    no_worker: bool,
    #[command(flatten)]
    notify: super::notify::NotifyArgs,
    #[command(flatten)]
    forms: FormsArgs,
    #[command(flatten)]
    population: super::dvcqg::PopulationArgs,
    #[command(flatten)]
    identity: super::identity::IdentityArgs,
    #[command(flatten)]
    payment: super::payment::PaymentArgs,
    /// Reverse proxies (IP or CIDR, comma-separated) whose X-Forwarded-For header names the
    /// client; from any other peer the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "MOTCUA_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<String>,
    /// The shared secret the national portal signs the dossiers it pushes with
    /// (HMAC-SHA256; see README, "The national portal"); without it the endpoint is off.
    #[arg(long, env = "MOTCUA_DVCQG_INBOUND_SECRET", hide_env_values = true)]
    dvcqg_inbound_secret: Option<String>,
    /// Addresses or CIDR ranges the portal pushes from (comma-separated; any when empty).
    #[arg(long, env = "MOTCUA_DVCQG_INBOUND_ALLOW", value_delimiter = ',')]
    dvcqg_inbound_allow: Vec<String>,
    #[command(flatten)]
    anchor: super::database::AnchorArgs,
    /// Minutes between two checkpoints of the audit chain (with --audit-checkpoints and
    /// --audit-key).
    #[arg(long, env = "MOTCUA_AUDIT_CHECKPOINT_MINUTES", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=10_080))]
    audit_checkpoint_minutes: u64,
    /// Working hours of warning before a dossier's or a step's deadline for the alerts to
    /// officers and leaders (default: one working day of the calendar).
    #[arg(long, env = "MOTCUA_ALERT_WORKING_HOURS",
          value_parser = clap::value_parser!(u32).range(1..=400))]
    alert_working_hours: Option<u32>,
}

impl ServeArgs {
    /// The checkpoint key and folder, when both are set; one without the other is an error.
    fn anchoring(&self) -> anyhow::Result<Option<(motcua_docs::SealKey, std::path::PathBuf)>> {
        match (&self.anchor.key, &self.anchor.checkpoints) {
            (None, None) => Ok(None),
            (Some(key), Some(dir)) => Ok(Some((motcua::anchor::load_key(key)?, dir.clone()))),
            (Some(_), None) => anyhow::bail!(
                "có --audit-key nhưng thiếu --audit-checkpoints (thư mục lưu điểm neo)"
            ),
            (None, Some(_)) => anyhow::bail!(
                "có --audit-checkpoints nhưng thiếu --audit-key (tệp khóa niêm phong)"
            ),
        }
    }

    /// The security settings, with every proxy address checked.
    fn security(&self) -> anyhow::Result<motcua_web::SecuritySettings> {
        let trusted_proxies = cidrs(&self.trusted_proxies, "--trusted-proxy")?;
        let portal_inbound = match self
            .dvcqg_inbound_secret
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(secret) if secret.len() < 16 => {
                anyhow::bail!("--dvcqg-inbound-secret phải dài ít nhất 16 ký tự")
            }
            Some(secret) => Some(motcua_web::PortalInbound {
                secret: secret.to_string(),
                allow: cidrs(&self.dvcqg_inbound_allow, "--dvcqg-inbound-allow")?,
            }),
            None => None,
        };
        Ok(motcua_web::SecuritySettings {
            trusted_proxies,
            portal_inbound,
        })
    }
}

/// Addresses or CIDR ranges given to `flag`, each checked.
fn cidrs(list: &[String], flag: &str) -> anyhow::Result<Vec<motcua_web::client::Cidr>> {
    list.iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.parse()
                .map_err(|e: String| anyhow::anyhow!("{flag}: {e}"))
        })
        .collect()
}

/// How the official forms are printed.
#[derive(Debug, Args)]
pub struct FormsArgs {
    /// Folder of form templates that replace the shipped ones by file name (see docs/FORMS.md).
    #[arg(long, env = "MOTCUA_FORMS_DIR")]
    forms_dir: Option<std::path::PathBuf>,
    /// First date of receipt printed with the TT 03/2025 forms (YYYY-MM-DD).
    #[arg(long, env = "MOTCUA_FORMS_2025_FROM", default_value = "2025-07-01")]
    forms_2025_from: String,
    /// The address citizens reach motcua at, for the QR codes on printed forms
    /// (default: the address each request came to).
    #[arg(long, env = "MOTCUA_PUBLIC_URL")]
    public_url: Option<String>,
    /// An RFC 3161 time-stamping authority (its HTTP address) that stamps every signature
    /// made inside a PDF, so readers show a trusted signing time (PAdES baseline T).
    #[arg(long, env = "MOTCUA_TSA_URL")]
    tsa_url: Option<String>,
    /// How long to wait for the time-stamping authority, in seconds.
    #[arg(long, env = "MOTCUA_TSA_TIMEOUT", default_value_t = 10)]
    tsa_timeout: u64,
}

impl FormsArgs {
    /// The forms' settings, with every template checked so a broken override is named at
    /// start rather than at the counter.
    fn settings(&self) -> anyhow::Result<motcua_web::DocsSettings> {
        let switch_date =
            chrono::NaiveDate::parse_from_str(self.forms_2025_from.trim(), "%Y-%m-%d")
                .with_context(|| {
                    format!(
                        "ngày áp dụng biểu mẫu 2025 “{}” không đúng dạng năm-tháng-ngày",
                        self.forms_2025_from
                    )
                })?;
        let templates = match &self.forms_dir {
            Some(dir) => motcua_docs::Templates::with_overrides(dir),
            None => motcua_docs::Templates::shipped(),
        };
        templates
            .check_all()
            .map_err(|e| anyhow::anyhow!("mẫu biểu in không dùng được: {e}"))?;
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            anyhow::bail!("địa chỉ công khai “{url}” phải bắt đầu bằng http:// hoặc https://");
        }
        let tsa = match &self.tsa_url {
            Some(url) => Some(
                motcua_web::signing::TimestampAuthority::new(
                    url,
                    std::time::Duration::from_secs(self.tsa_timeout.clamp(1, 120)),
                )
                .map_err(|e| anyhow::anyhow!(e))?,
            ),
            None => None,
        };
        Ok(motcua_web::DocsSettings {
            templates,
            regimes: motcua_docs::RegimeConfig { switch_date },
            public_url: self.public_url.clone(),
            tsa,
        })
    }
}

pub async fn serve(db_args: &DatabaseArgs, args: ServeArgs) -> anyhow::Result<()> {
    let docs = args.forms.settings()?;
    let security = args.security()?;
    let anchoring = args.anchoring()?;
    // Held until the server stops: a second server on the same SQLite file refuses.
    let _owner = super::owner::serve(db_args)?;
    let (empty, interrupted) = {
        let db = db_args.open(Durability::Full).await?;
        let found = async {
            anyhow::Ok((
                !db.bulk().holds_data().await?,
                db.bulk().demo_load_interrupted().await?,
            ))
        }
        .await;
        db.close().await;
        found?
    };
    if interrupted && args.no_demo {
        anyhow::bail!(
            "lần nạp dữ liệu mẫu trước vào cơ sở dữ liệu này bị ngắt giữa chừng; chạy lại không kèm --no-demo (hoặc `motcua seed demo`) để nạp lại từ đầu"
        );
    }
    if (empty || interrupted) && !args.no_demo {
        println!(
            "Lần chạy đầu: đang nạp tỉnh mẫu ({} hồ sơ)…",
            args.demo_dossiers
        );
        // The signed results' stamps point at this server's verification pages.
        let base = args
            .forms
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", args.listen));
        let summary = seed_demo(db_args, args.demo_dossiers, &base).await?;
        println!(
            "Đã nạp {} cơ quan, {} cán bộ, {} thủ tục, {} hồ sơ.",
            summary.agencies, summary.staff, summary.procedures, summary.dossiers
        );
    }
    let db = db_args.open(Durability::Full).await?;
    let calendar = load_calendar(&db).await?;
    let logins = motcua::demo::present_logins(&db).await?;
    let worker = if args.no_worker {
        motcua_notify::seed_templates(&db).await?;
        None
    } else {
        super::notify::start(&db, &args.notify).await?
    };
    let portal = if args.no_worker {
        None
    } else {
        let id = args.notify.config()?.worker_id;
        super::dvcqg::start(
            &db,
            &args.notify.portal,
            &id,
            args.forms.public_url.as_deref(),
        )
        .await?
    };
    let population = args.population.adapter()?;
    let sso = args.identity.sso()?;
    let gateways = args.payment.gateways()?;
    let state = motcua_web::AppState::with_settings(
        db.clone(),
        calendar,
        db_args.file_store()?,
        docs,
        security,
    );
    if let Some(adapter) = population {
        let _ = state.population.set(adapter);
    }
    if let Some(sso) = sso {
        let _ = state.sso.set(sso);
    }
    if let Some(gateways) = gateways {
        let _ = state.payments.set(gateways);
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("không mở được cổng {}", args.listen))?;
    let address = listener.local_addr()?;
    println!();
    println!("motcua đang chạy tại http://{address}/");
    println!("  Cán bộ:   http://{address}/can-bo");
    println!("  Tra cứu:  http://{address}/tra-cuu");
    println!("  API:      http://{address}/api/v1/openapi.json");
    match &worker {
        Some(w) => println!("  Thông báo: gửi qua {}", w.channels.join(", ")),
        None if args.no_worker => println!("  Thông báo: do `motcua worker` gửi"),
        None => println!("  Thông báo: chưa cấu hình kênh gửi; tin nhắn chờ trong hộp thư đi"),
    }
    match &portal {
        Some(_) => println!("  Đồng bộ DVCQG: bật"),
        None if args.no_worker => {}
        None => println!("  Đồng bộ DVCQG: chưa cấu hình; hồ sơ chờ gửi khi có địa chỉ"),
    }
    if !logins.is_empty() {
        println!();
        println!(
            "Tài khoản mẫu: đăng nhập tại http://{address}/can-bo/dang-nhap với mật khẩu {}; mã API ở cột cuối:",
            motcua::demo::DEMO_PASSWORD
        );
        for login in logins {
            println!(
                "  {:<16} {:<26} {:<22} {}",
                login.username,
                login.full_name,
                login.role.label_vi(),
                login.token
            );
        }
        println!(
            "Công dân mẫu: đăng nhập tại http://{address}/cong-dan/dang-nhap bằng số {} ({}), cùng mật khẩu.",
            motcua::demo::DEMO_CITIZEN_PHONE,
            motcua::demo::DEMO_CITIZEN_NAME,
        );
    }
    let anchor = anchoring.map(|(key, dir)| {
        println!(
            "  Nhật ký: neo mỗi {} phút vào {}",
            args.audit_checkpoint_minutes,
            dir.display()
        );
        tokio::spawn(keep_anchoring(
            db.clone(),
            key,
            dir,
            std::time::Duration::from_secs(args.audit_checkpoint_minutes * 60),
        ))
    });
    let reading = tokio::spawn(motcua_web::reader::keep_reading(
        Arc::clone(&state),
        std::time::Duration::from_secs(20),
    ));
    let chaining = tokio::spawn(keep_chaining(db.clone()));
    // What another process on the same PostgreSQL changes is dropped here at once.
    let following = {
        let db = db.clone();
        tokio::spawn(async move { db.follow_changes().await })
    };
    let alerting = tokio::spawn(keep_alerting(
        Arc::clone(&state),
        args.alert_working_hours.map(|h| i64::from(h) * 3600),
    ));
    println!();
    println!("Nhấn Ctrl+C để dừng.");
    axum::serve(
        listener,
        motcua_web::router(Arc::clone(&state))
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(super::notify::shutdown_signal())
    .await
    .context("máy chủ dừng do lỗi")?;
    for task in [worker, portal].into_iter().flatten() {
        task.stop().await;
    }
    if let Some(anchor) = anchor {
        anchor.abort();
    }
    alerting.abort();
    reading.abort();
    chaining.abort();
    following.abort();
    // What this node's last writes left waiting is chained before it stops.
    if let Err(e) = db.audit().chain_pending().await {
        tracing::error!(error = %e, "chaining the audit log failed");
    }
    db.close().await;
    Ok(())
}

/// Raises the alerts the open dossiers owe (`threshold` working seconds of warning, by
/// default one working day of the calendar in force) every minute, and makes the leaders'
/// morning lists once office hours have begun on a working day, and drops the sign-in
/// failure counts of past windows; a failure is logged and tried again at the next turn. Both are idempotent, so several servers on one database
/// may all run them.
async fn keep_alerting(state: Arc<motcua_web::AppState>, threshold: Option<i64>) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        ticks.tick().await;
        let calendar = state.calendar();
        match state
            .db
            .alerts()
            .raise_alerts(
                state.now(),
                &calendar,
                threshold.unwrap_or_else(|| calendar.day_seconds()),
            )
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(raised = n, "alerts raised"),
            Err(e) => tracing::error!(error = %e, "raising alerts failed"),
        }
        if let Err(e) = state
            .db
            .people()
            .prune_failures(state.now().timestamp())
            .await
        {
            tracing::error!(error = %e, "dropping old sign-in failure counts failed");
        }
        match state.db.alerts().send_digests(state.now(), &calendar).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(made = n, "morning lists made"),
            Err(e) => tracing::error!(error = %e, "making the morning lists failed"),
        }
    }
}

/// What PostgreSQL writes leave waiting, every second: the audit entries chained
/// (`Audit::chain_pending`) and the counter records added up; several servers on one
/// database take turns. Nothing waits on SQLite.
async fn keep_chaining(db: motcua_db::Db) {
    if db.kind() != motcua_db::EngineKind::Postgres {
        return;
    }
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        ticks.tick().await;
        if let Err(e) = db.audit().chain_pending().await {
            tracing::error!(error = %e, "chaining the audit log failed");
        }
        if let Err(e) = db.settle_counters().await {
            tracing::error!(error = %e, "adding up the counters failed");
        }
    }
}

/// Seals the audit chain's head at start and then every `every`; a failure is logged and
/// tried again at the next turn.
async fn keep_anchoring(
    db: motcua_db::Db,
    key: motcua_docs::SealKey,
    dir: std::path::PathBuf,
    every: std::time::Duration,
) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match motcua::anchor::take(&db, &key, &dir, motcua_db::now_seconds()).await {
            Ok(motcua::anchor::Taken::New(path, c)) => {
                tracing::info!(seq = c.seq, path = %path.display(), "audit checkpoint");
            }
            Ok(motcua::anchor::Taken::Unchanged(_)) => {}
            Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
        }
    }
}
