//! Cảnh báo trước hạn — which alerts a dossier owes at an instant: its appointment or its
//! current step's deadline within a working-time threshold (ND 61 art. 19(9): the agency
//! must know at the latest one working day before), and a step already late. Each alert has
//! a key naming the dossier's deadline it is about, so a store raises it once however often
//! it asks (a re-dated dossier owes a new one for its new date). A dossier waiting for the
//! citizen, or ended, owes none; lateness is the one rule of `calendar::is_late`.

use serde::{Deserialize, Serialize};

use super::{DossierState, Status};
use crate::calendar::{CalendarError, Instant, WorkCalendar, is_late};

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The dossier's appointment is near.
    DueSoon,
    /// The current step's deadline is near.
    StepDueSoon,
    /// The current step is past its deadline (its leader is told again).
    StepLate,
    /// The resolving agency proposed an apology and a new date: the receiving counter is
    /// told at once, to prepare the letter and the citizen.
    ApologyProposed,
}

impl AlertKind {
    pub const ALL: [AlertKind; 4] = [
        Self::DueSoon,
        Self::StepDueSoon,
        Self::StepLate,
        Self::ApologyProposed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DueSoon => "due_soon",
            Self::StepDueSoon => "step_due_soon",
            Self::StepLate => "step_late",
            Self::ApologyProposed => "apology_proposed",
        }
    }

    /// The actions an alert offers on the dossier, first the usual next one: move it on,
    /// ask the citizen for what is missing, or propose an apology and a new date; for a
    /// proposed apology, its approval. Whether the officer may take each is the machine's
    /// decision on the page.
    pub fn next_actions(self, state: &DossierState) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = super::usual_next(state).into_iter().collect();
        if self != Self::ApologyProposed {
            for name in ["request_supplement", "propose_apology"] {
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
        out
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::DueSoon => "Hồ sơ sắp đến hạn trả kết quả",
            Self::StepDueSoon => "Bước xử lý sắp hết hạn",
            Self::StepLate => "Bước xử lý đã quá hạn",
            Self::ApologyProposed => "Cơ quan giải quyết đề xuất xin lỗi, hẹn lại ngày trả",
        }
    }
}

/// An alert the dossier owes: its kind, the deadline it is about, the instant its key names
/// (the deadline, or when an apology was proposed), and the key that makes it once-only
/// (`kind:step:deadline`, `apology_proposed:proposed_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDue {
    pub kind: AlertKind,
    pub deadline: Instant,
    pub about: Instant,
    pub key: String,
}

/// The alerts `state` owes at `now`, with `threshold` working seconds of warning (one
/// working day by default: [`WorkCalendar::day_seconds`]).
pub fn alerts_due(
    state: &DossierState,
    now: Instant,
    calendar: &WorkCalendar,
    threshold: i64,
) -> Result<Vec<AlertDue>, CalendarError> {
    if !matches!(state.status, Status::Accepted | Status::Processing) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let mut near = |kind: AlertKind, deadline: Instant| -> Result<(), CalendarError> {
        if !is_late(now, deadline)
            && calendar.working_seconds_remaining(now, deadline)? <= threshold
        {
            out.push(AlertDue {
                kind,
                deadline,
                about: deadline,
                key: format!("{}:{}:{}", kind.as_str(), state.step, deadline.timestamp()),
            });
        }
        Ok(())
    };
    if let Some(due) = state.due {
        near(AlertKind::DueSoon, due)?;
    }
    if let Some(step_due) = state.step_due {
        near(AlertKind::StepDueSoon, step_due)?;
        if is_late(now, step_due) {
            out.push(AlertDue {
                kind: AlertKind::StepLate,
                deadline: step_due,
                about: step_due,
                key: format!(
                    "{}:{}:{}",
                    AlertKind::StepLate.as_str(),
                    state.step,
                    step_due.timestamp()
                ),
            });
        }
    }
    if let Some(a) = state.apology.as_ref().filter(|a| a.approved_at.is_none()) {
        out.push(AlertDue {
            kind: AlertKind::ApologyProposed,
            deadline: a.previous_due,
            about: a.proposed_at,
            key: format!(
                "{}:{}",
                AlertKind::ApologyProposed.as_str(),
                a.proposed_at.timestamp()
            ),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::SuspensionPolicy;
    use crate::catalogue::Channel;
    use crate::dossier::tests::{CAL, at, received};

    fn kinds(s: &DossierState, when: &str) -> Vec<AlertKind> {
        alerts_due(s, at(when), &CAL, CAL.day_seconds())
            .unwrap()
            .into_iter()
            .map(|a| a.kind)
            .collect()
    }

    /// Received Monday 2 March 2026 at 08:00 with five working days: due Monday 9 March at
    /// 08:00. The alert is owed from one working day before (Friday 08:00), over the
    /// weekend, and not once the dossier is late (the board and the light say so).
    #[test]
    fn the_appointment_alerts_one_working_day_before_across_a_weekend() {
        let mut s = received(
            Channel::Counter,
            "2026-03-02T08:00:00+07:00",
            SuspensionPolicy::Restart,
        );
        s.step_due = None;
        assert_eq!(s.due, Some(at("2026-03-09T08:00:00+07:00")));
        assert!(kinds(&s, "2026-03-06T07:59:00+07:00").is_empty());
        assert_eq!(
            kinds(&s, "2026-03-06T08:00:00+07:00"),
            vec![AlertKind::DueSoon]
        );
        assert_eq!(
            kinds(&s, "2026-03-07T10:00:00+07:00"),
            vec![AlertKind::DueSoon]
        );
        assert!(kinds(&s, "2026-03-09T08:01:00+07:00").is_empty());
        // The same deadline, the same key, however often asked.
        let a = alerts_due(&s, at("2026-03-06T09:00:00+07:00"), &CAL, CAL.day_seconds()).unwrap();
        let b = alerts_due(&s, at("2026-03-08T09:00:00+07:00"), &CAL, CAL.day_seconds()).unwrap();
        assert_eq!(a[0].key, b[0].key);
        // Waiting for the citizen or ended: nothing.
        s.status = Status::AwaitingSupplement;
        assert!(kinds(&s, "2026-03-06T09:00:00+07:00").is_empty());
        s.status = Status::ResultReady;
        assert!(kinds(&s, "2026-03-06T09:00:00+07:00").is_empty());
    }

    /// Due Monday 4 May 2026 at 08:00, after the 30/4 and 1/5 holidays (Thursday and
    /// Friday): the working day before begins Wednesday 29 April at 08:00.
    #[test]
    fn holidays_come_from_the_calendar() {
        let mut s = received(
            Channel::Counter,
            "2026-04-27T08:00:00+07:00",
            SuspensionPolicy::Restart,
        );
        s.step_due = None;
        s.due = Some(at("2026-05-04T08:00:00+07:00"));
        assert!(kinds(&s, "2026-04-29T07:59:00+07:00").is_empty());
        assert_eq!(
            kinds(&s, "2026-04-29T08:00:00+07:00"),
            vec![AlertKind::DueSoon]
        );
        assert_eq!(
            kinds(&s, "2026-04-30T10:00:00+07:00"),
            vec![AlertKind::DueSoon]
        );
    }

    /// An apology proposed and not yet approved: the counter is told, once per proposal.
    #[test]
    fn a_proposed_apology_tells_the_counter() {
        let mut s = received(
            Channel::Counter,
            "2026-03-02T08:00:00+07:00",
            SuspensionPolicy::Restart,
        );
        s.step_due = None;
        s.apology = Some(crate::dossier::Apology {
            reason: "Chờ xác minh".into(),
            previous_due: s.due.unwrap(),
            new_due: at("2026-03-13T16:00:00+07:00"),
            proposed_by: 2,
            proposed_at: at("2026-03-04T09:00:00+07:00"),
            approved_by: None,
            approved_at: None,
            issued_late: false,
        });
        assert_eq!(
            kinds(&s, "2026-03-04T10:00:00+07:00"),
            vec![AlertKind::ApologyProposed]
        );
        if let Some(a) = s.apology.as_mut() {
            a.approved_at = Some(at("2026-03-04T11:00:00+07:00"));
        }
        assert!(kinds(&s, "2026-03-04T12:00:00+07:00").is_empty());
    }

    #[test]
    fn a_late_step_alerts_its_leader_again() {
        let s = received(
            Channel::Counter,
            "2026-03-02T08:00:00+07:00",
            SuspensionPolicy::Restart,
        );
        let step_due = s.step_due.unwrap();
        let later = step_due + chrono::Duration::hours(1);
        let alerts = alerts_due(&s, later, &CAL, CAL.day_seconds()).unwrap();
        assert!(alerts.iter().any(|a| a.kind == AlertKind::StepLate));
        assert!(!alerts.iter().any(|a| a.kind == AlertKind::StepDueSoon));
    }
}
