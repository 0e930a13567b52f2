//! Files sent with a request: a multipart body whose `body` part is the request's JSON (when
//! it has one), with `purpose` (`scan`, the default, or `result`), `component` (the catalogue
//! component's index the files answer) and the file parts; read here with the API's errors,
//! then checked and stored like every upload, before the change attaches them in its own
//! transaction.

use axum::extract::{FromRequest, Multipart, Request};
use motcua_db::{NewAttachment, Purpose, Upload};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::AppState;

/// What came with the files.
pub struct Sent<T> {
    pub body: Option<T>,
    /// As sent; staff files are scans when it is not.
    pub purpose: Option<Purpose>,
    pub component: Option<i64>,
    /// The files, not yet checked.
    pub files: Vec<SentFile>,
}

/// A file part: the part's name, the file's name and its bytes.
pub struct SentFile {
    pub part: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

impl<T> Sent<T> {
    /// The files checked (kind, size) and stored, ready to attach: staff's, as scans unless
    /// the request says they are the result.
    pub async fn store(self, app: &AppState) -> Result<(Option<T>, Vec<NewAttachment>), ApiError> {
        let purpose = self.purpose.unwrap_or(Purpose::Scan);
        self.store_as(app, purpose).await
    }

    /// The files checked and stored as `purpose`.
    pub async fn store_as(
        self,
        app: &AppState,
        purpose: Purpose,
    ) -> Result<(Option<T>, Vec<NewAttachment>), ApiError> {
        let mut stored = Vec::with_capacity(self.files.len());
        for file in self.files {
            let upload = Upload {
                name: file.name,
                bytes: file.bytes,
                component: self.component,
                purpose,
            };
            stored.push(app.files.store(upload, "files").await?);
        }
        Ok((self.body, stored))
    }
}

/// A JSON body without files, or a multipart one with them.
pub struct JsonOrFiles<T>(pub Sent<T>);

fn text_of(bytes: &[u8], field: &str) -> Result<String, ApiError> {
    String::from_utf8(bytes.to_vec())
        .map(|t| t.trim().to_string())
        .map_err(|_| ApiError::bad_request(field, "không phải văn bản UTF-8"))
}

/// Reads a multipart body (its `body` part as `T`).
pub async fn read<T: DeserializeOwned + Send>(mut form: Multipart) -> Result<Sent<T>, ApiError> {
    let mut sent = Sent {
        body: None,
        purpose: None,
        component: None,
        files: Vec::new(),
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                return Err(ApiError::bad_request(
                    "body",
                    format!("không đọc được nội dung multipart: {}", e.body_text()),
                ));
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|e| {
            ApiError::bad_request(
                &name,
                format!("không đọc được phần “{name}”: {}", e.body_text()),
            )
        })?;
        match (name.as_str(), file_name) {
            (_, Some(file_name)) => {
                if sent.files.len() >= motcua_db::MAX_FILES {
                    return Err(ApiError::bad_request(
                        "files",
                        format!("tối đa {} tệp mỗi lần", motcua_db::MAX_FILES),
                    ));
                }
                sent.files.push(SentFile {
                    part: name,
                    name: file_name,
                    bytes: bytes.to_vec(),
                });
            }
            ("body", None) => {
                let value = serde_json::from_slice::<T>(&bytes).map_err(|e| {
                    let found = super::serde_vi::field_error(&e.to_string(), "body");
                    ApiError::invalid(vec![found])
                })?;
                sent.body = Some(value);
            }
            ("purpose", None) => {
                sent.purpose = match text_of(&bytes, "purpose")?.as_str() {
                    "" => None,
                    "scan" => Some(Purpose::Scan),
                    "result" => Some(Purpose::Result),
                    other => {
                        return Err(ApiError::bad_request(
                            "purpose",
                            format!("mục đích “{other}” không có; chọn scan hoặc result"),
                        ));
                    }
                }
            }
            ("component", None) => {
                let text = text_of(&bytes, "component")?;
                sent.component = match text.as_str() {
                    "" => None,
                    t => Some(
                        t.parse::<i64>()
                            .ok()
                            .filter(|n| (0..1000).contains(n))
                            .ok_or_else(|| {
                                ApiError::bad_request(
                                    "component",
                                    format!("số thứ tự thành phần “{t}” không hợp lệ"),
                                )
                            })?,
                    ),
                };
            }
            (other, None) => {
                return Err(ApiError::bad_request(
                    other,
                    format!("không có trường “{other}”; gửi body, purpose, component và các tệp"),
                ));
            }
        }
    }
    Ok(sent)
}

impl<S, T> FromRequest<S> for JsonOrFiles<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if crate::pages::submitted::is_multipart(req.headers()) {
            let form = Multipart::from_request(req, state).await.map_err(|e| {
                ApiError::bad_request(
                    "content-type",
                    format!("nội dung multipart hỏng: {}", e.body_text()),
                )
            })?;
            let sent = read::<T>(form).await?;
            if sent.body.is_none() {
                return Err(ApiError::bad_request(
                    "body",
                    "cần phần “body” chứa nội dung JSON của yêu cầu",
                ));
            }
            return Ok(Self(sent));
        }
        let super::extract::Body(body) =
            super::extract::Body::<T>::from_request(req, state).await?;
        Ok(Self(Sent {
            body: Some(body),
            purpose: None,
            component: None,
            files: Vec::new(),
        }))
    }
}
