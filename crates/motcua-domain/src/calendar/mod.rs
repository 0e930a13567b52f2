//! Lịch làm việc — the working calendar: lunar calendar, holidays, office hours and deadlines.
//!
//! Everything here is pure: the holiday rules, the announced swaps and the office hours come
//! in as data ([`CalendarConfig`]), and [`WorkCalendar`] turns them into a precomputed index
//! over 1900–2199 that answers deadline questions in constant-ish time.

mod deadline;
mod holidays;
mod hours;
mod index;
mod light;
pub mod lunar;

pub use deadline::{
    Deadline, DeadlinePolicy, Outcome, SuspensionPolicy, TimeLimit, is_late, late_from,
    overdue_before,
};
pub use holidays::{DayOverride, HolidayRules, SpecialDay, shipped_overrides};
pub use hours::{OfficeHours, Period};
pub use index::{CalendarConfig, WorkCalendar};
pub use light::Light;
pub use lunar::{LunarDate, lunar_to_solar, solar_to_lunar};

use chrono::{DateTime, FixedOffset, NaiveDate, Offset};

/// Asia/Ho_Chi_Minh: UTC+07:00 all year (no daylight saving since 1975).
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// Instants everywhere in motcua are Vietnam-local, with their offset.
pub type Instant = DateTime<FixedOffset>;

/// An instant as a message to a Vietnamese reader writes it: "17:00 ngày 06/03/2026",
/// Vietnam time.
pub fn format_vi(at: Instant) -> String {
    at.with_timezone(&vietnam_offset())
        .format("%H:%M ngày %d/%m/%Y")
        .to_string()
}

/// What the calendar refuses, each naming the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("ngày {date} nằm ngoài phạm vi lịch hỗ trợ (1900-01-01 đến 2199-12-31)")]
    OutOfRange { date: NaiveDate },
    #[error("năm {year} nằm ngoài phạm vi lịch hỗ trợ (1900–2199)")]
    YearOutOfRange { year: i32 },
    #[error("năm âm lịch {year} nằm ngoài phạm vi hỗ trợ (1899–2199)")]
    LunarOutOfRange { year: i32 },
    #[error("ngày âm lịch {date} không tồn tại")]
    InvalidLunar { date: LunarDate },
    #[error("giờ làm việc không hợp lệ: {0}")]
    InvalidHours(String),
    #[error("ngày {date} được khai báo hai lần trong dữ liệu ngày nghỉ, làm bù")]
    DuplicateOverride { date: NaiveDate },
    #[error("lỗi nội bộ khi tính lịch: {0}")]
    Internal(&'static str),
}
