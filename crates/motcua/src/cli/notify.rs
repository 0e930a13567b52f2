//! `motcua worker` and the notification flags it shares with `motcua serve`: how to reach
//! each channel, the fallback order and the retry policy.

use anyhow::Context;
use clap::Args;
use motcua_db::{Db, Durability};
use motcua_notify::config::DEFAULT_GATEWAY_BODY;
use motcua_notify::{Backoff, GatewayConfig, NotifyConfig, SmtpConfig, SmtpSecurity, Worker};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

use super::database::DatabaseArgs;

/// Channels and delivery policy. Durations are in seconds (fractions allowed).
#[derive(Debug, Clone, Args)]
pub struct NotifyArgs {
    /// SMTP server for e-mail; e-mail is not sent without it.
    #[arg(long, env = "MOTCUA_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP port (default: 25 plain, 587 starttls, 465 tls).
    #[arg(long, env = "MOTCUA_SMTP_PORT")]
    smtp_port: Option<u16>,
    /// plain, starttls or tls.
    #[arg(long, env = "MOTCUA_SMTP_SECURITY", default_value = "starttls")]
    smtp_security: SmtpSecurity,
    /// SMTP user for AUTH PLAIN/LOGIN.
    #[arg(long, env = "MOTCUA_SMTP_USER")]
    smtp_user: Option<String>,
    /// SMTP password (prefer the environment variable).
    #[arg(long, env = "MOTCUA_SMTP_PASSWORD", hide_env_values = true)]
    smtp_password: Option<String>,
    /// Sender, e.g. "Trung tâm Phục vụ hành chính công <motcua@tinh.gov.vn>".
    #[arg(long, env = "MOTCUA_SMTP_FROM")]
    smtp_from: Option<String>,
    #[arg(long, env = "MOTCUA_SMTP_TIMEOUT", default_value_t = 30.0)]
    smtp_timeout: f64,
    /// PEM file of the certificate authorities to trust for the SMTP server instead of the
    /// system's (an internal relay).
    #[arg(long, env = "MOTCUA_SMTP_CA_FILE")]
    smtp_ca_file: Option<std::path::PathBuf>,
    /// SMS gateway URL (JSON POST); SMS is not sent without it.
    #[arg(long, env = "MOTCUA_SMS_URL")]
    sms_url: Option<String>,
    /// Bearer token for the SMS gateway.
    #[arg(long, env = "MOTCUA_SMS_TOKEN", hide_env_values = true)]
    sms_token: Option<String>,
    /// JSON body template for the SMS gateway (minijinja; values are written as JSON).
    #[arg(long, env = "MOTCUA_SMS_BODY", default_value = DEFAULT_GATEWAY_BODY)]
    sms_body: String,
    #[arg(long, env = "MOTCUA_SMS_TIMEOUT", default_value_t = 15.0)]
    sms_timeout: f64,
    /// Zalo ZNS gateway URL (JSON POST); Zalo is not used without it.
    #[arg(long, env = "MOTCUA_ZALO_URL")]
    zalo_url: Option<String>,
    /// Bearer token for the Zalo gateway.
    #[arg(long, env = "MOTCUA_ZALO_TOKEN", hide_env_values = true)]
    zalo_token: Option<String>,
    /// JSON body template for the Zalo gateway.
    #[arg(long, env = "MOTCUA_ZALO_BODY", default_value = DEFAULT_GATEWAY_BODY)]
    zalo_body: String,
    #[arg(long, env = "MOTCUA_ZALO_TIMEOUT", default_value_t = 15.0)]
    zalo_timeout: f64,
    /// Channels that stand in for each other, first tried first: of the channels a citizen
    /// chose, only the first in this order is sent, the next only if it fails for good.
    /// Empty: every chosen channel is sent on its own.
    #[arg(
        long,
        env = "MOTCUA_NOTIFY_FALLBACK",
        default_value = "zalo,sms,email",
        value_delimiter = ','
    )]
    notify_fallback: Vec<String>,
    /// Wait after the first failed attempt; doubled after each further one.
    #[arg(long, env = "MOTCUA_NOTIFY_RETRY_BASE", default_value_t = 30.0)]
    notify_retry_base: f64,
    /// Longest wait between attempts.
    #[arg(long, env = "MOTCUA_NOTIFY_RETRY_CAP", default_value_t = 3600.0)]
    notify_retry_cap: f64,
    /// Attempts on one channel before it fails for good.
    #[arg(long, env = "MOTCUA_NOTIFY_MAX_ATTEMPTS", default_value_t = 6)]
    notify_max_attempts: u32,
    /// How long a claimed message is reserved for one worker (longer than any timeout).
    #[arg(long, env = "MOTCUA_NOTIFY_LEASE", default_value_t = 120.0)]
    notify_lease: f64,
    /// Seconds a webhook's receiver may take to answer.
    #[arg(long, env = "MOTCUA_WEBHOOK_TIMEOUT", default_value_t = 15.0)]
    webhook_timeout: f64,
    /// Pause between looks at an empty outbox.
    #[arg(long, env = "MOTCUA_NOTIFY_POLL", default_value_t = 5.0)]
    notify_poll: f64,
    /// Messages claimed and sent at once.
    #[arg(long, env = "MOTCUA_NOTIFY_BATCH", default_value_t = 16)]
    notify_batch: i64,
    /// The national portal's dossier sync.
    #[command(flatten)]
    pub portal: super::dvcqg::PortalArgs,
}

fn seconds(value: f64, name: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value).with_context(|| format!("{name}: số giây không hợp lệ"))
}

fn gateway(
    url: &Option<String>,
    token: &Option<String>,
    body: &str,
    timeout: f64,
    name: &str,
) -> anyhow::Result<Option<GatewayConfig>> {
    let Some(url) = url else { return Ok(None) };
    Ok(Some(GatewayConfig {
        url: url.clone(),
        token: token.clone().filter(|t| !t.is_empty()),
        body: body.to_string(),
        timeout: seconds(timeout, name)?,
    }))
}

impl NotifyArgs {
    pub fn config(&self) -> anyhow::Result<NotifyConfig> {
        let smtp = match &self.smtp_host {
            None => None,
            Some(host) => Some(SmtpConfig {
                host: host.clone(),
                port: self.smtp_port.unwrap_or(match self.smtp_security {
                    SmtpSecurity::Plain => 25,
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::Tls => 465,
                }),
                security: self.smtp_security,
                credentials: self
                    .smtp_user
                    .clone()
                    .map(|user| (user, self.smtp_password.clone().unwrap_or_default())),
                from: self
                    .smtp_from
                    .clone()
                    .context("cần --smtp-from (MOTCUA_SMTP_FROM) khi gửi thư điện tử")?,
                timeout: seconds(self.smtp_timeout, "--smtp-timeout")?,
                ca_pem: self
                    .smtp_ca_file
                    .as_ref()
                    .map(|path| {
                        std::fs::read(path)
                            .with_context(|| format!("không đọc được {}", path.display()))
                    })
                    .transpose()?,
            }),
        };
        Ok(NotifyConfig {
            smtp,
            sms: gateway(
                &self.sms_url,
                &self.sms_token,
                &self.sms_body,
                self.sms_timeout,
                "--sms-timeout",
            )?,
            zalo: gateway(
                &self.zalo_url,
                &self.zalo_token,
                &self.zalo_body,
                self.zalo_timeout,
                "--zalo-timeout",
            )?,
            fallback: self
                .notify_fallback
                .iter()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
            backoff: Backoff {
                base: seconds(self.notify_retry_base, "--notify-retry-base")?,
                cap: seconds(self.notify_retry_cap, "--notify-retry-cap")?,
                max_attempts: self.notify_max_attempts,
            },
            lease: seconds(self.notify_lease, "--notify-lease")?,
            webhook_timeout: seconds(self.webhook_timeout, "--webhook-timeout")?,
            poll: seconds(self.notify_poll, "--notify-poll")?,
            batch: self.notify_batch.max(1),
            worker_id: format!(
                "{}-{}",
                std::env::var("HOSTNAME").unwrap_or_else(|_| "motcua".into()),
                std::process::id()
            ),
        })
    }
}

/// A worker running as a task, and the switch that stops it.
pub struct Running {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    /// The channels it sends on.
    pub channels: Vec<&'static str>,
}

impl Running {
    pub fn new(
        stop: watch::Sender<bool>,
        task: tokio::task::JoinHandle<()>,
        channels: Vec<&'static str>,
    ) -> Self {
        Self {
            stop,
            task,
            channels,
        }
    }

    /// Stops claiming and waits for the messages in flight.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Seeds the default templates and starts the worker, unless no channel is configured
/// (then messages wait in the outbox).
pub async fn start(db: &Db, args: &NotifyArgs) -> anyhow::Result<Option<Running>> {
    motcua_notify::seed_templates(db).await?;
    let worker = Worker::new(db.clone(), args.config()?)?;
    let channels = worker.channels();
    if channels.is_empty() {
        return Ok(None);
    }
    let (stop, stopped) = watch::channel(false);
    let task = tokio::spawn(Arc::new(worker).run(stopped));
    Ok(Some(Running {
        stop,
        task,
        channels,
    }))
}

/// `motcua worker`: deliver the outbox until Ctrl+C or SIGTERM.
pub async fn worker(db_args: &DatabaseArgs, args: NotifyArgs) -> anyhow::Result<()> {
    // Beside a server, never beside a restore or a demo load that replaces the file.
    let _users = super::owner::share(db_args, "gửi thông báo")?;
    let db = db_args.open(Durability::Full).await?;
    let running = start(&db, &args).await?;
    let portal = super::dvcqg::start(&db, &args.portal, &args.config()?.worker_id, None).await?;
    if running.is_none() && portal.is_none() {
        db.close().await;
        anyhow::bail!("chưa cấu hình kênh gửi nào (SMTP, SMS, Zalo hoặc đồng bộ DVCQG)");
    }
    shutdown_signal().await;
    for task in [running, portal].into_iter().flatten() {
        task.stop().await;
    }
    db.close().await;
    Ok(())
}

/// Resolves on Ctrl+C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
