//! Một việc hỗ trợ — a question or a feedback case: its kinds, channels and states, what the
//! submitter must give (NĐ 20 art. 7), who may take each step, and the machine that moves it
//! from receipt through classification, handling and a leader's review to its answer, its
//! forwarding or its refusal, and to publication where the rule allows.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::agency::Role;

/// What the case is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Hỏi đáp — a question about a procedure or a field.
    Question,
    /// Phản ánh, kiến nghị về quy định hành chính (NĐ 20 art. 5(2)–(8)).
    Regulation,
    /// Phản ánh về hành vi chậm trễ, gây phiền hà của cán bộ (NĐ 20 art. 5(1)).
    Conduct,
}

impl Kind {
    pub const ALL: [Self; 3] = [Self::Question, Self::Regulation, Self::Conduct];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Regulation => "regulation",
            Self::Conduct => "conduct",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Question => "Hỏi đáp",
            Self::Regulation => "Phản ánh, kiến nghị về quy định hành chính",
            Self::Conduct => "Phản ánh về hành vi, thái độ của cán bộ",
        }
    }

    /// Whether it is a feedback or petition (what TT 01's indicator 8 counts).
    pub fn is_feedback(self) -> bool {
        !matches!(self, Self::Question)
    }

    /// The code's prefix: `HD` for questions, `PA` for feedback.
    pub fn prefix(self) -> &'static str {
        if self.is_feedback() { "PA" } else { "HD" }
    }
}

/// How it reached the desk (NĐ 20 art. 6–7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Trực tuyến, on motcua's pages or the national portal.
    Online,
    /// Trực tiếp tại quầy.
    Counter,
    /// Qua số điện thoại chuyên dùng đã công bố.
    Phone,
    /// Qua bưu chính.
    Post,
    /// Qua thư điện tử.
    Email,
}

impl Channel {
    pub const ALL: [Self; 5] = [
        Self::Online,
        Self::Counter,
        Self::Phone,
        Self::Post,
        Self::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Counter => "counter",
            Self::Phone => "phone",
            Self::Post => "post",
            Self::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Online => "Trực tuyến",
            Self::Counter => "Trực tiếp tại quầy",
            Self::Phone => "Điện thoại",
            Self::Post => "Bưu chính",
            Self::Email => "Thư điện tử",
        }
    }
}

/// Whether the submitter lets the answer be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Công khai: a question's answer is published with it; a feedback's result may be.
    Public,
    /// Riêng tư: answered to the submitter only, never shown publicly.
    Private,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Public, Self::Private]
            .into_iter()
            .find(|v| v.as_str() == text)
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Đã tiếp nhận, chờ phân loại.
    Received,
    /// Đang xử lý.
    Handling,
    /// Chờ lãnh đạo duyệt câu trả lời.
    Review,
    /// Đã trả lời người gửi.
    Answered,
    /// Đã trả lời và công khai.
    Published,
    /// Đã chuyển cơ quan có thẩm quyền (outside motcua).
    Forwarded,
    /// Không tiếp nhận, with the reason.
    Refused,
}

impl State {
    pub const ALL: [Self; 7] = [
        Self::Received,
        Self::Handling,
        Self::Review,
        Self::Answered,
        Self::Published,
        Self::Forwarded,
        Self::Refused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Handling => "handling",
            Self::Review => "review",
            Self::Answered => "answered",
            Self::Published => "published",
            Self::Forwarded => "forwarded",
            Self::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Received => "Chờ phân loại",
            Self::Handling => "Đang xử lý",
            Self::Review => "Chờ lãnh đạo duyệt",
            Self::Answered => "Đã trả lời",
            Self::Published => "Đã trả lời, công khai",
            Self::Forwarded => "Đã chuyển cơ quan có thẩm quyền",
            Self::Refused => "Không tiếp nhận",
        }
    }

    /// Still the desk's to handle (its deadline runs).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Received | Self::Handling | Self::Review)
    }

    /// The states that are open, for queries.
    pub const OPEN: [Self; 3] = [Self::Received, Self::Handling, Self::Review];
}

/// Nội dung phản ánh (NĐ 20 art. 5) a regulation feedback is classified under.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("not_fit", "Quy định không phù hợp với thực tế"),
    ("inconsistent", "Quy định không đồng bộ, thiếu thống nhất"),
    ("unlawful", "Quy định không hợp pháp"),
    ("treaty", "Quy định trái với điều ước quốc tế"),
    (
        "proposal",
        "Phương án xử lý, sáng kiến ban hành mới quy định",
    ),
    ("other", "Vấn đề khác về quy định hành chính"),
    ("conduct", "Hành vi chậm trễ, gây phiền hà của cán bộ"),
    ("procedure", "Câu hỏi về thủ tục hành chính"),
];

/// The words of a category, or the key when unknown.
pub fn category_label(key: &str) -> &str {
    CATEGORIES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| l)
}

/// Who sent it: NĐ 20 art. 7 asks a written feedback for a name, an address and a phone
/// number or mailing address; one by phone for name, address and phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitter {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub address: String,
}

pub(crate) fn phone_ok(phone: &str) -> bool {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let digits = digits.strip_prefix('+').unwrap_or(&digits);
    (9..=11).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

fn email_ok(email: &str) -> bool {
    let mut parts = email.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(user), Some(host), None)
            if !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
                && !email.contains(char::is_whitespace)
    )
}

impl Submitter {
    /// Named errors for what `kind` received by `channel` must carry: always a name and a
    /// way to answer (phone or e-mail); a feedback also the address; one by phone the phone.
    pub fn check(&self, kind: Kind, channel: Channel) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.name.trim().chars().count() < 2 {
            errors.push(FieldError::new("name", "cần ghi họ và tên người gửi"));
        }
        let (phone, email) = (self.phone.trim(), self.email.trim());
        if !phone.is_empty() && !phone_ok(phone) {
            errors.push(FieldError::new(
                "phone",
                "số điện thoại chỉ gồm 9 đến 11 chữ số",
            ));
        }
        if !email.is_empty() && !email_ok(email) {
            errors.push(FieldError::new("email", "địa chỉ thư điện tử không hợp lệ"));
        }
        if phone.is_empty() && email.is_empty() {
            errors.push(FieldError::new(
                "phone",
                "cần số điện thoại hoặc thư điện tử để trả lời người gửi",
            ));
        }
        if channel == Channel::Phone && phone.is_empty() {
            errors.push(FieldError::new(
                "phone",
                "phản ánh qua điện thoại phải có số điện thoại của người gửi (NĐ 20, Điều 7)",
            ));
        }
        if kind.is_feedback() && self.address.trim().is_empty() {
            errors.push(FieldError::new(
                "address",
                "phản ánh, kiến nghị phải ghi địa chỉ của người gửi (NĐ 20, Điều 7)",
            ));
        }
        for (field, text, max) in [
            ("name", &self.name, 200),
            ("address", &self.address, 300),
            ("email", &self.email, 200),
        ] {
            if text.chars().count() > max {
                errors.push(FieldError::new(field, format!("dài quá {max} ký tự")));
            }
        }
        errors
    }
}

/// Named errors for a title (5 to 200 characters) and content (10 to 5000).
pub fn check_text(title: &str, content: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let t = title.trim().chars().count();
    if !(5..=200).contains(&t) {
        errors.push(FieldError::new("title", "tiêu đề từ 5 đến 200 ký tự"));
    }
    let c = content.trim().chars().count();
    if !(10..=5000).contains(&c) {
        errors.push(FieldError::new("content", "nội dung từ 10 đến 5.000 ký tự"));
    }
    errors
}

/// Whether the text reads as a complaint or a denunciation, which NĐ 20 does not cover
/// (art. 1): the officer is reminded to guide it to the law on complaints or denunciations.
pub fn looks_like_complaint(text: &str) -> bool {
    let folded = crate::text::fold(text);
    ["khieu nai", "to cao"].iter().any(|w| folded.contains(w))
}

/// A step a case may take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Thụ lý: classify it and take it in hand, optionally assigning an officer.
    Accept {
        category: String,
        assignee: Option<i64>,
    },
    /// Chuyển cơ quan khác trong hệ thống: it goes back to "received" at that agency.
    Transfer { agency_id: i64, reason: String },
    /// Chuyển cơ quan có thẩm quyền ngoài hệ thống (named): ends here.
    Forward { to: String },
    /// Không tiếp nhận, with the reason (art. 7 not met, a complaint, a duplicate …).
    Refuse { reason: String },
    /// Trả lời: the answer or the handling result.
    Answer { text: String },
    /// Duyệt: the answer goes out; `publish` for a feedback whose submitter allows it (a
    /// public question is published with its answer whatever is asked).
    Approve { publish: bool },
    /// Trả lại: back to handling with the leader's note.
    Return { note: String },
    /// Công khai an answered case whose submitter allows it.
    Publish,
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Accept { .. } => "accept",
            Self::Transfer { .. } => "transfer",
            Self::Forward { .. } => "forward",
            Self::Refuse { .. } => "refuse",
            Self::Answer { .. } => "answer",
            Self::Approve { .. } => "approve",
            Self::Return { .. } => "return",
            Self::Publish => "publish",
        }
    }

    pub fn label_vi(name: &str) -> &'static str {
        match name {
            "open" => "Tiếp nhận",
            "accept" => "Thụ lý",
            "transfer" => "Chuyển cơ quan khác",
            "forward" => "Chuyển cơ quan có thẩm quyền",
            "refuse" => "Không tiếp nhận",
            "answer" => "Trả lời",
            "approve" => "Duyệt câu trả lời",
            "return" => "Trả lại để xử lý lại",
            "publish" => "Công khai",
            _ => "Thao tác",
        }
    }
}

/// The roles that may take step `action` on a case of `kind`: any officer of the agency
/// classifies; officers who handle answer (counter officers too, for questions); leaders
/// approve, return and publish.
pub fn may(roles: &[Role], kind: Kind, action: &str) -> bool {
    let any = |allowed: &[Role]| roles.iter().any(|r| allowed.contains(r));
    match action {
        "accept" | "transfer" | "forward" | "refuse" => any(&[
            Role::CounterOfficer,
            Role::Specialist,
            Role::UnitLeader,
            Role::AgencyLeader,
        ]),
        "answer" if kind == Kind::Question => any(&[
            Role::CounterOfficer,
            Role::Specialist,
            Role::UnitLeader,
            Role::AgencyLeader,
        ]),
        "answer" => any(&[Role::Specialist, Role::UnitLeader, Role::AgencyLeader]),
        "approve" | "return" | "publish" => any(&[Role::UnitLeader, Role::AgencyLeader]),
        _ => false,
    }
}

/// What the machine reads of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseView {
    pub kind: Kind,
    pub state: State,
    pub visibility: Visibility,
    pub agency_id: i64,
    pub assignee: Option<i64>,
}

/// What a step changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub state: State,
    pub agency_id: i64,
    /// The new assignee (`Some(None)`: nobody), or unchanged.
    pub assignee: Option<Option<i64>>,
    pub category: Option<String>,
    pub answer: Option<String>,
    /// The reason, the body forwarded to, or the leader's note, for the history.
    pub note: Option<String>,
    /// The case ends now (answered, forwarded or refused): its handling time stops.
    pub ends: bool,
    /// It is published now.
    pub publishes: bool,
    /// The message the submitter gets, if any.
    pub event: Option<&'static str>,
}

/// Why a step cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SupportError {
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotNow(String),
    #[error("dữ liệu không hợp lệ")]
    Invalid(Vec<FieldError>),
}

fn required(field: &str, text: &str, message: &str) -> Result<String, SupportError> {
    let text = crate::text::nfc(text.trim());
    if text.chars().count() < 3 {
        return Err(SupportError::Invalid(vec![FieldError::new(field, message)]));
    }
    if text.chars().count() > 10_000 {
        return Err(SupportError::Invalid(vec![FieldError::new(
            field,
            "dài quá 10.000 ký tự",
        )]));
    }
    Ok(text)
}

impl CaseView {
    /// The step `action` taken by officer `me` holding `roles` over the case's agency, under
    /// `review` (whether answers wait for a leader).
    pub fn apply(
        &self,
        action: &Action,
        me: i64,
        roles: &[Role],
        review: bool,
    ) -> Result<Change, SupportError> {
        let name = action.name();
        if !may(roles, self.kind, name) {
            return Err(SupportError::Forbidden(format!(
                "cán bộ không có quyền “{}” với {} của cơ quan này",
                Action::label_vi(name).to_lowercase(),
                self.kind.label_vi().to_lowercase()
            )));
        }
        let not_now = || {
            SupportError::NotNow(format!(
                "không thể “{}” khi đang ở trạng thái “{}”",
                Action::label_vi(name).to_lowercase(),
                self.state.label_vi()
            ))
        };
        let base = Change {
            state: self.state,
            agency_id: self.agency_id,
            assignee: None,
            category: None,
            answer: None,
            note: None,
            ends: false,
            publishes: false,
            event: None,
        };
        let leader = roles
            .iter()
            .any(|r| matches!(r, Role::UnitLeader | Role::AgencyLeader));
        match action {
            Action::Accept { category, assignee } => {
                if self.state != State::Received {
                    return Err(not_now());
                }
                if !CATEGORIES.iter().any(|(k, _)| k == category) {
                    return Err(SupportError::Invalid(vec![FieldError::new(
                        "category",
                        "cần chọn nội dung phản ánh, kiến nghị (NĐ 20, Điều 5)",
                    )]));
                }
                Ok(Change {
                    state: State::Handling,
                    assignee: Some(*assignee),
                    category: Some(category.clone()),
                    event: Some("support_accepted"),
                    ..base
                })
            }
            Action::Transfer { agency_id, reason } => {
                if !matches!(self.state, State::Received | State::Handling) {
                    return Err(not_now());
                }
                if *agency_id == self.agency_id {
                    return Err(SupportError::Invalid(vec![FieldError::new(
                        "agency",
                        "cần chọn một cơ quan khác",
                    )]));
                }
                Ok(Change {
                    state: State::Received,
                    agency_id: *agency_id,
                    assignee: Some(None),
                    note: Some(required("reason", reason, "cần ghi lý do chuyển")?),
                    event: Some("support_forwarded"),
                    ..base
                })
            }
            Action::Forward { to } => {
                if self.state != State::Received {
                    return Err(not_now());
                }
                Ok(Change {
                    state: State::Forwarded,
                    note: Some(required(
                        "to",
                        to,
                        "cần ghi tên cơ quan có thẩm quyền được chuyển đến",
                    )?),
                    ends: true,
                    event: Some("support_forwarded"),
                    ..base
                })
            }
            Action::Refuse { reason } => {
                if self.state != State::Received {
                    return Err(not_now());
                }
                Ok(Change {
                    state: State::Refused,
                    note: Some(required("reason", reason, "cần ghi lý do không tiếp nhận")?),
                    ends: true,
                    event: Some("support_refused"),
                    ..base
                })
            }
            Action::Answer { text } => {
                if self.state != State::Handling {
                    return Err(not_now());
                }
                if self.assignee.is_some_and(|a| a != me) && !leader {
                    return Err(SupportError::Forbidden(
                        "việc này đã giao cho cán bộ khác trả lời".into(),
                    ));
                }
                let answer = Some(required("answer", text, "cần ghi nội dung trả lời")?);
                if review {
                    return Ok(Change {
                        state: State::Review,
                        answer,
                        assignee: Some(Some(self.assignee.unwrap_or(me))),
                        ..base
                    });
                }
                let publishes =
                    self.kind == Kind::Question && self.visibility == Visibility::Public;
                Ok(Change {
                    state: if publishes {
                        State::Published
                    } else {
                        State::Answered
                    },
                    answer,
                    assignee: Some(Some(self.assignee.unwrap_or(me))),
                    ends: true,
                    publishes,
                    event: Some("support_answered"),
                    ..base
                })
            }
            Action::Approve { publish } => {
                if self.state != State::Review {
                    return Err(not_now());
                }
                let publishes = self.visibility == Visibility::Public
                    && (self.kind == Kind::Question || *publish);
                Ok(Change {
                    state: if publishes {
                        State::Published
                    } else {
                        State::Answered
                    },
                    ends: true,
                    publishes,
                    event: Some("support_answered"),
                    ..base
                })
            }
            Action::Return { note } => {
                if self.state != State::Review {
                    return Err(not_now());
                }
                Ok(Change {
                    state: State::Handling,
                    note: Some(required("note", note, "cần ghi ý kiến của lãnh đạo")?),
                    ..base
                })
            }
            Action::Publish => {
                if self.state != State::Answered {
                    return Err(not_now());
                }
                if self.visibility != Visibility::Public {
                    return Err(SupportError::Forbidden(
                        "người gửi không đồng ý công khai: không được công khai".into(),
                    ));
                }
                Ok(Change {
                    state: State::Published,
                    publishes: true,
                    ..base
                })
            }
        }
    }
}

#[cfg(test)]
#[path = "case_tests.rs"]
mod tests;
