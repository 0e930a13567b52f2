//! The support desk on either engine: a question numbered in its series and due by the
//! working calendar; its steps by the machine, each with its history line, audit entry and
//! the submitter's message; a stale version is a conflict and a role that may not is refused;
//! a private question is never published, a public one only once approved; the search folds
//! marks; a call that becomes a feedback receives it in the same write; the report counts
//! on time, late and overdue and scores indicator 8.

use motcua_db::{CaseFilter, DbError, NewCase};
use motcua_domain::agency::Role;
use motcua_domain::support::{
    Action, CallChannel, CallOutcome, Channel, Kind, NewCall, State, Submitter, SupportPolicy,
    Visibility,
};

use crate::common::*;

fn question(agency: i64, visibility: Visibility, title: &str) -> NewCase {
    NewCase {
        kind: Kind::Question,
        channel: Channel::Online,
        visibility,
        agency_id: agency,
        procedure_code: Some("2.000488".into()),
        title: title.into(),
        content: "Xin hỏi cần những giấy tờ gì và lệ phí bao nhiêu?".into(),
        submitter: Submitter {
            name: "Trần Văn Bình".into(),
            phone: "0912345678".into(),
            email: "binh@example.vn".into(),
            address: String::new(),
        },
        citizen_id: None,
    }
}

const SPECIALIST: &[Role] = &[Role::Specialist];
const LEADER: &[Role] = &[Role::UnitLeader];

async fn questions_are_answered_and_published(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap()
        .id;
    // Thursday 3/12/2026 09:00: five working days → Thursday 10/12 09:00.
    let public = db
        .support()
        .open(
            &question(
                justice,
                Visibility::Public,
                "Hỏi về lệ phí cấp phiếu lý lịch tư pháp",
            ),
            &CALENDAR,
            at("2026-12-03T09:00:00"),
            "public",
        )
        .await
        .unwrap();
    assert_eq!(public.code, "HD-2026-000001");
    assert_eq!(public.state, State::Received);
    assert_eq!(public.due_at, at("2026-12-10T09:00:00"));
    assert_eq!(public.classify_due_at, at("2026-12-10T09:00:00"));
    let private = db
        .support()
        .open(
            &question(justice, Visibility::Private, "Hỏi riêng về hồ sơ của tôi"),
            &CALENDAR,
            at("2026-12-03T10:00:00"),
            "public",
        )
        .await
        .unwrap();
    assert_eq!(private.code, "HD-2026-000002");
    // The acknowledgement goes to the submitter's e-mail.
    let mut sent = db.support().messages(&public.code).await.unwrap();
    sent.extend(db.support().messages(&private.code).await.unwrap());
    let sent: Vec<(String, String, String)> = sent
        .into_iter()
        .map(|m| (m.event, m.channel, m.recipient))
        .collect();
    assert_eq!(
        sent.iter()
            .filter(|(e, c, r)| e == "support_received" && c == "email" && r == "binh@example.vn")
            .count(),
        2,
        "{sent:?}"
    );

    // Accept, answer (waits for review), approve: published.
    let accept = Action::Accept {
        category: "procedure".into(),
        assignee: Some(p.specialist),
    };
    let step = |c: &motcua_db::StoredCase| c.version;
    let c = db
        .support()
        .act(
            public.id,
            step(&public),
            &accept,
            p.specialist,
            SPECIALIST,
            at("2026-12-03T10:00:00"),
        )
        .await
        .unwrap();
    assert_eq!(
        (c.state, c.assignee_id),
        (State::Handling, Some(p.specialist))
    );
    // The version the page showed is stale now: a conflict.
    let again = db
        .support()
        .act(
            public.id,
            public.version,
            &accept,
            p.specialist,
            SPECIALIST,
            at("2026-12-03T10:01:00"),
        )
        .await;
    assert!(matches!(again, Err(DbError::Conflict { .. })), "{again:?}");
    let answer = Action::Answer {
        text: "Lệ phí cấp phiếu lý lịch tư pháp là 200.000 đồng.".into(),
    };
    let c = db
        .support()
        .act(
            c.id,
            c.version,
            &answer,
            p.specialist,
            SPECIALIST,
            at("2026-12-04T09:00:00"),
        )
        .await
        .unwrap();
    assert_eq!(c.state, State::Review);
    assert!(
        db.support()
            .published(None, "", 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing is public before a leader approves"
    );
    // A specialist may not approve.
    let refused = db
        .support()
        .act(
            c.id,
            c.version,
            &Action::Approve { publish: true },
            p.specialist,
            SPECIALIST,
            at("2026-12-04T10:00:00"),
        )
        .await;
    assert!(matches!(refused, Err(DbError::Forbidden(_))), "{refused:?}");
    let c = db
        .support()
        .act(
            c.id,
            c.version,
            &Action::Approve { publish: false },
            p.unit_leader,
            LEADER,
            at("2026-12-04T10:00:00"),
        )
        .await
        .unwrap();
    assert_eq!(c.state, State::Published);
    assert_eq!(c.ended_at, Some(at("2026-12-04T10:00:00")));

    // The private question, answered and approved, is never published.
    let mut c = private;
    for (action, who, roles) in [
        (accept.clone(), p.specialist, SPECIALIST),
        (
            Action::Answer {
                text: "Hồ sơ của ông đang được thẩm định.".into(),
            },
            p.specialist,
            SPECIALIST,
        ),
        (Action::Approve { publish: true }, p.unit_leader, LEADER),
    ] {
        c = db
            .support()
            .act(
                c.id,
                c.version,
                &action,
                who,
                roles,
                at("2026-12-04T11:00:00"),
            )
            .await
            .unwrap();
    }
    assert_eq!(c.state, State::Answered);
    assert!(matches!(
        db.support()
            .act(
                c.id,
                c.version,
                &Action::Publish,
                p.unit_leader,
                LEADER,
                at("2026-12-04T12:00:00")
            )
            .await,
        Err(DbError::Forbidden(_))
    ));
    // Search with or without marks finds only the public one.
    for q in ["lệ phí", "LE PHI", "ly lich tu phap", "200.000"] {
        let found = db.support().published(None, q, 10).await.unwrap();
        assert_eq!(
            found.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
            ["HD-2026-000001"],
            "{q}"
        );
    }
    assert!(
        db.support()
            .published(None, "hồ sơ của tôi", 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.support()
            .published(Some("2.000488"), "", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let steps = db.support().steps(public.id).await.unwrap();
    assert_eq!(
        steps.iter().map(|s| s.action.as_str()).collect::<Vec<_>>(),
        ["open", "accept", "answer", "approve"]
    );
    for code in [&public.code, &c.code] {
        let events: Vec<String> = db
            .support()
            .messages(code)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.event)
            .collect();
        assert_eq!(
            events,
            ["support_received", "support_accepted", "support_answered"],
            "{code}"
        );
    }
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{:?}", report.first_broken);
}

async fn feedback_is_counted_and_scored(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let finance = db
        .agencies()
        .agency_by_code(FINANCE)
        .await
        .unwrap()
        .unwrap()
        .id;
    db.support()
        .set_policy(
            &SupportPolicy {
                review: false,
                ..SupportPolicy::default()
            },
            "test",
        )
        .await
        .unwrap();
    let feedback = |title: &str| NewCase {
        kind: Kind::Regulation,
        channel: Channel::Phone,
        visibility: Visibility::Public,
        agency_id: justice,
        procedure_code: None,
        title: title.into(),
        content: "Đề nghị bỏ yêu cầu nộp bản sao có chứng thực.".into(),
        submitter: Submitter {
            name: "Lê Thị Hoa".into(),
            phone: "0987654321".into(),
            email: String::new(),
            address: "12 Lê Lợi, phường Hạc Thành".into(),
        },
        citizen_id: None,
    };
    // By phone without an address: refused with the reason named.
    let mut bad = feedback("Kiến nghị không địa chỉ");
    bad.submitter.address.clear();
    match db
        .support()
        .open(&bad, &CALENDAR, at("2026-11-02T08:00:00"), "test")
        .await
    {
        Err(DbError::Invalid(errors)) => assert_eq!(errors[0].field, "address"),
        other => panic!("{other:?}"),
    }
    // A call that became a feedback: the call and the case in one write.
    let call = NewCall {
        channel: CallChannel::Phone,
        caller_name: "Lê Thị Hoa".into(),
        caller_phone: "0987654321".into(),
        topic: "Kiến nghị về bản sao chứng thực".into(),
        procedure_code: None,
        question: "Đề nghị bỏ yêu cầu nộp bản sao có chứng thực.".into(),
        answer: String::new(),
        duration_seconds: 240,
        outcome: CallOutcome::Feedback,
    };
    let (_, on_time) = db
        .support()
        .record_call(
            justice,
            p.specialist,
            &call,
            Some(&feedback("Kiến nghị về bản sao chứng thực")),
            &CALENDAR,
            at("2026-11-02T08:00:00"),
        )
        .await
        .unwrap();
    let on_time = on_time.unwrap();
    assert_eq!(on_time.code, "PA-2026-000001");
    let calls = db
        .support()
        .calls(justice, at("2026-11-01T00:00:00"), 10)
        .await
        .unwrap();
    assert_eq!(calls[0].case_code.as_deref(), Some("PA-2026-000001"));
    let late = db
        .support()
        .open(
            &feedback("Kiến nghị trả lời muộn"),
            &CALENDAR,
            at("2026-11-02T08:00:00"),
            "test",
        )
        .await
        .unwrap();
    let forwarded = db
        .support()
        .open(
            &feedback("Kiến nghị chuyển đi"),
            &CALENDAR,
            at("2026-11-02T08:00:00"),
            "test",
        )
        .await
        .unwrap();
    let open_overdue = db
        .support()
        .open(
            &feedback("Kiến nghị bị bỏ quên"),
            &CALENDAR,
            at("2026-11-02T08:00:00"),
            "test",
        )
        .await
        .unwrap();
    let moved = db
        .support()
        .open(
            &feedback("Kiến nghị thuộc Sở Tài chính"),
            &CALENDAR,
            at("2026-11-02T08:00:00"),
            "test",
        )
        .await
        .unwrap();
    // 15 working days from Monday 2/11/2026 08:00: Monday 23/11 08:00.
    assert_eq!(late.due_at, at("2026-11-23T08:00:00"));
    assert_eq!(late.classify_due_at, at("2026-11-09T08:00:00"));
    let accept = Action::Accept {
        category: "not_fit".into(),
        assignee: None,
    };
    for (c, answered_at) in [
        (&on_time, "2026-11-20T10:00:00"),
        (&late, "2026-11-24T10:00:00"),
    ] {
        let c = db
            .support()
            .act(
                c.id,
                c.version,
                &accept,
                p.specialist,
                SPECIALIST,
                at("2026-11-03T08:00:00"),
            )
            .await
            .unwrap();
        let c = db
            .support()
            .act(
                c.id,
                c.version,
                &Action::Answer {
                    text: "Đã tiếp thu và sửa đổi quy trình.".into(),
                },
                p.specialist,
                SPECIALIST,
                at(answered_at),
            )
            .await
            .unwrap();
        assert_eq!(
            c.state,
            State::Answered,
            "without review the answer goes out"
        );
    }
    db.support()
        .act(
            forwarded.id,
            forwarded.version,
            &Action::Forward {
                to: "Bộ Tư pháp".into(),
            },
            p.specialist,
            SPECIALIST,
            at("2026-11-04T08:00:00"),
        )
        .await
        .unwrap();
    // Transferred to another agency: gone from this queue, in that one's.
    let t = db
        .support()
        .act(
            moved.id,
            moved.version,
            &Action::Transfer {
                agency_id: finance,
                reason: "Thuộc lĩnh vực tài chính".into(),
            },
            p.specialist,
            SPECIALIST,
            at("2026-11-03T08:00:00"),
        )
        .await
        .unwrap();
    assert_eq!((t.agency_id, t.state), (finance, State::Received));
    let queue = |agency| CaseFilter {
        agency_id: agency,
        limit: 50,
        ..CaseFilter::default()
    };
    let mine = db.support().queue(&queue(justice)).await.unwrap();
    assert_eq!(
        mine.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        [open_overdue.code.as_str()]
    );
    let theirs = db.support().queue(&queue(finance)).await.unwrap();
    assert_eq!(theirs.len(), 1);
    let now = at("2026-12-01T08:00:00");
    assert_eq!(db.support().overdue_count(justice, now).await.unwrap(), 1);

    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
    let report = db
        .support()
        .report(None, day("2026-11-01"), day("2026-11-30"), now)
        .await
        .unwrap();
    let row = report
        .agencies
        .iter()
        .find(|a| a.agency_id == justice)
        .unwrap();
    let f = row.feedback;
    assert_eq!(
        (
            f.received,
            f.on_time,
            f.late,
            f.forwarded,
            f.open,
            f.overdue
        ),
        (4, 2, 1, 1, 1, 1),
        "{f:?}"
    );
    assert_eq!(row.calls, 1);
    // One case left overdue: indicator 8 scores 0; criterion (g): (2 + 2 + 1 + 0) / 4.
    assert_eq!(row.indicator_8, 0.0);
    assert_eq!(row.criterion_g, 1.3);
    // The evaluation reads the same: chỉ số 8 for the Department of Justice.
    let tally = db
        .support()
        .feedback_tally(
            Some(justice),
            None,
            day("2026-11-01"),
            day("2026-11-30"),
            now,
        )
        .await
        .unwrap();
    assert_eq!(tally, f);
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{:?}", report.first_broken);
}

on_both!(
    questions_are_answered_and_published,
    feedback_is_counted_and_scored
);
