//! Trang hồ sơ — everything about one dossier for staff who may see it: applicant,
//! documents, the timeline of every transition with its outcome, messages sent, and a form
//! for each action this officer may take now (decided by dry-running the state machine).

use crate::pages::extract::{PageForm, PageId};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{ActorRef, DossierRecord, TransitionRequest};
use motcua_domain::dossier::{ACTIONS, Action, ActionSpec, Actor, Field, TransitionError, apply};
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
    /// How far the national portal has heard of it.
    portal: String,
    /// Filed from an account verified with the national identity.
    verified_identity: bool,
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
    payments: super::payments::Panel,
    forms: Vec<super::forms::FormLink>,
    signing: super::sign::Panel,
    /// The action to open on arrival (`?lam=forward`, from an alert's next action).
    open: String,
    /// Whether the action to open is among the "more actions".
    open_more: bool,
}

/// The national portal's sync state in words.
fn portal_line(state: motcua_db::SyncState) -> String {
    use motcua_db::SyncState;
    let when = |at: i64| {
        chrono::DateTime::from_timestamp(at, 0).map_or_else(String::new, |t| {
            vn_datetime(t.with_timezone(&motcua_domain::calendar::vietnam_offset()))
        })
    };
    match state {
        SyncState::NotYet => "Chưa gửi".into(),
        SyncState::Synced { at } => format!("Đã đồng bộ lúc {}", when(at)),
        SyncState::Waiting {
            error: Some(error), ..
        } => format!("Chờ gửi lại — lần trước lỗi: {error}"),
        SyncState::Waiting {
            synced_at: Some(at),
            ..
        } => format!("Có thay đổi chờ gửi (lần trước {})", when(at)),
        SyncState::Waiting { .. } => "Chờ gửi".into(),
    }
}

/// The actions the staff page offers, each with placeholder input for the dry run (the
/// open consultation to answer, a new appointment a week after the current one).
fn candidates(d: &DossierRecord) -> Vec<(Action, &'static ActionSpec)> {
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
    let sample = |f: Field| {
        Some(match f {
            Field::NewDue => later.format("%Y-%m-%d").to_string(),
            Field::Index => open.to_string(),
            Field::AmountVnd | Field::StaffId => "1".into(),
            Field::AgencyId => "-1".into(),
            Field::Hours => "8".into(),
            Field::Method => "in_person".into(),
            _ => "x".into(),
        })
    };
    ACTIONS
        .iter()
        .filter(|spec| spec.staff_page)
        .filter_map(|spec| Some((Action::from_fields(spec.name, sample).ok()?, spec)))
        .collect()
}

pub(crate) async fn allowed_actions(
    app: &AppState,
    staff_id: i64,
    d: &DossierRecord,
) -> Result<Vec<ActionForm>, PageError> {
    let calendar = app.calendar();
    let now = app.now();
    let mut out = Vec::new();
    for (action, spec) in candidates(d) {
        let roles = app
            .db
            .people()
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
                name: spec.name,
                label: spec.label,
                fields: spec.fields.iter().map(|f| f.field.key()).collect(),
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
    let version = app
        .db
        .catalogue()
        .procedure_version(d.procedure_version_id)
        .await?;
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
        .dossiers()
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
        .outbox()
        .deliveries_of(d.id)
        .await?
        .into_iter()
        .map(|m| super::delivery::message(m, t))
        .collect();
    let agency = app
        .db
        .agencies()
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
        .all()
        .await?
        .into_iter()
        .filter(|a| a.id != d.current_agency_id)
        .map(|a| (a.id, a.name))
        .collect();
    let assignable = app
        .db
        .people()
        .staff_over(d.current_agency_id)
        .await?
        .into_iter()
        .map(|s| (s.id, s.full_name))
        .collect();
    let files = super::files::lines(app, &d).await?;
    let may_attach = crate::access::may_attach(&app.db, who.session.staff.id, &d).await?;
    let signing = super::sign::panel(app, who.session.staff.id, &d).await?;
    let payments = super::payments::panel(app, &t, who.session.staff.id, &d).await?;
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
        portal: portal_line(app.db.portal().state(d.id).await?),
        verified_identity: app
            .db
            .dossiers()
            .portal_marks(d.id)
            .await?
            .verified_identity,
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
        payments,
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

/// The dossier `id` if this officer may see it; otherwise "not found".
pub(super) async fn readable(
    app: &AppState,
    who: &SignedIn,
    id: i64,
) -> Result<DossierRecord, PageError> {
    match app.db.dossiers().dossier(id).await? {
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

/// A submitted action form: its token, the version it was shown at, the action's name and
/// its fields by their keys in the action table.
type ActForm = std::collections::HashMap<String, String>;

/// The action a submitted form asks for, or a message naming what is wrong.
fn action_of(f: &ActForm) -> Result<Action, String> {
    let name = f.get("action").map_or("", String::as_str);
    Action::from_fields(name, |field| f.get(field.key()).cloned())
}

pub async fn act(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageForm(f): PageForm<ActForm>,
) -> Result<Response, PageError> {
    let version = f
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or(PageError::BadRequest)?;
    who.check_csrf(f.get("csrf").map_or("", String::as_str))?;
    let d = readable(&app, &who, id).await?;
    let frame = Frame::new(&headers, &uri);
    let action = match action_of(&f) {
        Ok(a) => a,
        Err(message) => return page(&app, &who, frame, d, Some(message)).await,
    };
    let request = TransitionRequest {
        dossier_id: id,
        expected_version: version,
        action,
    };
    match app
        .db
        .dossiers()
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
