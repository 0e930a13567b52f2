//! Hỏi đáp, phản ánh — the support desk as officers work it: the queue of an agency's
//! questions and feedback with their traffic lights, a case's page with the steps the
//! officer may take (classify, transfer, forward, refuse, answer, approve, return, publish),
//! and receiving a feedback at the counter, by phone, by post or e-mail.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use motcua_db::{CaseFilter, CaseStep, NewCase, StoredCase};
use motcua_domain::agency::Role;
use motcua_domain::calendar::Light;
use motcua_domain::support::{
    Action, CATEGORIES, Channel, Kind, State as CaseState, Submitter, Visibility, category_label,
    looks_like_complaint, may,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

use super::SignedIn;
use super::queue::{Choice, Tab};
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageForm, PageId, PageQuery};
use crate::pages::{Frame, PageError, render, vn_datetime};

/// A case's line in a queue.
pub struct CaseRow {
    pub id: i64,
    pub code: String,
    pub kind: &'static str,
    pub title: String,
    pub submitter: String,
    pub state: &'static str,
    pub received: String,
    pub due: String,
    pub light: &'static str,
    pub light_class: &'static str,
}

/// The traffic light of a case at `now`: open ones by the appointment they answer to now.
pub fn case_light(app: &AppState, c: &StoredCase, t: Tr) -> (&'static str, &'static str) {
    if !c.state.is_open() {
        return (t.get("light.done"), "done");
    }
    match Light::at(&app.calendar(), app.now(), c.due_now()) {
        Ok(l) => (t.get(l.label_key()), l.class()),
        Err(_) => (t.get("light.on_time"), "ok"),
    }
}

pub fn case_row(app: &AppState, c: &StoredCase, t: Tr) -> CaseRow {
    let (light, light_class) = case_light(app, c, t);
    CaseRow {
        id: c.id,
        code: c.code.clone(),
        kind: c.kind.label_vi(),
        title: c.title.clone(),
        submitter: c.submitter.name.clone(),
        state: c.state.label_vi(),
        received: vn_datetime(c.received_at),
        due: vn_datetime(c.due_now()),
        light,
        light_class,
    }
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    agency: Option<i64>,
    #[serde(default)]
    state: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    page: i64,
}

#[derive(Template)]
#[template(path = "staff/support_queue.html")]
struct QueuePage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    agencies: Vec<Choice>,
    kinds: Vec<Choice>,
    tabs: Vec<Tab>,
    rows: Vec<CaseRow>,
    agency: i64,
    state: String,
    kind: String,
    mine: bool,
    next_page: Option<i64>,
    overdue: i64,
}

const PAGE: i64 = 50;

/// `GET /can-bo/ho-tro`: an agency's questions and feedback, open ones by appointment.
pub async fn queue(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<QueueQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let t = frame.t;
    let agencies = who.agencies(&app).await?;
    let agency = super::agency_or_first(&agencies, q.agency).unwrap_or(0);
    let state = if q.state == "all" || CaseState::parse(&q.state).is_some() {
        q.state.clone()
    } else {
        "open".to_string()
    };
    let kind = Kind::parse(&q.kind);
    let mine = q.mine == "1";
    let page = q.page.max(0);
    let rows = if agency == 0 {
        Vec::new()
    } else {
        app.db
            .support()
            .queue(&CaseFilter {
                agency_id: agency,
                state: state.clone(),
                kind,
                assignee: mine.then_some(who.session.staff.id),
                limit: PAGE + 1,
                offset: page * PAGE,
            })
            .await?
    };
    let more = rows.len() as i64 > PAGE;
    let overdue = if agency == 0 {
        0
    } else {
        app.db.support().overdue_count(agency, app.now()).await?
    };
    let kind_text = kind.map_or("", Kind::as_str).to_string();
    let tab = |label: &'static str, value: &str| Tab {
        label,
        href: format!("/can-bo/ho-tro?agency={agency}&state={value}&kind={kind_text}"),
        current: state == value,
    };
    let tabs = vec![
        tab(t.get("support.tab.open"), "open"),
        tab(t.get("support.tab.received"), "received"),
        tab(t.get("support.tab.handling"), "handling"),
        tab(t.get("support.tab.review"), "review"),
        tab(t.get("support.tab.answered"), "answered"),
        tab(t.get("support.tab.published"), "published"),
        tab(t.get("support.tab.forwarded"), "forwarded"),
        tab(t.get("support.tab.refused"), "refused"),
        tab(t.get("support.tab.all"), "all"),
    ];
    Ok(render(&QueuePage {
        nav: who.nav(),
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        agencies: agencies
            .into_iter()
            .map(|(id, name)| Choice {
                selected: id == agency,
                value: id.to_string(),
                label: name,
            })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice {
                selected: Some(*k) == kind,
                value: k.as_str().into(),
                label: k.label_vi().into(),
            })
            .collect(),
        tabs,
        rows: rows
            .iter()
            .take(PAGE as usize)
            .map(|c| case_row(&app, c, t))
            .collect(),
        agency,
        state,
        kind: kind_text,
        mine,
        next_page: more.then_some(page + 1),
        overdue,
    }))
}

/// A case the officer may see: one held by an agency they hold a role over.
async fn readable(
    app: &AppState,
    who: &SignedIn,
    id: i64,
) -> Result<(StoredCase, Vec<Role>), PageError> {
    let Some(case) = app.db.support().case(id).await? else {
        return Err(PageError::NotFound);
    };
    let roles = app
        .db
        .people()
        .roles_over(who.session.staff.id, case.agency_id)
        .await?;
    if roles.is_empty() {
        return Err(PageError::NotFound);
    }
    Ok((case, roles))
}

pub struct StepLine {
    pub at: String,
    pub who: String,
    pub action: &'static str,
    pub state: &'static str,
    pub agency: String,
    pub note: String,
}

fn step_line(s: &CaseStep) -> StepLine {
    StepLine {
        at: vn_datetime(s.at),
        who: s.actor_name.clone().unwrap_or_else(|| {
            if s.actor == "public" || s.actor.starts_with("citizen:") {
                "Người gửi".to_string()
            } else {
                s.actor.clone()
            }
        }),
        action: Action::label_vi(&s.action),
        state: s.to_state.label_vi(),
        agency: s.agency_name.clone(),
        note: s.note.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "staff/support_case.html")]
struct CasePage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    c: StoredCase,
    kind: &'static str,
    channel: &'static str,
    state: &'static str,
    category: String,
    received: String,
    due: String,
    light: &'static str,
    light_class: &'static str,
    ended: String,
    published: String,
    steps: Vec<StepLine>,
    complaint: bool,
    /// The steps offered: their names.
    offered: Vec<&'static str>,
    categories: Vec<Choice>,
    officers: Vec<Choice>,
    agencies: Vec<Choice>,
    public: bool,
    feedback: bool,
    error: Option<String>,
    csrf: String,
}

/// The steps a case in its state offers an officer holding `roles`.
fn offered(c: &StoredCase, roles: &[Role]) -> Vec<&'static str> {
    let by_state: &[&'static str] = match c.state {
        CaseState::Received => &["accept", "transfer", "forward", "refuse"],
        CaseState::Handling => &["answer", "transfer"],
        CaseState::Review => &["approve", "return"],
        CaseState::Answered if c.visibility == Visibility::Public => &["publish"],
        _ => &[],
    };
    by_state
        .iter()
        .copied()
        .filter(|a| may(roles, c.kind, a))
        .collect()
}

async fn case_page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    c: StoredCase,
    roles: &[Role],
    error: Option<String>,
) -> Result<Response, PageError> {
    let t = frame.t;
    let steps = app.db.support().steps(c.id).await?;
    let (light, light_class) = case_light(app, &c, t);
    let officers = app
        .db
        .people()
        .staff_at(c.agency_id)
        .await?
        .into_iter()
        .map(|s| Choice {
            selected: Some(s.id) == c.assignee_id,
            value: s.id.to_string(),
            label: s.full_name,
        })
        .collect();
    let agencies = app
        .db
        .agencies()
        .all()
        .await?
        .into_iter()
        .filter(|a| a.id != c.agency_id)
        .map(|a| Choice {
            selected: false,
            value: a.id.to_string(),
            label: a.name,
        })
        .collect();
    let default_category = if c.kind == Kind::Conduct {
        "conduct"
    } else if c.kind == Kind::Question {
        "procedure"
    } else {
        "other"
    };
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = render(&CasePage {
        nav: who.nav(),
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        kind: c.kind.label_vi(),
        channel: c.channel.label_vi(),
        state: c.state.label_vi(),
        category: if c.category.is_empty() {
            String::new()
        } else {
            category_label(&c.category).to_string()
        },
        received: vn_datetime(c.received_at),
        due: vn_datetime(c.due_now()),
        light,
        light_class,
        ended: c.ended_at.map(vn_datetime).unwrap_or_default(),
        published: c.published_at.map(vn_datetime).unwrap_or_default(),
        steps: steps.iter().map(step_line).collect(),
        complaint: looks_like_complaint(&format!("{} {}", c.title, c.content)),
        offered: offered(&c, roles),
        categories: CATEGORIES
            .iter()
            .map(|(k, l)| Choice {
                selected: *k == default_category,
                value: (*k).into(),
                label: (*l).into(),
            })
            .collect(),
        officers,
        agencies,
        public: c.visibility == Visibility::Public,
        feedback: c.kind.is_feedback(),
        error,
        csrf: who.session.csrf.clone(),
        c,
    });
    Ok((status, page).into_response())
}

/// `GET /can-bo/ho-tro/{id}`.
pub async fn show(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let (c, roles) = readable(&app, &who, id).await?;
    case_page(&app, &who, Frame::new(&headers, &uri), c, &roles, None).await
}

type ActForm = HashMap<String, String>;

/// The step a submitted form asks for, or a message naming what is wrong.
fn action_of(f: &ActForm) -> Result<Action, String> {
    let text = |k: &str| f.get(k).map_or("", |v| v.as_str()).to_string();
    Ok(match text("action").as_str() {
        "accept" => Action::Accept {
            category: text("category"),
            assignee: match text("assignee").trim() {
                "" => None,
                v => Some(
                    v.parse()
                        .map_err(|_| "cán bộ được giao không hợp lệ".to_string())?,
                ),
            },
        },
        "transfer" => Action::Transfer {
            agency_id: text("agency")
                .trim()
                .parse()
                .map_err(|_| "cần chọn cơ quan được chuyển đến".to_string())?,
            reason: text("reason"),
        },
        "forward" => Action::Forward { to: text("to") },
        "refuse" => Action::Refuse {
            reason: text("reason"),
        },
        "answer" => Action::Answer {
            text: text("answer"),
        },
        "approve" => Action::Approve {
            publish: text("publish") == "1",
        },
        "return" => Action::Return { note: text("note") },
        "publish" => Action::Publish,
        _ => return Err("không có thao tác này".into()),
    })
}

/// `POST /can-bo/ho-tro/{id}`: one step, on the version the page showed.
pub async fn act(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageForm(f): PageForm<ActForm>,
) -> Result<Response, PageError> {
    who.check_csrf(f.get("csrf").map_or("", String::as_str))?;
    let version = f
        .get("version")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .ok_or(PageError::BadRequest)?;
    let (c, roles) = readable(&app, &who, id).await?;
    let frame = Frame::new(&headers, &uri);
    let action = match action_of(&f) {
        Ok(a) => a,
        Err(message) => return case_page(&app, &who, frame, c, &roles, Some(message)).await,
    };
    match app
        .db
        .support()
        .act(
            id,
            version,
            &action,
            who.session.staff.id,
            &roles,
            app.now(),
        )
        .await
    {
        Ok(done) => {
            // A case transferred to an agency the officer does not serve leaves their reach.
            let still = !app
                .db
                .people()
                .roles_over(who.session.staff.id, done.agency_id)
                .await?
                .is_empty();
            let to = if still {
                format!("/can-bo/ho-tro/{id}")
            } else {
                format!("/can-bo/ho-tro?agency={}", c.agency_id)
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let message = crate::pages::explain(e)?;
            let (fresh, roles) = readable(&app, &who, id).await?;
            case_page(&app, &who, frame, fresh, &roles, Some(message)).await
        }
    }
}

/// What the counter types when it receives a question or feedback.
#[derive(Deserialize, Default, Clone)]
pub struct Typed {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub agency: String,
    #[serde(default)]
    pub procedure: String,
    /// The field (lĩnh vực) asked about when no procedure is chosen (the public form).
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
}

impl Typed {
    /// The case it describes, or the named problems with its choices.
    pub fn case(&self, agency_id: i64, citizen_id: Option<i64>) -> Result<NewCase, Vec<String>> {
        let mut errors = Vec::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.push("cần chọn loại: câu hỏi, phản ánh về quy định hay về cán bộ".to_string());
        }
        let channel = Channel::parse(&self.channel);
        if channel.is_none() {
            errors.push("cần chọn kênh tiếp nhận".to_string());
        }
        let visibility = Visibility::parse(&self.visibility).unwrap_or(Visibility::Private);
        let (Some(kind), Some(channel)) = (kind, channel) else {
            return Err(errors);
        };
        Ok(NewCase {
            kind,
            channel,
            visibility,
            agency_id,
            procedure_code: Some(self.procedure.trim().to_string()).filter(|p| !p.is_empty()),
            title: self.title.clone(),
            content: self.content.clone(),
            submitter: Submitter {
                name: self.name.clone(),
                phone: self.phone.clone(),
                email: self.email.clone(),
                address: self.address.clone(),
            },
            citizen_id,
        })
    }
}

#[derive(Template)]
#[template(path = "staff/support_new.html")]
struct NewPage {
    nav: super::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    typed: Typed,
    agencies: Vec<Choice>,
    kinds: Vec<Choice>,
    channels: Vec<Choice>,
    procedures: Vec<Choice>,
    errors: Vec<String>,
    csrf: String,
}

/// The procedures of the catalogue as choices, `selected` the chosen one.
pub(crate) async fn procedure_choices(
    app: &AppState,
    selected: &str,
) -> Result<Vec<Choice>, PageError> {
    Ok(app
        .db
        .catalogue()
        .procedures(None, None, None)
        .await?
        .into_iter()
        .map(|p| Choice {
            selected: p.code == selected,
            value: p.code,
            label: p.name,
        })
        .collect())
}

async fn new_page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    typed: Typed,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let agencies = who.agencies(app).await?;
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(&NewPage {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        agencies: agencies
            .into_iter()
            .map(|(id, name)| Choice {
                selected: typed.agency == id.to_string(),
                value: id.to_string(),
                label: name,
            })
            .collect(),
        kinds: Kind::ALL
            .iter()
            .map(|k| Choice {
                selected: typed.kind == k.as_str(),
                value: k.as_str().into(),
                label: k.label_vi().into(),
            })
            .collect(),
        channels: Channel::ALL
            .iter()
            .filter(|c| **c != Channel::Online)
            .map(|c| Choice {
                selected: typed.channel == c.as_str(),
                value: c.as_str().into(),
                label: c.label_vi().into(),
            })
            .collect(),
        procedures: procedure_choices(app, &typed.procedure).await?,
        errors,
        csrf: who.session.csrf.clone(),
        typed,
    });
    Ok((status, page).into_response())
}

/// `GET /can-bo/ho-tro/moi`: receive a question or feedback at the counter, by phone, post
/// or e-mail.
pub async fn new_form(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let typed = Typed {
        channel: "counter".into(),
        kind: "regulation".into(),
        visibility: "public".into(),
        ..Typed::default()
    };
    new_page(&app, &who, Frame::new(&headers, &uri), typed, Vec::new()).await
}

/// `POST /can-bo/ho-tro/moi`.
pub async fn create(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageForm(typed): PageForm<Typed>,
) -> Result<Response, PageError> {
    who.check_csrf(&typed.csrf)?;
    let frame = Frame::new(&headers, &uri);
    let agencies = who.agencies(&app).await?;
    let Some(agency) = typed
        .agency
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|a| agencies.iter().any(|(id, _)| id == a))
    else {
        let errors = vec!["cần chọn cơ quan tiếp nhận mà cán bộ làm việc".to_string()];
        return new_page(&app, &who, frame, typed, errors).await;
    };
    let new = match typed.case(agency, None) {
        Ok(n) => n,
        Err(errors) => return new_page(&app, &who, frame, typed, errors).await,
    };
    let actor = format!("staff:{}", who.session.staff.id);
    match app
        .db
        .support()
        .open(&new, &app.calendar(), app.now(), &actor)
        .await
    {
        Ok(c) => Ok(Redirect::to(&format!("/can-bo/ho-tro/{}", c.id)).into_response()),
        Err(e) => {
            let message = crate::pages::explain(e)?;
            new_page(&app, &who, frame, typed, vec![message]).await
        }
    }
}
