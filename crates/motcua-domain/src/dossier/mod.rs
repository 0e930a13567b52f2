//! Hồ sơ — one application for one procedure: its code, applicant, status, and the state
//! machine that moves it from receipt to return.

mod action;
mod actions;
mod alerts;
mod applicant;
mod code;
mod digest;
mod drawing;
mod history;
mod intake;
mod machine;
mod notice;
mod papers;
mod search;
mod signing;
mod state;
mod status;
mod tally;

pub use action::{
    ACTIONS, Action, ActionSpec, Actor, Event, Field, FieldSpec, receives, spec as action_spec,
    usual_next,
};
pub use alerts::{AlertDue, AlertKind, alerts_due};
pub use applicant::{
    Applicant, ApplicantKind, NotifyChannel, STAFF_CHANNELS, area_of, check_citizen_id,
    check_email, check_tax_code, normalize_phone,
};
pub use code::DossierCode;
pub use digest::{
    DIGEST_ROLES, DigestGroup, digest_agencies, digest_groups, digest_time, next_working_day,
};
pub use drawing::{ASPECT as DRAWING_ASPECT, Drawing, SCALE as DRAWING_SCALE};
pub use history::DueChange;
pub use intake::{
    CheckedIntake, ComponentForm, Intake, ReceivedComponent, check_intake, choose_competent,
    initial_state, may_take_in,
};
pub use machine::{Effect, TransitionError, apply};
pub use notice::{Notice, notice};
pub use papers::Paper;
pub use search::{MIN_QUERY, prefix_end, query_prefixes, search_terms};
pub use signing::{may_sign_result, result_signable, signing_agency};
pub use state::{
    Apology, Consultation, DossierState, Handover, Payment, PinnedStep, ReturnMethod, StepTally,
    Supplement,
};
pub use status::Status;
pub use tally::{Count, TallyFacts, component_digitised, contribution, digitised};

#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;
