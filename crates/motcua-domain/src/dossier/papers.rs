//! Giấy tờ của hồ sơ — which instant each paper of a dossier bears, and the appointment the
//! receipt states. A paper is dated by its event (the receipt by the receipt, a supplement
//! request by the request, an apology by its approval…), never by the day it is printed; a
//! receipt printed again after an apology still states the appointment given at receipt
//! (the new date belongs to the apology and the control slip).

use super::DossierState;
use crate::calendar::Instant;

/// The papers issued about one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả (issued when the dossier is accepted).
    Receipt,
    SupplementRequest,
    /// Phiếu từ chối tiếp nhận, giải quyết hồ sơ.
    Refusal,
    /// Phiếu xin lỗi và hẹn lại ngày trả kết quả (issued once approved).
    Apology,
    /// Thông báo dừng giải quyết.
    StopNotice,
    /// Phiếu kiểm soát quá trình giải quyết (opened with the receipt).
    ControlSlip,
}

impl DossierState {
    /// The instant `paper` bears: its event's, or `None` when the event has not happened
    /// (an apology not yet approved, a supplement never asked).
    pub fn paper_date(&self, paper: Paper) -> Option<Instant> {
        let accepted = self.accepted_at.unwrap_or(self.received_at);
        match paper {
            Paper::Receipt | Paper::ControlSlip => Some(accepted),
            Paper::SupplementRequest => self.supplement.as_ref().map(|s| s.requested_at),
            Paper::Refusal | Paper::StopNotice => self.finished_at,
            Paper::Apology => self.apology.as_ref().and_then(|a| a.approved_at),
        }
    }

    /// The appointment the receipt states: the one in force when the dossier was accepted.
    pub fn receipt_due(&self) -> Option<Instant> {
        self.due_in_force(self.accepted_at.unwrap_or(self.received_at))
            .or(self.due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agency::Role;
    use crate::calendar::SuspensionPolicy;
    use crate::catalogue::Channel;
    use crate::dossier::tests::{CAL, at, received};
    use crate::dossier::{Action, Actor, apply};

    #[test]
    fn papers_bear_their_events_and_the_receipt_keeps_its_appointment() {
        let s = received(
            Channel::Counter,
            "2026-03-02T08:00:00+07:00",
            SuspensionPolicy::Restart,
        );
        let first = s.due;
        assert_eq!(
            s.paper_date(Paper::Receipt),
            s.accepted_at.or(Some(s.received_at))
        );
        assert_eq!(s.paper_date(Paper::Apology), None);
        assert_eq!(s.paper_date(Paper::SupplementRequest), None);
        // An apology proposed and approved moves the appointment, not the receipt's.
        let specialist = Actor::Staff {
            id: 2,
            roles: vec![Role::Specialist],
        };
        let mut s = s;
        if let Some(step) = s.steps.iter().position(|p| p.role == Role::Specialist) {
            s.step = step;
            s.current_agency = s.steps[step].agency_id;
        }
        let proposed = apply(
            &s,
            &specialist,
            &Action::ProposeApology {
                reason: "Chờ xác minh".into(),
                new_due: at("2026-03-13T16:00:00+07:00"),
            },
            at("2026-03-05T09:00:00+07:00"),
            &CAL,
        )
        .unwrap()
        .state;
        let leader = Actor::Staff {
            id: 3,
            roles: vec![Role::AgencyLeader],
        };
        let approved = apply(
            &proposed,
            &leader,
            &Action::ApproveApology,
            at("2026-03-05T10:00:00+07:00"),
            &CAL,
        )
        .unwrap()
        .state;
        assert_ne!(approved.due, first);
        assert_eq!(approved.receipt_due(), first);
        assert_eq!(
            approved.paper_date(Paper::Apology),
            Some(at("2026-03-05T10:00:00+07:00"))
        );
    }
}
