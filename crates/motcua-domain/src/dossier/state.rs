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
    /// The agency the workflow pinned at intake, kept when a liên thông hand-off moved the
    /// step to another agency (`agency_id` is then that one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_agency: Option<i64>,
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

impl Supplement {
    /// Each paper to supplement and what is to be done to it, as the officer wrote them, one
    /// per line: "Tên giấy tờ: nội dung cần bổ sung, hoàn thiện" (the content empty when a
    /// line names the paper alone). Mẫu 02 prints them in its two columns.
    pub fn items(&self) -> Vec<(String, String)> {
        self.missing
            .iter()
            .map(|line| match line.split_once(':') {
                Some((paper, content)) if !paper.trim().is_empty() => {
                    (paper.trim().to_string(), content.trim().to_string())
                }
                _ => (line.trim().to_string(), String::new()),
            })
            .collect()
    }
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
    /// Issued later than one working day before the appointment it moved (ND 61 art.
    /// 19(9)): still owed to the citizen, and counted and shown as late.
    #[serde(default)]
    pub issued_late: bool,
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
    /// Stopped because its appraisal found it could not be granted (ND 61 art. 19(8):
    /// "từ chối giải quyết"), rather than stopped for another reason: the paper it gets is
    /// the rejection, not the stop notice.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rejected: bool,
    /// How its steps and consultations ended against their deadlines.
    #[serde(default)]
    pub step_tally: StepTally,
    /// Each appointment it has had, from when (read through
    /// [`DossierState::due_changes`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub due_record: Vec<super::history::DueChange>,
    /// When a paper component was first scanned into the dossier at the counter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digitised_at: Option<Instant>,
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

    /// Cơ quan tiếp nhận — the agency whose one-stop counter received the dossier (it takes
    /// in supplements and returns the result).
    pub fn receiving_agency(&self) -> i64 {
        self.steps
            .first()
            .map_or(self.current_agency, |s| s.agency_id)
    }

    /// Every agency the dossier has been or is at (receiving, current, each step of its
    /// workflow, each consulted agency): staff holding a role over any of them may see it.
    pub fn involved_agencies(&self) -> std::collections::BTreeSet<i64> {
        let mut out: std::collections::BTreeSet<i64> =
            self.steps.iter().map(|s| s.agency_id).collect();
        out.insert(self.receiving_agency());
        out.insert(self.current_agency);
        out.extend(self.consultations.iter().map(|c| c.agency_id));
        out
    }

    /// Cơ quan giải quyết — the agency competent for the dossier: the one holding most of
    /// the workflow's processing steps pinned at intake (reception and return left out; the
    /// earliest wins a tie), so a leader's signature at a higher agency or a consulted
    /// agency's step does not move it. Its statistics count the dossier, its head approves
    /// the apology and the letter speaks in its name.
    pub fn competent_agency(&self) -> i64 {
        let processing = self
            .steps
            .get(1..=self.approval_step())
            .filter(|s| !s.is_empty())
            .unwrap_or(&self.steps);
        let mut best: Option<(i64, usize)> = None;
        // As pinned at intake: a hand-off lends a step to another agency, which does not
        // become competent for the dossier by it.
        let pinned = |s: &PinnedStep| s.pinned_agency.unwrap_or(s.agency_id);
        for step in processing {
            let n = processing
                .iter()
                .filter(|s| pinned(s) == pinned(step))
                .count();
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((pinned(step), n));
            }
        }
        best.map_or(self.current_agency, |(id, _)| id)
    }

    /// Index of the last processing step (the one whose approval makes the result ready).
    pub fn approval_step(&self) -> usize {
        self.steps.len().saturating_sub(2)
    }

    /// Whether an approved apology re-dated this dossier.
    pub fn apologised(&self) -> bool {
        self.approved_apology().is_some()
    }

    /// The apology, once approved (a proposal is not yet the citizen's to read).
    pub fn approved_apology(&self) -> Option<&Apology> {
        self.apology.as_ref().filter(|a| a.approved_at.is_some())
    }

    /// The supplement asked for, while the dossier waits for it.
    pub fn awaited_supplement(&self) -> Option<&Supplement> {
        self.supplement
            .as_ref()
            .filter(|_| self.status == Status::AwaitingSupplement)
    }

    /// Notes that a paper component was scanned into the dossier at `at`; the first scan
    /// makes it digitised ([`super::digitised`]). Whether anything changed.
    pub fn note_scanned(&mut self, at: Instant) -> bool {
        if self.digitised_at.is_some() {
            return false;
        }
        self.digitised_at = Some(at);
        true
    }

    /// Notes the appointment now in force, taken at `at`, when it differs from the last one
    /// noted (every change of `due` is noted so: see `history.rs`).
    pub fn note_due(&mut self, at: Instant) {
        let last = self.due_record.last().and_then(|c| c.due);
        if last != self.due {
            self.due_record
                .push(super::history::DueChange { at, due: self.due });
        }
    }
}

#[cfg(test)]
mod supplement_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_line_names_a_paper_and_what_to_do() {
        let at = crate::calendar::vietnam_offset()
            .with_ymd_and_hms(2026, 12, 2, 9, 0, 0)
            .unwrap();
        let s = Supplement {
            requested_at: at,
            missing: vec![
                "Bản sao CCCD: bản sao có chứng thực, còn hạn".into(),
                "Ảnh 4x6".into(),
                ": không tên".into(),
            ],
            reason: "Hồ sơ chưa đủ".into(),
            resume_status: Status::Accepted,
            resume_step: 0,
            received_at: None,
            due_before: None,
            submitted_at: None,
        };
        assert_eq!(
            s.items(),
            vec![
                (
                    "Bản sao CCCD".into(),
                    "bản sao có chứng thực, còn hạn".into()
                ),
                ("Ảnh 4x6".into(), String::new()),
                (": không tên".into(), String::new()),
            ]
        );
    }
}
