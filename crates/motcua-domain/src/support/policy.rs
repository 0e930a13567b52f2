//! Thời hạn và thiết lập — the deadlines of the support desk in working days and whether a
//! leader reviews an answer before it goes out. Only NĐ 20's five working days to forward a
//! feedback outside the receiver's competence is verified; the rest are the province's to
//! set (docs/FEEDBACK.md).

use serde::{Deserialize, Serialize};

use super::Kind;
use crate::FieldError;
use crate::calendar::{CalendarError, DeadlinePolicy, Instant, WorkCalendar};

/// The support desk's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportPolicy {
    /// Working days to answer a question.
    pub question_days: u32,
    /// Working days to handle a feedback or petition from receipt to its result.
    pub feedback_days: u32,
    /// Working days to classify a feedback: accept it, forward it to the competent body or
    /// refuse it (NĐ 20 art. 9(1)(d): forwarding within 05 working days).
    pub classify_days: u32,
    /// Whether an answer waits for a leader's approval before it goes out (and before a
    /// public one is published).
    pub review: bool,
}

impl Default for SupportPolicy {
    fn default() -> Self {
        Self {
            question_days: 5,
            feedback_days: 15,
            classify_days: 5,
            review: true,
        }
    }
}

/// The longest any of the deadlines may be set to.
const MAX_DAYS: u32 = 90;

impl SupportPolicy {
    /// Each deadline between 1 and 90 working days, classification within handling.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, days) in [
            ("question_days", self.question_days),
            ("feedback_days", self.feedback_days),
            ("classify_days", self.classify_days),
        ] {
            if !(1..=MAX_DAYS).contains(&days) {
                errors.push(FieldError::new(
                    field,
                    format!("thời hạn phải từ 1 đến {MAX_DAYS} ngày làm việc"),
                ));
            }
        }
        if self.classify_days > self.feedback_days {
            errors.push(FieldError::new(
                "classify_days",
                "thời hạn phân loại không được dài hơn thời hạn xử lý phản ánh, kiến nghị",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Working days from receipt to the answer or result of a case of `kind`.
    pub fn days(&self, kind: Kind) -> u32 {
        match kind {
            Kind::Question => self.question_days,
            Kind::Regulation | Kind::Conduct => self.feedback_days,
        }
    }

    /// When a case of `kind` received at `received` must be answered.
    pub fn due(
        &self,
        calendar: &WorkCalendar,
        kind: Kind,
        received: Instant,
    ) -> Result<Instant, CalendarError> {
        Ok(calendar
            .deadline(&DeadlinePolicy::working_days(self.days(kind)), received)?
            .due)
    }

    /// When a case received at `received` must be classified (accepted, forwarded or
    /// refused): never later than its answer.
    pub fn classify_due(
        &self,
        calendar: &WorkCalendar,
        kind: Kind,
        received: Instant,
    ) -> Result<Instant, CalendarError> {
        let days = self.classify_days.min(self.days(kind));
        Ok(calendar
            .deadline(&DeadlinePolicy::working_days(days), received)?
            .due)
    }
}
