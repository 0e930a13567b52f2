//! Bảng thao tác — the action table: each action's machine name, Vietnamese label, the
//! fields it takes (their keys in the staff form and the API body), whether it is final,
//! whether the staff page offers it, how its fields are read from text, and the note its
//! history row keeps. The state machine decides when an action is allowed; the staff page,
//! the API, its OpenAPI document and the history read everything else from here.

use chrono::{NaiveDate, TimeZone};

use super::{Action, ReturnMethod};
use crate::calendar::vietnam_offset;

/// A field an action takes. Its key names it in the staff form and in the API body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Reason,
    Note,
    Missing,
    NewDue,
    AmountVnd,
    Index,
    Answer,
    Method,
    Tracking,
    AgencyId,
    Question,
    Hours,
    StaffId,
}

impl Field {
    /// Its key in forms and in the API body.
    pub fn key(self) -> &'static str {
        match self {
            Self::Reason => "reason",
            Self::Note => "note",
            Self::Missing => "missing",
            Self::NewDue => "new_due",
            Self::AmountVnd => "amount_vnd",
            Self::Index => "index",
            Self::Answer => "answer",
            Self::Method => "method",
            Self::Tracking => "tracking",
            Self::AgencyId => "agency_id",
            Self::Question => "question",
            Self::Hours => "hours",
            Self::StaffId => "staff_id",
        }
    }

    /// What people read for it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Reason => "Lý do",
            Self::Note => "Ghi chú",
            Self::Missing => {
                "Giấy tờ cần bổ sung, mỗi dòng một loại: tên giấy tờ: nội dung cần bổ sung"
            }
            Self::NewDue => "Ngày hẹn trả mới",
            Self::AmountVnd => "Số tiền (đồng)",
            Self::Index => "Lượt xin ý kiến",
            Self::Answer => "Ý kiến trả lời",
            Self::Method => "Hình thức trả kết quả",
            Self::Tracking => "Mã vận đơn",
            Self::AgencyId => "Cơ quan",
            Self::Question => "Nội dung xin ý kiến",
            Self::Hours => "Thời hạn trả lời (giờ làm việc)",
            Self::StaffId => "Cán bộ",
        }
    }

    /// The JSON Schema of its value in the API body.
    pub fn schema(self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Self::Reason | Self::Note | Self::Answer | Self::Question | Self::Tracking => {
                json!({"type": "string"})
            }
            Self::Missing => json!({"type": "array", "items": {"type": "string"}}),
            Self::NewDue => json!({"type": "string", "format": "date-time"}),
            Self::AmountVnd | Self::AgencyId | Self::StaffId => json!({"type": "integer"}),
            Self::Index | Self::Hours => json!({"type": "integer", "minimum": 0}),
            Self::Method => json!({"type": "string", "enum": ["in_person", "post", "online"]}),
        }
    }
}

/// A field of an action, and whether the action needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub field: Field,
    pub required: bool,
}

/// One row of the action table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    /// The machine name ([`Action::name`]).
    pub name: &'static str,
    pub label: &'static str,
    pub fields: &'static [FieldSpec],
    /// It ends the dossier without its result: the person taking it confirms it first.
    pub irreversible: bool,
    /// Offered on the staff page (a citizen's own action is not).
    pub staff_page: bool,
}

const fn need(field: Field) -> FieldSpec {
    FieldSpec {
        field,
        required: true,
    }
}

const fn may(field: Field) -> FieldSpec {
    FieldSpec {
        field,
        required: false,
    }
}

const fn row(name: &'static str, label: &'static str, fields: &'static [FieldSpec]) -> ActionSpec {
    ActionSpec {
        name,
        label,
        fields,
        irreversible: false,
        staff_page: true,
    }
}

const fn last(spec: ActionSpec) -> ActionSpec {
    ActionSpec {
        irreversible: true,
        ..spec
    }
}

use Field::*;

/// Every action, in the order the staff page offers them.
pub const ACTIONS: &[ActionSpec] = &[
    row("accept", "Tiếp nhận hồ sơ", &[]),
    last(row("refuse_intake", "Từ chối tiếp nhận", &[need(Reason)])),
    row("forward", "Chuyển bước tiếp theo", &[may(Note)]),
    row("appraise", "Thẩm định", &[need(Note)]),
    row("send_back", "Trả lại bước trước", &[need(Note)]),
    row(
        "request_supplement",
        "Yêu cầu bổ sung hồ sơ",
        &[need(Missing), need(Reason)],
    ),
    ActionSpec {
        staff_page: false,
        ..row("submit_supplement", "Công dân nộp bổ sung", &[may(Note)])
    },
    row("receive_supplement", "Nhận hồ sơ bổ sung", &[may(Note)]),
    row(
        "answer_consultation",
        "Trả lời ý kiến",
        &[need(Index), need(Answer)],
    ),
    row("assign", "Phân công xử lý", &[need(StaffId)]),
    row(
        "consult",
        "Lấy ý kiến cơ quan phối hợp",
        &[need(AgencyId), need(Question), need(Hours)],
    ),
    row(
        "hand_off",
        "Chuyển liên thông",
        &[need(AgencyId), may(Note)],
    ),
    row(
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        &[need(AmountVnd), may(Note)],
    ),
    row("confirm_payment", "Xác nhận đã nộp phí", &[]),
    row(
        "propose_apology",
        "Đề xuất xin lỗi, hẹn lại ngày trả",
        &[need(Reason), need(NewDue)],
    ),
    row("approve_apology", "Duyệt phiếu xin lỗi", &[]),
    row("approve", "Phê duyệt kết quả", &[may(Note)]),
    last(row("reject", "Từ chối giải quyết", &[need(Reason)])),
    last(row("stop", "Dừng xử lý", &[need(Reason)])),
    last(row("withdraw", "Rút hồ sơ", &[may(Reason)])),
    row("return", "Trả kết quả", &[need(Method), may(Tracking)]),
];

/// Whether a history row named `name` is the dossier's reception: a counter intake
/// (`receive`), or the acceptance of a dossier filed online or by post (`accept`). Its actor is
/// the receiving officer the receipt and the log book name.
pub fn receives(name: &str) -> bool {
    matches!(name, "receive" | "accept")
}

/// The row of the action named `name`.
pub fn spec(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|s| s.name == name)
}

impl Action {
    /// The action named `name` with its fields read from text by `value` (a form's fields,
    /// the page's placeholders): the text a person typed, converted, or a message naming
    /// what is wrong. Whether the values are acceptable (a reason given, a date after the
    /// appointment) is the state machine's to say.
    pub fn from_fields(
        name: &str,
        value: impl Fn(Field) -> Option<String>,
    ) -> Result<Self, String> {
        let text = |f: Field| value(f).unwrap_or_default().trim().to_string();
        let optional = |f: Field| Some(text(f)).filter(|t| !t.is_empty());
        let number = |f: Field, wrong: &str| -> Result<i64, String> {
            text(f)
                .replace(['.', ',', ' '], "")
                .parse()
                .map_err(|_| wrong.to_string())
        };
        Ok(match name {
            "accept" => Self::Accept,
            "refuse_intake" => Self::RefuseIntake {
                reason: text(Reason),
            },
            "forward" => Self::Forward {
                note: optional(Note),
            },
            "appraise" => Self::Appraise { note: text(Note) },
            "send_back" => Self::SendBack { note: text(Note) },
            "request_supplement" => Self::RequestSupplement {
                missing: text(Missing)
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                reason: text(Reason),
            },
            "submit_supplement" => Self::SubmitSupplement {
                note: optional(Note),
            },
            "receive_supplement" => Self::ReceiveSupplement {
                note: optional(Note),
            },
            "answer_consultation" => Self::AnswerConsultation {
                index: usize::try_from(number(Index, "Không rõ lượt xin ý kiến nào")?)
                    .map_err(|_| "Không rõ lượt xin ý kiến nào".to_string())?,
                answer: text(Answer),
            },
            "assign" => Self::Assign {
                staff_id: number(StaffId, "Chưa chọn cán bộ")?,
            },
            "consult" => Self::Consult {
                agency_id: number(AgencyId, "Chưa chọn cơ quan")?,
                question: text(Question),
                hours: u32::try_from(number(Hours, HOURS)?).map_err(|_| HOURS.to_string())?,
            },
            "hand_off" => Self::HandOff {
                agency_id: number(AgencyId, "Chưa chọn cơ quan")?,
                note: optional(Note),
            },
            "request_payment" => Self::RequestPayment {
                amount_vnd: number(AmountVnd, "Số tiền phải là số đồng")?,
                note: optional(Note),
            },
            "confirm_payment" => Self::ConfirmPayment,
            "propose_apology" => Self::ProposeApology {
                reason: text(Reason),
                new_due: end_of_day(&text(NewDue)).ok_or("Ngày hẹn mới không hợp lệ")?,
            },
            "approve_apology" => Self::ApproveApology,
            "approve" => Self::Approve {
                note: optional(Note),
            },
            "reject" => Self::Reject {
                reason: text(Reason),
            },
            "stop" => Self::Stop {
                reason: text(Reason),
            },
            "withdraw" => Self::Withdraw {
                reason: optional(Reason),
            },
            "return" => Self::Return {
                method: match text(Method).as_str() {
                    "post" => ReturnMethod::Post,
                    "online" => ReturnMethod::Online,
                    _ => ReturnMethod::InPerson,
                },
                tracking: optional(Tracking),
            },
            other => return Err(format!("Không có thao tác “{other}”")),
        })
    }

    /// The note its history row keeps: the reason, the note, the question or answer given.
    pub fn note(&self) -> Option<String> {
        match self {
            Self::RefuseIntake { reason }
            | Self::Reject { reason }
            | Self::Stop { reason }
            | Self::ProposeApology { reason, .. } => Some(reason.clone()),
            Self::RequestSupplement { missing, reason } => {
                Some(format!("{reason} — cần bổ sung: {}", missing.join("; ")))
            }
            Self::Appraise { note } | Self::SendBack { note } => Some(note.clone()),
            Self::Forward { note }
            | Self::ReceiveSupplement { note }
            | Self::SubmitSupplement { note }
            | Self::Approve { note }
            | Self::HandOff { note, .. }
            | Self::RequestPayment { note, .. } => note.clone(),
            Self::Withdraw { reason } => reason.clone(),
            Self::Consult { question, .. } => Some(question.clone()),
            Self::AnswerConsultation { answer, .. } => Some(answer.clone()),
            Self::Return { tracking, .. } => tracking.clone(),
            Self::Accept | Self::Assign { .. } | Self::ConfirmPayment | Self::ApproveApology => {
                None
            }
        }
    }
}

const HOURS: &str = "Thời hạn trả lời phải là số giờ làm việc";

/// A date typed as `YYYY-MM-DD` (or `DD/MM/YYYY`), at 17:00 Vietnam time (the end of the
/// working day a new appointment falls on).
fn end_of_day(text: &str) -> Option<crate::calendar::Instant> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()?;
    vietnam_offset()
        .from_local_datetime(&date.and_hms_opt(17, 0, 0)?)
        .single()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row's fields, filled with plausible text, read back into the action of that
    /// name; the serde form of that action (the API body) holds exactly the row's keys.
    #[test]
    fn every_row_reads_back_into_its_action_and_api_body() {
        let sample = |f: Field| {
            Some(
                match f {
                    NewDue => "2026-12-31",
                    AmountVnd => "150.000",
                    Index => "0",
                    AgencyId | StaffId => "7",
                    Hours => "16",
                    Method => "post",
                    Missing => "Bản sao CCCD\n\n Giấy khai sinh ",
                    _ => "nội dung",
                }
                .to_string(),
            )
        };
        for spec in ACTIONS {
            let action = Action::from_fields(spec.name, sample).unwrap();
            assert_eq!(action.name(), spec.name);
            assert_eq!(action.spec(), spec);
            let body = serde_json::to_value(&action).unwrap();
            let mut keys: Vec<&str> = body
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "action")
                .collect();
            keys.sort_unstable();
            let mut declared: Vec<&str> = spec.fields.iter().map(|f| f.field.key()).collect();
            declared.sort_unstable();
            assert_eq!(keys, declared, "{}", spec.name);
            for f in spec.fields.iter().filter(|f| f.required) {
                assert!(!body[f.field.key()].is_null(), "{} {:?}", spec.name, f);
            }
        }
        let Action::RequestSupplement { missing, .. } =
            Action::from_fields("request_supplement", sample).unwrap()
        else {
            unreachable!()
        };
        assert_eq!(missing, ["Bản sao CCCD", "Giấy khai sinh"]);
        let Action::RequestPayment { amount_vnd, .. } =
            Action::from_fields("request_payment", sample).unwrap()
        else {
            unreachable!()
        };
        assert_eq!(amount_vnd, 150_000);
    }

    #[test]
    fn wrong_text_is_named() {
        let none = |_| None;
        assert_eq!(
            Action::from_fields("assign", none).unwrap_err(),
            "Chưa chọn cán bộ"
        );
        assert_eq!(
            Action::from_fields("propose_apology", |_| Some("31/02/2026".into())).unwrap_err(),
            "Ngày hẹn mới không hợp lệ"
        );
        assert_eq!(
            Action::from_fields("consult", |f| Some(
                if f == Hours { "-3" } else { "1" }.into()
            ))
            .unwrap_err(),
            HOURS
        );
        assert!(
            Action::from_fields("fly", none)
                .unwrap_err()
                .contains("fly")
        );
        let due = end_of_day("02/12/2026").unwrap();
        assert_eq!(due.to_rfc3339(), "2026-12-02T17:00:00+07:00");
    }

    #[test]
    fn names_are_unique_and_labelled() {
        for (i, a) in ACTIONS.iter().enumerate() {
            assert!(!a.label.is_empty());
            assert!(
                ACTIONS[i + 1..].iter().all(|b| b.name != a.name),
                "{}",
                a.name
            );
        }
    }
}
