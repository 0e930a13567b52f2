//! Ký kết quả — who may sign a dossier's electronic result, with which agency's key, and when.
//!
//! Signing is not a transition: the result document is prepared and attached after approval,
//! so a leader signs it once the dossier is approved (result ready or already returned). The
//! key is the approving agency's (the agency of the workflow's approval step), whichever
//! agency holds the dossier for the hand-back.

use super::{DossierState, Status};
use crate::agency::Role;

/// The agency whose key signs the result: the one that approved it.
pub fn signing_agency(state: &DossierState) -> i64 {
    state
        .steps
        .get(state.approval_step())
        .map_or(state.current_agency, |s| s.agency_id)
}

/// Whether a result may be signed in this status: only after approval.
pub fn result_signable(status: Status) -> bool {
    matches!(status, Status::ResultReady | Status::Returned)
}

/// Whether someone with `roles` over the signing agency may sign a result in `status`.
pub fn may_sign_result(status: Status, roles: &[Role]) -> bool {
    result_signable(status)
        && roles
            .iter()
            .any(|r| matches!(r, Role::UnitLeader | Role::AgencyLeader))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_leaders_sign_and_only_after_approval() {
        let leader = [Role::AgencyLeader];
        assert!(may_sign_result(Status::ResultReady, &leader));
        assert!(may_sign_result(Status::Returned, &[Role::UnitLeader]));
        assert!(!may_sign_result(Status::Processing, &leader));
        assert!(!may_sign_result(Status::Stopped, &leader));
        assert!(!may_sign_result(
            Status::ResultReady,
            &[Role::Specialist, Role::CounterOfficer, Role::Administrator]
        ));
    }
}
