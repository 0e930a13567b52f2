//! The API's one error type: a status, a machine code, a Vietnamese message and the fields
//! at fault, as JSON. Causes of internal errors are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_db::DbError;
use motcua_domain::FieldError;
use motcua_domain::dossier::TransitionError;
use serde::Serialize;

/// The machine code of an error: what a client can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    Invalid,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    /// A transition the dossier's state or the law does not allow.
    Rule,
    /// A dossier the national portal pushed before.
    AlreadyReceived,
    /// A push whose signature does not hold.
    BadSignature,
    TooManyRequests,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 11] = [
        Self::Invalid,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::Conflict,
        Self::Rule,
        Self::AlreadyReceived,
        Self::BadSignature,
        Self::TooManyRequests,
        Self::Unavailable,
        Self::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Rule => "rule",
            Self::AlreadyReceived => "already_received",
            Self::BadSignature => "bad_signature",
            Self::TooManyRequests => "too_many_requests",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[FieldError]>::is_empty")]
    fields: &'a [FieldError],
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "cần đăng nhập: gửi mã truy cập trong tiêu đề Authorization: Bearer …",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("không tìm thấy {what}"),
        )
    }

    pub fn invalid(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("dữ liệu không hợp lệ ({} lỗi)", fields.len()),
        };
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::Invalid,
            message,
            fields,
        }
    }

    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::invalid(vec![FieldError::new(field, message)]);
        e.status = StatusCode::BAD_REQUEST;
        e
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Invalid(fields) => Self::invalid(fields),
            DbError::NotFound(what) => Self::not_found(what),
            DbError::Conflict { .. } => {
                Self::new(StatusCode::CONFLICT, ErrorCode::Conflict, e.to_string())
            }
            DbError::AlreadyReceived(_) => Self::new(
                StatusCode::CONFLICT,
                ErrorCode::AlreadyReceived,
                e.to_string(),
            ),
            DbError::Forbidden(m) => Self::forbidden(m),
            DbError::Transition(t) => t.into(),
            DbError::Calendar(c) => Self::invalid(vec![FieldError::new("date", c.to_string())]),
            e if e.is_unavailable() => {
                tracing::error!(error = %e, "storage unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::Unavailable,
                    "hệ thống tạm thời không lưu được dữ liệu; xin thử lại sau ít phút",
                )
            }
            DbError::Connect { .. }
            | DbError::Unavailable(_)
            | DbError::Corrupt(_)
            | DbError::Io(_)
            | DbError::Internal(_)
            | DbError::Sql(_)
            | DbError::Lite(_) => {
                tracing::error!(error = %e, "storage error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "lỗi hệ thống khi lưu trữ dữ liệu; xin thử lại sau",
                )
            }
        }
    }
}

impl From<TransitionError> for ApiError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::Forbidden { .. } => Self::forbidden(e.to_string()),
            TransitionError::NotAllowed { .. } | TransitionError::Rule(_) => {
                Self::new(StatusCode::CONFLICT, ErrorCode::Rule, e.to_string())
            }
            TransitionError::Invalid(field) => Self::invalid(vec![field]),
            TransitionError::Calendar(c) => {
                Self::invalid(vec![FieldError::new("date", c.to_string())])
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code.as_str(),
                message: &self.message,
                fields: &self.fields,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
