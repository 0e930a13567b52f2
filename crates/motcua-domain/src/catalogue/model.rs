//! Thủ tục hành chính — a procedure as the catalogue holds it: the parts the law requires
//! (ND 63/2010 art. 8), how the province runs it (agencies, workflow, committed times), and
//! the questions dossier code asks of it (which case, how long, how much).

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::{Channel, OnlineLevel, ProcedureCode};
use crate::agency::{AgencyCode, AgencyLevel, Role};
use crate::calendar::{DeadlinePolicy, SuspensionPolicy, TimeLimit};
use crate::error::FieldError;

/// Lĩnh vực — the field a procedure belongs to (`LINHVUCTHUCHIEN`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// `MALINHVUC` where the source gives one; otherwise a slug of the name (`ho-tich`).
    pub code: String,
    pub name: String,
}

/// Căn cứ pháp lý — one legal document a procedure rests on (`CANCUPHAPLY`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalDocument {
    /// Số hiệu, e.g. `123/2015/NĐ-CP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub title: String,
    /// Cơ quan ban hành.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Ngày ban hành.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<NaiveDate>,
}

/// Phí, lệ phí — one fee or charge, in đồng.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub name: String,
    pub amount_vnd: i64,
    /// Exemptions, per-page rates and the like, as published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Thành phần hồ sơ — one document the applicant hands in (`GIAYTO`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// Stable within its case (`tp-01`); dossiers refer to components by it.
    pub code: String,
    pub name: String,
    /// Số bản chính.
    pub originals: u8,
    /// Số bản sao.
    pub copies: u8,
    /// False for documents needed only in some situations ("trường hợp …", "nếu có").
    pub required: bool,
    /// Mẫu đơn, tờ khai — the name of the form to fill in, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Chỉ khi — the code of one of the case's [`Case::conditions`]: the component is
    /// needed only when the filer says that condition holds, and is not applicable
    /// otherwise (a required one becomes required only then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_if: Option<String>,
    /// The channels it applies to (e.g. an ID shown in person at the counter, a paper form
    /// at the counter and by post, an electronic form online); empty: every channel.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<Channel>,
    /// Loại giấy tờ — the kind of paper, so that a digitised one of the owner's (or an
    /// earlier result) can stand for it; without it, its name is the kind
    /// ([`crate::digitised::component_type`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<String>,
}

impl Component {
    /// Whether it applies to a dossier filed through `channel` with `conditions` holding.
    pub fn applies(&self, channel: Channel, conditions: &[String]) -> bool {
        (self.channels.is_empty() || self.channels.contains(&channel))
            && self
                .only_if
                .as_ref()
                .is_none_or(|c| conditions.iter().any(|h| h == c))
    }

    /// Whether a dossier filed through `channel` with `conditions` holding must carry it.
    pub fn required_for(&self, channel: Channel, conditions: &[String]) -> bool {
        self.required && self.applies(channel, conditions)
    }
}

/// Tình huống — a situation the filer says holds or not ("nộp thay theo ủy quyền"),
/// deciding which conditional components are needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Stable within its case (`uy-quyen`); components and dossiers refer to it.
    pub code: String,
    /// The question as the filer reads it ("Người nộp hồ sơ được ủy quyền nộp thay").
    pub question: String,
}

/// Thời hạn giải quyết theo kênh — the time limit for one channel (`CACHTHUCTHUCHIEN`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelTime {
    pub channel: Channel,
    /// Thời hạn theo quy định — the limit in the law.
    pub statutory: TimeLimit,
    /// Thời hạn cam kết — a shorter limit the province commits to; deadlines use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committed: Option<TimeLimit>,
}

impl ChannelTime {
    /// The limit dossiers are held to: the committed one when there is one.
    pub fn effective(&self) -> TimeLimit {
        self.committed.unwrap_or(self.statutory)
    }
}

/// Trường hợp — one variant of a procedure with its own documents, times and fees
/// (`TRUONGHOP`). Procedures without variants have one case, `chung`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub code: String,
    pub name: String,
    pub components: Vec<Component>,
    /// The situations its conditional components depend on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    pub times: Vec<ChannelTime>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<Fee>,
}

impl Case {
    /// The limit for dossiers filed through `channel`: committed if set, else statutory.
    pub fn time_for(&self, channel: Channel) -> Option<TimeLimit> {
        self.times
            .iter()
            .find(|t| t.channel == channel)
            .map(ChannelTime::effective)
    }

    pub fn component(&self, code: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.code == code)
    }

    /// The question of the situation `code`, or nothing.
    pub fn question_of(&self, code: &str) -> &str {
        self.conditions
            .iter()
            .find(|c| c.code == code)
            .map_or("", |c| c.question.as_str())
    }

    /// The case as filed through `channel`: only the components that may apply to it.
    pub fn for_channel(&self, channel: Channel) -> Case {
        let mut case = self.clone();
        case.components
            .retain(|x| x.channels.is_empty() || x.channels.contains(&channel));
        case
    }
}

/// Where a workflow step is done.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum StepAgency {
    /// Nơi tiếp nhận — the one-stop counter that received the dossier.
    Receiving,
    /// Cơ quan có thẩm quyền — the agency competent for this dossier.
    Competent,
    /// A named agency: a consultation or inter-agency step (liên thông).
    Agency(AgencyCode),
}

impl StepAgency {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Receiving => "receiving",
            Self::Competent => "competent",
            Self::Agency(code) => code.as_str(),
        }
    }
}

impl TryFrom<String> for StepAgency {
    type Error = FieldError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "receiving" => Ok(Self::Receiving),
            "competent" => Ok(Self::Competent),
            other => AgencyCode::parse(other).map(Self::Agency).map_err(|_| {
                FieldError::new(
                    "agency",
                    format!(
                        "“{other}” không phải “receiving”, “competent” hay một mã định danh \
                         cơ quan dạng 000.00.00.H00"
                    ),
                )
            }),
        }
    }
}

impl From<StepAgency> for String {
    fn from(agency: StepAgency) -> Self {
        agency.as_str().to_string()
    }
}

impl fmt::Display for StepAgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Bước xử lý — one step of the internal workflow (quy trình nội bộ), with its time budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowStep {
    pub name: String,
    pub role: Role,
    pub agency: StepAgency,
    /// Working hours allotted to the step.
    pub hours: u32,
}

/// How deadlines of this procedure are counted, beyond the time limit itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRules {
    /// Giờ chốt: dossiers received after it count from the next working day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cutoff: Option<NaiveTime>,
    #[serde(default)]
    pub suspension: SuspensionPolicy,
    /// Hẹn lại tối đa: how far an apology may move the appointment (default: as long as the
    /// case's own time limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apology_cap: Option<crate::calendar::TimeLimit>,
}

impl DeadlineRules {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// Thủ tục hành chính — one administrative procedure as this province runs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub code: ProcedureCode,
    pub name: String,
    pub field: Field,
    /// Cấp thực hiện.
    pub levels: Vec<AgencyLevel>,
    /// Cơ quan thực hiện — the agencies that perform it; for a commune-level procedure,
    /// every commune that does.
    pub agencies: Vec<AgencyCode>,
    /// Cơ quan phối hợp.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coordinating: Vec<AgencyCode>,
    pub online_level: OnlineLevel,
    pub channels: Vec<Channel>,
    pub cases: Vec<Case>,
    pub workflow: Vec<WorkflowStep>,
    #[serde(default, skip_serializing_if = "DeadlineRules::is_default")]
    pub deadline: DeadlineRules,
    /// Kết quả thực hiện.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<String>,
    /// The kind of paper its positive result is, for the store
    /// ([`crate::digitised::result_type`]); without it, its first result's name is the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_document_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<LegalDocument>,
    /// Quyết định công bố — the decision that published the procedure, e.g. `163/QĐ-BTP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Procedure {
    pub fn case(&self, code: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.code == code)
    }

    pub fn offers(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }

    /// The deadline rule for a dossier of `case_code` filed through `channel`, or `None` when
    /// the procedure has no such case or the case sets no time for that channel.
    pub fn deadline_policy(&self, case_code: &str, channel: Channel) -> Option<DeadlinePolicy> {
        let limit = self.case(case_code)?.time_for(channel)?;
        Some(DeadlinePolicy {
            limit,
            cutoff: self.deadline.cutoff,
            suspension: self.deadline.suspension,
            apology_cap: self.deadline.apology_cap,
        })
    }

    /// The sum of the case's fees in đồng; `None` for an unknown case (or a sum past `i64`).
    pub fn total_fee_vnd(&self, case_code: &str) -> Option<i64> {
        self.case(case_code)?
            .fees
            .iter()
            .try_fold(0i64, |sum, fee| sum.checked_add(fee.amount_vnd))
    }

    /// Whether `agency` performs this procedure.
    pub fn performed_by(&self, agency: &AgencyCode) -> bool {
        self.agencies.contains(agency)
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::procedure;
    use super::*;

    #[test]
    fn committed_time_wins() {
        let p = procedure();
        let case = p.case("chung").unwrap();
        assert_eq!(
            case.time_for(Channel::Counter),
            Some(TimeLimit::WorkingDays(3))
        );
        assert_eq!(
            case.time_for(Channel::Online),
            Some(TimeLimit::WorkingDays(2))
        );
        assert_eq!(case.time_for(Channel::Post), None);
        assert!(p.case("khac").is_none());
    }

    #[test]
    fn deadline_policy_carries_rules() {
        let mut p = procedure();
        p.deadline.cutoff = NaiveTime::from_hms_opt(15, 0, 0);
        p.deadline.suspension = SuspensionPolicy::Pause;
        let policy = p.deadline_policy("chung", Channel::Online).unwrap();
        assert_eq!(policy.limit, TimeLimit::WorkingDays(2));
        assert_eq!(policy.cutoff, NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!(policy.suspension, SuspensionPolicy::Pause);
        assert_eq!(p.deadline_policy("chung", Channel::Post), None);
        assert_eq!(p.deadline_policy("khac", Channel::Counter), None);
    }

    #[test]
    fn fees_add_up() {
        let mut p = procedure();
        assert_eq!(p.total_fee_vnd("chung"), Some(8_000));
        p.cases[0].fees.push(Fee {
            name: "Phí bản sao".into(),
            amount_vnd: 2_000,
            note: None,
        });
        assert_eq!(p.total_fee_vnd("chung"), Some(10_000));
        assert_eq!(p.total_fee_vnd("khac"), None);
        p.cases[0].fees[1].amount_vnd = i64::MAX;
        assert_eq!(p.total_fee_vnd("chung"), None);
    }

    #[test]
    fn step_agency_serde() {
        let json = serde_json::to_string(&vec![
            StepAgency::Receiving,
            StepAgency::Competent,
            StepAgency::Agency(AgencyCode::parse("000.00.12.H56").unwrap()),
        ])
        .unwrap();
        assert_eq!(json, r#"["receiving","competent","000.00.12.H56"]"#);
        let back: Vec<StepAgency> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), 3);
        let err = serde_json::from_str::<StepAgency>("\"so-tai-chinh\"").unwrap_err();
        assert!(err.to_string().contains("so-tai-chinh"));
    }
}
