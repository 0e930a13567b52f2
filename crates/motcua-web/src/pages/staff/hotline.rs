//! Sổ tổng đài — the hotline and counter-question log: the officer picks the procedure asked
//! about and reads the catalogue's facts out (time limit, fees, papers, where to file),
//! records the answer given and how long it took, or turns the call into a question or a
//! feedback case received in the same write.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::StoredCall;
use motcua_domain::support::{CallChannel, CallOutcome, NewCall, Visibility};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::queue::Choice;
use super::support::{Typed, procedure_choices};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageQuery};
use crate::pages::{Frame, PageError, render, vn_datetime};

/// How far back the log on the page reaches.
const LOG_DAYS: i64 = 7;

pub struct CallLine {
    pub at: String,
    pub officer: String,
    pub channel: &'static str,
    pub caller: String,
    pub topic: String,
    pub procedure: String,
    pub question: String,
    pub answer: String,
    pub minutes: String,
    pub outcome: &'static str,
    pub case_code: String,
}

fn line(c: &StoredCall) -> CallLine {
    CallLine {
        at: vn_datetime(c.at),
        officer: c.staff_name.clone(),
        channel: c.channel.label_vi(),
        caller: [c.caller_name.as_str(), c.caller_phone.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" · "),
        topic: c.topic.clone(),
        procedure: c.procedure_code.clone().unwrap_or_default(),
        question: c.question.clone(),
        answer: c.answer.clone(),
        minutes: format!("{}:{:02}", c.duration_seconds / 60, c.duration_seconds % 60),
        outcome: c.outcome.label_vi(),
        case_code: c.case_code.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct CallForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    caller_name: String,
    #[serde(default)]
    caller_phone: String,
    #[serde(default)]
    caller_email: String,
    #[serde(default)]
    caller_address: String,
    #[serde(default)]
    topic: String,
    #[serde(default, rename = "thu-tuc")]
    procedure: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    outcome: String,
    /// For a call that becomes a feedback: `regulation` or `conduct`.
    #[serde(default)]
    feedback_kind: String,
    #[serde(default)]
    visibility: String,
}

#[derive(Template)]
#[template(path = "staff/hotline.html")]
struct HotlinePage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    typed: CallForm,
    agencies: Vec<Choice>,
    procedures: Vec<Choice>,
    channels: Vec<Choice>,
    outcomes: Vec<Choice>,
    facts: Vec<(String, String)>,
    procedure_name: String,
    calls: Vec<CallLine>,
    errors: Vec<String>,
    saved: Option<String>,
}

/// The catalogue's facts about a procedure an officer reads out on the phone.
async fn facts_of(
    app: &AppState,
    code: &str,
) -> Result<(String, Vec<(String, String)>), PageError> {
    let Some(stored) = app.db.catalogue().procedure(code).await? else {
        return Ok((String::new(), Vec::new()));
    };
    let p = &stored.procedure;
    let names = app.db.agencies().all().await?;
    let mut facts = Vec::new();
    facts.push((
        "Cơ quan giải quyết".to_string(),
        p.agencies
            .iter()
            .map(|a| {
                names
                    .iter()
                    .find(|n| n.code == a.as_str())
                    .map_or_else(|| a.as_str().to_string(), |n| n.name.clone())
            })
            .collect::<Vec<_>>()
            .join("; "),
    ));
    for case in &p.cases {
        let prefix = if p.cases.len() > 1 {
            format!("{}: ", case.name)
        } else {
            String::new()
        };
        let times = case
            .times
            .iter()
            .map(|t| {
                format!(
                    "{} — {}",
                    t.channel.label_vi(),
                    crate::pages::catalogue::limit_text(
                        t.committed.unwrap_or(t.statutory),
                        Tr(crate::i18n::Lang::Vi)
                    )
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        facts.push((format!("{prefix}Thời hạn giải quyết"), times));
        let fees = if case.fees.is_empty() {
            "Không".to_string()
        } else {
            case.fees
                .iter()
                .map(crate::pages::catalogue::fee_line)
                .collect::<Vec<_>>()
                .join("; ")
        };
        facts.push((format!("{prefix}Phí, lệ phí"), fees));
        facts.push((
            format!("{prefix}Thành phần hồ sơ"),
            case.components
                .iter()
                .map(|c| {
                    let n = if c.required { "" } else { " (nếu có)" };
                    format!("{}{n}", c.name)
                })
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    facts.push((
        "Nộp trực tuyến".to_string(),
        if p.online_level.allows_online_filing() {
            format!("Có — {}", p.online_level.label_vi())
        } else {
            "Không".to_string()
        },
    ));
    Ok((p.name.clone(), facts))
}

async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    typed: CallForm,
    errors: Vec<String>,
    saved: Option<String>,
) -> Result<Response, PageError> {
    let agencies = who.agencies(app).await?;
    let agency = super::agency_or_first(&agencies, typed.agency.parse::<i64>().ok());
    let calls = match agency {
        Some(a) => app
            .db
            .support()
            .calls(a, app.now() - chrono::Duration::days(LOG_DAYS), 200)
            .await?
            .iter()
            .map(line)
            .collect(),
        None => Vec::new(),
    };
    let (procedure_name, facts) = if typed.procedure.trim().is_empty() {
        (String::new(), Vec::new())
    } else {
        facts_of(app, typed.procedure.trim()).await?
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(&HotlinePage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        agencies: agencies
            .into_iter()
            .map(|(id, name)| Choice {
                selected: Some(id) == agency,
                value: id.to_string(),
                label: name,
            })
            .collect(),
        procedures: procedure_choices(app, typed.procedure.trim()).await?,
        channels: CallChannel::ALL
            .iter()
            .map(|c| Choice {
                selected: typed.channel == c.as_str(),
                value: c.as_str().into(),
                label: c.label_vi().into(),
            })
            .collect(),
        outcomes: CallOutcome::ALL
            .iter()
            .map(|c| Choice {
                selected: typed.outcome == c.as_str(),
                value: c.as_str().into(),
                label: c.label_vi().into(),
            })
            .collect(),
        facts,
        procedure_name,
        calls,
        errors,
        saved,
        typed,
    });
    Ok((status, page).into_response())
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default)]
    agency: String,
    #[serde(default, rename = "thu-tuc")]
    procedure: String,
    #[serde(default, rename = "da-luu")]
    saved: String,
}

/// `GET /can-bo/tong-dai[?thu-tuc=CODE]`: the form, the facts of the chosen procedure and
/// the last week's log.
pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    let typed = CallForm {
        agency: q.agency,
        procedure: q.procedure,
        channel: "phone".into(),
        outcome: "answered".into(),
        visibility: "public".into(),
        ..CallForm::default()
    };
    let saved = Some(q.saved).filter(|s| !s.is_empty());
    page(
        &app,
        &who,
        Frame::new(&headers, &uri),
        typed,
        Vec::new(),
        saved,
    )
    .await
}

/// `POST /can-bo/tong-dai`: logs the call (and the case it became).
pub async fn record(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(typed): PageForm<CallForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&typed.csrf)?;
    let frame = Frame::new(&headers, &uri);
    let agencies = who.agencies(&app).await?;
    let mut errors = Vec::new();
    let agency = typed
        .agency
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|a| agencies.iter().any(|(id, _)| id == a));
    if agency.is_none() {
        errors.push("cần chọn cơ quan mà cán bộ làm việc".to_string());
    }
    let channel = CallChannel::parse(&typed.channel);
    if channel.is_none() {
        errors.push("cần chọn kênh: tổng đài hay tại quầy".to_string());
    }
    let outcome = CallOutcome::parse(&typed.outcome);
    if outcome.is_none() {
        errors.push("cần chọn kết quả cuộc gọi".to_string());
    }
    let minutes = typed.minutes.trim().replace(',', ".");
    let seconds = if minutes.is_empty() {
        Some(0)
    } else {
        minutes
            .parse::<f64>()
            .ok()
            .filter(|m| m.is_finite() && *m >= 0.0)
            .map(|m| (m * 60.0).round() as i64)
    };
    if seconds.is_none() {
        errors.push("thời lượng là số phút, ví dụ 3 hoặc 2,5".to_string());
    }
    let (Some(agency), Some(channel), Some(outcome), Some(seconds)) =
        (agency, channel, outcome, seconds)
    else {
        return page(&app, &who, frame, typed, errors, None).await;
    };
    let procedure = Some(typed.procedure.trim().to_string()).filter(|p| !p.is_empty());
    let call = NewCall {
        channel,
        caller_name: typed.caller_name.clone(),
        caller_phone: typed.caller_phone.clone(),
        topic: typed.topic.clone(),
        procedure_code: procedure.clone(),
        question: typed.question.clone(),
        answer: typed.answer.clone(),
        duration_seconds: seconds,
        outcome,
    };
    let case = match outcome {
        CallOutcome::Answered => None,
        CallOutcome::Question | CallOutcome::Feedback => {
            let kind = if outcome == CallOutcome::Question {
                "question".to_string()
            } else if typed.feedback_kind == "conduct" {
                "conduct".to_string()
            } else {
                "regulation".to_string()
            };
            let as_case = Typed {
                kind,
                channel: if channel == CallChannel::Phone {
                    "phone".into()
                } else {
                    "counter".into()
                },
                procedure: typed.procedure.clone(),
                title: typed.topic.clone(),
                content: typed.question.clone(),
                visibility: Visibility::parse(&typed.visibility)
                    .unwrap_or(Visibility::Private)
                    .as_str()
                    .into(),
                name: typed.caller_name.clone(),
                phone: typed.caller_phone.clone(),
                email: typed.caller_email.clone(),
                address: typed.caller_address.clone(),
                ..Typed::default()
            };
            match as_case.case(agency, None) {
                Ok(c) => Some(c),
                Err(errors) => return page(&app, &who, frame, typed, errors, None).await,
            }
        }
    };
    match app
        .db
        .support()
        .record_call(
            agency,
            who.session.staff.id,
            &call,
            case.as_ref(),
            &app.calendar(),
            app.now(),
        )
        .await
    {
        Ok((_, Some(c))) => Ok(Redirect::to(&format!("/can-bo/ho-tro/{}", c.id)).into_response()),
        Ok((id, None)) => Ok(Redirect::to(&format!(
            "/can-bo/tong-dai?agency={agency}&da-luu={id}"
        ))
        .into_response()),
        Err(e) => {
            let message = crate::pages::explain(e)?;
            page(&app, &who, frame, typed, vec![message], None).await
        }
    }
}
