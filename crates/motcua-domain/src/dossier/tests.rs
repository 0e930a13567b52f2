//! The state machine's rules, transition by transition: allowed, refused, once-only.

use super::*;
use crate::agency::{AgencyCode, AgencyLevel, Role};
use crate::calendar::{
    CalendarConfig, Instant, Outcome, SuspensionPolicy, TimeLimit, WorkCalendar, shipped_overrides,
};
use crate::catalogue::{
    Case, Channel, ChannelTime, Component, DeadlineRules, Field, OnlineLevel, Procedure,
    ProcedureCode, StepAgency, WorkflowStep,
};
use chrono::DateTime;
use std::sync::LazyLock;

pub(super) static CAL: LazyLock<WorkCalendar> = LazyLock::new(|| {
    WorkCalendar::new(CalendarConfig {
        overrides: shipped_overrides().unwrap(),
        ..CalendarConfig::default()
    })
    .unwrap()
});

pub(super) fn at(text: &str) -> Instant {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn step(name: &str, role: Role, agency: StepAgency, hours: u32) -> WorkflowStep {
    WorkflowStep {
        name: name.into(),
        role,
        agency,
        hours,
    }
}

fn procedure(suspension: SuspensionPolicy) -> Procedure {
    let time = |channel| ChannelTime {
        channel,
        statutory: TimeLimit::WorkingDays(5),
        committed: None,
    };
    Procedure {
        result_document_type: None,
        code: ProcedureCode::parse("1.001193").unwrap(),
        name: "Thủ tục đăng ký khai sinh".into(),
        field: Field {
            code: "ho-tich".into(),
            name: "Hộ tịch".into(),
        },
        levels: vec![AgencyLevel::Commune],
        agencies: vec![AgencyCode::parse("000.30.01.H56").unwrap()],
        coordinating: vec![],
        online_level: OnlineLevel::Full,
        channels: vec![Channel::Counter, Channel::Online, Channel::Post],
        cases: vec![Case {
            code: "chung".into(),
            name: "Trường hợp chung".into(),
            components: vec![
                Component {
                    document_type: None,
                    code: "tk-01".into(),
                    name: "Tờ khai đăng ký khai sinh".into(),
                    originals: 1,
                    copies: 0,
                    required: true,
                    form: None,
                    only_if: None,
                    channels: vec![],
                },
                Component {
                    document_type: None,
                    code: "gcs".into(),
                    name: "Giấy chứng sinh".into(),
                    originals: 1,
                    copies: 0,
                    required: false,
                    form: None,
                    only_if: None,
                    channels: vec![],
                },
            ],
            times: vec![
                time(Channel::Counter),
                time(Channel::Online),
                time(Channel::Post),
            ],
            fees: vec![],
            conditions: vec![],
        }],
        workflow: vec![
            step("Tiếp nhận", Role::CounterOfficer, StepAgency::Receiving, 4),
            step("Thẩm định", Role::Specialist, StepAgency::Competent, 16),
            step("Trình ký", Role::UnitLeader, StepAgency::Competent, 8),
            step("Phê duyệt", Role::AgencyLeader, StepAgency::Competent, 4),
            step(
                "Trả kết quả",
                Role::CounterOfficer,
                StepAgency::Receiving,
                4,
            ),
        ],
        deadline: DeadlineRules {
            cutoff: None,
            suspension,
            apology_cap: None,
        },
        results: vec!["Giấy khai sinh".into()],
        legal_basis: vec![],
        decision: None,
        description: None,
    }
}

fn applicant() -> Applicant {
    Applicant {
        kind: ApplicantKind::Person,
        name: "Lê Thị Hoa".into(),
        id_number: Some("038190004321".into()),
        tax_code: None,
        phone: Some("0912345678".into()),
        email: None,
        address: None,
        notify: vec![NotifyChannel::Sms],
    }
}

fn intake(channel: Channel) -> Intake {
    Intake {
        procedure_code: "1.001193".into(),
        case_code: "chung".into(),
        channel,
        applicant: applicant(),
        components: vec![ReceivedComponent {
            code: "tk-01".into(),
            form: ComponentForm::Original,
            count: 1,
        }],
        return_method: ReturnMethod::InPerson,
        summary: None,
        conditions: Vec::new(),
    }
}

fn resolve(agency: &crate::catalogue::StepAgency) -> Result<i64, crate::FieldError> {
    Ok(match agency {
        StepAgency::Receiving => 1,
        StepAgency::Competent => 2,
        StepAgency::Agency(_) => 3,
    })
}

pub(super) fn received(channel: Channel, when: &str, suspension: SuspensionPolicy) -> DossierState {
    let p = procedure(suspension);
    let checked = check_intake(intake(channel), &p).unwrap();
    initial_state(&checked, &p, at(when), &CAL, resolve).unwrap()
}

pub(super) fn staff(id: i64, roles: &[Role]) -> Actor {
    Actor::Staff {
        id,
        roles: roles.to_vec(),
    }
}

fn counter() -> Actor {
    staff(1, &[Role::CounterOfficer])
}
fn specialist() -> Actor {
    staff(2, &[Role::Specialist])
}
fn unit_leader() -> Actor {
    staff(3, &[Role::UnitLeader])
}
fn agency_leader() -> Actor {
    staff(4, &[Role::AgencyLeader])
}

fn go(
    state: &DossierState,
    actor: &Actor,
    action: Action,
    when: &str,
) -> Result<Effect, TransitionError> {
    apply(state, actor, &action, at(when), &CAL)
}

fn ok(state: &DossierState, actor: &Actor, action: Action, when: &str) -> DossierState {
    go(state, actor, action, when).unwrap().state
}

pub(super) const MON: &str = "2026-03-02T08:00:00+07:00";

#[test]
fn counter_intake_to_return_along_the_workflow() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    assert_eq!(s.status, Status::Accepted);
    assert_eq!(s.due, Some(at("2026-03-09T08:00:00+07:00")));
    assert_eq!(s.step_due, Some(at("2026-03-02T14:00:00+07:00")));
    assert_eq!(s.current_agency, 1);

    let e = go(
        &s,
        &counter(),
        Action::Forward { note: None },
        "2026-03-02T10:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.step_outcome, Some(Outcome::OnTime));
    let s = e.state;
    assert_eq!(
        (s.status, s.step, s.current_agency),
        (Status::Processing, 1, 2)
    );

    let s = ok(
        &s,
        &specialist(),
        Action::Appraise {
            note: "Hồ sơ hợp lệ".into(),
        },
        "2026-03-03T09:00:00+07:00",
    );
    let s = ok(
        &s,
        &specialist(),
        Action::Forward { note: None },
        "2026-03-03T10:00:00+07:00",
    );
    let s = ok(
        &s,
        &unit_leader(),
        Action::Forward { note: None },
        "2026-03-03T11:00:00+07:00",
    );
    assert_eq!(s.step, 3);
    let e = go(
        &s,
        &agency_leader(),
        Action::Approve { note: None },
        "2026-03-04T09:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.events, vec![Event::ResultReadyEarly]);
    let s = e.state;
    assert_eq!(
        (s.status, s.step, s.current_agency),
        (Status::ResultReady, 4, 1)
    );
    assert_eq!(s.outcome, Some(Outcome::Early));

    let e = go(
        &s,
        &counter(),
        Action::Return {
            method: ReturnMethod::InPerson,
            tracking: None,
        },
        "2026-03-05T09:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.state.status, Status::Returned);
    assert_eq!(e.events, vec![Event::Returned, Event::RatingInvitation]);
    // Nothing leaves a final status.
    assert!(matches!(
        go(
            &e.state,
            &counter(),
            Action::Forward { note: None },
            "2026-03-05T10:00:00+07:00"
        ),
        Err(TransitionError::NotAllowed { .. })
    ));
}

#[test]
fn roles_are_enforced() {
    let s = received(Channel::Online, MON, SuspensionPolicy::Restart);
    assert_eq!(s.status, Status::Submitted);
    assert!(matches!(
        go(&s, &specialist(), Action::Accept, MON),
        Err(TransitionError::Forbidden { .. })
    ));
    assert!(matches!(
        go(&s, &Actor::Citizen { owner: true }, Action::Accept, MON),
        Err(TransitionError::Forbidden { .. })
    ));
    let s = ok(&s, &counter(), Action::Accept, MON);
    assert!(s.due.is_some());
    let s = ok(&s, &counter(), Action::Forward { note: None }, MON);
    // A counter officer cannot do the specialist's step nor approve.
    assert!(matches!(
        go(&s, &counter(), Action::Forward { note: None }, MON),
        Err(TransitionError::Forbidden { .. })
    ));
    assert!(matches!(
        go(&s, &specialist(), Action::Approve { note: None }, MON),
        Err(TransitionError::Rule(_))
    ));
    assert!(matches!(
        go(
            &s,
            &specialist(),
            Action::Reject { reason: "x".into() },
            MON
        ),
        Err(TransitionError::Forbidden { .. })
    ));
    // Forward cannot skip approval.
    let s = ok(&s, &specialist(), Action::Forward { note: None }, MON);
    let s = ok(&s, &unit_leader(), Action::Forward { note: None }, MON);
    assert!(matches!(
        go(&s, &agency_leader(), Action::Forward { note: None }, MON),
        Err(TransitionError::Rule(_))
    ));
}

#[test]
fn refusal_needs_a_reason() {
    let s = received(Channel::Post, MON, SuspensionPolicy::Restart);
    assert!(matches!(
        go(&s, &counter(), Action::RefuseIntake { reason: "  ".into() }, MON),
        Err(TransitionError::Invalid(e)) if e.field == "reason"
    ));
    let e = go(
        &s,
        &counter(),
        Action::RefuseIntake {
            reason: "Không thuộc thẩm quyền".into(),
        },
        MON,
    )
    .unwrap();
    assert_eq!(e.state.status, Status::Refused);
    assert_eq!(e.events, vec![Event::Refused]);
}

#[test]
fn supplement_once_within_three_working_days_and_restart() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    let s = ok(&s, &counter(), Action::Forward { note: None }, MON);
    let request = || Action::RequestSupplement {
        missing: vec!["Giấy chứng sinh".into()],
        reason: "Thiếu giấy chứng sinh".into(),
    };
    let s = ok(&s, &specialist(), request(), "2026-03-03T09:00:00+07:00");
    assert_eq!(s.status, Status::AwaitingSupplement);
    assert!(matches!(
        go(&s, &specialist(), Action::Forward { note: None }, MON),
        Err(TransitionError::NotAllowed { .. })
    ));
    let s = ok(
        &s,
        &counter(),
        Action::ReceiveSupplement { note: None },
        "2026-03-10T09:00:00+07:00",
    );
    assert_eq!((s.status, s.step), (Status::Processing, 1));
    // Restart: five full working days from the moment the full dossier arrived.
    assert_eq!(s.due, Some(at("2026-03-17T09:00:00+07:00")));
    assert!(matches!(
        go(&s, &specialist(), request(), "2026-03-10T10:00:00+07:00"),
        Err(TransitionError::Rule(_))
    ));

    // Too late: more than 3 working days after receipt.
    let late = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    assert!(matches!(
        go(&late, &counter(), request(), "2026-03-05T10:00:00+07:00"),
        Err(TransitionError::Rule(_))
    ));
}

#[test]
fn the_owner_sends_the_supplement_online_and_the_counter_receives_it() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    let s = ok(
        &s,
        &counter(),
        Action::RequestSupplement {
            missing: vec!["Tờ khai".into()],
            reason: "Thiếu chữ ký".into(),
        },
        "2026-03-03T08:00:00+07:00",
    );
    let submit = || Action::SubmitSupplement {
        note: Some("Đã ký".into()),
    };
    assert!(matches!(
        go(
            &s,
            &Actor::Citizen { owner: false },
            submit(),
            "2026-03-04T08:00:00+07:00"
        ),
        Err(TransitionError::Forbidden { .. })
    ));
    assert!(matches!(
        go(&s, &counter(), submit(), "2026-03-04T08:00:00+07:00"),
        Err(TransitionError::Forbidden { .. })
    ));
    let e = go(
        &s,
        &Actor::Citizen { owner: true },
        submit(),
        "2026-03-04T08:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.state.status, Status::AwaitingSupplement);
    assert!(e.events.is_empty());
    let sent = e.state.supplement.as_ref().and_then(|x| x.submitted_at);
    assert_eq!(sent, Some(at("2026-03-04T08:00:00+07:00")));
    let s = ok(
        &e.state,
        &counter(),
        Action::ReceiveSupplement { note: None },
        "2026-03-04T09:00:00+07:00",
    );
    assert_eq!(s.status, Status::Accepted);
    // Once received, nothing more can be sent.
    assert!(matches!(
        go(
            &s,
            &Actor::Citizen { owner: true },
            submit(),
            "2026-03-04T10:00:00+07:00"
        ),
        Err(TransitionError::NotAllowed { .. })
    ));
}

#[test]
fn supplement_with_pause_keeps_remaining_time() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Pause);
    let s = ok(
        &s,
        &counter(),
        Action::RequestSupplement {
            missing: vec!["Tờ khai".into()],
            reason: "Sai thông tin".into(),
        },
        "2026-03-03T08:00:00+07:00",
    );
    let s = ok(
        &s,
        &counter(),
        Action::ReceiveSupplement { note: None },
        "2026-03-09T08:00:00+07:00",
    );
    // 32 working hours were left on Tuesday 08:00; they resume on Monday 08:00.
    assert_eq!(s.due, Some(at("2026-03-13T08:00:00+07:00")));
    assert_eq!(s.status, Status::Accepted);
}

#[test]
fn apology_once_approved_by_the_head_and_late_ones_recorded() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    let s = ok(&s, &counter(), Action::Forward { note: None }, MON);
    assert_eq!(s.due, Some(at("2026-03-09T08:00:00+07:00")));
    let new_due = at("2026-03-13T17:00:00+07:00");
    let propose = |new_due| Action::ProposeApology {
        reason: "Cần xác minh thêm".into(),
        new_due,
    };
    // Before the old appointment, or past the cap (the case's own 5 working days after
    // the old appointment): refused, naming the latest date allowed.
    assert!(matches!(
        go(
            &s,
            &specialist(),
            propose(at("2026-03-05T08:00:00+07:00")),
            MON
        ),
        Err(TransitionError::Invalid(_))
    ));
    match go(
        &s,
        &specialist(),
        propose(at("2026-03-17T08:00:00+07:00")),
        MON,
    ) {
        Err(TransitionError::Invalid(e)) => {
            assert!(e.message.contains("08:00 ngày 16/03/2026"), "{e:?}")
        }
        other => panic!("{other:?}"),
    }
    let proposed = ok(
        &s,
        &specialist(),
        propose(new_due),
        "2026-03-04T09:00:00+07:00",
    );
    assert!(matches!(
        go(&proposed, &specialist(), Action::ApproveApology, MON),
        Err(TransitionError::Forbidden { .. })
    ));
    // A unit head may not approve it: the head of the agency or a deputy for the head.
    assert!(matches!(
        go(&proposed, &unit_leader(), Action::ApproveApology, MON),
        Err(TransitionError::Forbidden { .. })
    ));
    let e = go(
        &proposed,
        &agency_leader(),
        Action::ApproveApology,
        "2026-03-05T10:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.events, vec![Event::ApologyIssued]);
    assert_eq!(e.state.due, Some(new_due));
    assert!(e.state.apologised());
    assert_eq!(e.state.apology.as_ref().map(|a| a.issued_late), Some(false));
    assert!(matches!(
        go(
            &e.state,
            &specialist(),
            propose(at("2026-03-16T08:00:00+07:00")),
            "2026-03-10T09:00:00+07:00"
        ),
        Err(TransitionError::Rule(_))
    ));

    // Approved on the Friday before a Monday 08:00 appointment: later than one working day
    // before it, so issued late.
    let e = go(
        &proposed,
        &agency_leader(),
        Action::ApproveApology,
        "2026-03-06T10:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.state.apology.as_ref().map(|a| a.issued_late), Some(true));

    // Already late: the citizen is still owed the letter; the dossier was overdue from the
    // minute after its appointment until the new one took effect.
    let late = ok(
        &s,
        &specialist(),
        propose(new_due),
        "2026-03-10T09:00:00+07:00",
    );
    let late = ok(
        &late,
        &agency_leader(),
        Action::ApproveApology,
        "2026-03-10T10:00:00+07:00",
    );
    assert_eq!(late.apology.as_ref().map(|a| a.issued_late), Some(true));
    assert_eq!(
        late.overdue_changes(),
        vec![
            (at("2026-03-09T08:01:00+07:00"), true),
            (at("2026-03-10T10:00:00+07:00"), false),
            // Still open: overdue again after the new appointment, unless resolved by then.
            (at("2026-03-13T17:01:00+07:00"), true),
        ]
    );
    assert!(late.overdue_at(at("2026-03-09T16:00:00+07:00")));
    assert!(!late.overdue_at(at("2026-03-11T16:00:00+07:00")));
}

#[test]
fn assignment_limits_who_moves_the_step() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    let s = ok(&s, &counter(), Action::Forward { note: None }, MON);
    assert!(matches!(
        go(&s, &specialist(), Action::Assign { staff_id: 7 }, MON),
        Err(TransitionError::Forbidden { .. })
    ));
    let s = ok(&s, &unit_leader(), Action::Assign { staff_id: 7 }, MON);
    assert_eq!(s.assignee, Some(7));
    assert!(matches!(
        go(&s, &specialist(), Action::Forward { note: None }, MON),
        Err(TransitionError::Rule(_))
    ));
    let s = ok(
        &s,
        &staff(7, &[Role::Specialist]),
        Action::Forward { note: None },
        MON,
    );
    assert_eq!(s.assignee, None);
    let s = ok(
        &s,
        &unit_leader(),
        Action::SendBack {
            note: "Bổ sung ý kiến thẩm định".into(),
        },
        MON,
    );
    assert_eq!(s.step, 1);
}

#[test]
fn consultation_hand_off_and_payment() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    let s = ok(&s, &counter(), Action::Forward { note: None }, MON);
    assert!(matches!(
        go(
            &s,
            &specialist(),
            Action::Consult {
                agency_id: 2,
                question: "?".into(),
                hours: 8
            },
            MON
        ),
        Err(TransitionError::Rule(_))
    ));
    let s = ok(
        &s,
        &specialist(),
        Action::Consult {
            agency_id: 5,
            question: "Xin ý kiến về quy hoạch".into(),
            hours: 16,
        },
        MON,
    );
    assert_eq!(s.consultations[0].due, at("2026-03-04T08:00:00+07:00"));
    let answer = Action::AnswerConsultation {
        index: 0,
        answer: "Thống nhất".into(),
    };
    assert_eq!(answer.authorizing_agency(&s), 5);
    let s = ok(
        &s,
        &specialist(),
        answer.clone(),
        "2026-03-03T08:00:00+07:00",
    );
    assert!(matches!(
        go(&s, &specialist(), answer, MON),
        Err(TransitionError::Rule(_))
    ));

    // Handed to another agency before its step's deadline: the sender's part ends early
    // for it, and the receiver gets the step's own 16 working hours from then.
    let before = s.step_tally;
    let competent = s.competent_agency();
    let e = go(
        &s,
        &specialist(),
        Action::HandOff {
            agency_id: 9,
            note: None,
        },
        "2026-03-03T10:00:00+07:00",
    )
    .unwrap();
    assert_eq!(e.step_outcome, Some(Outcome::Early));
    let s = e.state;
    assert_eq!((s.current_agency, s.steps[1].agency_id), (9, 9));
    // The step is lent, not given: the dossier's competent agency stays the one pinned.
    assert_eq!(s.steps[1].pinned_agency, Some(competent));
    assert_eq!(s.competent_agency(), competent);
    assert_eq!(s.step_tally.early, before.early + 1);
    assert_eq!(s.step_due, Some(at("2026-03-05T10:00:00+07:00")));

    let due = s.due.unwrap();
    let s = ok(
        &s,
        &specialist(),
        Action::RequestPayment {
            amount_vnd: 50_000,
            note: None,
        },
        "2026-03-03T08:00:00+07:00",
    );
    assert_eq!(s.status, Status::AwaitingPayment);
    let s = ok(
        &s,
        &counter(),
        Action::ConfirmPayment,
        "2026-03-04T08:00:00+07:00",
    );
    assert_eq!(s.status, Status::Processing);
    assert_eq!(s.due, Some(due + chrono::Duration::days(1)));
}

#[test]
fn withdraw_reject_stop_and_return_by_post() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    assert!(matches!(
        go(
            &s,
            &Actor::Citizen { owner: false },
            Action::Withdraw { reason: None },
            MON
        ),
        Err(TransitionError::Forbidden { .. })
    ));
    let w = ok(
        &s,
        &Actor::Citizen { owner: true },
        Action::Withdraw {
            reason: Some("Không còn nhu cầu".into()),
        },
        MON,
    );
    assert_eq!(w.status, Status::Withdrawn);

    let p = ok(&s, &counter(), Action::Forward { note: None }, MON);
    let r = go(
        &p,
        &unit_leader(),
        Action::Reject {
            reason: "Không đủ điều kiện".into(),
        },
        "2026-03-10T08:00:00+07:00",
    )
    .unwrap();
    assert_eq!(r.state.status, Status::Stopped);
    assert_eq!(r.state.outcome, Some(Outcome::Late));
    // A rejection after appraisal is known as such; a stop is not one.
    assert!(r.state.rejected);
    let stopped = ok(
        &p,
        &agency_leader(),
        Action::Stop {
            reason: "Theo đề nghị của cơ quan thuế".into(),
        },
        MON,
    );
    assert_eq!(stopped.status, Status::Stopped);
    assert!(!stopped.rejected);

    let s = ok(&p, &specialist(), Action::Forward { note: None }, MON);
    let s = ok(&s, &unit_leader(), Action::Forward { note: None }, MON);
    let s = ok(&s, &agency_leader(), Action::Approve { note: None }, MON);
    assert!(matches!(
        go(&s, &counter(), Action::Return { method: ReturnMethod::Post, tracking: None }, MON),
        Err(TransitionError::Invalid(e)) if e.field == "tracking"
    ));
    let s = ok(
        &s,
        &counter(),
        Action::Return {
            method: ReturnMethod::Post,
            tracking: Some("EB123456789VN".into()),
        },
        MON,
    );
    assert_eq!(
        s.handover.unwrap().tracking.as_deref(),
        Some("EB123456789VN")
    );
}

#[test]
fn intake_names_every_problem() {
    let p = procedure(SuspensionPolicy::Restart);
    let mut bad = intake(Channel::Counter);
    bad.components = vec![ReceivedComponent {
        code: "xyz".into(),
        form: ComponentForm::Copy,
        count: 0,
    }];
    bad.applicant.id_number = Some("123".into());
    let errors = check_intake(bad, &p).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "applicant.id_number",
            "components[0].code",
            "components[0].count",
            "components"
        ]
    );
    let mut unknown = intake(Channel::Counter);
    unknown.case_code = "khong-co".into();
    assert_eq!(check_intake(unknown, &p).unwrap_err()[0].field, "case_code");
}

fn every_action() -> Vec<Action> {
    vec![
        Action::Accept,
        Action::RefuseIntake { reason: "x".into() },
        Action::Forward { note: None },
        Action::Assign { staff_id: 2 },
        Action::Appraise { note: "x".into() },
        Action::SendBack { note: "x".into() },
        Action::RequestSupplement {
            missing: vec!["x".into()],
            reason: "x".into(),
        },
        Action::ReceiveSupplement { note: None },
        Action::Consult {
            agency_id: 9,
            question: "x".into(),
            hours: 8,
        },
        Action::AnswerConsultation {
            index: 0,
            answer: "x".into(),
        },
        Action::HandOff {
            agency_id: 9,
            note: None,
        },
        Action::RequestPayment {
            amount_vnd: 1000,
            note: None,
        },
        Action::ConfirmPayment,
        Action::ProposeApology {
            reason: "x".into(),
            new_due: at("2026-04-01T08:00:00+07:00"),
        },
        Action::ApproveApology,
        Action::Approve { note: None },
        Action::Reject { reason: "x".into() },
        Action::Stop { reason: "x".into() },
        Action::Withdraw { reason: None },
        Action::Return {
            method: ReturnMethod::InPerson,
            tracking: None,
        },
    ]
}

#[test]
fn nothing_leaves_a_final_status() {
    let everyone = staff(1, &Role::ALL);
    let accepted = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    let finals = [
        ok(
            &accepted,
            &Actor::Citizen { owner: true },
            Action::Withdraw { reason: None },
            MON,
        ),
        ok(
            &accepted,
            &agency_leader(),
            Action::Stop {
                reason: "Dừng".into(),
            },
            MON,
        ),
        ok(
            &received(Channel::Online, MON, SuspensionPolicy::Restart),
            &counter(),
            Action::RefuseIntake {
                reason: "Sai".into(),
            },
            MON,
        ),
    ];
    for state in &finals {
        assert!(state.status.is_final());
        for action in every_action() {
            let result = go(
                state,
                &everyone,
                action.clone(),
                "2026-03-03T08:00:00+07:00",
            );
            assert!(
                matches!(result, Err(TransitionError::NotAllowed { .. })),
                "{} from {:?}: {result:?}",
                action.name(),
                state.status
            );
        }
    }
}

#[test]
fn a_citizen_can_only_withdraw_their_own() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    for action in every_action() {
        let name = action.name();
        let result = go(&s, &Actor::Citizen { owner: true }, action, MON);
        if name == "withdraw" {
            assert!(result.is_ok());
        } else {
            assert!(result.is_err(), "a citizen could {name}");
        }
    }
}

#[test]
fn every_action_has_a_name_and_a_label() {
    let names: std::collections::HashSet<&str> = every_action().iter().map(Action::name).collect();
    assert_eq!(names.len(), 20);
    assert!(every_action().iter().all(|a| !a.label_vi().is_empty()));
}

#[test]
fn each_ended_step_is_tallied_for_indicator_two() {
    let s = received(Channel::Counter, MON, SuspensionPolicy::Restart);
    assert_eq!(s.step_tally.score(), None, "no step has ended yet");
    let s = ok(&s, &counter(), Action::Forward { note: None }, MON);
    // The specialist's step ends well before its deadline: early.
    let early = ok(
        &s,
        &specialist(),
        Action::Forward { note: None },
        "2026-03-02T10:00:00+07:00",
    );
    let t = early.step_tally;
    assert_eq!(
        (t.late, t.early + t.on_time),
        (0, 2),
        "two steps ended, none late"
    );
    assert!(t.early >= 1);
    assert_ne!(t.score(), Some(0));
    // The same step ended long after its deadline makes the dossier score 0.
    let late = ok(
        &s,
        &specialist(),
        Action::Forward { note: None },
        "2026-03-20T09:00:00+07:00",
    );
    assert_eq!(late.step_tally.late, 1);
    assert_eq!(late.step_tally.score(), Some(0));
    let mut tally = crate::dossier::StepTally::default();
    tally.count(crate::calendar::Outcome::Early);
    assert_eq!(tally.score(), Some(2), "every agency early");
    tally.count(crate::calendar::Outcome::OnTime);
    assert_eq!(tally.score(), Some(1));
}

/// The demo's birth registration filed honestly: online, by a parent, with the birth
/// certificate and the electronic form only; the authorisation letter is needed only when
/// someone files on the parents' behalf, the ID shown only at the counter, the paper form
/// only at the counter or by post.
#[test]
fn conditional_components_follow_the_filers_situation_and_channel() {
    let all =
        crate::catalogue::parse_catalogue(include_str!("../../../../data/demo/catalogue.json"))
            .unwrap();
    let birth = all.iter().find(|p| p.code.as_str() == "1.001193").unwrap();
    let filed = |channel: Channel, codes: &[&str], conditions: &[&str]| {
        let mut i = intake(channel);
        i.procedure_code = "1.001193".into();
        i.components = codes
            .iter()
            .map(|c| ReceivedComponent {
                code: (*c).into(),
                form: ComponentForm::Electronic,
                count: 1,
            })
            .collect();
        i.conditions = conditions.iter().map(|c| (*c).to_string()).collect();
        check_intake(i, birth)
    };
    let messages = |r: Result<CheckedIntake, Vec<crate::FieldError>>| {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.message)
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(filed(Channel::Online, &["tp-04", "tp-08"], &[]).is_ok());
    let e = messages(filed(Channel::Online, &["tp-04"], &[]));
    assert!(e.contains("Mẫu hộ tịch điện tử"), "{e}");
    // On someone's behalf: the authorisation letter becomes required.
    let e = messages(filed(Channel::Online, &["tp-04", "tp-08"], &["uy-quyen"]));
    assert!(e.contains("Văn bản ủy quyền"), "{e}");
    assert!(filed(Channel::Online, &["tp-02", "tp-04", "tp-08"], &["uy-quyen"]).is_ok());
    // Not applicable: the letter without the situation, the ID shown at the counter online.
    let e = messages(filed(Channel::Online, &["tp-02", "tp-04", "tp-08"], &[]));
    assert!(e.contains("không áp dụng"), "{e}");
    let e = messages(filed(Channel::Online, &["tp-04", "tp-06", "tp-08"], &[]));
    assert!(e.contains("không áp dụng"), "{e}");
    let e = messages(filed(Channel::Online, &["tp-04", "tp-08"], &["khong-co"]));
    assert!(e.contains("không có tình huống"), "{e}");
    // At the counter: the ID shown in person and the paper form, not the electronic one.
    assert!(filed(Channel::Counter, &["tp-04", "tp-06", "tp-07"], &[]).is_ok());
    let e = messages(filed(Channel::Counter, &["tp-04", "tp-08"], &[]));
    assert!(e.contains("không áp dụng") && e.contains("Tờ khai"), "{e}");
}
