//! Đồng bộ hồ sơ lên DVCQG — the worker that sends each changed dossier to the national
//! portal: the record (created, or updated once the portal knows it) and then the history
//! rows it has not had, in order and in chunks, as `motcua_domain::portal` shapes them. It
//! leases dossiers like the outbox leases messages, retries with back-off, and never clears a
//! dossier that changed while it was being sent.

use std::sync::Arc;
use std::time::Duration;

use motcua_db::{Db, DbError, DossierRecord, HistoryRow, SyncClaim};
use motcua_domain::dossier::{Action, Status};
use motcua_domain::portal::{
    self, HISTORY_CHUNK, PortalComponent, PortalDossier, PortalResult, PortalStep, RecordReply,
};
use tokio::sync::watch;

use crate::config::{Backoff, ConfigError};

/// Where the portal takes dossiers, and how to reach it.
#[derive(Debug, Clone)]
pub struct PortalConfig {
    /// New records (`URLThemMoi`).
    pub sync_url: String,
    /// Records the portal has already (`URLCapNhat`).
    pub update_url: String,
    /// Processing history (`URLDongBoTienTrinh`).
    pub history_url: String,
    /// Sent as a Bearer token when set.
    pub token: Option<String>,
    pub timeout: Duration,
    pub backoff: Backoff,
    pub poll: Duration,
    pub batch: i64,
    pub worker_id: String,
    /// The address citizens reach motcua at (`https://…`): results signed here are linked
    /// to their public verification page under it; without it they are listed unlinked.
    pub public_url: Option<String>,
}

/// The sync worker.
pub struct PortalSync {
    db: Db,
    config: PortalConfig,
    client: reqwest::Client,
}

impl std::fmt::Debug for PortalSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSync")
            .field("sync_url", &self.config.sync_url)
            .finish_non_exhaustive()
    }
}

/// How a send went: what the portal has now, or why it stopped.
struct Progress {
    known: bool,
    history_sent: i64,
}

impl PortalSync {
    pub fn new(db: Db, config: PortalConfig) -> Result<Self, ConfigError> {
        for url in [&config.sync_url, &config.update_url, &config.history_url] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError(format!(
                    "địa chỉ đồng bộ DVCQG “{url}” phải bắt đầu bằng http:// hoặc https://"
                )));
            }
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| ConfigError(format!("không tạo được HTTP client: {e}")))?;
        Ok(Self { db, config, client })
    }

    /// Sends until `stop` turns true.
    pub async fn run(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        tracing::info!(url = %self.config.sync_url, "portal sync started");
        while !*stop.borrow() {
            let busy = match self.run_once().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "portal sync could not reach the database");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = stop.changed() => {}
                    () = tokio::time::sleep(self.config.poll) => {}
                }
            }
        }
        tracing::info!("portal sync stopped");
    }

    /// Leases one batch of changed dossiers and sends each; returns how many were tried.
    pub async fn run_once(&self) -> Result<usize, DbError> {
        let now = motcua_db::now_seconds();
        // A send waits at most the timeout per request: the record, an update and the chunks.
        let lease = self.config.timeout.as_secs().saturating_mul(8).max(60);
        let lease_until = now.saturating_add(i64::try_from(lease).unwrap_or(i64::MAX));
        let claims = self
            .db
            .portal()
            .claim(&self.config.worker_id, now, lease_until, self.config.batch)
            .await?;
        // One dossier after another: the portal sees each dossier's changes in order.
        for claim in &claims {
            self.send(claim).await?;
        }
        Ok(claims.len())
    }

    async fn send(&self, claim: &SyncClaim) -> Result<(), DbError> {
        let mut progress = Progress {
            known: claim.known,
            history_sent: claim.history_sent,
        };
        let outcome = self.exchange(claim, &mut progress).await;
        let owner = &self.config.worker_id;
        match outcome {
            Ok(()) => {
                let at = motcua_db::now_seconds();
                self.db
                    .dossiers()
                    .portal_acknowledged(owner, claim, progress.history_sent, at)
                    .await
            }
            Err(error) => {
                let attempt = u32::try_from(claim.attempt).unwrap_or(u32::MAX);
                let wait = self.config.backoff.delay(attempt).as_secs();
                let retry_at = motcua_db::now_seconds()
                    .saturating_add(i64::try_from(wait).unwrap_or(i64::MAX));
                tracing::warn!(dossier = claim.dossier_id, %error, attempt, "portal sync failed");
                self.db
                    .portal()
                    .fail(
                        owner,
                        claim,
                        progress.known,
                        progress.history_sent,
                        &error,
                        retry_at,
                    )
                    .await
            }
        }
    }

    /// The record, then the history the portal has not had; `progress` follows each step
    /// the portal acknowledged.
    async fn exchange(&self, claim: &SyncClaim, progress: &mut Progress) -> Result<(), String> {
        let db_error = |e: DbError| format!("không đọc được hồ sơ: {e}");
        let Some(d) = self
            .db
            .dossiers()
            .dossier(claim.dossier_id)
            .await
            .map_err(db_error)?
        else {
            return Err("hồ sơ không còn".into());
        };
        let history = self.db.dossiers().history(d.id).await.map_err(db_error)?;
        let record = self.record(&d, &history).await.map_err(db_error)?;
        let body = serde_json::Value::Array(vec![record]).to_string();
        let url = if progress.known {
            &self.config.update_url
        } else {
            &self.config.sync_url
        };
        match portal::read_record_reply(&self.post(url, &body).await?) {
            RecordReply::Done => {}
            RecordReply::Exists => {
                match portal::read_record_reply(&self.post(&self.config.update_url, &body).await?) {
                    RecordReply::Done => {}
                    RecordReply::Exists => {
                        return Err("cổng báo hồ sơ đã tồn tại khi cập nhật".into());
                    }
                    RecordReply::Refused(why) => {
                        return Err(format!("cổng từ chối cập nhật: {why}"));
                    }
                }
            }
            RecordReply::Refused(why) => return Err(format!("cổng từ chối hồ sơ: {why}")),
        }
        progress.known = true;
        let agencies = self.db.agencies().all().await.map_err(db_error)?;
        let unit = |id: i64| {
            agencies
                .iter()
                .find(|a| a.id == id)
                .map_or_else(String::new, |a| a.name.clone())
        };
        let fresh: Vec<(usize, &HistoryRow)> = history
            .iter()
            .enumerate()
            .filter(|(_, h)| h.id > progress.history_sent)
            .collect();
        for chunk in fresh.chunks(HISTORY_CHUNK) {
            let items: Vec<serde_json::Value> = chunk
                .iter()
                .map(|(i, h)| {
                    let started = i
                        .checked_sub(1)
                        .and_then(|p| history.get(p))
                        .map_or(d.received_at, |p| p.at);
                    let label = Action::label_of_name(&h.action).unwrap_or(h.action.as_str());
                    let content = match h.note.as_deref().filter(|n| !n.trim().is_empty()) {
                        Some(note) => format!("{label}: {note}"),
                        None => label.to_string(),
                    };
                    portal::history_item(&PortalStep {
                        code: &d.code,
                        actor: h.actor_name.as_deref().unwrap_or("Công dân"),
                        title: "",
                        unit: &unit(h.agency_id),
                        content: &content,
                        status: h.to_status,
                        at: h.at,
                        step_started: started,
                        step_due: h.step_due_at,
                    })
                })
                .collect();
            let body = serde_json::Value::Array(items).to_string();
            let reply = self.post(&self.config.history_url, &body).await?;
            if !portal::history_accepted(&reply) {
                return Err(format!(
                    "cổng không nhận tiến trình: {}",
                    reply.chars().take(200).collect::<String>()
                ));
            }
            if let Some((_, last)) = chunk.last() {
                progress.history_sent = last.id;
            }
        }
        Ok(())
    }

    /// The dossier as the portal records it.
    async fn record(
        &self,
        d: &DossierRecord,
        history: &[HistoryRow],
    ) -> Result<serde_json::Value, DbError> {
        let version = self
            .db
            .catalogue()
            .procedure_version(d.procedure_version_id)
            .await?;
        let procedure = version.as_ref().map(|v| &v.procedure);
        let case = procedure.and_then(|p| p.case(&d.case_code));
        let competent = self
            .db
            .agencies()
            .agency(d.state.competent_agency())
            .await?
            .map(|a| a.code)
            .unwrap_or_default();
        let returned_at = (d.status == Status::Returned)
            .then(|| history.iter().rev().find(|h| h.action == "return"))
            .flatten()
            .map(|h| h.at);
        let reuse = self.db.documents().component_reuse(d.id).await?;
        let components = d
            .components
            .iter()
            .map(|c| PortalComponent {
                reuse: case
                    .and_then(|k| k.components.iter().position(|x| x.code == c.code))
                    .and_then(|i| i64::try_from(i).ok())
                    .and_then(|i| reuse.iter().find(|(at, _)| *at == i))
                    .map(|(_, r)| *r)
                    .unwrap_or_default(),
                code: c.code.clone(),
                name: case
                    .and_then(|k| k.component(&c.code))
                    .map_or_else(|| c.code.clone(), |k| k.name.clone()),
                link: None,
                digitised: motcua_domain::dossier::component_digitised(&d.state, c),
            })
            .collect();
        // The case's fees as the catalogue names them, then the obligation asked for.
        let fees: Vec<(String, i64)> = motcua_domain::payment::receipt::fee_lines(
            case.map_or(&[][..], |k| k.fees.as_slice()),
            d.fee_vnd,
            d.state.payment.as_ref().map_or(0, |p| p.amount_vnd),
        )
        .into_iter()
        .map(|l| (l.name, l.amount_vnd))
        .collect();
        let field = procedure.map(|p| &p.field);
        let marks = self.db.dossiers().portal_marks(d.id).await?;
        let results = self.results(d.id).await?;
        Ok(portal::record(&PortalDossier {
            code: &d.code,
            portal_code: marks.portal_code.as_deref(),
            procedure_code: &d.procedure_code,
            procedure_name: procedure.map_or("", |p| p.name.as_str()),
            field_code: field.map_or("", |f| f.code.as_str()),
            field_name: field.map_or("", |f| f.name.as_str()),
            channel: d.channel,
            applicant: &d.applicant,
            summary: &d.summary,
            status: d.status,
            received_at: d.received_at,
            due_at: d.due_at,
            finished_at: d.finished_at,
            returned_at,
            agency_code: &competent,
            components,
            fees,
            results,
            verified_identity: marks.verified_identity,
            subject_id: marks.subject_id.as_deref(),
            paid_online: d.paid_online,
        }))
    }

    /// The dossier's result documents (`DanhSachGiayToKetQua`): each result file, linked to
    /// the public page that verifies its signature when it was signed here.
    async fn results(&self, dossier_id: i64) -> Result<Vec<PortalResult>, DbError> {
        let signed = self.db.files().signed_results_of(dossier_id).await?;
        let base = self
            .config
            .public_url
            .as_deref()
            .map(|u| u.trim_end_matches('/'));
        Ok(self
            .db
            .files()
            .attachments(dossier_id)
            .await?
            .into_iter()
            .filter(|f| f.purpose == motcua_db::Purpose::Result)
            .map(|f| {
                let page = signed
                    .iter()
                    .find(|s| s.file_id == f.id || s.signed_file_id == Some(f.id));
                PortalResult {
                    link: match (base, page) {
                        (Some(base), Some(s)) => format!("{base}/xac-thuc/{}", s.id),
                        _ => String::new(),
                    },
                    name: f.name,
                }
            })
            .collect())
    }

    /// POSTs `body` as JSON; the reply's text, or why there is none.
    async fn post(&self, url: &str, body: &str) -> Result<String, String> {
        let mut request = self
            .client
            .post(url)
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_string());
        if let Some(token) = &self.config.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| format!("không gửi được tới cổng: {e}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| format!("không đọc được trả lời của cổng: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "cổng trả lời HTTP {status}: {}",
                text.chars().take(200).collect::<String>()
            ));
        }
        Ok(text)
    }
}
