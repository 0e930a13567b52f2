//! The state a dossier carries between transitions: status, pinned workflow, clocks,
//! supplement, payment, apology, consultations and return.

use serde::{Deserialize, Serialize};

use super::Status;
use crate::agency::Role;
use crate::calendar::{DeadlinePolicy, Instant, Outcome};

/// Bước xử lý — one step of the workflow, pinned to the dossier at intake with its
/// agency resolved, so later catalogue edits never re-route a dossier in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinnedStep {
    pub name: String,
    pub role: Role,
    pub agency_id: i64,
    pub hours: u32,
}

/// How the dossier's steps and consultations ended against their own deadlines, counted
/// as they end (TT 01/2018 chỉ số 2: the time of each agency against its allotted time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepTally {
    pub early: u32,
    pub on_time: u32,
    pub late: u32,
}

impl StepTally {
    pub fn count(&mut self, outcome: crate::calendar::Outcome) {
        match outcome {
            crate::calendar::Outcome::Early => self.early += 1,
            crate::calendar::Outcome::OnTime => self.on_time += 1,
            crate::calendar::Outcome::Late => self.late += 1,
        }
    }

    /// Chỉ số 2 for the dossier: 2 when every agency was early, 0 when any was late,
    /// 1 otherwise; none before any step with a deadline has ended.
    pub fn score(&self) -> Option<u8> {
        if self.early + self.on_time + self.late == 0 {
            None
        } else if self.late > 0 {
            Some(0)
        } else if self.on_time == 0 {
            Some(2)
        } else {
            Some(1)
        }
    }
}

/// Lấy ý kiến — a consultation of another agency, with its own deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub agency_id: i64,
    pub question: String,
    pub asked_at: Instant,
    pub due: Instant,
    pub answer: Option<String>,
    pub answered_at: Option<Instant>,
}

/// Yêu cầu bổ sung — the (single) supplement request and where the dossier resumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supplement {
    pub requested_at: Instant,
    pub missing: Vec<String>,
    pub reason: String,
    pub resume_status: Status,
    pub resume_step: usize,
    pub received_at: Option<Instant>,
    pub due_before: Option<Instant>,
    /// When the citizen sent the supplement online (the officer still has to receive it).
    #[serde(default)]
    pub submitted_at: Option<Instant>,
}

/// Nghĩa vụ tài chính — a fee or tax the citizen must pay before processing goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub amount_vnd: i64,
    pub requested_at: Instant,
    pub paid_at: Option<Instant>,
}

/// Phiếu xin lỗi và hẹn lại ngày trả kết quả — at most one per dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apology {
    pub reason: String,
    pub previous_due: Instant,
    pub new_due: Instant,
    pub proposed_by: i64,
    pub proposed_at: Instant,
    pub approved_by: Option<i64>,
    pub approved_at: Option<Instant>,
}

/// Hình thức trả kết quả.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnMethod {
    /// Trực tiếp tại Bộ phận Một cửa
    InPerson,
    /// Qua dịch vụ bưu chính công ích
    Post,
    /// Trực tuyến (kết quả điện tử)
    Online,
}

impl ReturnMethod {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::InPerson => "Trực tiếp tại Bộ phận Một cửa",
            Self::Post => "Qua dịch vụ bưu chính công ích",
            Self::Online => "Trực tuyến",
        }
    }
}

/// Trả kết quả — how and when the result was handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub method: ReturnMethod,
    pub tracking: Option<String>,
    pub returned_at: Instant,
}

/// Everything about a dossier's progress that the state machine reads and writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierState {
    pub status: Status,
    pub policy: DeadlinePolicy,
    pub steps: Vec<PinnedStep>,
    pub step: usize,
    pub current_agency: i64,
    pub assignee: Option<i64>,
    pub received_at: Instant,
    pub accepted_at: Option<Instant>,
    pub clock_start: Option<Instant>,
    pub due: Option<Instant>,
    pub step_started_at: Instant,
    pub step_due: Option<Instant>,
    #[serde(default)]
    pub supplement: Option<Supplement>,
    #[serde(default)]
    pub payment: Option<Payment>,
    #[serde(default)]
    pub apology: Option<Apology>,
    #[serde(default)]
    pub consultations: Vec<Consultation>,
    pub finished_at: Option<Instant>,
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub handover: Option<Handover>,
    /// Lý do — why it was refused, stopped or rejected.
    #[serde(default)]
    pub reason: Option<String>,
    /// How its steps and consultations ended against their deadlines.
    #[serde(default)]
    pub step_tally: StepTally,
}

impl DossierState {
    pub fn current_step(&self) -> Option<&PinnedStep> {
        self.steps.get(self.step)
    }

    /// The role whose officers have the dossier in hand now (the current step's), while it
    /// is being worked on; none while it waits for the citizen, is submitted or has ended.
    pub fn waiting_role(&self) -> Option<crate::agency::Role> {
        match self.status {
            super::Status::Accepted | super::Status::Processing => {
                self.current_step().map(|s| s.role)
            }
            _ => None,
        }
    }

    /// Index of the last processing step (the one whose approval makes the result ready).
    pub fn approval_step(&self) -> usize {
        self.steps.len().saturating_sub(2)
    }

    /// Whether an approved apology re-dated this dossier.
    pub fn apologised(&self) -> bool {
        self.apology
            .as_ref()
            .is_some_and(|a| a.approved_at.is_some())
    }

    /// Whether the dossier is overdue at `now`: in the agency's hands (not waiting for the
    /// citizen, not finished) and past its appointment.
    pub fn overdue_at(&self, now: Instant) -> bool {
        self.status.is_open() && self.due.is_some_and(|due| now > due)
    }
}
