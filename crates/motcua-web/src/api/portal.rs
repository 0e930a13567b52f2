//! Hồ sơ nộp trên Cổng DVCQG — the endpoint the national portal pushes dossiers filed there
//! to. Only the portal may call it: from an allowed address, with the body signed by the
//! shared secret (HMAC-SHA256 over the timestamp and the body, fresh within five minutes).
//! Each portal code makes one online dossier awaiting acceptance at the counter; a repeat
//! answers the dossier made the first time.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{KeyInit, Mac};
use motcua_db::{DbError, IntakeExtras, Purpose, Upload};
use motcua_domain::dossier::Actor;
use motcua_domain::portal::InboundDossier;
use serde_json::{Value, json};

use super::error::{ApiError, ErrorCode};
use crate::AppState;
use crate::client::ClientAddr;

/// How far the signed timestamp may be from now, in seconds.
const FRESH: i64 = 300;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Checks `X-Motcua-Timestamp` and `X-Motcua-Signature: sha256=<hex>` against `body`.
fn signed(secret: &str, headers: &HeaderMap, body: &[u8], now: i64) -> Result<(), ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let refuse = |why: &str| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::BadSignature,
            format!("chữ ký của Cổng không hợp lệ: {why}"),
        )
    };
    let ts: i64 = header("x-motcua-timestamp")
        .and_then(|t| t.trim().parse().ok())
        .ok_or_else(|| refuse("thiếu thời điểm ký"))?;
    if (now - ts).abs() > FRESH {
        return Err(refuse("thời điểm ký quá xa hiện tại"));
    }
    let given = header("x-motcua-signature")
        .and_then(|s| s.trim().strip_prefix("sha256="))
        .and_then(|hex| {
            data_encoding::HEXLOWER_PERMISSIVE
                .decode(hex.as_bytes())
                .ok()
        })
        .ok_or_else(|| refuse("thiếu chữ ký"))?;
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).map_err(|_| refuse("khóa chung rỗng"))?;
    mac.update(&motcua_domain::webhook::signed_text(ts, body));
    // Compared in constant time.
    mac.verify_slice(&given).map_err(|_| refuse("không khớp"))
}

fn answer(status: StatusCode, dossier: &str, portal: &str) -> (StatusCode, Json<Value>) {
    (status, Json(json!({"MaHoSo": dossier, "MaHoSoQG": portal})))
}

/// Whether the call comes from the portal: the endpoint is on, the address allowed, the
/// body signed with the shared secret.
fn from_portal(
    app: &AppState,
    addr: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), ApiError> {
    let Some(portal) = &app.security.portal_inbound else {
        return Err(ApiError::not_found("địa chỉ"));
    };
    if !portal.allow.is_empty() && !addr.is_some_and(|a| portal.allow.iter().any(|c| c.contains(a)))
    {
        tracing::warn!(?addr, "a push from an address not allowed");
        return Err(ApiError::forbidden("địa chỉ gửi không được phép đẩy hồ sơ"));
    }
    signed(&portal.secret, headers, body, app.now().timestamp())
}

/// Decodes and stores the files of a push, each checked like an upload.
async fn store_files(
    app: &AppState,
    files: &[motcua_domain::portal::InboundFile],
    component: Option<i64>,
    purpose: Purpose,
) -> Result<Vec<motcua_db::NewAttachment>, ApiError> {
    let mut out = Vec::new();
    for file in files {
        let bytes = data_encoding::BASE64
            .decode(file.base64.trim().as_bytes())
            .map_err(|_| {
                ApiError::bad_request(
                    "TepDinhKem",
                    format!("tệp “{}” không phải base64", file.name),
                )
            })?;
        let upload = Upload {
            name: file.name.clone(),
            bytes,
            component,
            purpose,
        };
        out.push(app.files.store(upload, "TepDinhKem").await?);
    }
    Ok(out)
}

/// `POST /api/v1/dvcqg/ho-so`.
pub async fn inbound(
    State(app): State<Arc<AppState>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    from_portal(&app, addr, &headers, &body)?;
    let inbound: InboundDossier = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request("body", format!("hồ sơ từ Cổng không đọc được: {e}")))?;
    let code = inbound.portal_code.trim().to_string();
    if let Some(d) = app.db.dossiers().by_portal_code(&code).await? {
        return Ok(answer(StatusCode::OK, &d.code, &code));
    }
    let procedure = app
        .db
        .catalogue()
        .procedure(inbound.procedure_code.trim())
        .await?
        .ok_or_else(|| {
            ApiError::bad_request(
                "MaTTHC",
                format!("không có thủ tục mã “{}”", inbound.procedure_code),
            )
        })?;
    let default_case = procedure
        .procedure
        .cases
        .first()
        .map_or("chung", |c| c.code.as_str());
    let intake = inbound
        .intake(default_case)
        .map_err(|e| ApiError::invalid(vec![e]))?;
    let count: usize = inbound.components.iter().map(|c| c.files.len()).sum();
    if count > motcua_db::MAX_FILES {
        return Err(ApiError::bad_request(
            "TepDinhKem",
            format!("tối đa {} tệp mỗi hồ sơ", motcua_db::MAX_FILES),
        ));
    }
    // Each file is checked (kind, size) and stored like an upload, for its component (by
    // its place in the case's list, as uploads name it).
    let case = procedure.procedure.case(&intake.case_code);
    let mut files = Vec::new();
    for component in &inbound.components {
        let index = case.and_then(|k| {
            k.components
                .iter()
                .position(|c| c.code == component.code.trim())
        });
        let index = index.and_then(|i| i64::try_from(i).ok());
        files.extend(store_files(&app, &component.files, index, Purpose::Intake).await?);
    }
    let made = app
        .db
        .dossiers()
        .intake_with(
            intake,
            inbound.agency_code.trim(),
            &Actor::Citizen { owner: false },
            &app.calendar(),
            app.now(),
            IntakeExtras {
                citizen_id: None,
                files,
                portal_code: Some(code.clone()),
                verified_identity: inbound.verified_identity,
            },
        )
        .await;
    match made {
        Ok(d) => {
            tracing::info!(dossier = %d.code, portal = %code, "dossier received from the portal");
            Ok(answer(StatusCode::CREATED, &d.code, &code))
        }
        // The same dossier pushed twice at once: the first made it.
        Err(DbError::AlreadyReceived(_)) => match app.db.dossiers().by_portal_code(&code).await? {
            Some(d) => Ok(answer(StatusCode::OK, &d.code, &code)),
            None => Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::AlreadyReceived,
                "hồ sơ đang được tiếp nhận; hãy gửi lại sau",
            )),
        },
        Err(e) => Err(e.into()),
    }
}

/// `POST /api/v1/dvcqg/bo-sung`: the papers a citizen added on the portal to a dossier it
/// pushed, answering the counter's supplement request; the counter then takes them in.
pub async fn supplement(
    State(app): State<Arc<AppState>>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    from_portal(&app, addr, &headers, &body)?;
    let inbound: motcua_domain::portal::InboundSupplement =
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::bad_request("body", format!("bổ sung từ Cổng không đọc được: {e}"))
        })?;
    let code = inbound.portal_code.trim();
    let Some(d) = app.db.dossiers().by_portal_code(code).await? else {
        return Err(ApiError::bad_request(
            "MaHoSoQG",
            format!("không có hồ sơ nào nhận từ Cổng với mã “{code}”"),
        ));
    };
    if inbound.files.is_empty() {
        return Err(ApiError::bad_request(
            "TepDinhKem",
            "bổ sung cần ít nhất một tệp",
        ));
    }
    if inbound.files.len() > motcua_db::MAX_FILES {
        return Err(ApiError::bad_request(
            "TepDinhKem",
            format!("tối đa {} tệp mỗi lần bổ sung", motcua_db::MAX_FILES),
        ));
    }
    let files = store_files(&app, &inbound.files, None, Purpose::Supplement).await?;
    let request = motcua_db::TransitionRequest {
        dossier_id: d.id,
        expected_version: d.version,
        action: motcua_domain::dossier::Action::SubmitSupplement {
            note: inbound.note.clone().filter(|n| !n.trim().is_empty()),
        },
    };
    // The portal files it for the applicant, who owns the dossier.
    let after = app
        .db
        .dossiers()
        .transition_with(
            &request,
            motcua_db::ActorRef::Citizen { owner: true },
            &app.calendar(),
            app.now(),
            &files,
        )
        .await?;
    Ok(answer(StatusCode::OK, &after.code, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_fresh_body_signed_with_the_secret_passes() {
        let body = br#"{"MaHoSoQG":"x"}"#;
        let sign = |secret: &str, ts: i64, body: &[u8]| {
            let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).unwrap();
            mac.update(format!("{ts}.").as_bytes());
            mac.update(body);
            data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
        };
        let headers = |ts: i64, sig: &str| {
            let mut h = HeaderMap::new();
            h.insert("x-motcua-timestamp", ts.to_string().parse().unwrap());
            h.insert(
                "x-motcua-signature",
                format!("sha256={sig}").parse().unwrap(),
            );
            h
        };
        let now = 1_800_000_000;
        assert!(signed("k", &headers(now, &sign("k", now, body)), body, now).is_ok());
        assert!(signed("k", &headers(now, &sign("other", now, body)), body, now).is_err());
        assert!(signed("k", &headers(now, &sign("k", now, b"{}")), body, now).is_err());
        let old = now - 301;
        assert!(signed("k", &headers(old, &sign("k", old, body)), body, now).is_err());
        assert!(signed("k", &HeaderMap::new(), body, now).is_err());
    }
}
