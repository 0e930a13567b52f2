//! Delivery storage on both engines: leases, expiry, the fallback chain, the attempt log,
//! the message templates, and webhook subscriptions with the deliveries an intake writes.

use crate::common::*;
use chrono::DateTime;
use motcua_db::{Db, FallbackRanks, Outcome};
use motcua_domain::agency::Role;
use motcua_domain::dossier::{Actor, NotifyChannel};

const CHAIN: &[&str] = &["zalo", "sms", "email"];

async fn dossier(db: &Db, counter: i64, channels: Vec<NotifyChannel>) -> i64 {
    let mut form = intake("Lê Thị Thu");
    form.applicant.notify = channels;
    db.dossiers()
        .intake(
            form,
            CENTRE,
            &Actor::Staff {
                id: counter,
                roles: vec![Role::CounterOfficer],
            },
            &CALENDAR,
            DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").unwrap(),
        )
        .await
        .unwrap()
        .id
}

async fn leases_and_fallback(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let all = vec![
        NotifyChannel::Zalo,
        NotifyChannel::Sms,
        NotifyChannel::Email,
    ];
    let d = dossier(&db, p.counter, all).await;
    let ranks = FallbackRanks::from_order(CHAIN);
    let now = motcua_db::now_seconds();

    // Only the first channel of the chain is claimable; the others stand by.
    let first = db
        .outbox()
        .claim_messages("a", now, now + 60, 10, ranks)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].channel, "zalo");
    assert_eq!(first[0].attempt, 1);
    assert!(first[0].payload.contains("Lê Thị Thu"));
    // While leased, nobody else gets it.
    assert!(
        db.outbox()
            .claim_messages("b", now + 30, now + 90, 10, ranks)
            .await
            .unwrap()
            .is_empty()
    );
    // An expired lease is claimed again: a crashed worker loses nothing.
    let again = db
        .outbox()
        .claim_messages("b", now + 61, now + 121, 10, ranks)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].id, again[0].attempt), (first[0].id, 2));
    // The first worker's late answer is logged but does not move the row.
    let late = db
        .outbox()
        .finish_attempt(
            &first[0],
            "a",
            now + 62,
            Outcome::Retrying { at: now + 70 },
            "503",
            ranks,
        )
        .await
        .unwrap();
    assert!(!late);
    // Zalo fails for good: SMS, the next channel the citizen chose, becomes claimable.
    assert!(
        db.outbox()
            .finish_attempt(
                &again[0],
                "b",
                now + 63,
                Outcome::Failed,
                "400 không có tài khoản Zalo",
                ranks
            )
            .await
            .unwrap()
    );
    let sms = db
        .outbox()
        .claim_messages("b", now + 64, now + 124, 10, ranks)
        .await
        .unwrap();
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].channel, "sms");
    // A retry waits for its time.
    assert!(
        db.outbox()
            .finish_attempt(
                &sms[0],
                "b",
                now + 65,
                Outcome::Retrying { at: now + 100 },
                "503",
                ranks
            )
            .await
            .unwrap()
    );
    assert!(
        db.outbox()
            .claim_messages("b", now + 66, now + 126, 10, ranks)
            .await
            .unwrap()
            .is_empty()
    );
    let sms = db
        .outbox()
        .claim_messages("b", now + 100, now + 160, 10, ranks)
        .await
        .unwrap();
    assert_eq!((sms[0].channel.as_str(), sms[0].attempt), ("sms", 2));
    assert!(
        db.outbox()
            .finish_attempt(&sms[0], "b", now + 101, Outcome::Sent, "200 OK", ranks)
            .await
            .unwrap()
    );
    // Sent on SMS: e-mail is no longer needed.
    assert!(
        db.outbox()
            .claim_messages("b", now + 200, now + 260, 10, ranks)
            .await
            .unwrap()
            .is_empty()
    );
    let log = db.outbox().deliveries_of(d).await.unwrap();
    let states: Vec<(&str, &str, i64)> = log
        .iter()
        .map(|m| (m.channel.as_str(), m.status.as_str(), m.attempts))
        .collect();
    assert_eq!(
        states,
        [
            ("zalo", "failed", 2),
            ("sms", "sent", 2),
            ("email", "superseded", 0)
        ]
    );
    assert_eq!(log[1].last_answer.as_deref(), Some("200 OK"));
    let attempts = db.outbox().attempts_of(log[0].id).await.unwrap();
    let outcomes: Vec<&str> = attempts.iter().map(|a| a.outcome.as_str()).collect();
    assert_eq!(outcomes, ["retrying", "failed"]);
    assert_eq!(attempts[1].answer, "400 không có tài khoản Zalo");
    db.close().await;
}

async fn workers_share_the_queue(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    for _ in 0..4 {
        dossier(
            &db,
            p.counter,
            vec![NotifyChannel::Sms, NotifyChannel::Email],
        )
        .await;
    }
    // Without a chain every chosen channel is delivered on its own.
    let ranks = FallbackRanks::default();
    let now = motcua_db::now_seconds();
    let (a, b) = tokio::join!(
        db.outbox().claim_messages("a", now, now + 60, 5, ranks),
        db.outbox().claim_messages("b", now, now + 60, 5, ranks)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 8);
    let mut ids: Vec<i64> = a.iter().chain(&b).map(|m| m.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 8, "no message leased twice");
    db.close().await;
}

async fn templates_keep_edits(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let defaults = [
        (
            "received",
            "email",
            "Đã nhận {{ code }}",
            "Kính gửi {{ applicant }}",
        ),
        ("received", "sms", "", "Da nhan {{ code }}"),
    ];
    assert_eq!(
        db.outbox().seed_message_templates(&defaults).await.unwrap(),
        2
    );
    db.outbox()
        .save_message_template("received", "sms", "", "Đã nhận hồ sơ {{ code }}", "staff:1")
        .await
        .unwrap();
    assert_eq!(
        db.outbox().seed_message_templates(&defaults).await.unwrap(),
        0
    );
    let sms = db
        .outbox()
        .message_template("received", "sms")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sms.body, "Đã nhận hồ sơ {{ code }}");
    assert_eq!(sms.updated_by, "staff:1");
    assert_eq!(db.outbox().message_templates().await.unwrap().len(), 2);
    assert!(
        db.outbox()
            .message_template("returned", "sms")
            .await
            .unwrap()
            .is_none()
    );
    db.close().await;
}

/// A subscription is made, listed without its secret, heard by an intake (one delivery row
/// per event it names, none for the others), and ended.
async fn webhook_subscriptions(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let bad = db
        .outbox()
        .create_webhook("hook", &[], "", "staff:1", 1)
        .await
        .unwrap_err();
    assert!(
        matches!(bad, motcua_db::DbError::Invalid(ref f) if f.len() == 2),
        "{bad:?}"
    );
    let (hook, secret) = db
        .outbox()
        .create_webhook(
            "https://lienthong.example.vn/motcua",
            &["status_changed".into(), "received".into()],
            "Liên thông",
            "staff:1",
            1,
        )
        .await
        .unwrap();
    assert_eq!(secret.len(), 40);
    assert_eq!(db.outbox().webhooks().await.unwrap(), vec![hook.clone()]);
    let id = dossier(&db, p.counter, Vec::new()).await;
    let rows: Vec<(String, String)> = db
        .outbox()
        .outbox_of(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.channel == motcua_db::WEBHOOK_CHANNEL)
        .map(|m| (m.event, m.recipient))
        .collect();
    let me = hook.id.to_string();
    assert_eq!(
        rows,
        [
            ("received".to_string(), me.clone()),
            ("status_changed".to_string(), me)
        ]
    );
    let target = db.outbox().webhook_target(hook.id).await.unwrap().unwrap();
    assert_eq!(target.secret, secret);
    assert!(
        db.outbox()
            .remove_webhook(hook.id, "staff:1", 2)
            .await
            .unwrap()
    );
    assert!(
        !db.outbox()
            .remove_webhook(hook.id, "staff:1", 3)
            .await
            .unwrap()
    );
    assert_eq!(db.outbox().webhook_target(hook.id).await.unwrap(), None);
    let later = dossier(&db, p.counter, Vec::new()).await;
    assert!(
        db.outbox()
            .outbox_of(later)
            .await
            .unwrap()
            .iter()
            .all(|m| m.channel != motcua_db::WEBHOOK_CHANNEL)
    );
}

on_both!(
    webhook_subscriptions,
    leases_and_fallback,
    workers_share_the_queue,
    templates_keep_edits
);
