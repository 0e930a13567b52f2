//! Request extractors that answer bad input with the API's own errors: JSON bodies and
//! query strings, and the bearer token of a staff member (a citizen's is read in
//! [`super::citizen`]).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use motcua_db::Staff;
use serde::de::DeserializeOwned;
use std::sync::Arc;

use super::error::ApiError;
use crate::AppState;

/// A JSON body; malformed or mistyped input becomes a 400/422 naming the problem.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(e) => {
                    ApiError::invalid(vec![super::serde_vi::field_error(&e.body_text(), "body")])
                }
                JsonRejection::JsonSyntaxError(e) => {
                    let found = super::serde_vi::field_error(&e.body_text(), "body");
                    ApiError::bad_request(&found.field, found.message)
                }
                JsonRejection::MissingJsonContentType(_) => ApiError::bad_request(
                    "content-type",
                    "cần tiêu đề Content-Type: application/json",
                ),
                other => ApiError::bad_request(
                    "body",
                    format!("không đọc được nội dung yêu cầu: {}", other.body_text()),
                ),
            }),
        }
    }
}

/// A query string; wrong parameters become a 400 naming them.
pub struct Params<T>(pub T);

impl<S, T> FromRequestParts<S> for Params<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Self(v))
            .map_err(|e: QueryRejection| {
                let found = super::serde_vi::field_error(&e.body_text(), "query");
                ApiError::bad_request(
                    &found.field,
                    format!("tham số không hợp lệ: {}", found.message),
                )
            })
    }
}

/// The token of `Authorization: Bearer <token>`, if one was sent.
pub fn bearer(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The staff member behind `Authorization: Bearer <token>`.
pub struct StaffAuth(pub Staff);

impl<S> FromRequestParts<S> for StaffAuth
where
    Arc<AppState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = Arc::<AppState>::from_ref(state);
        let token = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        match app.db.people().staff_by_token(&token).await? {
            // A password an administrator set must be replaced before anything else.
            Some(staff) if staff.must_change_password => Err(ApiError::forbidden(
                "tài khoản phải đổi mật khẩu (quản trị viên đã đặt lại) trước khi dùng API",
            )),
            Some(staff) => Ok(Self(staff)),
            None => Err(ApiError::unauthorized()),
        }
    }
}

/// A numeric id in the path; anything else is a JSON "not found".
pub struct Id(pub i64);

impl<S> FromRequestParts<S> for Id
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(id)| Self(id))
            .map_err(|_| ApiError::not_found("hồ sơ"))
    }
}
