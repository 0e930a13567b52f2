//! What the storage layer reports: each error says what went wrong in words for people.

use motcua_domain::FieldError;
use motcua_domain::calendar::CalendarError;
use motcua_domain::dossier::TransitionError;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("không kết nối được cơ sở dữ liệu {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("dữ liệu không hợp lệ: {}", list(.0))]
    Invalid(Vec<FieldError>),
    #[error("không tìm thấy {0}")]
    NotFound(&'static str),
    #[error(
        "xung đột: hồ sơ đã được người khác thay đổi (phiên bản hiện tại {current}); hãy tải lại rồi thao tác lại"
    )]
    Conflict { current: i64 },
    /// A dossier filed on the national portal under this code was received already.
    #[error("hồ sơ mã {0} trên Cổng Dịch vụ công quốc gia đã được tiếp nhận")]
    AlreadyReceived(String),
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// Stored data that does not read back as written: a damaged row, an unknown stored
    /// name, a file whose bytes changed.
    #[error("dữ liệu lưu trữ bị hỏng: {0}")]
    Corrupt(String),
    /// The database cannot serve now (its writer stopped, its log could not be made durable,
    /// its schema is newer than this program): worth trying again once the cause is fixed.
    #[error("cơ sở dữ liệu không phục vụ được: {0}")]
    Unavailable(String),
    /// A file could not be read or written (the disk, permissions): nothing says the data is
    /// damaged.
    #[error("lỗi đọc ghi tệp: {0}")]
    Io(String),
    /// A fault of the program itself (a broken invariant), never of the data or the request.
    #[error("lỗi nội bộ: {0}")]
    Internal(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Lite(#[from] rusqlite::Error),
}

fn list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl DbError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    /// Whether the database cannot serve now (worth trying again later): its writer stopped
    /// or its log failed, or its connections are closed, exhausted or cut.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            Self::Unavailable(_)
                | Self::Sql(
                    sqlx::Error::PoolClosed | sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)
                )
        )
    }

    /// Whether the database refused a duplicate of a unique key.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            Self::Sql(sqlx::Error::Database(e)) => e.is_unique_violation(),
            Self::Lite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            _ => false,
        }
    }
}

impl From<serde_json::Error> for DbError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(e.to_string())
    }
}
