//! A submitted form, urlencoded or multipart: its text fields in order and, for multipart,
//! its files (read whole, at most [`motcua_db::MAX_FILES`] non-empty ones). A malformed or
//! oversized body is answered with the friendly error page.

use axum::extract::{Form, FromRequest, Multipart, Request};
use axum::http::header;

use super::PageError;

/// One file of a multipart form.
pub struct FilePart {
    /// The form field it came in (e.g. `scan_TK01`).
    pub field: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The fields and files of a form.
pub struct Submitted {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<FilePart>,
}

impl Submitted {
    /// The trimmed value of a field, or "".
    pub fn field(&self, name: &str) -> String {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }
}

/// Whether a request's body is `multipart/form-data`.
pub fn is_multipart(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// The largest body a form with files may send (the file limit times the count, roughly).
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

impl<S> FromRequest<S> for Submitted
where
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_multipart(req.headers()) {
            let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state)
                .await
                .map_err(|_| PageError::BadRequest)?;
            return Ok(Self {
                pairs,
                files: Vec::new(),
            });
        }
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|_| PageError::BadRequest)?;
        let mut pairs = Vec::new();
        let mut files = Vec::new();
        loop {
            let field = match form.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(PageError::TooLarge);
                }
                Err(_) => return Err(PageError::BadRequest),
            };
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(str::to_string) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(|e| {
                        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                            PageError::TooLarge
                        } else {
                            PageError::BadRequest
                        }
                    })?;
                    // A file input left empty still sends an empty part.
                    if bytes.is_empty() && file_name.is_empty() {
                        continue;
                    }
                    if files.len() >= motcua_db::MAX_FILES {
                        return Err(PageError::TooLarge);
                    }
                    files.push(FilePart {
                        field: name,
                        name: file_name,
                        bytes: bytes.to_vec(),
                    });
                }
                None => {
                    let text = field.text().await.map_err(|_| PageError::BadRequest)?;
                    pairs.push((name, text));
                }
            }
        }
        Ok(Self { pairs, files })
    }
}
