//! The API's one error type: a status, a machine code, a Vietnamese message and the fields
//! at fault, as JSON. Causes of internal errors are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_db::DbError;
use motcua_domain::FieldError;
use motcua_domain::dossier::TransitionError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
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
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
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
            "unauthorized",
            "cần đăng nhập: gửi mã truy cập trong tiêu đề Authorization: Bearer …",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
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
            code: "invalid",
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
            DbError::Conflict { .. } => Self::new(StatusCode::CONFLICT, "conflict", e.to_string()),
            DbError::AlreadyReceived(_) => {
                Self::new(StatusCode::CONFLICT, "already_received", e.to_string())
            }
            DbError::Forbidden(m) => Self::forbidden(m),
            DbError::Transition(t) => t.into(),
            DbError::Calendar(c) => Self::invalid(vec![FieldError::new("date", c.to_string())]),
            e if e.is_unavailable() => {
                tracing::error!(error = %e, "storage unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
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
                    "internal",
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
                Self::new(StatusCode::CONFLICT, "rule", e.to_string())
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
                code: self.code,
                message: &self.message,
                fields: &self.fields,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
