//! The citizen's own dossiers: the list, one dossier as its owner sees it (progress, the
//! supplement asked for, the apology, the messages sent, what they may still do), its
//! history with the notes written to them, their files and the result (never the counter's
//! scans), and the changes that are theirs: a supplement with its files, withdrawal and the
//! rating. Each change names the version it was made on; a stale one is a conflict.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use motcua_db::{ActorRef, DbError, DossierRecord, Purpose, TransitionRequest};
use motcua_domain::calendar::{Instant, Outcome};
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{Action, Applicant, ReceivedComponent, ReturnMethod, Status};
use motcua_domain::rating::check_rating;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{CitizenAuth, refused};
use crate::AppState;
use crate::api::error::ApiError;
use crate::api::extract::{Body, Id};
use crate::api::upload::JsonOrFiles;

/// The dossier `id` if this citizen's account filed it; otherwise "not found".
async fn owned(app: &AppState, who: &CitizenAuth, id: i64) -> Result<DossierRecord, ApiError> {
    crate::access::owned_by(&app.db, who.citizen.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("hồ sơ"))
}

/// A line of the list.
#[derive(Serialize)]
pub struct Mine {
    id: i64,
    code: String,
    procedure_code: String,
    procedure: String,
    status: Status,
    status_code: u8,
    status_label: &'static str,
    received_at: Instant,
    due_at: Option<Instant>,
    finished_at: Option<Instant>,
}

/// How many of the latest dossiers the list gives.
const LISTED: i64 = 200;

/// `GET /me/dossiers`: the account's dossiers, newest first.
pub async fn list(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
) -> Result<Json<Value>, ApiError> {
    let dossiers = app
        .db
        .dossiers()
        .citizen_dossiers(who.citizen.id, LISTED)
        .await?;
    let mut items = Vec::with_capacity(dossiers.len());
    for d in dossiers {
        let procedure = crate::progress::procedure_name(&app.db, d.procedure_version_id).await?;
        items.push(Mine {
            id: d.id,
            code: d.code,
            procedure_code: d.procedure_code,
            procedure,
            status: d.status,
            status_code: d.status.code(),
            status_label: d.status.label_vi(),
            received_at: d.received_at,
            due_at: d.due_at,
            finished_at: d.finished_at,
        });
    }
    Ok(Json(json!({ "items": items })))
}

#[derive(Serialize)]
struct AgencyRef {
    code: String,
    name: String,
}

#[derive(Serialize)]
struct SupplementAsked {
    missing: Vec<String>,
    reason: String,
    requested_at: Instant,
    /// When they sent it online (the counter still has to receive it).
    submitted_at: Option<Instant>,
}

#[derive(Serialize)]
struct Apology {
    reason: String,
    new_due: Instant,
}

#[derive(Serialize)]
struct Message {
    event: String,
    channel: String,
    status: String,
}

#[derive(Serialize)]
struct Rated {
    overall: &'static str,
    at: Instant,
}

/// One dossier as its owner sees it.
#[derive(Serialize)]
pub struct MyDossier {
    id: i64,
    code: String,
    /// With the code, opens the public lookup (printed on the receipt).
    lookup_secret: String,
    procedure_code: String,
    procedure: String,
    case_code: String,
    channel: Channel,
    receiving_agency: Option<AgencyRef>,
    status: Status,
    status_code: u8,
    status_label: &'static str,
    received_at: Instant,
    due_at: Option<Instant>,
    finished_at: Option<Instant>,
    outcome: Option<Outcome>,
    apologised: bool,
    apology: Option<Apology>,
    /// The version a change must name.
    version: i64,
    applicant: Applicant,
    components: Vec<ReceivedComponent>,
    return_method: ReturnMethod,
    fee_vnd: i64,
    /// What is still to pay (the case's fees not yet paid, the obligation asked for); pay
    /// it through `POST /dossiers/{id}/payments`.
    owed_vnd: i64,
    summary: String,
    steps: Vec<crate::progress::PublicStep>,
    supplement: Option<SupplementAsked>,
    messages: Vec<Message>,
    may_withdraw: bool,
    may_rate: bool,
    rating: Option<Rated>,
}

async fn view(app: &AppState, d: DossierRecord) -> Result<MyDossier, DbError> {
    let (procedure, steps) =
        crate::progress::progress(&app.db, &motcua_db::PublicDossier::from(&d)).await?;
    let receiving_agency = app
        .db
        .agencies()
        .agency(d.receiving_agency_id)
        .await?
        .map(|a| AgencyRef {
            code: a.code,
            name: a.name,
        });
    let messages = app
        .db
        .outbox()
        .to_applicant(d.id)
        .await?
        .into_iter()
        .map(|m| Message {
            event: m.event,
            channel: m.channel,
            status: m.status,
        })
        .collect();
    let rating = app.db.ratings().rating(d.id).await?;
    let owed_vnd = app.db.payments().owed(&d).await?.total();
    let supplement = d.state.awaited_supplement().map(|s| SupplementAsked {
        missing: s.missing.clone(),
        reason: s.reason.clone(),
        requested_at: s.requested_at,
        submitted_at: s.submitted_at,
    });
    let apology = d.state.approved_apology().map(|a| Apology {
        reason: a.reason.clone(),
        new_due: a.new_due,
    });
    Ok(MyDossier {
        may_withdraw: d.status.may_withdraw(),
        may_rate: motcua_db::can_be_rated(&d) && rating.is_none(),
        rating: rating.map(|r| Rated {
            overall: r.rating.overall.key(),
            at: r.at,
        }),
        id: d.id,
        code: d.code,
        lookup_secret: d.lookup_secret,
        procedure_code: d.procedure_code,
        procedure,
        case_code: d.case_code,
        channel: d.channel,
        receiving_agency,
        status: d.status,
        status_code: d.status.code(),
        status_label: d.status.label_vi(),
        received_at: d.received_at,
        due_at: d.due_at,
        finished_at: d.finished_at,
        outcome: d.outcome,
        apologised: d.apologised,
        apology,
        version: d.version,
        applicant: d.applicant,
        components: d.components,
        return_method: d.return_method,
        fee_vnd: d.fee_vnd,
        owed_vnd,
        summary: d.summary,
        steps,
        supplement,
        messages,
    })
}

/// A dossier's answer as its owner sees it.
pub(super) async fn answer(
    app: &AppState,
    status: StatusCode,
    d: DossierRecord,
) -> Result<Response, ApiError> {
    Ok((status, Json(view(app, d).await?)).into_response())
}

/// `GET /me/dossiers/{id}`.
pub async fn show(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let d = owned(&app, &who, id).await?;
    answer(&app, StatusCode::OK, d).await
}

#[derive(Serialize)]
struct Line {
    at: Instant,
    action: String,
    label: String,
    status: Status,
    /// Only the notes written to the applicant (reasons given to them).
    note: Option<String>,
}

/// `GET /me/dossiers/{id}/history`.
pub async fn history(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    let d = owned(&app, &who, id).await?;
    let items: Vec<Line> = app
        .db
        .dossiers()
        .history(d.id)
        .await?
        .into_iter()
        .map(|h| h.for_applicant())
        .map(|h| Line {
            at: h.at,
            label: Action::label_of_name(&h.action)
                .unwrap_or(h.action.as_str())
                .to_string(),
            note: h.note,
            status: h.to_status,
            action: h.action,
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

#[derive(Serialize)]
struct FileLine {
    id: i64,
    name: String,
    purpose: Purpose,
    media_type: String,
    size: i64,
    sha256: String,
    at: Instant,
}

/// `GET /me/dossiers/{id}/files`: their own files and the result.
pub async fn files(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Id(id): Id,
) -> Result<Json<Value>, ApiError> {
    let d = owned(&app, &who, id).await?;
    let items: Vec<FileLine> = app
        .db
        .files()
        .for_applicant(d.id)
        .await?
        .into_iter()
        .map(|f| FileLine {
            id: f.id,
            name: f.name,
            purpose: f.purpose,
            media_type: f.media_type,
            size: f.size,
            sha256: f.sha256,
            at: f.at,
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `GET /me/dossiers/{id}/files/{file}`.
pub async fn download(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (Ok(id), Ok(file)) = (id.parse::<i64>(), file.parse::<i64>()) else {
        return Err(ApiError::not_found("tệp"));
    };
    let d = owned(&app, &who, id).await?;
    match app.db.files().attachment(d.id, file).await? {
        Some(f) if f.purpose.shown_to_applicant() => {
            Ok(crate::pages::file_response(&app, &f).await?)
        }
        _ => Err(ApiError::not_found("tệp")),
    }
}

/// Takes `action` on the owner's dossier.
async fn change(
    app: &AppState,
    d: &DossierRecord,
    expected_version: i64,
    action: Action,
    files: &[motcua_db::NewAttachment],
) -> Result<Response, ApiError> {
    let request = TransitionRequest {
        dossier_id: d.id,
        expected_version,
        action,
    };
    let record = app
        .db
        .dossiers()
        .transition_with(
            &request,
            ActorRef::Citizen { owner: true },
            &app.calendar(),
            app.now(),
            files,
        )
        .await?;
    answer(app, StatusCode::OK, record).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplementBody {
    expected_version: i64,
    #[serde(default)]
    note: Option<String>,
}

/// `POST /me/dossiers/{id}/supplements` (multipart: `body` and the files): the supplement
/// asked for, sent online; the counter then checks and receives it.
pub async fn supplement(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Id(id): Id,
    JsonOrFiles(sent): JsonOrFiles<SupplementBody>,
) -> Result<Response, ApiError> {
    let d = owned(&app, &who, id).await?;
    if sent.purpose.is_some() || sent.component.is_some() {
        return Err(ApiError::bad_request(
            "purpose",
            "tệp bổ sung không mang mục đích hay thành phần; chỉ gửi body và các tệp",
        ));
    }
    if sent.files.is_empty() {
        return Err(refused("files", "hãy gửi ít nhất một tệp bổ sung"));
    }
    let (body, files) = sent.store_as(&app, Purpose::Supplement).await?;
    let Some(body) = body else {
        return Err(ApiError::bad_request("body", "thiếu nội dung yêu cầu"));
    };
    let note = body
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    change(
        &app,
        &d,
        body.expected_version,
        Action::SubmitSupplement { note },
        &files,
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    expected_version: i64,
    #[serde(default)]
    reason: Option<String>,
}

/// `POST /me/dossiers/{id}/withdrawal`.
pub async fn withdraw(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Id(id): Id,
    Body(w): Body<Withdrawal>,
) -> Result<Response, ApiError> {
    let d = owned(&app, &who, id).await?;
    let reason = w
        .reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    change(
        &app,
        &d,
        w.expected_version,
        Action::Withdraw { reason },
        &[],
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// Per criterion, a score of 2, 1 or 0.
    answers: BTreeMap<String, Value>,
    overall: String,
    #[serde(default)]
    comment: Option<String>,
}

/// `POST /me/dossiers/{id}/rating`: once the dossier has ended, once.
pub async fn rate(
    State(app): State<Arc<AppState>>,
    who: CitizenAuth,
    Id(id): Id,
    Body(r): Body<RatingBody>,
) -> Result<Response, ApiError> {
    let d = owned(&app, &who, id).await?;
    let mut answers = BTreeMap::new();
    for (key, value) in r.answers {
        let score = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s,
            _ => return Err(refused(&key, "điểm phải là 2, 1 hoặc 0")),
        };
        answers.insert(key, score);
    }
    let rating = check_rating(
        &answers,
        &r.overall,
        r.comment.as_deref(),
        d.channel == Channel::Online,
    )
    .map_err(ApiError::invalid)?;
    app.db
        .ratings()
        .rate(&d, &rating, "account", app.now())
        .await?;
    answer(&app, StatusCode::CREATED, d).await
}
