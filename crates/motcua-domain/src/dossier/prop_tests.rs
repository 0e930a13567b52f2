//! Random sequences of actions driven through [`apply`]: whatever is tried, by whoever,
//! whenever, the dossier only moves along legal paths, is apologised for and asked for a
//! supplement at most once, is never overdue while it waits for the citizen, and counts
//! for the statistics consistently with its state.

use proptest::prelude::*;

use super::tests::{CAL, MON, at, received, staff};
use super::*;
use crate::agency::Role;
use crate::calendar::{Instant, SuspensionPolicy, is_late};
use crate::catalogue::Channel;

/// The status changes the law allows (a transition may also keep its status).
fn legal(from: Status, to: Status) -> bool {
    use Status::*;
    from == to
        || matches!(
            (from, to),
            (
                Submitted,
                Accepted | Refused | AwaitingSupplement | Withdrawn
            ) | (
                Accepted,
                Processing | AwaitingSupplement | ResultReady | Stopped | Withdrawn
            ) | (
                Processing,
                AwaitingSupplement | AwaitingPayment | ResultReady | Stopped | Withdrawn
            ) | (
                AwaitingSupplement,
                Submitted | Accepted | Processing | Stopped | Withdrawn
            ) | (AwaitingPayment, Processing | Stopped | Withdrawn)
                | (ResultReady, Returned)
        )
}

fn actor(i: u8) -> Actor {
    match i % 6 {
        0 => staff(1, &[Role::CounterOfficer]),
        1 => staff(2, &[Role::Specialist]),
        2 => staff(3, &[Role::UnitLeader]),
        3 => staff(4, &[Role::AgencyLeader]),
        4 => Actor::Citizen { owner: true },
        _ => Actor::Citizen { owner: false },
    }
}

/// An action to try, the ones that end a dossier early made rare so that most sequences
/// go deep.
fn action(i: u8, now: Instant) -> Action {
    let text = || "Ghi chú".to_string();
    match i % 64 {
        0..=2 => Action::Accept,
        3 => Action::RefuseIntake { reason: text() },
        4..=17 => Action::Forward { note: None },
        18 | 19 => Action::Assign { staff_id: 2 },
        20 => Action::SendBack { note: text() },
        21..=23 => Action::RequestSupplement {
            missing: vec!["Giấy chứng sinh".into()],
            reason: text(),
        },
        24..=26 => Action::SubmitSupplement { note: None },
        27..=29 => Action::ReceiveSupplement { note: None },
        30..=32 => Action::RequestPayment {
            amount_vnd: 50_000,
            note: None,
        },
        33..=35 => Action::ConfirmPayment,
        36..=38 => Action::ProposeApology {
            reason: text(),
            new_due: now + chrono::Duration::days(3),
        },
        39..=41 => Action::ApproveApology,
        42..=50 => Action::Approve { note: None },
        51 => Action::Stop { reason: text() },
        52 => Action::Withdraw { reason: None },
        53..=57 => Action::Return {
            method: ReturnMethod::InPerson,
            tracking: None,
        },
        58..=60 => Action::Consult {
            agency_id: 3,
            question: text(),
            hours: 8,
        },
        _ => Action::AnswerConsultation {
            index: 0,
            answer: text(),
        },
    }
}

/// Checks what must hold of one state, at `now`.
fn check_state(s: &DossierState, now: Instant) -> Result<(), TestCaseError> {
    // Never overdue while waiting for the citizen; the history's answer for "now" is the
    // current status's.
    let waiting = matches!(
        s.status,
        Status::AwaitingSupplement | Status::AwaitingPayment
    );
    prop_assert_eq!(s.waiting_at(now), waiting);
    if waiting {
        prop_assert!(!s.overdue_at(now));
    }
    prop_assert_eq!(
        s.overdue_at(now),
        s.status.is_open() && s.due.is_some_and(|d| is_late(now, d))
    );
    prop_assert_eq!(s.due_in_force(now), s.due);
    // The statistics' counts agree with the state.
    let counts = contribution(TallyFacts {
        state: s,
        components: &[],
        return_method: ReturnMethod::InPerson,
        synced: false,
        fee_vnd: 0,
        paid_online: false,
        reused: false,
    });
    let n = |c: Count| counts.iter().filter(|(_, k)| *k == c).count();
    prop_assert_eq!(n(Count::Received), 1);
    prop_assert_eq!(n(Count::Accepted), usize::from(s.accepted_at.is_some()));
    let ended = s.status.is_final() || s.status == Status::ResultReady;
    prop_assert_eq!(n(Count::Finished), usize::from(ended));
    let outcomes = [
        Count::Early,
        Count::OnTime,
        Count::Late,
        Count::Apologised,
        Count::Refused,
        Count::Withdrawn,
        Count::Stopped,
    ]
    .iter()
    .map(|c| n(*c))
    .sum::<usize>();
    prop_assert!(outcomes <= n(Count::Finished));
    prop_assert!(n(Count::Apologies) <= 1);
    // Overdue and waits open and close in turn, and are closed once the dossier ended.
    let overdue: Vec<bool> = s.overdue_changes().iter().map(|c| c.1).collect();
    for (i, v) in overdue.iter().enumerate() {
        prop_assert_eq!(*v, i % 2 == 0, "{:?}", overdue);
    }
    if ended {
        prop_assert!(overdue.len().is_multiple_of(2), "{:?}", overdue);
        prop_assert_eq!(n(Count::PauseIn), n(Count::PauseOut));
    }
    prop_assert!(n(Count::PauseOut) <= n(Count::PauseIn));
    prop_assert_eq!(n(Count::PauseIn) - n(Count::PauseOut), usize::from(waiting));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_actions_keep_the_rules(
        online in any::<bool>(),
        pause in any::<bool>(),
        steps in prop::collection::vec((any::<u8>(), any::<u8>(), 0u32..(3 * 24 * 60)), 1..40),
    ) {
        let channel = if online { Channel::Online } else { Channel::Counter };
        let policy = if pause { SuspensionPolicy::Pause } else { SuspensionPolicy::Restart };
        let mut state = received(channel, MON, policy);
        let mut now = at(MON);
        let mut apologies = 0;
        let mut supplements = 0;
        check_state(&state, now)?;
        for (a, who, minutes) in steps {
            now += chrono::Duration::minutes(i64::from(minutes));
            let act = action(a, now);
            // Whoever is tried first, the others after: most sequences then go deep.
            let Some(effect) = (0..6)
                .find_map(|k| apply(&state, &actor(who.wrapping_add(k)), &act, now, &CAL).ok())
            else {
                continue;
            };
            let next = effect.state;
            prop_assert!(
                legal(state.status, next.status),
                "{:?} → {:?} by {:?}", state.status, next.status, act
            );
            if state.apology.is_some() {
                prop_assert_eq!(
                    next.apology.as_ref().map(|a| (a.proposed_at, a.previous_due)),
                    state.apology.as_ref().map(|a| (a.proposed_at, a.previous_due))
                );
            }
            if next.apologised() && !state.apologised() {
                apologies += 1;
            }
            if next.supplement.is_some() && state.supplement.is_none() {
                supplements += 1;
            }
            prop_assert!(apologies <= 1 && supplements <= 1);
            // The appointment only moves when the dossier is accepted, resumes after a
            // wait, or is re-dated by an apology.
            if next.due != state.due {
                prop_assert!(matches!(
                    act,
                    Action::Accept
                        | Action::ReceiveSupplement { .. }
                        | Action::ConfirmPayment
                        | Action::ApproveApology
                ), "{:?} moved the appointment", act);
            }
            state = next;
            check_state(&state, now)?;
        }
    }
}
