//! Alerts before lateness, on SQLite and PostgreSQL, with the clock driven by the test:
//! raised at the right working instant to the holder and the unit's head, never twice,
//! never for a dossier waiting for the citizen, a late step told to the leader again; sent
//! through the outbox to those who chose a channel; and the leaders' morning list, made
//! once at the start of a working day with exactly the dossiers a hand count finds.

use crate::common::*;
use motcua_db::Db;
use motcua_domain::dossier::{Action, AlertKind, DigestGroup, NotifyChannel};

async fn raise(db: &Db, when: &str) -> u64 {
    db.alerts()
        .raise_alerts(at(when), &CALENDAR, CALENDAR.day_seconds())
        .await
        .unwrap()
}

async fn alerts_once_at_the_right_instant(engine: &str) {
    let Some((db, url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    // The specialist chose e-mail; Zalo cannot be chosen without a phone, a bad address is
    // named, and SMS is not an officer's channel.
    let refused = db
        .alerts()
        .set_alert_delivery(
            p.specialist,
            "",
            "cv@tuphap.example.vn",
            &[NotifyChannel::Zalo],
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("số điện thoại"), "{refused}");
    let refused = db
        .alerts()
        .set_alert_delivery(p.specialist, "", "cv@", &[NotifyChannel::Email])
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("cv@"), "{refused}");
    assert!(
        db.alerts()
            .alert_channels(p.specialist)
            .await
            .unwrap()
            .is_empty()
    );
    db.alerts()
        .set_alert_delivery(
            p.specialist,
            "",
            "cv@tuphap.example.vn",
            &[NotifyChannel::Email, NotifyChannel::Sms],
        )
        .await
        .unwrap();
    assert_eq!(
        db.alerts().alert_channels(p.specialist).await.unwrap(),
        vec![NotifyChannel::Email]
    );
    let d = receive(&db, &p, "2026-03-02T08:00:00").await;
    let d = act(
        &db,
        d,
        p.counter,
        Action::Forward { note: None },
        "2026-03-02T09:00:00",
    )
    .await;
    let step_due = d.state.step_due.unwrap();
    // Waiting for the citizen: owes nothing, whenever asked.
    let waiting = receive(&db, &p, "2026-03-02T08:00:00").await;
    act(
        &db,
        waiting,
        p.counter,
        Action::RequestSupplement {
            missing: vec!["Bản sao CCCD".into()],
            reason: "Thiếu giấy tờ".into(),
        },
        "2026-03-02T08:30:00",
    )
    .await;

    // More than a working day before the step's deadline: nothing.
    assert_eq!(raise(&db, "2026-03-02T10:00:00").await, 0);
    // Within a working day of it: the specialists holding the step and the unit's head.
    let near = step_due - chrono::Duration::hours(2);
    let near = near.to_rfc3339();
    assert_eq!(raise(&db, &near[..19]).await, 2);
    // Asked again (a restart, another node): nothing new.
    assert_eq!(raise(&db, &near[..19]).await, 0);
    let mine = db.alerts().alerts_of(p.specialist, 50).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].kind, AlertKind::StepDueSoon);
    assert_eq!(mine[0].code, d.code);
    assert!(!mine[0].read);
    assert_eq!(
        db.alerts()
            .alerts_of(p.unit_leader, 50)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        db.alerts()
            .alerts_of(p.counter, 50)
            .await
            .unwrap()
            .is_empty()
    );
    // One e-mail, to the officer who chose it, written with the alert.
    assert_eq!(
        number(&url, "SELECT COUNT(*) FROM outbox WHERE event = 'alert'").await,
        1
    );
    assert_eq!(
        number(
            &url,
            "SELECT COUNT(*) FROM outbox WHERE event = 'alert' AND channel = 'email'
             AND recipient = 'cv@tuphap.example.vn' AND dossier_id IS NULL"
        )
        .await,
        1
    );
    // Past the step's deadline: its leader is told again, once.
    let late = (step_due + chrono::Duration::hours(1)).to_rfc3339();
    assert_eq!(raise(&db, &late[..19]).await, 1);
    assert_eq!(raise(&db, &late[..19]).await, 0);
    // Each owed alert is kept once by its key: the step's "due soon" and "late".
    assert_eq!(number(&url, "SELECT COUNT(*) FROM alert_keys").await, 2);
    let leader = db.alerts().alerts_of(p.unit_leader, 50).await.unwrap();
    assert!(leader.iter().any(|a| a.kind == AlertKind::StepLate));
    // The agency proposes an apology: the receiving counter is told, once.
    let d = db.dossiers().dossier(d.id).await.unwrap().unwrap();
    act(
        &db,
        d,
        p.specialist,
        Action::ProposeApology {
            reason: "Chờ xác minh".into(),
            new_due: at("2026-03-13T16:00:00"),
        },
        "2026-03-05T08:00:00",
    )
    .await;
    assert!(raise(&db, "2026-03-05T08:05:00").await >= 1);
    assert_eq!(raise(&db, "2026-03-05T08:10:00").await, 0);
    let counter = db.alerts().alerts_of(p.counter, 50).await.unwrap();
    assert_eq!(counter.len(), 1);
    assert_eq!(counter[0].kind, AlertKind::ApologyProposed);
    // Read marks.
    assert_eq!(db.alerts().unread_alerts(p.unit_leader).await.unwrap(), 2);
    db.alerts()
        .read_alerts(p.unit_leader, at("2026-03-05T09:00:00"))
        .await
        .unwrap();
    assert_eq!(db.alerts().unread_alerts(p.unit_leader).await.unwrap(), 0);
    assert_eq!(db.alerts().unread_alerts(p.specialist).await.unwrap(), 1);
    // The specialist was told once by e-mail, also after the sweeps that found nothing.
    assert_eq!(
        number(&url, "SELECT COUNT(*) FROM outbox WHERE event = 'alert'").await,
        1
    );
}

/// The local date and time of an instant, as the test writes them.
fn local(t: motcua_domain::calendar::Instant) -> String {
    t.with_timezone(&motcua_domain::calendar::vietnam_offset())
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

async fn the_morning_list_is_what_a_hand_count_finds(engine: &str) {
    let Some((db, url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    db.alerts()
        .set_alert_delivery(
            p.director,
            "0912 345 678",
            "gd@tuphap.example.vn",
            &[NotifyChannel::Email],
        )
        .await
        .unwrap();
    // Four dossiers received on four mornings, seven working days each, and one waiting
    // for the citizen.
    let a = receive(&db, &p, "2026-03-02T08:00:00").await;
    let b = receive(&db, &p, "2026-03-03T08:00:00").await;
    let c = receive(&db, &p, "2026-03-04T08:00:00").await;
    let d = receive(&db, &p, "2026-03-05T08:00:00").await;
    let w = receive(&db, &p, "2026-03-03T08:00:00").await;
    let due = |r: &motcua_db::DossierRecord| local(r.state.due.unwrap());
    assert_eq!(due(&a), "2026-03-11T08:00:00");
    assert_eq!(due(&b), "2026-03-12T08:00:00");
    assert_eq!(due(&c), "2026-03-13T08:00:00");
    assert_eq!(due(&d), "2026-03-16T08:00:00");
    act(
        &db,
        w,
        p.counter,
        Action::RequestSupplement {
            missing: vec!["Bản sao CCCD".into()],
            reason: "Thiếu giấy tờ".into(),
        },
        "2026-03-03T09:00:00",
    )
    .await;
    // A is forwarded to the department, falls late, and its apology waits for approval.
    let a = act(
        &db,
        a,
        p.counter,
        Action::Forward { note: None },
        "2026-03-02T09:00:00",
    )
    .await;
    act(
        &db,
        a.clone(),
        p.specialist,
        Action::ProposeApology {
            reason: "Chờ xác minh".into(),
            new_due: at("2026-03-18T16:00:00"),
        },
        "2026-03-11T10:00:00",
    )
    .await;

    let send = |when: &'static str| {
        let db = db.clone();
        async move { db.alerts().send_digests(at(when), &CALENDAR).await.unwrap() }
    };
    // Before office hours on Thursday 12 March: nothing yet; at 07:00 both leaders of the
    // department get one list, once.
    assert_eq!(send("2026-03-12T06:59:00").await, 0);
    assert_eq!(send("2026-03-12T07:00:00").await, 2);
    assert_eq!(send("2026-03-12T07:01:00").await, 0);
    let codes = |list: &motcua_db::Digest, group: DigestGroup| -> Vec<String> {
        list.sections
            .iter()
            .find(|s| s.group == group)
            .map(|s| s.items.iter().map(|i| i.code.clone()).collect())
            .unwrap_or_default()
    };
    let thursday = db
        .alerts()
        .latest_digest(p.director)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(thursday.day.to_string(), "2026-03-12");
    assert_eq!(codes(&thursday, DigestGroup::Overdue), vec![a.code.clone()]);
    assert_eq!(
        codes(&thursday, DigestGroup::DueToday),
        vec![b.code.clone()]
    );
    assert_eq!(
        codes(&thursday, DigestGroup::DueNextDay),
        vec![c.code.clone()]
    );
    assert_eq!(
        codes(&thursday, DigestGroup::ApologyAwaiting),
        vec![a.code.clone()]
    );
    assert_eq!(thursday.count(), 4);
    assert_eq!(
        db.alerts()
            .latest_digest(p.unit_leader)
            .await
            .unwrap()
            .unwrap(),
        thursday
    );
    // Officers who lead nothing get none.
    assert!(
        db.alerts()
            .latest_digest(p.specialist)
            .await
            .unwrap()
            .is_none()
    );
    // The director chose e-mail: one message, with the list's lines.
    assert_eq!(
        number(&url, "SELECT COUNT(*) FROM outbox WHERE event = 'digest'").await,
        1
    );
    let payload = text(&url, "SELECT payload FROM outbox WHERE event = 'digest'").await;
    let fields = serde_json::from_str::<serde_json::Value>(&payload).unwrap();
    assert_eq!(fields["date"], "12/03/2026");
    assert_eq!(fields["groups"].as_array().unwrap().len(), 4);
    assert!(payload.contains(&b.code) && payload.contains(&c.code));
    assert!(!payload.contains(&d.code));
    // Friday 13: C is due today and D, on Monday, by the next working day.
    assert_eq!(send("2026-03-13T07:30:00").await, 2);
    let friday = db
        .alerts()
        .latest_digest(p.director)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(codes(&friday, DigestGroup::DueToday), vec![c.code.clone()]);
    assert_eq!(
        codes(&friday, DigestGroup::DueNextDay),
        vec![d.code.clone()]
    );
    assert_eq!(
        codes(&friday, DigestGroup::Overdue),
        vec![a.code.clone(), b.code.clone()]
    );
    // Saturday is a day off.
    assert_eq!(send("2026-03-14T08:00:00").await, 0);
    // A morning list counts in the bell until read.
    assert_eq!(db.alerts().unread_alerts(p.director).await.unwrap(), 2);
    db.alerts()
        .read_alerts(p.director, at("2026-03-13T08:00:00"))
        .await
        .unwrap();
    assert_eq!(db.alerts().unread_alerts(p.director).await.unwrap(), 0);
}

on_both!(
    alerts_once_at_the_right_instant,
    the_morning_list_is_what_a_hand_count_finds
);
