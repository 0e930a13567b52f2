//! A small valid procedure that tests start from and then break one rule at a time.

use super::*;
use crate::agency::{AgencyCode, AgencyLevel, Role};
use crate::calendar::TimeLimit;

fn agency(code: &str) -> AgencyCode {
    AgencyCode::parse(code).unwrap()
}

fn step(name: &str, role: Role, agency: StepAgency, hours: u32) -> WorkflowStep {
    WorkflowStep {
        name: name.into(),
        role,
        agency,
        hours,
    }
}

/// Cấp bản sao trích lục hộ tịch at a commune: 3 working days, 2 committed online.
pub(crate) fn procedure() -> Procedure {
    Procedure {
        result_document_type: None,
        code: ProcedureCode::parse("2.000635").unwrap(),
        name: "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh".into(),
        field: Field {
            code: "ho-tich".into(),
            name: "Hộ tịch".into(),
        },
        levels: vec![AgencyLevel::Commune],
        agencies: vec![agency("000.30.01.H56"), agency("000.30.02.H56")],
        coordinating: vec![],
        online_level: OnlineLevel::Full,
        channels: vec![Channel::Counter, Channel::Online],
        cases: vec![Case {
            code: "chung".into(),
            name: "Trường hợp chung".into(),
            components: vec![
                Component {
                    document_type: None,
                    code: "tk-01".into(),
                    name: "Tờ khai cấp bản sao trích lục hộ tịch".into(),
                    originals: 1,
                    copies: 0,
                    required: true,
                    form: Some("Mẫu TK-BSTL".into()),
                    only_if: None,
                    channels: vec![],
                },
                Component {
                    document_type: None,
                    code: "uq-01".into(),
                    name: "Văn bản ủy quyền (nếu có)".into(),
                    originals: 1,
                    copies: 0,
                    required: false,
                    form: None,
                    only_if: None,
                    channels: vec![],
                },
            ],
            times: vec![
                ChannelTime {
                    channel: Channel::Counter,
                    statutory: TimeLimit::WorkingDays(3),
                    committed: None,
                },
                ChannelTime {
                    channel: Channel::Online,
                    statutory: TimeLimit::WorkingDays(3),
                    committed: Some(TimeLimit::WorkingDays(2)),
                },
            ],
            fees: vec![Fee {
                name: "Lệ phí cấp bản sao Trích lục hộ tịch".into(),
                amount_vnd: 8_000,
                note: Some("8.000 đồng/bản sao".into()),
            }],
            conditions: vec![],
        }],
        workflow: vec![
            step(
                "Tiếp nhận hồ sơ",
                Role::CounterOfficer,
                StepAgency::Receiving,
                2,
            ),
            step("Thẩm định", Role::Specialist, StepAgency::Competent, 8),
            step("Phê duyệt", Role::AgencyLeader, StepAgency::Competent, 4),
            step(
                "Trả kết quả",
                Role::CounterOfficer,
                StepAgency::Receiving,
                2,
            ),
        ],
        deadline: DeadlineRules::default(),
        results: vec!["Bản sao Trích lục hộ tịch".into()],
        legal_basis: vec![LegalDocument {
            number: Some("123/2015/NĐ-CP".into()),
            title: "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch"
                .into(),
            issuer: Some("Chính phủ".into()),
            issued: chrono::NaiveDate::from_ymd_opt(2015, 11, 15),
        }],
        decision: Some("163/QĐ-BTP".into()),
        description: None,
    }
}
