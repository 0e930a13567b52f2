use super::*;
use crate::calendar::{CalendarConfig, WorkCalendar, vietnam_offset};
use crate::support::SupportPolicy;
use chrono::TimeZone;

fn view(kind: Kind, state: State, visibility: Visibility) -> CaseView {
    CaseView {
        kind,
        state,
        visibility,
        agency_id: 1,
        assignee: None,
    }
}

const SPECIALIST: &[Role] = &[Role::Specialist];
const COUNTER: &[Role] = &[Role::CounterOfficer];
const LEADER: &[Role] = &[Role::UnitLeader];
const SUPERVISOR: &[Role] = &[Role::Supervisor];

#[test]
fn a_public_question_is_published_only_when_its_answer_goes_out() {
    let q = view(Kind::Question, State::Received, Visibility::Public);
    let accepted = q
        .apply(
            &Action::Accept {
                category: "procedure".into(),
                assignee: None,
            },
            7,
            COUNTER,
            true,
        )
        .unwrap();
    assert_eq!(accepted.state, State::Handling);
    let handling = CaseView {
        state: accepted.state,
        ..q
    };
    let answered = handling
        .apply(
            &Action::Answer {
                text: "Ông/bà nộp tại Bộ phận Một cửa.".into(),
            },
            7,
            COUNTER,
            true,
        )
        .unwrap();
    assert_eq!(answered.state, State::Review);
    assert!(!answered.publishes && !answered.ends && answered.event.is_none());
    let review = CaseView {
        state: State::Review,
        assignee: Some(7),
        ..q
    };
    // The counter officer who answered cannot approve it.
    assert!(matches!(
        review.apply(&Action::Approve { publish: false }, 7, COUNTER, true),
        Err(SupportError::Forbidden(_))
    ));
    let approved = review
        .apply(&Action::Approve { publish: false }, 9, LEADER, true)
        .unwrap();
    assert_eq!(
        approved.state,
        State::Published,
        "a public question is published with its answer"
    );
    assert!(approved.publishes && approved.ends);
    assert_eq!(approved.event, Some("support_answered"));
}

#[test]
fn a_private_question_is_never_published() {
    let review = CaseView {
        assignee: Some(7),
        ..view(Kind::Question, State::Review, Visibility::Private)
    };
    let approved = review
        .apply(&Action::Approve { publish: true }, 9, LEADER, true)
        .unwrap();
    assert_eq!(approved.state, State::Answered);
    assert!(!approved.publishes);
    let answered = view(Kind::Question, State::Answered, Visibility::Private);
    assert!(matches!(
        answered.apply(&Action::Publish, 9, LEADER, true),
        Err(SupportError::Forbidden(_))
    ));
    // Without review, the private answer goes out unpublished.
    let handling = view(Kind::Question, State::Handling, Visibility::Private);
    let out = handling
        .apply(
            &Action::Answer {
                text: "Được.".into(),
            },
            7,
            COUNTER,
            false,
        )
        .unwrap();
    assert_eq!(out.state, State::Answered);
    assert!(!out.publishes);
}

#[test]
fn a_feedback_is_published_by_the_leaders_choice_and_the_submitters_consent() {
    let review = view(Kind::Regulation, State::Review, Visibility::Public);
    let kept = review
        .apply(&Action::Approve { publish: false }, 9, LEADER, true)
        .unwrap();
    assert_eq!(kept.state, State::Answered);
    let published = review
        .apply(&Action::Approve { publish: true }, 9, LEADER, true)
        .unwrap();
    assert_eq!(published.state, State::Published);
    let later = view(Kind::Regulation, State::Answered, Visibility::Public)
        .apply(&Action::Publish, 9, LEADER, true)
        .unwrap();
    assert!(later.publishes);
    let refused_consent = view(Kind::Conduct, State::Review, Visibility::Private)
        .apply(&Action::Approve { publish: true }, 9, LEADER, true)
        .unwrap();
    assert_eq!(refused_consent.state, State::Answered);
}

#[test]
fn who_may_do_what() {
    // A counter officer answers questions, not feedback; nobody but leaders approve.
    assert!(may(COUNTER, Kind::Question, "answer"));
    assert!(!may(COUNTER, Kind::Regulation, "answer"));
    assert!(may(SPECIALIST, Kind::Conduct, "answer"));
    assert!(!may(SPECIALIST, Kind::Conduct, "approve"));
    assert!(may(LEADER, Kind::Conduct, "approve"));
    for action in [
        "accept", "transfer", "forward", "refuse", "answer", "approve", "publish",
    ] {
        assert!(!may(SUPERVISOR, Kind::Question, action), "{action}");
    }
    // A case assigned to another officer is answered by them or a leader.
    let mine = CaseView {
        assignee: Some(7),
        ..view(Kind::Regulation, State::Handling, Visibility::Public)
    };
    let text = Action::Answer {
        text: "Kết quả xử lý.".into(),
    };
    assert!(matches!(
        mine.apply(&text, 8, SPECIALIST, true),
        Err(SupportError::Forbidden(_))
    ));
    assert!(mine.apply(&text, 7, SPECIALIST, true).is_ok());
    assert!(mine.apply(&text, 9, LEADER, true).is_ok());
}

#[test]
fn steps_only_from_their_states_and_with_their_reasons() {
    let received = view(Kind::Regulation, State::Received, Visibility::Public);
    assert!(matches!(
        received.apply(
            &Action::Answer {
                text: "x".repeat(10)
            },
            7,
            SPECIALIST,
            true
        ),
        Err(SupportError::NotNow(_))
    ));
    assert!(matches!(
        received.apply(&Action::Refuse { reason: " ".into() }, 7, SPECIALIST, true),
        Err(SupportError::Invalid(_))
    ));
    assert!(matches!(
        received.apply(
            &Action::Accept {
                category: "made_up".into(),
                assignee: None
            },
            7,
            SPECIALIST,
            true
        ),
        Err(SupportError::Invalid(_))
    ));
    let forwarded = received
        .apply(
            &Action::Forward {
                to: "Bộ Tư pháp".into(),
            },
            7,
            SPECIALIST,
            true,
        )
        .unwrap();
    assert_eq!(forwarded.state, State::Forwarded);
    assert!(forwarded.ends);
    let moved = received
        .apply(
            &Action::Transfer {
                agency_id: 2,
                reason: "Thuộc thẩm quyền Sở Xây dựng".into(),
            },
            7,
            COUNTER,
            true,
        )
        .unwrap();
    assert_eq!((moved.state, moved.agency_id), (State::Received, 2));
    assert!(!moved.ends, "moved inside the system, its clock runs on");
    assert!(matches!(
        received.apply(
            &Action::Transfer {
                agency_id: 1,
                reason: "nhầm".into()
            },
            7,
            COUNTER,
            true
        ),
        Err(SupportError::Invalid(_))
    ));
}

#[test]
fn the_submitter_gives_what_nd20_asks() {
    let mut s = Submitter {
        name: "Nguyễn Văn An".into(),
        phone: "0912345678".into(),
        email: String::new(),
        address: String::new(),
    };
    assert!(s.check(Kind::Question, Channel::Online).is_empty());
    let errors = s.check(Kind::Regulation, Channel::Online);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "address");
    s.address = "12 Lê Lợi, Thanh Hóa".into();
    s.phone = String::new();
    s.email = "an@example.vn".into();
    assert!(s.check(Kind::Conduct, Channel::Post).is_empty());
    assert!(
        s.check(Kind::Conduct, Channel::Phone)
            .iter()
            .any(|e| e.field == "phone"),
        "by phone, the phone number is required"
    );
    s.email = "khong-phai-thu".into();
    assert!(
        s.check(Kind::Question, Channel::Online)
            .iter()
            .any(|e| e.field == "email")
    );
    assert!(looks_like_complaint("Tôi muốn KHIẾU NẠI quyết định"));
    assert!(!looks_like_complaint("Hỏi về lệ phí cấp sổ đỏ"));
}

#[test]
fn deadlines_count_working_days_through_tet() {
    let cal = WorkCalendar::new(CalendarConfig::default()).unwrap();
    let policy = SupportPolicy::default();
    let at = |y, m, d, h| {
        vietnam_offset()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap()
    };
    // A question on Thursday 3/12/2026 09:00: five working days → Thursday 10/12 09:00.
    let due = policy
        .due(&cal, Kind::Question, at(2026, 12, 3, 9))
        .unwrap();
    assert_eq!(due, at(2026, 12, 10, 9));
    // A feedback received on Friday 13/2/2026 09:00, the last working day before the Tết
    // Bính Ngọ holiday (14–22/2): five working days to classify it skip the holiday and the
    // weekend — Mon 23, Tue 24, Wed 25, Thu 26, Fri 27/2 09:00.
    let received = at(2026, 2, 13, 9);
    let classify = policy
        .classify_due(&cal, Kind::Regulation, received)
        .unwrap();
    assert_eq!(classify, at(2026, 2, 27, 9));
    let handled = policy.due(&cal, Kind::Regulation, received).unwrap();
    assert!(handled > classify);
    assert_eq!(
        cal.working_seconds_between(received, handled).unwrap(),
        15 * cal.day_seconds()
    );
    assert_eq!(
        cal.working_seconds_between(received, classify).unwrap(),
        5 * cal.day_seconds()
    );
    let mut bad = policy;
    bad.classify_days = 20;
    assert!(bad.check().is_err());
    bad.classify_days = 0;
    assert!(bad.check().is_err());
    assert!(policy.check().is_ok());
}
