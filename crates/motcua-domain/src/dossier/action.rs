//! Thao tác — the actions that move a dossier, who may take them, and what they announce.

use serde::{Deserialize, Serialize};

pub use super::actions::{ACTIONS, ActionSpec, Field, FieldSpec, receives, spec};
use super::{DossierState, ReturnMethod};
use crate::agency::Role;
use crate::calendar::Instant;

/// One action on a dossier, as requested by an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Tiếp nhận a submitted (online or postal) dossier.
    Accept,
    /// Từ chối tiếp nhận (Mẫu 03).
    RefuseIntake { reason: String },
    /// Chuyển bước tiếp theo — complete the current step and hand over.
    Forward {
        #[serde(default)]
        note: Option<String>,
    },
    /// Phân công — give the current step to a staff member.
    Assign { staff_id: i64 },
    /// Thẩm định — record an appraisal note.
    Appraise { note: String },
    /// Trả lại bước trước.
    SendBack { note: String },
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02): once, within 3 working days.
    RequestSupplement {
        missing: Vec<String>,
        reason: String,
    },
    /// Công dân nộp hồ sơ bổ sung trực tuyến; the counter officer then checks and receives it.
    SubmitSupplement {
        #[serde(default)]
        note: Option<String>,
    },
    /// Nhận hồ sơ bổ sung đầy đủ.
    ReceiveSupplement {
        #[serde(default)]
        note: Option<String>,
    },
    /// Lấy ý kiến cơ quan khác, with its deadline in working hours.
    Consult {
        agency_id: i64,
        question: String,
        hours: u32,
    },
    /// Trả lời ý kiến (by the consulted agency).
    AnswerConsultation { index: usize, answer: String },
    /// Chuyển liên thông — send the current step to another agency or level.
    HandOff {
        agency_id: i64,
        #[serde(default)]
        note: Option<String>,
    },
    /// Yêu cầu thực hiện nghĩa vụ tài chính.
    RequestPayment {
        amount_vnd: i64,
        #[serde(default)]
        note: Option<String>,
    },
    /// Xác nhận đã nộp phí, lệ phí, thuế.
    ConfirmPayment,
    /// Đề xuất xin lỗi và hẹn lại ngày trả (Mẫu 04).
    ProposeApology { reason: String, new_due: Instant },
    /// Lãnh đạo duyệt phiếu xin lỗi.
    ApproveApology,
    /// Phê duyệt kết quả.
    Approve {
        #[serde(default)]
        note: Option<String>,
    },
    /// Từ chối giải quyết sau thẩm định.
    Reject { reason: String },
    /// Dừng xử lý.
    Stop { reason: String },
    /// Công dân rút hồ sơ.
    Withdraw {
        #[serde(default)]
        reason: Option<String>,
    },
    /// Trả kết quả.
    Return {
        method: ReturnMethod,
        #[serde(default)]
        tracking: Option<String>,
    },
}

/// Who acts: a staff member with the roles they hold over the agency concerned, a citizen,
/// or a payment gateway's verified proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff {
        id: i64,
        roles: Vec<Role>,
    },
    /// `owner` is true when the citizen is the dossier's applicant account.
    Citizen {
        owner: bool,
    },
    /// A payment gateway whose proof of payment was verified (its signature, the order,
    /// the amount): it may confirm the payment it proved, nothing else.
    Gateway,
}

impl Actor {
    pub fn staff_id(&self) -> Option<i64> {
        match self {
            Self::Staff { id, .. } => Some(*id),
            Self::Citizen { .. } | Self::Gateway => None,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        matches!(self, Self::Staff { roles, .. } if roles.contains(&role))
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    pub fn is_leader(&self) -> bool {
        self.has_any(&[Role::UnitLeader, Role::AgencyLeader])
    }
}

/// Sự kiện — what a transition announces to the citizen (through the outbox).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Received,
    Refused,
    SupplementRequested,
    PaymentRequested,
    ApologyIssued,
    ResultReadyEarly,
    ResultReady,
    Rejected,
    Stopped,
    Withdrawn,
    Returned,
    RatingInvitation,
}

impl Event {
    /// Every event, in the order a dossier usually meets them.
    pub const ALL: [Event; 12] = [
        Self::Received,
        Self::Refused,
        Self::SupplementRequested,
        Self::PaymentRequested,
        Self::ApologyIssued,
        Self::ResultReadyEarly,
        Self::ResultReady,
        Self::Rejected,
        Self::Stopped,
        Self::Withdrawn,
        Self::Returned,
        Self::RatingInvitation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Refused => "refused",
            Self::SupplementRequested => "supplement_requested",
            Self::PaymentRequested => "payment_requested",
            Self::ApologyIssued => "apology_issued",
            Self::ResultReadyEarly => "result_ready_early",
            Self::ResultReady => "result_ready",
            Self::Rejected => "rejected",
            Self::Stopped => "stopped",
            Self::Withdrawn => "withdrawn",
            Self::Returned => "returned",
            Self::RatingInvitation => "rating_invitation",
        }
    }
}

impl Action {
    /// Stable machine name, used in history rows, audit entries and the API.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::RefuseIntake { .. } => "refuse_intake",
            Self::Forward { .. } => "forward",
            Self::Assign { .. } => "assign",
            Self::Appraise { .. } => "appraise",
            Self::SendBack { .. } => "send_back",
            Self::RequestSupplement { .. } => "request_supplement",
            Self::SubmitSupplement { .. } => "submit_supplement",
            Self::ReceiveSupplement { .. } => "receive_supplement",
            Self::Consult { .. } => "consult",
            Self::AnswerConsultation { .. } => "answer_consultation",
            Self::HandOff { .. } => "hand_off",
            Self::RequestPayment { .. } => "request_payment",
            Self::ConfirmPayment => "confirm_payment",
            Self::ProposeApology { .. } => "propose_apology",
            Self::ApproveApology => "approve_apology",
            Self::Approve { .. } => "approve",
            Self::Reject { .. } => "reject",
            Self::Stop { .. } => "stop",
            Self::Withdraw { .. } => "withdraw",
            Self::Return { .. } => "return",
        }
    }

    /// Its row of the action table.
    pub fn spec(&self) -> &'static ActionSpec {
        spec(self.name()).unwrap_or(&ACTIONS[0])
    }

    /// Whether it ends the dossier without its result (a refusal, a stop, a withdrawal):
    /// nothing can undo it, so the person taking it confirms it first.
    pub fn is_irreversible(&self) -> bool {
        self.spec().irreversible
    }

    /// What people read for it.
    pub fn label_vi(&self) -> &'static str {
        self.spec().label
    }

    /// The label of a stored action name (history rows also hold `receive` and `submit`).
    pub fn label_of_name(name: &str) -> Option<&'static str> {
        match name {
            "receive" => Some("Tiếp nhận hồ sơ"),
            "submit" => Some("Nộp hồ sơ"),
            _ => spec(name).map(|s| s.label),
        }
    }

    /// Whether the note of a history row with action `name` is shown to the applicant: a
    /// reason they are given (a refusal, a supplement asked, a rejection, a stop, how the
    /// result was returned) or their own words (with a supplement, a withdrawal). Other
    /// notes stay inside the agencies.
    pub fn note_is_public(name: &str) -> bool {
        matches!(
            name,
            "refuse_intake"
                | "request_supplement"
                | "submit_supplement"
                | "reject"
                | "stop"
                | "withdraw"
                | "return"
        )
    }

    /// The agency whose roles authorize this action: the consulted agency for an answer,
    /// the receiving agency (its one-stop counter) for taking in a supplement or a
    /// withdrawal, otherwise the agency currently holding the dossier.
    pub fn authorizing_agency(&self, state: &DossierState) -> i64 {
        let receiving = state.receiving_agency();
        match self {
            Self::AnswerConsultation { index, .. } => state
                .consultations
                .get(*index)
                .map_or(state.current_agency, |c| c.agency_id),
            Self::ReceiveSupplement { .. } | Self::Withdraw { .. } => receiving,
            Self::ApproveApology => state.competent_agency(),
            _ => state.current_agency,
        }
    }
}

/// Bước thường làm tiếp — the action the dossier usually waits for in its status (its name,
/// as [`Action::name`] gives it): accept a submitted dossier, approve at the approval step,
/// forward along the workflow, approve a proposed apology, take in the supplement, confirm
/// the payment, hand back the result. Pages show it first; the others are "more actions".
pub fn usual_next(state: &DossierState) -> Option<&'static str> {
    use super::Status::*;
    let apology_pending = state
        .apology
        .as_ref()
        .is_some_and(|a| a.approved_at.is_none());
    Some(match state.status {
        Submitted => "accept",
        Accepted | Processing if apology_pending => "approve_apology",
        Accepted | Processing if state.step == state.approval_step() => "approve",
        Accepted | Processing => "forward",
        AwaitingSupplement => "receive_supplement",
        AwaitingPayment => "confirm_payment",
        ResultReady => "return",
        Refused | Withdrawn | Stopped | Returned => return None,
    })
}
