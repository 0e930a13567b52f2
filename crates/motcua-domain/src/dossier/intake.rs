//! Tiếp nhận hồ sơ — validating a new dossier against its procedure and starting its state.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

use super::{Applicant, DossierState, PinnedStep, ReturnMethod, Status};
use crate::calendar::{Instant, WorkCalendar};
use crate::catalogue::{Channel, Procedure, StepAgency};
use crate::error::FieldError;

/// Hình thức giấy tờ — how a component was handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentForm {
    /// Bản chính
    Original,
    /// Bản sao (chứng thực) hoặc bản chụp
    Copy,
    /// Bản điện tử
    Electronic,
}

/// A component of the case's list as received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedComponent {
    pub code: String,
    pub form: ComponentForm,
    #[serde(default = "one")]
    pub count: u8,
}

fn one() -> u8 {
    1
}

/// A dossier as submitted: at the counter, online or by post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    pub procedure_code: String,
    pub case_code: String,
    pub channel: Channel,
    pub applicant: Applicant,
    #[serde(default)]
    pub components: Vec<ReceivedComponent>,
    pub return_method: ReturnMethod,
    /// Trích yếu — a one-line summary of the request.
    #[serde(default)]
    pub summary: Option<String>,
    /// The case's situations the filer says hold (codes of [`crate::catalogue::Condition`]);
    /// the conditional components follow from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

/// An intake checked against its procedure, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedIntake {
    pub intake: Intake,
    pub fee_vnd: i64,
    pub summary: String,
}

/// Who may file through `channel`: a dossier online is filed by the citizen; at the
/// counter or by post it is received by a one-stop officer (or a leader) of the receiving
/// agency (`actor`'s roles are those it holds there). The message names the rule.
pub fn may_take_in(channel: Channel, actor: &super::Actor) -> Result<(), String> {
    use crate::agency::Role;
    let allowed = match (channel, actor) {
        (Channel::Online, super::Actor::Citizen { .. }) => true,
        (Channel::Counter | Channel::Post, super::Actor::Staff { .. }) => {
            actor.has_any(&[Role::CounterOfficer, Role::UnitLeader, Role::AgencyLeader])
        }
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err("chỉ công chức một cửa của cơ quan tiếp nhận được nhận hồ sơ trực tiếp hoặc qua bưu chính; hồ sơ trực tuyến do công dân nộp".into())
    }
}

/// Cơ quan giải quyết chosen at intake: the receiving agency when it performs the procedure
/// itself (a commune); otherwise the first agency the catalogue names that is not a commune
/// (`level_of` tells an agency's level, `None` when unknown), or else its first agency.
pub fn choose_competent<'a>(
    receiving: &str,
    performers: &'a [crate::agency::AgencyCode],
    level_of: impl Fn(&crate::agency::AgencyCode) -> Option<crate::agency::AgencyLevel>,
) -> Option<&'a crate::agency::AgencyCode> {
    use crate::agency::AgencyLevel;
    if let Some(own) = performers.iter().find(|a| a.as_str() == receiving) {
        return Some(own);
    }
    performers
        .iter()
        .find(|a| level_of(a).is_some_and(|l| l != AgencyLevel::Commune))
        .or(performers.first())
}

/// Checks an intake against the procedure version it is filed under; returns every
/// problem, each naming its field.
pub fn check_intake(
    intake: Intake,
    procedure: &Procedure,
) -> Result<CheckedIntake, Vec<FieldError>> {
    let mut errors = Vec::new();
    let applicant = match intake.applicant.clone().validate() {
        Ok(a) => Some(a),
        Err(list) => {
            errors.extend(list.into_iter().map(|e| e.within("applicant")));
            None
        }
    };
    let Some(case) = procedure.case(&intake.case_code) else {
        errors.push(FieldError::new(
            "case_code",
            format!(
                "thủ tục {} không có trường hợp “{}”",
                procedure.code.as_str(),
                intake.case_code
            ),
        ));
        return Err(errors);
    };
    if !procedure.channels.contains(&intake.channel) {
        errors.push(FieldError::new(
            "channel",
            format!(
                "thủ tục này không nhận hồ sơ qua kênh “{}”",
                intake.channel.label_vi()
            ),
        ));
    }
    if intake.return_method == ReturnMethod::Online
        && !procedure.channels.contains(&Channel::Online)
    {
        errors.push(FieldError::new(
            "return_method",
            "thủ tục này không trả kết quả trực tuyến",
        ));
    }
    for (i, condition) in intake.conditions.iter().enumerate() {
        if !case.conditions.iter().any(|c| &c.code == condition) {
            errors.push(FieldError::new(
                format!("conditions[{i}]"),
                format!("trường hợp này không có tình huống “{condition}”"),
            ));
        }
    }
    let mut seen = HashSet::new();
    for (i, component) in intake.components.iter().enumerate() {
        if let Some(c) = case.component(&component.code)
            && !c.applies(intake.channel, &intake.conditions)
        {
            errors.push(FieldError::new(
                format!("components[{i}].code"),
                format!("“{}” không áp dụng cho hồ sơ này", c.name),
            ));
        }
        if !case.components.iter().any(|c| c.code == component.code) {
            errors.push(FieldError::new(
                format!("components[{i}].code"),
                format!(
                    "“{}” không có trong danh mục thành phần hồ sơ",
                    component.code
                ),
            ));
        }
        if !seen.insert(component.code.as_str()) {
            errors.push(FieldError::new(
                format!("components[{i}].code"),
                format!("thành phần “{}” được khai hai lần", component.code),
            ));
        }
        if component.count == 0 {
            errors.push(FieldError::new(
                format!("components[{i}].count"),
                "số lượng phải từ 1",
            ));
        }
    }
    let missing: Vec<&str> = case
        .components
        .iter()
        .filter(|c| {
            c.required_for(intake.channel, &intake.conditions) && !seen.contains(c.code.as_str())
        })
        .map(|c| c.name.as_str())
        .collect();
    if !missing.is_empty() {
        errors.push(FieldError::new(
            "components",
            format!("còn thiếu thành phần bắt buộc: {}", missing.join("; ")),
        ));
    }
    let summary = intake
        .summary
        .as_deref()
        .map(|s| crate::text::nfc(s.trim()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| procedure.name.clone());
    if summary.chars().count() > 1000 {
        errors.push(FieldError::new("summary", "trích yếu dài quá 1000 ký tự"));
    }
    match applicant {
        Some(applicant) if errors.is_empty() => Ok(CheckedIntake {
            fee_vnd: procedure.total_fee_vnd(&intake.case_code).unwrap_or(0),
            intake: Intake {
                applicant,
                summary: Some(summary.clone()),
                ..intake
            },
            summary,
        }),
        _ => Err(errors),
    }
}

/// The state of a freshly received dossier. At the counter it is accepted at once and its
/// clock starts; online and postal dossiers wait as "mới đăng ký" until accepted.
/// `resolve` turns each workflow step's agency into an agency id.
pub fn initial_state(
    checked: &CheckedIntake,
    procedure: &Procedure,
    now: Instant,
    calendar: &WorkCalendar,
    mut resolve: impl FnMut(&StepAgency) -> Result<i64, FieldError>,
) -> Result<DossierState, Vec<FieldError>> {
    let intake = &checked.intake;
    let policy = procedure
        .deadline_policy(&intake.case_code, intake.channel)
        .ok_or_else(|| {
            vec![FieldError::new(
                "channel",
                "thủ tục chưa quy định thời hạn giải quyết cho kênh này",
            )]
        })?;
    let mut steps = Vec::with_capacity(procedure.workflow.len());
    let mut errors = Vec::new();
    for (i, step) in procedure.workflow.iter().enumerate() {
        match resolve(&step.agency) {
            Ok(agency_id) => steps.push(PinnedStep {
                name: step.name.clone(),
                role: step.role,
                agency_id,
                hours: step.hours,
                pinned_agency: None,
            }),
            Err(e) => errors.push(e.within(&format!("workflow[{i}]"))),
        }
    }
    if steps.len() < 2 && errors.is_empty() {
        errors.push(FieldError::new(
            "workflow",
            "quy trình của thủ tục phải có ít nhất bước tiếp nhận và bước trả kết quả",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let receiving = steps.first().map_or(0, |s| s.agency_id);
    let mut state = DossierState {
        status: Status::Submitted,
        policy,
        steps,
        step: 0,
        current_agency: receiving,
        assignee: None,
        received_at: now,
        accepted_at: None,
        clock_start: None,
        due: None,
        step_started_at: now,
        step_due: None,
        supplement: None,
        payment: None,
        apology: None,
        consultations: Vec::new(),
        finished_at: None,
        outcome: None,
        handover: None,
        reason: None,
        rejected: false,
        step_tally: Default::default(),
        due_record: Vec::new(),
        digitised_at: None,
    };
    if intake.channel == Channel::Counter {
        let calendar_error =
            |e: crate::calendar::CalendarError| vec![FieldError::new("received_at", e.to_string())];
        let deadline = calendar.deadline(&policy, now).map_err(calendar_error)?;
        state.status = Status::Accepted;
        state.accepted_at = Some(now);
        state.clock_start = Some(deadline.start);
        state.due = Some(deadline.due);
        let hours = state.steps.first().map_or(0, |s| s.hours);
        state.step_due = Some(
            calendar
                .add_working_seconds(deadline.start, i64::from(hours) * 3600)
                .map_err(calendar_error)?,
        );
        state.note_due(now);
    }
    Ok(state)
}
