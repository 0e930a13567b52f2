//! `POST /me/dossiers`: online filing from the citizen's account, JSON alone or multipart
//! with its files (the JSON in the `body` part, each file in a part named by the code of the
//! case's component it answers), filed through [`crate::filing`] as the filing page does.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use motcua_domain::dossier::{Applicant, ReturnMethod};
use serde::Deserialize;
use std::sync::Arc;

use super::{CitizenAuth, refused};
use crate::AppState;
use crate::api::error::ApiError;
use crate::api::upload::JsonOrFiles;
use crate::filing::{FiledFile, Filing};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewFiling {
    procedure_code: String,
    case_code: String,
    /// The code of the receiving agency (one the procedure is filed with online).
    receiving_agency: String,
    applicant: Applicant,
    #[serde(default = "online")]
    return_method: ReturnMethod,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    conditions: Vec<String>,
    /// Documents of the citizen's data store taken instead of new files.
    #[serde(default)]
    reuse: Vec<Reuse>,
}

/// A document of the store for a component.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reuse {
    component: String,
    document: i64,
}

fn online() -> ReturnMethod {
    ReturnMethod::Online
}

pub async fn create(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    JsonOrFiles(sent): JsonOrFiles<NewFiling>,
) -> Result<Response, ApiError> {
    if sent.purpose.is_some() || sent.component.is_some() {
        return Err(ApiError::bad_request(
            "purpose",
            "mỗi tệp được gửi trong phần mang mã thành phần hồ sơ; không dùng purpose hay component",
        ));
    }
    let Some(body) = sent.body else {
        return Err(ApiError::bad_request("body", "thiếu nội dung hồ sơ"));
    };
    let Some(procedure) = crate::filing::online_procedure(&app, &body.procedure_code).await? else {
        return Err(refused(
            "procedure_code",
            format!(
                "không có thủ tục “{}” nhận hồ sơ trực tuyến",
                body.procedure_code
            ),
        ));
    };
    let filing = Filing {
        case_code: body.case_code,
        agency: body.receiving_agency,
        applicant: body.applicant,
        return_method: body.return_method,
        summary: body
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        conditions: body.conditions,
        reuse: body
            .reuse
            .into_iter()
            .enumerate()
            .map(|(i, r)| crate::filing::ReusedFile {
                field: format!("reuse[{i}]"),
                component: r.component,
                document: r.document,
            })
            .collect(),
        files: sent
            .files
            .into_iter()
            .map(|f| FiledFile {
                component: f.part.clone(),
                field: f.part,
                name: f.name,
                bytes: f.bytes,
            })
            .collect(),
    };
    let d = match crate::filing::file_online(&app, &who.citizen, &procedure, filing).await {
        Ok(d) => d,
        // The page's field names, as this body names them.
        Err(motcua_db::DbError::Invalid(mut found)) => {
            for e in &mut found {
                match e.field.as_str() {
                    "agency" => e.field = "receiving_agency".into(),
                    "case" => e.field = "case_code".into(),
                    _ => {}
                }
            }
            return Err(ApiError::invalid(found));
        }
        Err(e) => return Err(e.into()),
    };
    super::dossiers::answer(&app, StatusCode::CREATED, d).await
}
