//! Alerts before lateness, on SQLite and PostgreSQL, with the clock driven by the test:
//! raised at the right working instant to the holder and the unit's head, never twice,
//! never for a dossier waiting for the citizen, a late step told to the leader again.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use common::*;
use motcua_db::Db;
use motcua_domain::dossier::{Action, AlertKind};

async fn raise(db: &Db, when: &str) -> u64 {
    db.raise_alerts(at(when), &CALENDAR, CALENDAR.day_seconds())
        .await
        .unwrap()
}

async fn alerts_once_at_the_right_instant(engine: &str) {
    let Some((db, _url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
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
    let mine = db.alerts_of(p.specialist, 50).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].kind, AlertKind::StepDueSoon);
    assert_eq!(mine[0].code, d.code);
    assert!(!mine[0].read);
    assert_eq!(db.alerts_of(p.unit_leader, 50).await.unwrap().len(), 1);
    assert!(db.alerts_of(p.counter, 50).await.unwrap().is_empty());
    // Past the step's deadline: its leader is told again, once.
    let late = (step_due + chrono::Duration::hours(1)).to_rfc3339();
    assert_eq!(raise(&db, &late[..19]).await, 1);
    assert_eq!(raise(&db, &late[..19]).await, 0);
    let leader = db.alerts_of(p.unit_leader, 50).await.unwrap();
    assert!(leader.iter().any(|a| a.kind == AlertKind::StepLate));
    // The agency proposes an apology: the receiving counter is told, once.
    let d = db.dossier(d.id).await.unwrap().unwrap();
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
    let counter = db.alerts_of(p.counter, 50).await.unwrap();
    assert_eq!(counter.len(), 1);
    assert_eq!(counter[0].kind, AlertKind::ApologyProposed);
    // Read marks.
    assert_eq!(db.unread_alerts(p.unit_leader).await.unwrap(), 2);
    db.read_alerts(p.unit_leader, at("2026-03-05T09:00:00"))
        .await
        .unwrap();
    assert_eq!(db.unread_alerts(p.unit_leader).await.unwrap(), 0);
    assert_eq!(db.unread_alerts(p.specialist).await.unwrap(), 1);
}

on_both!(alerts_once_at_the_right_instant);
