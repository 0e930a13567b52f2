//! Sổ tổng đài — one call to the hotline or one question asked at the counter, as the officer
//! records it: who asked (if they said), what about, the answer given, how long it took, and
//! whether it became a question or a feedback case.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// How the question reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallChannel {
    /// Qua tổng đài.
    Phone,
    /// Hỏi trực tiếp tại quầy.
    Counter,
}

impl CallChannel {
    pub const ALL: [Self; 2] = [Self::Phone, Self::Counter];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Counter => "counter",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Phone => "Tổng đài",
            Self::Counter => "Tại quầy",
        }
    }
}

/// What came of the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Đã trả lời ngay.
    Answered,
    /// Chuyển thành câu hỏi (to be answered in writing).
    Question,
    /// Chuyển thành phản ánh, kiến nghị.
    Feedback,
}

impl CallOutcome {
    pub const ALL: [Self; 3] = [Self::Answered, Self::Question, Self::Feedback];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Question => "question",
            Self::Feedback => "feedback",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Answered => "Đã trả lời ngay",
            Self::Question => "Chuyển thành câu hỏi",
            Self::Feedback => "Chuyển thành phản ánh, kiến nghị",
        }
    }
}

/// A call as the officer types it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCall {
    pub channel: CallChannel,
    pub caller_name: String,
    pub caller_phone: String,
    pub topic: String,
    /// The procedure asked about, by its catalogue code.
    pub procedure_code: Option<String>,
    pub question: String,
    pub answer: String,
    pub duration_seconds: i64,
    pub outcome: CallOutcome,
}

/// The longest call worth recording: four hours.
const MAX_SECONDS: i64 = 4 * 3600;

impl NewCall {
    /// Named errors: a topic and the question; the answer given when it was answered; a
    /// duration from 0 to four hours; a phone number of digits when one is given.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.topic.trim().is_empty() {
            errors.push(FieldError::new("topic", "cần ghi chủ đề cuộc gọi"));
        }
        if self.question.trim().is_empty() {
            errors.push(FieldError::new("question", "cần ghi nội dung câu hỏi"));
        }
        if self.outcome == CallOutcome::Answered && self.answer.trim().is_empty() {
            errors.push(FieldError::new("answer", "cần ghi nội dung đã trả lời"));
        }
        if !(0..=MAX_SECONDS).contains(&self.duration_seconds) {
            errors.push(FieldError::new(
                "duration",
                "thời lượng phải từ 0 đến 240 phút",
            ));
        }
        if !self.caller_phone.trim().is_empty() && !super::case::phone_ok(&self.caller_phone) {
            errors.push(FieldError::new(
                "caller_phone",
                "số điện thoại chỉ gồm 9 đến 11 chữ số",
            ));
        }
        for (field, text, max) in [
            ("topic", &self.topic, 200),
            ("question", &self.question, 5000),
            ("answer", &self.answer, 5000),
            ("caller_name", &self.caller_name, 200),
        ] {
            if text.chars().count() > max {
                errors.push(FieldError::new(field, format!("dài quá {max} ký tự")));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
