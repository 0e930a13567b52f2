//! One repository story, run on SQLite and on PostgreSQL: agencies, staff, catalogue
//! versions, intake with gapless codes, transitions with conflicts, audit chain, outbox.

use crate::common::*;
use chrono::DateTime;
use motcua_db::{ActorRef, Db, DbError, DossierFilter, TransitionRequest};
use motcua_domain::agency::Role;
use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{Action, Actor, ReturnMethod, Status, TransitionError};
use std::collections::HashSet;

fn at(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn counter_actor(id: i64) -> Actor {
    Actor::Staff {
        id,
        roles: vec![Role::CounterOfficer],
    }
}

async fn step(
    db: &Db,
    id: i64,
    version: i64,
    who: i64,
    action: Action,
    when: &str,
) -> Result<motcua_db::DossierRecord, DbError> {
    db.dossiers()
        .transition(
            &TransitionRequest {
                dossier_id: id,
                expected_version: version,
                action,
            },
            ActorRef::Staff(who),
            &CALENDAR,
            at(when),
        )
        .await
}

async fn lifecycle(engine: &str) {
    let Some((db, url)) = fresh(engine).await else {
        return;
    };
    // Migrations are idempotent.
    assert!(db.migrate().await.unwrap().is_empty());
    let p = province(&db).await;

    let d = db
        .dossiers()
        .intake(
            intake("Trần Văn Bình"),
            CENTRE,
            &counter_actor(p.counter),
            &CALENDAR,
            at("2026-03-02T08:00:00+07:00"),
        )
        .await
        .unwrap();
    assert_eq!(d.code, "000.01.01.H56-260302-0001");
    assert_eq!(d.status, Status::Accepted);
    assert_eq!(d.lookup_secret.len(), 8);
    // Seven committed working days.
    assert_eq!(d.due_at, Some(at("2026-03-11T08:00:00+07:00")));
    assert_eq!(d.version, 1);
    // What a write returns is what reads back.
    assert_eq!(db.dossiers().dossier(d.id).await.unwrap().unwrap(), d);
    assert_eq!(
        db.outbox().outbox_of(d.id).await.unwrap().len(),
        2,
        "SMS and e-mail for 'received'"
    );

    // The public lookup, asked twice (the second time from the kept view on SQLite).
    for _ in 0..2 {
        let public = db
            .dossiers()
            .public_lookup(&d.code, &d.lookup_secret)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((public.status, public.step), (Status::Accepted, 0));
    }

    // The specialist cannot act on the counter's step.
    let err = step(
        &db,
        d.id,
        1,
        p.specialist,
        Action::Forward { note: None },
        "2026-03-02T09:00:00+07:00",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, DbError::Transition(TransitionError::Forbidden { .. })),
        "{err}"
    );

    let d = step(
        &db,
        d.id,
        1,
        p.counter,
        Action::Forward { note: None },
        "2026-03-02T09:00:00+07:00",
    )
    .await
    .unwrap();
    assert_eq!((d.status, d.version), (Status::Processing, 2));
    assert_eq!(db.dossiers().dossier(d.id).await.unwrap().unwrap(), d);
    // The lookup shows the change at once: the transition dropped the kept view.
    let public = db
        .dossiers()
        .public_lookup(&d.code, &d.lookup_secret.to_lowercase())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((public.status, public.step), (Status::Processing, 1));
    assert!(
        db.dossiers()
            .public_lookup(&d.code, "WRONGONE")
            .await
            .unwrap()
            .is_none()
    );
    // A stale write is a conflict.
    let err = step(
        &db,
        d.id,
        1,
        p.specialist,
        Action::Forward { note: None },
        "2026-03-02T10:00:00+07:00",
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DbError::Conflict { current: 2 }), "{err}");
    // A specialist of another department has no role over this dossier.
    let err = step(
        &db,
        d.id,
        2,
        p.finance_specialist,
        Action::Appraise { note: "x".into() },
        "2026-03-02T10:00:00+07:00",
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, DbError::Transition(TransitionError::Forbidden { .. })),
        "{err}"
    );

    let d = step(
        &db,
        d.id,
        2,
        p.specialist,
        Action::Appraise {
            note: "Đủ điều kiện".into(),
        },
        "2026-03-03T09:00:00+07:00",
    )
    .await
    .unwrap();
    let d = step(
        &db,
        d.id,
        d.version,
        p.specialist,
        Action::Forward { note: None },
        "2026-03-03T10:00:00+07:00",
    )
    .await
    .unwrap();
    let d = step(
        &db,
        d.id,
        d.version,
        p.unit_leader,
        Action::Forward { note: None },
        "2026-03-04T10:00:00+07:00",
    )
    .await
    .unwrap();
    let d = step(
        &db,
        d.id,
        d.version,
        p.director,
        Action::Approve { note: None },
        "2026-03-05T10:00:00+07:00",
    )
    .await
    .unwrap();
    assert_eq!(d.status, Status::ResultReady);
    let d = step(
        &db,
        d.id,
        d.version,
        p.counter,
        Action::Return {
            method: ReturnMethod::InPerson,
            tracking: None,
        },
        "2026-03-05T15:00:00+07:00",
    )
    .await
    .unwrap();
    assert_eq!(d.status, Status::Returned);

    let history = db.dossiers().history(d.id).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "receive", "forward", "appraise", "forward", "forward", "approve", "return"
        ]
    );
    assert_eq!(history[1].actor_name.as_deref(), Some("Cán bộ motcua.tn"));
    let events: Vec<String> = db
        .outbox()
        .outbox_of(d.id)
        .await
        .unwrap()
        .into_iter()
        .map(|m| format!("{}:{}", m.event, m.channel))
        .collect();
    assert!(
        events.contains(&"result_ready_early:sms".to_string()),
        "{events:?}"
    );
    assert!(events.contains(&"rating_invitation:email".to_string()));

    // The public lookup needs the secret.
    assert!(
        db.dossiers()
            .lookup(&d.code, "WRONGONE")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.dossiers()
            .lookup(&d.code, &d.lookup_secret.to_lowercase())
            .await
            .unwrap()
            .unwrap()
            .id,
        d.id
    );
    assert!(
        db.dossiers()
            .public_lookup(&d.code, "WRONGONE")
            .await
            .unwrap()
            .is_none()
    );
    let public = db
        .dossiers()
        .public_lookup(&d.code, &d.lookup_secret)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (public.status, public.step, public.due_at),
        (Status::Returned, 4, d.due_at)
    );

    // The audit chain holds, and an edit breaks it where it was made.
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{report:?}");
    assert!(report.entries > 10);
    tamper(&url, "UPDATE audit_log SET detail = '{}' WHERE seq = 5").await;
    let report = db.audit().audit_verify().await.unwrap();
    assert_eq!(report.first_broken.map(|b| b.0), Some(5));
    db.close().await;
}

async fn versions_are_pinned(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let first = db
        .dossiers()
        .intake(
            intake("Phạm Thị Lan"),
            CENTRE,
            &counter_actor(p.counter),
            &CALENDAR,
            at("2026-03-02T08:00:00+07:00"),
        )
        .await
        .unwrap();
    // Publishing the same body again changes nothing; an edit makes version 2.
    let same = db
        .catalogue()
        .publish_procedures(
            &[procedure("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam")],
            "test",
            None,
        )
        .await
        .unwrap();
    assert!(!same[0].changed);
    let edited = db
        .catalogue()
        .publish_procedures(
            &[procedure("Cấp Phiếu lý lịch tư pháp (sửa đổi)")],
            "test",
            None,
        )
        .await
        .unwrap();
    assert_eq!((edited[0].version, edited[0].changed), (2, true));
    let second = db
        .dossiers()
        .intake(
            intake("Đỗ Minh Quân"),
            CENTRE,
            &counter_actor(p.counter),
            &CALENDAR,
            at("2026-03-02T09:00:00+07:00"),
        )
        .await
        .unwrap();
    assert_ne!(first.procedure_version_id, second.procedure_version_id);
    assert_eq!(
        db.catalogue()
            .procedure_version(first.procedure_version_id)
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    assert_eq!(
        db.catalogue()
            .procedure_versions("2.000488")
            .await
            .unwrap()
            .len(),
        2
    );
    // Diacritics are optional in search.
    let found = db
        .catalogue()
        .procedures(Some("ly lich tu phap"), None, None)
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    // Bad input changes nothing.
    let mut bad = intake("");
    bad.applicant.id_number = Some("1".into());
    let err = db
        .dossiers()
        .intake(
            bad,
            CENTRE,
            &counter_actor(p.counter),
            &CALENDAR,
            at("2026-03-02T10:00:00+07:00"),
        )
        .await
        .unwrap_err();
    let DbError::Invalid(fields) = err else {
        panic!("expected invalid")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["applicant.name", "applicant.id_number"]);
    assert_eq!(db.dossiers().count_dossiers(None).await.unwrap(), 2);
    db.close().await;
}

async fn concurrent_codes_and_transitions(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let db = db.clone();
        let actor = counter_actor(p.counter);
        tasks.push(tokio::spawn(async move {
            // One in four comes with the national portal's code, whose check reads back what
            // it writes (PostgreSQL then inserts the row first and sets its code last).
            let extras = motcua_db::IntakeExtras {
                portal_code: (i % 4 == 0).then(|| format!("G22.99.{i}-260303-0001")),
                ..Default::default()
            };
            db.dossiers()
                .intake_with(
                    intake(&format!("Người nộp {i}")),
                    CENTRE,
                    &actor,
                    &CALENDAR,
                    at("2026-03-03T08:00:00+07:00"),
                    extras,
                )
                .await
                .map(|d| d.code)
        }));
    }
    let mut codes = HashSet::new();
    for t in tasks {
        codes.insert(t.await.unwrap().unwrap());
    }
    let expected: HashSet<String> = (1..=40)
        .map(|n| format!("000.01.01.H56-260303-{n:04}"))
        .collect();
    assert_eq!(codes, expected, "gapless and unique");
    // Everything written with the intake names its code as taken (PostgreSQL writes the
    // code once the number is known, in the intake's last statement): the row, the search
    // terms (whole code and from its date on), the audit entry and the messages.
    for code in &codes {
        let d = db.dossiers().dossier_by_code(code).await.unwrap().unwrap();
        for typed in [code.as_str(), &code[code.find('-').unwrap() + 1..]] {
            let found = db
                .dossiers()
                .search_dossiers(typed, 5)
                .await
                .unwrap()
                .unwrap();
            assert!(found.iter().any(|f| f.id == d.id), "{typed} finds {code}");
        }
        let audit = db.audit().audit_of("dossier", code).await.unwrap();
        assert_eq!(audit.len(), 1, "{code}");
        let messages = db.outbox().outbox_of(d.id).await.unwrap();
        assert_eq!(messages.len(), 2, "{code}: SMS and e-mail");
        for m in &messages {
            let payload: serde_json::Value = serde_json::from_str(&m.payload).unwrap();
            assert_eq!(payload["code"], code.as_str());
            assert!(!m.payload.contains('~'), "{}", m.payload);
        }
    }

    // Ten officers forward the same dossier at once from the same version: one wins.
    let target = db
        .dossiers()
        .dossier_by_code("000.01.01.H56-260303-0007")
        .await
        .unwrap()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let db = db.clone();
        let (id, version, who) = (target.id, target.version, p.counter);
        tasks.push(tokio::spawn(async move {
            step(
                &db,
                id,
                version,
                who,
                Action::Forward { note: None },
                "2026-03-03T09:00:00+07:00",
            )
            .await
        }));
    }
    let mut won = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => won += 1,
            Err(DbError::Conflict { current }) => assert_eq!(current, 2),
            Err(other) => panic!("unexpected {other}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(db.dossiers().history(target.id).await.unwrap().len(), 2);

    // Paging in appointment order walks every dossier once.
    let mut seen = 0;
    let mut after = None;
    loop {
        let page = db
            .dossiers()
            .list_dossiers(&DossierFilter {
                after: after.clone(),
                limit: Some(7),
                ..DossierFilter::default()
            })
            .await
            .unwrap();
        seen += page.items.len();
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, 40);
    db.close().await;
}

async fn bulk_load_then_intake(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let stored = db.catalogue().procedure("2.000488").await.unwrap().unwrap();
    let centre = db.agencies().agency_by_code(CENTRE).await.unwrap().unwrap();
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    let when = at("2026-03-04T09:00:00+07:00");
    let mut batch = Vec::new();
    for n in 1..=3 {
        let checked = motcua_domain::dossier::check_intake(
            intake(&format!("Người số {n}")),
            &stored.procedure,
        )
        .unwrap();
        let state = motcua_domain::dossier::initial_state(
            &checked,
            &stored.procedure,
            when,
            &CALENDAR,
            |a| {
                Ok(match a {
                    motcua_domain::catalogue::StepAgency::Receiving => centre.id,
                    _ => justice.id,
                })
            },
        )
        .unwrap();
        batch.push(motcua_db::BulkDossier {
            code: format!("000.01.01.H56-260304-{n:04}"),
            lookup_secret: format!("BULK000{n}"),
            procedure_version_id: stored.version_id,
            receiving_agency_id: centre.id,
            checked,
            history: vec![motcua_db::BulkHistory {
                action: "receive",
                actor_staff_id: Some(p.counter),
                from_status: None,
                to_status: state.status,
                from_step: 0,
                to_step: 0,
                agency_id: centre.id,
                at: when,
            }],
            state,
        });
    }
    db.bulk().bulk_insert(&batch).await.unwrap();
    db.bulk()
        .bulk_counters(&[(centre.id, 20260304, 3)])
        .await
        .unwrap();
    // Later intakes continue the codes and the ids.
    let next = db
        .dossiers()
        .intake(
            intake("Người sau"),
            CENTRE,
            &counter_actor(p.counter),
            &CALENDAR,
            at("2026-03-04T10:00:00+07:00"),
        )
        .await
        .unwrap();
    assert_eq!(next.code, "000.01.01.H56-260304-0004");
    assert_eq!(next.id, 4);
    assert_eq!(db.dossiers().history(1).await.unwrap().len(), 1);
    assert_eq!(
        db.dossiers()
            .lookup("000.01.01.H56-260304-0002", "BULK0002")
            .await
            .unwrap()
            .unwrap()
            .id,
        2
    );
    db.close().await;
}

async fn sign_in_lockout_and_sessions(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    assert!(
        db.people()
            .set_password(p.counter, "ngắn", "test", None)
            .await
            .is_err()
    );
    db.people()
        .set_password(p.counter, "mật-khẩu-2026", "test", None)
        .await
        .unwrap();
    let now = 1_780_000_000;
    let motcua_db::Login::Ok(staff) = db
        .people()
        .login("Motcua.TN", "mật-khẩu-2026", now)
        .await
        .unwrap()
    else {
        panic!("right password refused")
    };
    assert_eq!(staff.id, p.counter);
    assert_eq!(
        db.people().login("motcua.tn", "sai", now).await.unwrap(),
        motcua_db::Login::Wrong
    );
    assert_eq!(
        db.people().login("khong.co", "sai", now).await.unwrap(),
        motcua_db::Login::Wrong
    );
    for _ in 0..4 {
        db.people().login("motcua.tn", "sai", now).await.unwrap();
    }
    // Five failures lock the account, even for the right password, until the window passes.
    assert_eq!(
        db.people()
            .login("motcua.tn", "mật-khẩu-2026", now + 60)
            .await
            .unwrap(),
        motcua_db::Login::Locked
    );
    assert!(matches!(
        db.people()
            .login("motcua.tn", "mật-khẩu-2026", now + 16 * 60)
            .await
            .unwrap(),
        motcua_db::Login::Ok(_)
    ));

    let token = db.people().create_session(p.counter, now).await.unwrap();
    let session = db
        .people()
        .session(&token, now + 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.staff.id, p.counter);
    assert_eq!(session.csrf.len(), 24);
    assert!(
        db.people()
            .session("not-a-token", now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.people()
            .session(&token, now + motcua_db::SESSION_SECONDS + 1)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    db.people().end_session(&token, now + 120).await.unwrap();
    assert!(
        db.people()
            .session(&token, now + 180)
            .await
            .unwrap()
            .is_none(),
        "signed out"
    );
    db.close().await;
}

async fn citizens_files_ratings_and_board(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let now = at("2026-03-02T08:00:00+07:00").timestamp();
    let new = |phone: &str, email: &str| motcua_db::NewCitizen {
        full_name: "Lê Thị Hoa".into(),
        phone: Some(phone.into()),
        email: Some(email.into()),
        id_number: None,
        password: "mật-khẩu-dân".into(),
    };
    let hoa = db
        .people()
        .register_citizen(new("0912 345 678", "Hoa@Example.vn"), now)
        .await
        .unwrap();
    assert_eq!(hoa.phone.as_deref(), Some("0912345678"));
    let err = db
        .people()
        .register_citizen(new("0912345678", "khac@example.vn"), now)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("đã được dùng"), "{err}");
    for identifier in ["0912.345.678", "hoa@example.vn"] {
        let motcua_db::Login::Ok(c) = db
            .people()
            .citizen_login(identifier, "mật-khẩu-dân", now)
            .await
            .unwrap()
        else {
            panic!("{identifier} refused")
        };
        assert_eq!(c.id, hoa.id);
    }
    assert_eq!(
        db.people()
            .citizen_login("0912345678", "sai", now)
            .await
            .unwrap(),
        motcua_db::Login::Wrong
    );
    let token = db
        .people()
        .create_citizen_session(hoa.id, now)
        .await
        .unwrap();
    assert_eq!(
        db.people()
            .citizen_session(&token, now + 5)
            .await
            .unwrap()
            .unwrap()
            .citizen,
        hoa
    );
    // A citizen's token is not a staff token.
    assert!(
        db.people()
            .session(&token, now + 5)
            .await
            .unwrap()
            .is_none()
    );

    // Online filing with a file, owned by the account.
    let dir = std::env::temp_dir().join(format!(
        "motcua-story-files-{}",
        motcua_db::random_token(6).unwrap()
    ));
    let store = motcua_db::FileStore::open(&dir).unwrap();
    let file = store
        .store(
            motcua_db::Upload {
                name: "to-khai.pdf".into(),
                bytes: b"%PDF-1.7 to khai".to_vec(),
                component: Some(0),
                purpose: motcua_db::Purpose::Intake,
            },
            "files",
        )
        .await
        .unwrap();
    let mut online = intake("Lê Thị Hoa");
    online.channel = motcua_domain::catalogue::Channel::Online;
    let d = db
        .dossiers()
        .intake_with(
            online,
            CENTRE,
            &Actor::Citizen { owner: true },
            &CALENDAR,
            at("2026-03-02T08:00:00+07:00"),
            motcua_db::IntakeExtras {
                citizen_id: Some(hoa.id),
                files: vec![file.clone()],
                portal_code: None,
                verified_identity: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(d.status, Status::Submitted);
    let marks = db.dossiers().portal_marks(d.id).await.unwrap();
    assert!(marks.verified_identity && marks.portal_code.is_none());
    assert_eq!(d.citizen_id, Some(hoa.id));
    assert_eq!(db.dossiers().dossier(d.id).await.unwrap().unwrap(), d);
    let mine = db.dossiers().citizen_dossiers(hoa.id, 10).await.unwrap();
    assert_eq!(mine.iter().map(|x| x.id).collect::<Vec<_>>(), [d.id]);
    let files = db.files().attachments(d.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sha256, file.sha256);
    assert_eq!(files[0].uploaded_by, format!("citizen:{}", hoa.id));
    assert!(
        db.files()
            .attachment(d.id + 1, files[0].id)
            .await
            .unwrap()
            .is_none()
    );

    // Accepted, then a supplement is asked for and sent online with a file.
    let d = step(
        &db,
        d.id,
        1,
        p.counter,
        Action::Accept,
        "2026-03-02T09:00:00+07:00",
    )
    .await
    .unwrap();
    let d = step(
        &db,
        d.id,
        d.version,
        p.counter,
        Action::RequestSupplement {
            missing: vec!["Bản sao CCCD".into()],
            reason: "Thiếu giấy tờ".into(),
        },
        "2026-03-02T10:00:00+07:00",
    )
    .await
    .unwrap();
    // The message says what is missing, why, and where to bring it (ND 61 art. 17(2)).
    let asked = db
        .outbox()
        .outbox_of(d.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.event == "supplement_requested")
        .unwrap();
    let payload: serde_json::Value = serde_json::from_str(&asked.payload).unwrap();
    assert_eq!(payload["missing"], serde_json::json!(["Bản sao CCCD"]));
    assert_eq!(payload["reason"], "Thiếu giấy tờ");
    assert_eq!(payload["counter"], "Trung tâm Phục vụ hành chính công tỉnh");
    assert_eq!(payload["agency"], "Sở Tư pháp");
    assert_eq!(payload["salutation"], "ông/bà");
    let extra = store
        .store(
            motcua_db::Upload {
                name: "cccd.png".into(),
                bytes: b"\x89PNG\r\n\x1a\n cccd".to_vec(),
                component: None,
                purpose: motcua_db::Purpose::Supplement,
            },
            "files",
        )
        .await
        .unwrap();
    let d = db
        .dossiers()
        .transition_with(
            &TransitionRequest {
                dossier_id: d.id,
                expected_version: d.version,
                action: Action::SubmitSupplement { note: None },
            },
            ActorRef::Citizen { owner: true },
            &CALENDAR,
            at("2026-03-03T10:00:00+07:00"),
            &[extra],
        )
        .await
        .unwrap();
    assert_eq!(db.files().attachments(d.id).await.unwrap().len(), 2);
    assert_eq!(
        db.dossiers()
            .history(d.id)
            .await
            .unwrap()
            .last()
            .unwrap()
            .action,
        "submit_supplement"
    );

    // Rated once, only when it has ended.
    let rating = motcua_domain::rating::check_rating(
        &[
            ("time", "2"),
            ("agencies", "2"),
            ("contacts", "1"),
            ("information", "2"),
            ("attitude", "2"),
            ("lawfulness", "2"),
            ("complaints", "2"),
            ("online", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        "satisfied",
        Some("Nhanh gọn"),
        true,
    )
    .unwrap();
    let when = at("2026-03-04T10:00:00+07:00");
    assert!(
        db.ratings()
            .rate(&d, &rating, "account", when)
            .await
            .is_err()
    );
    let d = db
        .dossiers()
        .transition(
            &TransitionRequest {
                dossier_id: d.id,
                expected_version: d.version,
                action: Action::Withdraw {
                    reason: Some("Nộp lại sau".into()),
                },
            },
            ActorRef::Citizen { owner: true },
            &CALENDAR,
            when,
        )
        .await
        .unwrap();
    db.ratings()
        .rate(&d, &rating, "account", when)
        .await
        .unwrap();
    let err = db
        .ratings()
        .rate(&d, &rating, "code", when)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("đã được đánh giá"), "{err}");
    let stored = db.ratings().rating(d.id).await.unwrap().unwrap();
    assert_eq!(stored.rating, rating);
    assert_eq!(stored.via, "account");

    // The board lists a counter dossier left past its appointment, without personal data.
    let late = db
        .dossiers()
        .intake(
            intake("Phạm Văn Muộn"),
            CENTRE,
            &counter_actor(p.counter),
            &CALENDAR,
            at("2026-03-02T08:00:00+07:00"),
        )
        .await
        .unwrap();
    let board = db
        .dossiers()
        .public_board(at("2026-04-01T08:00:00+07:00"), 50)
        .await
        .unwrap();
    assert_eq!(board.overdue_total, 1);
    assert_eq!(board.overdue[0].code, late.code);
    assert!(board.apologies.is_empty());
    let json = serde_json::to_string(&board).unwrap();
    assert!(!json.contains("Muộn"), "{json}");
    let _ = std::fs::remove_dir_all(dir);
    db.close().await;
}

async fn queue_tickets(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let centre = db
        .agencies()
        .agency_by_code(CENTRE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let t0 = at("2026-03-02T08:00:00+07:00");
    let mut numbers = Vec::new();
    for (i, field) in ["tu-phap", "tu-phap", "dat-dai", "tu-phap"]
        .into_iter()
        .enumerate()
    {
        let when = t0 + chrono::Duration::minutes(i as i64);
        let t = db
            .tickets()
            .take_ticket(centre, field, field, when)
            .await
            .unwrap();
        numbers.push(t.number);
    }
    assert_eq!(numbers, [1, 2, 3, 4], "one sequence per centre and day");
    // Two officers call at once: never the same ticket.
    let second = db
        .people()
        .create_staff(
            &motcua_db::NewStaff {
                username: "motcua.tn2".into(),
                full_name: "Cán bộ hai".into(),
                ..motcua_db::NewStaff::default()
            },
            "test",
        )
        .await
        .unwrap()
        .id;
    let call = t0 + chrono::Duration::minutes(10);
    let fields = vec!["tu-phap".to_string()];
    let (a, b) = tokio::join!(
        db.tickets()
            .call_next(centre, &fields, "Quầy 1", p.counter, call),
        db.tickets()
            .call_next(centre, &fields, "Quầy 2", second, call)
    );
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_ne!(a.id, b.id);
    assert_eq!(
        db.tickets()
            .waiting_count(centre, &fields, call)
            .await
            .unwrap(),
        1
    );
    // The next call closes the one being served; the last waiting one goes, then nobody.
    let done = call + chrono::Duration::minutes(5);
    let c = db
        .tickets()
        .call_next(centre, &fields, "Quầy 1", p.counter, done)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.number, 4);
    assert_eq!(
        db.tickets().ticket(a.id).await.unwrap().unwrap().status,
        "served"
    );
    assert!(
        db.tickets()
            .call_next(centre, &fields, "Quầy 2", second, done)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.tickets().ticket(b.id).await.unwrap().unwrap().status,
        "served"
    );
    let absent = db
        .tickets()
        .finish_ticket(centre, p.counter, "absent", done)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(absent.status, "absent");
    let stats = db
        .tickets()
        .ticket_stats(centre, 20260302, 20260302)
        .await
        .unwrap();
    let tp = stats.iter().find(|s| s.field_code == "tu-phap").unwrap();
    assert_eq!((tp.issued, tp.served, tp.absent, tp.waiting), (3, 2, 1, 0));
    // Tickets 1 and 2 waited 10 and 9 minutes; ticket 4 waited 12.
    assert_eq!(tp.average_wait_minutes, Some(10.3));
    assert_eq!(tp.average_service_minutes, Some(5.0));
    let dd = stats.iter().find(|s| s.field_code == "dat-dai").unwrap();
    assert_eq!((dd.issued, dd.waiting), (1, 1));
    db.close().await;
}

/// The log book's entries: a dossier's place among those its counter received in its year,
/// in order of receipt, the last year's not counted.
async fn log_book_entries(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let last_year = receive(&db, &p, "2025-12-31T16:00:00").await;
    let first = receive(&db, &p, "2026-01-05T08:00:00").await;
    let second = receive(&db, &p, "2026-01-05T08:00:00").await;
    let third = receive(&db, &p, "2026-02-01T09:30:00").await;
    let year = motcua_db::day_start(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    let entry = |d: &motcua_db::DossierRecord| {
        db.dossiers()
            .book_entry(d.receiving_agency_id, year, d.received_at.timestamp(), d.id)
    };
    assert_eq!(entry(&first).await.unwrap(), 1);
    assert_eq!(entry(&second).await.unwrap(), 2);
    assert_eq!(entry(&third).await.unwrap(), 3);
    let previous = motcua_db::day_start(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    assert_eq!(
        db.dossiers()
            .book_entry(
                last_year.receiving_agency_id,
                previous,
                last_year.received_at.timestamp(),
                last_year.id
            )
            .await
            .unwrap(),
        1
    );
    db.close().await;
}

on_both!(
    log_book_entries,
    lifecycle,
    versions_are_pinned,
    concurrent_codes_and_transitions,
    bulk_load_then_intake,
    sign_in_lockout_and_sessions,
    citizens_files_ratings_and_board,
    queue_tickets
);

/// Closing a SQLite database moves its log into the file: the file copied alone, as an
/// operator copies it after stopping the server, holds every acknowledged write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_sqlite_file_is_whole_on_its_own() {
    let (db, url) = fresh("sqlite").await.unwrap();
    let p = province(&db).await;
    let record = receive(&db, &p, "2026-03-02T08:00:00").await;
    // A point read keeps a direct reader open; the close must not leave it behind.
    assert!(
        db.dossiers()
            .dossier_by_code(&record.code)
            .await
            .unwrap()
            .is_some(),
        "{}",
        record.code
    );
    db.close().await;
    let file = Db::sqlite_file(&url).unwrap();
    let wal = format!("{}-wal", file.display());
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the log is left with commits in it"
    );
    let copy = file.with_file_name("ban-sao.db");
    std::fs::copy(&file, &copy).unwrap();
    let alone = Db::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert!(
        alone
            .dossiers()
            .dossier_by_code(&record.code)
            .await
            .unwrap()
            .is_some()
    );
    let report = alone.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{report:?}");
    assert!(report.entries > 0);
    alone.close().await;
}
