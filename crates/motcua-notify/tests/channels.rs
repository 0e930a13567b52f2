//! The worker against real servers on loopback: an SMTP relay and HTTP gateways that
//! succeed, fail for a while, refuse, or hang.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../motcua-db/tests/suite/common/mod.rs"]
mod common;
mod loopback;

use chrono::DateTime;
use common::*;
use motcua_db::Db;
use motcua_domain::agency::Role;
use motcua_domain::dossier::{Actor, NotifyChannel};
use motcua_notify::{
    Backoff, GatewayConfig, NotifyConfig, SmtpConfig, SmtpSecurity, Worker, seed_templates,
};
use std::sync::Arc;
use std::time::Duration;

async fn dossier(db: &Db, channels: Vec<NotifyChannel>) -> (i64, String) {
    let p = province(db).await;
    let mut form = intake("Lê Thị Thu");
    form.applicant.notify = channels;
    let d = db
        .dossiers()
        .intake(
            form,
            CENTRE,
            &Actor::Staff {
                id: p.counter,
                roles: vec![Role::CounterOfficer],
            },
            &CALENDAR,
            DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").unwrap(),
        )
        .await
        .unwrap();
    (d.id, d.code)
}

fn gateway(url: String, timeout: Duration) -> GatewayConfig {
    GatewayConfig {
        url,
        token: Some("tok-8f3a".into()),
        body: motcua_notify::config::DEFAULT_GATEWAY_BODY.into(),
        timeout,
    }
}

fn config(fallback: &[&str]) -> NotifyConfig {
    NotifyConfig {
        smtp: None,
        sms: None,
        zalo: None,
        fallback: fallback.iter().map(|s| s.to_string()).collect(),
        backoff: Backoff {
            base: Duration::ZERO,
            cap: Duration::ZERO,
            max_attempts: 3,
        },
        lease: Duration::from_secs(30),
        webhook_timeout: Duration::from_secs(5),
        poll: Duration::from_millis(50),
        batch: 8,
        worker_id: "test-worker".into(),
    }
}

/// Runs the worker until no message is waiting.
async fn drain(db: &Db, worker: &Arc<Worker>) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        Arc::clone(worker).run_once().await.unwrap();
        let counts = db.outbox().outbox_counts().await.unwrap();
        if !counts.iter().any(|(s, _)| s == "pending" || s == "leased") {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "outbox not drained: {counts:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn states(list: &[motcua_db::Delivery]) -> Vec<(String, String, i64)> {
    list.iter()
        .map(|m| (m.channel.clone(), m.status.clone(), m.attempts))
        .collect()
}

fn owned(rows: &[(&str, &str, i64)]) -> Vec<(String, String, i64)> {
    rows.iter()
        .map(|(c, s, n)| (c.to_string(), s.to_string(), *n))
        .collect()
}

#[tokio::test]
async fn email_goes_through_smtp_with_auth_and_vietnamese_text() {
    let (db, _) = fresh("sqlite").await.unwrap();
    seed_templates(&db).await.unwrap();
    let (id, code) = dossier(&db, vec![NotifyChannel::Email]).await;
    let (port, mails) = loopback::smtp_server().await;
    let mut c = config(&[]);
    c.smtp = Some(SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::Plain,
        credentials: Some(("motcua".into(), "mật-khẩu".into())),
        from: "Trung tâm Phục vụ hành chính công <motcua@thanhhoa.gov.vn>".into(),
        timeout: Duration::from_secs(5),
        ca_pem: None,
    });
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;

    let log = db.outbox().deliveries_of(id).await.unwrap();
    assert_eq!(states(&log), owned(&[("email", "sent", 1)]));
    assert!(log[0].last_answer.as_deref().unwrap().starts_with("250"));
    let mails = mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.auth,
        Some(("motcua".to_string(), "mật-khẩu".to_string()))
    );
    assert!(
        mail.from.contains("<motcua@thanhhoa.gov.vn>"),
        "{}",
        mail.from
    );
    assert_eq!(mail.to, ["<dan@example.vn>"]);
    assert_eq!(
        mail.header("Message-ID").unwrap(),
        format!("<outbox-{}@thanhhoa.gov.vn>", log[0].id)
    );
    let raw_subject = mail.header("Subject").unwrap();
    assert!(
        raw_subject.to_ascii_lowercase().starts_with("=?utf-8?b?"),
        "{raw_subject}"
    );
    assert_eq!(mail.subject(), format!("Đã tiếp nhận hồ sơ {code}"));
    assert!(mail.header("Content-Type").unwrap().contains("text/plain"));
    let body = mail.body();
    assert!(body.contains("Kính gửi Lê Thị Thu,"), "{body}");
    assert!(
        body.contains("“Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam”"),
        "{body}"
    );
    assert!(body.contains("Ngày hẹn trả kết quả: 11/03/2026."), "{body}");
}

async fn over_tls(security: SmtpSecurity, server: loopback::Security, ca: Option<&[u8]>) -> String {
    let (db, _) = fresh("sqlite").await.unwrap();
    let (id, _) = dossier(&db, vec![NotifyChannel::Email]).await;
    let (port, mails) = loopback::smtp_server_with(server).await;
    let mut c = config(&[]);
    c.smtp = Some(SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security,
        credentials: Some(("motcua".into(), "secret".into())),
        from: "motcua@thanhhoa.gov.vn".into(),
        timeout: Duration::from_secs(5),
        ca_pem: ca.map(<[u8]>::to_vec),
    });
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;
    let log = db.outbox().deliveries_of(id).await.unwrap();
    let mails = mails.lock().unwrap().clone();
    if log[0].status == "sent" {
        assert_eq!(mails.len(), 1);
        assert!(mails[0].secure, "the mail came over TLS");
        assert_eq!(mails[0].auth, Some(("motcua".into(), "secret".into())));
        assert!(mails[0].body().contains("Kính gửi Lê Thị Thu"));
    } else {
        assert!(mails.is_empty());
    }
    format!(
        "{} {}",
        log[0].status,
        log[0].last_answer.clone().unwrap_or_default()
    )
}

#[tokio::test]
async fn starttls_and_implicit_tls_with_the_centre_s_own_ca() {
    let ca = Some(loopback::CA_PEM);
    let out = over_tls(SmtpSecurity::StartTls, loopback::Security::StartTls, ca).await;
    assert!(out.starts_with("sent 250"), "{out}");
    let out = over_tls(SmtpSecurity::Tls, loopback::Security::Tls, ca).await;
    assert!(out.starts_with("sent 250"), "{out}");
}

#[tokio::test]
async fn tls_is_never_given_up_silently() {
    // STARTTLS required but not offered: nothing is sent in the clear.
    let ca = Some(loopback::CA_PEM);
    let out = over_tls(SmtpSecurity::StartTls, loopback::Security::Plain, ca).await;
    assert!(
        out.starts_with("failed") && out.contains("STARTTLS"),
        "{out}"
    );
    // A certificate from an authority not trusted is refused.
    let out = over_tls(SmtpSecurity::Tls, loopback::Security::Tls, None).await;
    assert!(
        out.starts_with("failed") && out.contains("UnknownIssuer"),
        "{out}"
    );
}

#[tokio::test]
async fn refused_recipient_fails_for_good() {
    let (db, _) = fresh("sqlite").await.unwrap();
    let p = province(&db).await;
    let mut form = intake("Lê Thị Thu");
    form.applicant.email = Some("khong-ton-tai@refused.example".into());
    form.applicant.notify = vec![NotifyChannel::Email];
    let d = db
        .dossiers()
        .intake(
            form,
            CENTRE,
            &Actor::Staff {
                id: p.counter,
                roles: vec![Role::CounterOfficer],
            },
            &CALENDAR,
            DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").unwrap(),
        )
        .await
        .unwrap();
    let (port, mails) = loopback::smtp_server().await;
    let mut c = config(&[]);
    c.smtp = Some(SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::Plain,
        credentials: None,
        from: "motcua@thanhhoa.gov.vn".into(),
        timeout: Duration::from_secs(5),
        ca_pem: None,
    });
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;
    let log = db.outbox().deliveries_of(d.id).await.unwrap();
    assert_eq!(states(&log), owned(&[("email", "failed", 1)]));
    assert!(log[0].last_answer.as_deref().unwrap().contains("550"));
    assert!(mails.lock().unwrap().is_empty());
}

async fn temporary_failure_is_retried(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let (id, code) = dossier(&db, vec![NotifyChannel::Sms]).await;
    let (base, hits) = loopback::gateway().await;
    let mut c = config(&[]);
    c.sms = Some(gateway(format!("{base}/flaky"), Duration::from_secs(5)));
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;

    let log = db.outbox().deliveries_of(id).await.unwrap();
    assert_eq!(states(&log), owned(&[("sms", "sent", 2)]));
    let outcomes: Vec<String> = db
        .outbox()
        .attempts_of(log[0].id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| format!("{} {}", a.outcome, &a.answer[..3]))
        .collect();
    assert_eq!(outcomes, ["retrying 503", "sent 200"]);
    let hits = hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 2);
    for hit in &hits {
        assert_eq!(
            hit.key,
            log[0].id.to_string(),
            "the outbox id is the idempotency key"
        );
        assert_eq!(hit.authorization, "Bearer tok-8f3a");
        let body: serde_json::Value = serde_json::from_str(&hit.body).unwrap();
        assert_eq!(body["to"], "0912345678");
        assert!(body["text"].as_str().unwrap().contains(&code));
    }
}

async fn refusal_falls_back_to_the_next_chosen_channel(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let (id, _) = dossier(
        &db,
        vec![
            NotifyChannel::Zalo,
            NotifyChannel::Sms,
            NotifyChannel::Email,
        ],
    )
    .await;
    let (base, hits) = loopback::gateway().await;
    let mut c = config(&["zalo", "sms", "email"]);
    c.zalo = Some(gateway(format!("{base}/reject"), Duration::from_secs(5)));
    c.sms = Some(gateway(format!("{base}/ok"), Duration::from_secs(5)));
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;

    let log = db.outbox().deliveries_of(id).await.unwrap();
    assert_eq!(
        states(&log),
        owned(&[
            ("zalo", "failed", 1),
            ("sms", "sent", 1),
            ("email", "superseded", 0)
        ])
    );
    assert!(log[0].last_answer.as_deref().unwrap().starts_with("400"));
    let paths: Vec<String> = hits
        .lock()
        .unwrap()
        .iter()
        .map(|h| h.path.clone())
        .collect();
    assert_eq!(
        paths,
        ["reject", "ok"],
        "refused once, not retried; e-mail never sent"
    );
}

/// An officer who chose e-mail and Zalo gets a late step's alert and the morning list on
/// both, written in the officer's words (not the citizen's), with the dossier's code.
async fn an_officer_is_told_by_e_mail_and_zalo(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    seed_templates(&db).await.unwrap();
    let (_, code) = dossier(&db, vec![]).await;
    let leader = db
        .people()
        .staff_by_username("tp.giamdoc")
        .await
        .unwrap()
        .unwrap();
    db.alerts()
        .set_alert_delivery(
            leader.id,
            "0987 654 321",
            "giamdoc@tuphap.thanhhoa.gov.vn",
            &[NotifyChannel::Email, NotifyChannel::Zalo],
        )
        .await
        .unwrap();
    // Received Monday 2 March, due Wednesday 11 March at 08:00: on Thursday's morning it is
    // overdue.
    let thursday = DateTime::parse_from_rfc3339("2026-03-12T07:00:00+07:00").unwrap();
    assert_eq!(
        db.alerts().send_digests(thursday, &CALENDAR).await.unwrap(),
        2
    );

    let (port, mails) = loopback::smtp_server().await;
    let (base, hits) = loopback::gateway().await;
    let mut c = config(&[]);
    c.smtp = Some(SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::Plain,
        credentials: None,
        from: "Trung tâm Phục vụ hành chính công <motcua@thanhhoa.gov.vn>".into(),
        timeout: Duration::from_secs(5),
        ca_pem: None,
    });
    c.zalo = Some(gateway(format!("{base}/ok"), Duration::from_secs(5)));
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;

    let mails = mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1, "one e-mail, to the one leader who chose it");
    assert_eq!(mails[0].to, ["<giamdoc@tuphap.thanhhoa.gov.vn>"]);
    assert_eq!(mails[0].subject(), "Bản tin đầu ngày 12/03/2026");
    // Lines end in CRLF on the wire.
    let body = mails[0].body().replace("\r\n", "\n");
    assert!(body.contains("Kính gửi Cán bộ tp.giamdoc,"), "{body}");
    assert!(
        body.contains(&format!(
            "Hồ sơ đã quá hạn (1):\n- {code} — Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam (hạn 08:00 ngày 11/03/2026)"
        )),
        "{body:?}"
    );
    let hits = hits.lock().unwrap().clone();
    assert_eq!(hits.len(), 1);
    let sent: serde_json::Value = serde_json::from_str(&hits[0].body).unwrap();
    assert_eq!(sent["to"], "0987654321");
    assert_eq!(sent["text"], "Bản tin 12/03/2026: Hồ sơ đã quá hạn: 1.");
}

on_both!(
    an_officer_is_told_by_e_mail_and_zalo,
    temporary_failure_is_retried,
    refusal_falls_back_to_the_next_chosen_channel
);

#[tokio::test]
async fn a_hanging_gateway_times_out_and_e_mail_stands_in() {
    let (db, _) = fresh("sqlite").await.unwrap();
    let (id, _) = dossier(&db, vec![NotifyChannel::Sms, NotifyChannel::Email]).await;
    let (base, hits) = loopback::gateway().await;
    let (port, mails) = loopback::smtp_server().await;
    let mut c = config(&["sms", "email"]);
    c.backoff.max_attempts = 2;
    c.sms = Some(gateway(format!("{base}/slow"), Duration::from_millis(700)));
    c.smtp = Some(SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::Plain,
        credentials: None,
        from: "motcua@thanhhoa.gov.vn".into(),
        timeout: Duration::from_secs(5),
        ca_pem: None,
    });
    let worker = Arc::new(Worker::new(db.clone(), c).unwrap());
    drain(&db, &worker).await;

    let log = db.outbox().deliveries_of(id).await.unwrap();
    assert_eq!(
        states(&log),
        owned(&[("sms", "failed", 2), ("email", "sent", 1)])
    );
    let attempts = db.outbox().attempts_of(log[0].id).await.unwrap();
    assert!(
        attempts.iter().all(|a| a.answer.contains("hết thời gian")),
        "{attempts:?}"
    );
    assert!(hits.lock().unwrap().iter().all(|h| h.answered.is_none()));
    assert_eq!(mails.lock().unwrap().len(), 1);
}

#[test]
fn a_lease_shorter_than_a_send_is_refused() {
    let mut c = config(&["zalo", "fax"]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (db, _) = rt.block_on(fresh("sqlite")).unwrap();
    assert!(
        Worker::new(db.clone(), c.clone())
            .unwrap_err()
            .0
            .contains("fax")
    );
    c.fallback = vec!["zalo".into()];
    c.sms = Some(gateway(
        "http://127.0.0.1:9/".into(),
        Duration::from_secs(60),
    ));
    assert!(
        Worker::new(db.clone(), c.clone())
            .unwrap_err()
            .0
            .contains("thời hạn")
    );
    c.lease = Duration::from_secs(90);
    c.sms.as_mut().unwrap().token = Some("mã bí mật".into());
    assert!(
        Worker::new(db.clone(), c.clone())
            .unwrap_err()
            .0
            .contains("mã")
    );
    c.sms.as_mut().unwrap().token = None;
    c.sms.as_mut().unwrap().body = "{\"to\": {{ phone }}}".into();
    assert!(Worker::new(db, c).unwrap_err().0.contains("sms"));
}

macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name("sqlite").await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name("postgres").await } )*
        }
    };
}
use on_both;
