//! Trang hồ sơ — everything about one dossier for staff who may see it: applicant,
//! documents, the timeline of every transition with its outcome, messages sent, and a form
//! for each action this officer may take now (decided by dry-running the state machine).

use crate::pages::extract::{PageForm, PageId};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, TimeZone};
use motcua_db::{ActorRef, DossierRecord, TransitionRequest};
use motcua_domain::dossier::{Action, Actor, ReturnMethod, TransitionError, apply};
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use super::delivery::Message;
use super::queue::light;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render, vn_datetime};

pub struct Event {
    pub at: String,
    pub label: String,
    pub actor: String,
    pub note: String,
    pub outcome: String,
}

pub struct ActionForm {
    pub name: &'static str,
    pub label: &'static str,
    pub fields: Vec<&'static str>,
    /// The question asked before an action nothing can undo.
    pub confirm: Option<String>,
}

pub struct Received {
    pub name: String,
    pub count: u8,
    pub form: &'static str,
}

#[derive(Template)]
#[template(path = "staff/dossier.html")]
struct DossierPage {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    csrf: String,
    d: DossierRecord,
    procedure: String,
    status: &'static str,
    light: &'static str,
    light_class: &'static str,
    received: String,
    due: String,
    step: String,
    step_due: String,
    agency: String,
    history: Vec<Event>,
    /// The usual next step, first and prominent; the other actions behind "more actions".
    primary: Option<ActionForm>,
    actions: Vec<ActionForm>,
    messages: Vec<Message>,
    components: Vec<Received>,
    error: Option<String>,
    consultation: usize,
    /// Other agencies, for consultation and hand-off.
    others: Vec<(i64, String)>,
    /// Staff who may be assigned the current step.
    assignable: Vec<(i64, String)>,
    files: Vec<super::files::FileLine>,
    may_attach: bool,
    forms: Vec<super::forms::FormLink>,
    signing: super::sign::Panel,
    /// The action to open on arrival (`?lam=forward`, from an alert's next action).
    open: String,
    /// Whether the action to open is among the "more actions".
    open_more: bool,
}

/// The actions offered on the page, each with placeholder input for the dry run.
fn candidates(d: &DossierRecord) -> Vec<(Action, Vec<&'static str>)> {
    let later = d
        .due_at
        .map(|due| due + chrono::Duration::days(7))
        .unwrap_or(d.received_at);
    let open = d
        .state
        .consultations
        .iter()
        .position(|c| c.answered_at.is_none())
        .unwrap_or(0);
    let x = || "x".to_string();
    vec![
        (Action::Accept, vec![]),
        (Action::RefuseIntake { reason: x() }, vec!["reason"]),
        (Action::Forward { note: None }, vec!["note"]),
        (Action::Appraise { note: x() }, vec!["note"]),
        (Action::SendBack { note: x() }, vec!["note"]),
        (
            Action::RequestSupplement {
                missing: vec![x()],
                reason: x(),
            },
            vec!["missing", "reason"],
        ),
        (Action::ReceiveSupplement { note: None }, vec!["note"]),
        (
            Action::AnswerConsultation {
                index: open,
                answer: x(),
            },
            vec!["answer"],
        ),
        (Action::Assign { staff_id: 1 }, vec!["staff"]),
        (
            Action::Consult {
                agency_id: -1,
                question: x(),
                hours: 8,
            },
            vec!["agency", "question", "hours"],
        ),
        (
            Action::HandOff {
                agency_id: -1,
                note: None,
            },
            vec!["agency", "note"],
        ),
        (
            Action::RequestPayment {
                amount_vnd: 1,
                note: None,
            },
            vec!["amount"],
        ),
        (Action::ConfirmPayment, vec![]),
        (
            Action::ProposeApology {
                reason: x(),
                new_due: later,
            },
            vec!["reason", "new_due"],
        ),
        (Action::ApproveApology, vec![]),
        (Action::Approve { note: None }, vec!["note"]),
        (Action::Reject { reason: x() }, vec!["reason"]),
        (Action::Stop { reason: x() }, vec!["reason"]),
        (Action::Withdraw { reason: None }, vec!["reason"]),
        (
            Action::Return {
                method: ReturnMethod::InPerson,
                tracking: Some(x()),
            },
            vec!["method", "tracking"],
        ),
    ]
}

pub(crate) async fn allowed_actions(
    app: &AppState,
    staff_id: i64,
    d: &DossierRecord,
) -> Result<Vec<ActionForm>, PageError> {
    let calendar = app.calendar();
    let now = app.now();
    let mut out = Vec::new();
    for (action, fields) in candidates(d) {
        let roles = app
            .db
            .roles_over(staff_id, action.authorizing_agency(&d.state))
            .await?;
        let actor = Actor::Staff {
            id: staff_id,
            roles,
        };
        let allowed = match apply(&d.state, &actor, &action, now, &calendar) {
            Ok(_) | Err(TransitionError::Invalid(_)) => true,
            Err(_) => false,
        };
        if allowed {
            out.push(ActionForm {
                name: action.name(),
                label: action.label_vi(),
                fields,
                confirm: action.is_irreversible().then(|| {
                    format!(
                        "{}: hồ sơ {} sẽ kết thúc và không thể hoàn tác. Tiếp tục?",
                        action.label_vi(),
                        d.code
                    )
                }),
            });
        }
    }
    Ok(out)
}

async fn page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    d: DossierRecord,
    error: Option<String>,
) -> Result<Response, PageError> {
    page_opening(app, who, frame, d, error, String::new()).await
}

async fn page_opening(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    d: DossierRecord,
    error: Option<String>,
    open: String,
) -> Result<Response, PageError> {
    let t = frame.t;
    let version = app.db.procedure_version(d.procedure_version_id).await?;
    let case = version
        .as_ref()
        .and_then(|p| p.procedure.case(&d.case_code));
    let components = d
        .components
        .iter()
        .map(|c| Received {
            name: super::component_name(case, &c.code),
            count: c.count,
            form: match c.form {
                motcua_domain::dossier::ComponentForm::Original => "bản chính",
                motcua_domain::dossier::ComponentForm::Copy => "bản sao",
                motcua_domain::dossier::ComponentForm::Electronic => "bản điện tử",
            },
        })
        .collect();
    let procedure = version
        .map(|p| p.procedure.name.clone())
        .unwrap_or_default();
    let history = app
        .db
        .history(d.id)
        .await?
        .into_iter()
        .map(|h| Event {
            at: vn_datetime(h.at),
            label: label_of(&h.action),
            actor: h.actor_name.unwrap_or_else(|| "Công dân".into()),
            note: h.note.unwrap_or_default(),
            outcome: h
                .step_outcome
                .map(|o| o.label_vi().to_string())
                .unwrap_or_default(),
        })
        .collect();
    let messages = app
        .db
        .deliveries_of(d.id)
        .await?
        .into_iter()
        .map(|m| super::delivery::message(m, t))
        .collect();
    let agency = app
        .db
        .agency(d.current_agency_id)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let (light, light_class) = light(app, &d, t);
    let step = d
        .state
        .current_step()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut actions = allowed_actions(app, who.session.staff.id, &d).await?;
    let usual = motcua_domain::dossier::usual_next(&d.state);
    let primary = actions
        .iter()
        .position(|a| Some(a.name) == usual)
        .map(|i| actions.remove(i));
    let others = app
        .db
        .agencies()
        .await?
        .into_iter()
        .filter(|a| a.id != d.current_agency_id)
        .map(|a| (a.id, a.name))
        .collect();
    let assignable = app
        .db
        .staff_over(d.current_agency_id)
        .await?
        .into_iter()
        .map(|s| (s.id, s.full_name))
        .collect();
    let files = super::files::lines(app, &d).await?;
    let may_attach = super::files::may_attach(app, who.session.staff.id, &d).await?;
    let signing = super::sign::panel(app, who.session.staff.id, &d).await?;
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let open_more = actions.iter().any(|a| a.name == open);
    let body = render(&DossierPage {
        nav: who.nav(),
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        csrf: who.session.csrf.clone(),
        procedure,
        status: d.status.label_vi(),
        light,
        light_class,
        received: vn_datetime(d.received_at),
        due: d.due_at.map(vn_datetime).unwrap_or_default(),
        step,
        step_due: d.state.step_due.map(vn_datetime).unwrap_or_default(),
        agency,
        history,
        primary,
        actions,
        messages,
        components,
        error,
        consultation: d
            .state
            .consultations
            .iter()
            .position(|c| c.answered_at.is_none())
            .unwrap_or(0),
        others,
        assignable,
        files,
        may_attach,
        forms: super::forms::available(app, &d),
        signing,
        open_more,
        open,
        d,
    });
    Ok((status, body).into_response())
}

/// The dossier page showing `error` (for handlers elsewhere, e.g. attaching files).
pub async fn page_with_error(
    app: &AppState,
    who: &SignedIn,
    headers: &HeaderMap,
    uri: &Uri,
    d: DossierRecord,
    error: Option<String>,
) -> Result<Response, PageError> {
    page(app, who, Frame::new(headers, uri), d, error).await
}

/// The Vietnamese label of a stored action name.
fn label_of(name: &str) -> String {
    Action::label_of_name(name).unwrap_or(name).to_string()
}

async fn readable(app: &AppState, who: &SignedIn, id: i64) -> Result<DossierRecord, PageError> {
    match app.db.dossier(id).await? {
        Some(d) if crate::access::may_read(&app.db, who.session.staff.id, &d).await? => Ok(d),
        _ => Err(PageError::NotFound),
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    /// The action whose form opens on arrival (an alert's next action).
    #[serde(default)]
    lam: String,
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    crate::pages::extract::PageQuery(q): crate::pages::extract::PageQuery<ShowQuery>,
) -> Result<Response, PageError> {
    let d = readable(&app, &who, id).await?;
    // Only an action's name (letters and underscores) is taken; anything else is ignored.
    let open = Some(q.lam)
        .filter(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .unwrap_or_default();
    page_opening(&app, &who, Frame::new(&headers, &uri), d, None, open).await
}

#[derive(Deserialize)]
pub struct ActForm {
    #[serde(default)]
    csrf: String,
    version: i64,
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    missing: String,
    #[serde(default)]
    new_due: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    tracking: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    index: usize,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    staff: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The action a submitted form asks for, or a message naming what is wrong.
fn action_of(f: &ActForm) -> Result<Action, String> {
    Ok(match f.action.as_str() {
        "accept" => Action::Accept,
        "refuse_intake" => Action::RefuseIntake {
            reason: f.reason.clone(),
        },
        "forward" => Action::Forward {
            note: optional(&f.note),
        },
        "appraise" => Action::Appraise {
            note: f.note.clone(),
        },
        "send_back" => Action::SendBack {
            note: f.note.clone(),
        },
        "request_supplement" => Action::RequestSupplement {
            missing: f.missing.lines().map(str::to_string).collect(),
            reason: f.reason.clone(),
        },
        "receive_supplement" => Action::ReceiveSupplement {
            note: optional(&f.note),
        },
        "answer_consultation" => Action::AnswerConsultation {
            index: f.index,
            answer: f.answer.clone(),
        },
        "assign" => Action::Assign {
            staff_id: f
                .staff
                .trim()
                .parse()
                .map_err(|_| "Chưa chọn cán bộ".to_string())?,
        },
        "consult" => Action::Consult {
            agency_id: f
                .agency
                .trim()
                .parse()
                .map_err(|_| "Chưa chọn cơ quan".to_string())?,
            question: f.question.clone(),
            hours: f
                .hours
                .trim()
                .parse()
                .map_err(|_| "Thời hạn trả lời phải là số giờ làm việc".to_string())?,
        },
        "hand_off" => Action::HandOff {
            agency_id: f
                .agency
                .trim()
                .parse()
                .map_err(|_| "Chưa chọn cơ quan".to_string())?,
            note: optional(&f.note),
        },
        "request_payment" => Action::RequestPayment {
            amount_vnd: f
                .amount
                .trim()
                .replace(['.', ','], "")
                .parse()
                .map_err(|_| "Số tiền phải là số đồng".to_string())?,
            note: None,
        },
        "confirm_payment" => Action::ConfirmPayment,
        "propose_apology" => {
            let date = NaiveDate::parse_from_str(f.new_due.trim(), "%Y-%m-%d")
                .map_err(|_| "Ngày hẹn mới không hợp lệ".to_string())?;
            let local = date
                .and_hms_opt(17, 0, 0)
                .ok_or("Ngày hẹn mới không hợp lệ")?;
            let new_due = motcua_domain::calendar::vietnam_offset()
                .from_local_datetime(&local)
                .single()
                .ok_or("Ngày hẹn mới không hợp lệ")?;
            Action::ProposeApology {
                reason: f.reason.clone(),
                new_due,
            }
        }
        "approve_apology" => Action::ApproveApology,
        "approve" => Action::Approve {
            note: optional(&f.note),
        },
        "reject" => Action::Reject {
            reason: f.reason.clone(),
        },
        "stop" => Action::Stop {
            reason: f.reason.clone(),
        },
        "withdraw" => Action::Withdraw {
            reason: optional(&f.reason),
        },
        "return" => Action::Return {
            method: match f.method.as_str() {
                "post" => ReturnMethod::Post,
                "online" => ReturnMethod::Online,
                _ => ReturnMethod::InPerson,
            },
            tracking: optional(&f.tracking),
        },
        other => return Err(format!("Thao tác “{other}” không có trên trang này")),
    })
}

pub async fn act(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageForm(f): PageForm<ActForm>,
) -> Result<Response, PageError> {
    who.check_csrf(&f.csrf)?;
    let d = readable(&app, &who, id).await?;
    let frame = Frame::new(&headers, &uri);
    let action = match action_of(&f) {
        Ok(a) => a,
        Err(message) => return page(&app, &who, frame, d, Some(message)).await,
    };
    let request = TransitionRequest {
        dossier_id: id,
        expected_version: f.version,
        action,
    };
    match app
        .db
        .transition(
            &request,
            ActorRef::Staff(who.session.staff.id),
            &app.calendar(),
            app.now(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/can-bo/ho-so/{id}")).into_response()),
        Err(e) => {
            let message = crate::pages::explain(e)?;
            let fresh = readable(&app, &who, id).await?;
            page(&app, &who, frame, fresh, Some(message)).await
        }
    }
}
