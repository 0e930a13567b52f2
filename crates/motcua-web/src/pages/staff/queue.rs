//! Hàng đợi công việc — an officer's dossiers by agency and status, in appointment order,
//! with a traffic light each (on time, due within a working day, overdue, paused).

use crate::pages::extract::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_db::DossierFilter;
use motcua_domain::agency::Role;
use motcua_domain::dossier::Status;
use serde::Deserialize;
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::{Frame, PageError, render, vn_datetime};

#[derive(Deserialize)]
pub struct QueueQuery {
    agency: Option<i64>,
    status: Option<String>,
    after: Option<String>,
    /// Only the dossiers assigned to the signed-in officer.
    mine: Option<String>,
    /// A ready-made queue: `phe-duyet` (awaiting this leader's approval).
    hang: Option<String>,
    /// `1`: the dossiers this agency's counter received, wherever they are held (for the
    /// statuses the counter acts on).
    #[serde(rename = "tiep-nhan")]
    by_receiving: Option<String>,
    /// `1`: the dossiers this agency's counter received that another agency holds, overdue.
    #[serde(rename = "qua-han")]
    overdue: Option<String>,
    /// `1`: the open dossiers this agency's counter received whose agency proposed an
    /// apology and a new date lately.
    #[serde(rename = "xin-loi")]
    apologies: Option<String>,
}

/// How far back the counter's apology tab looks.
const APOLOGY_DAYS: i64 = 90;

/// A ready-made queue offered as a tab.
pub struct Tab {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Row {
    pub id: i64,
    pub code: String,
    pub summary: String,
    pub applicant: String,
    pub status: &'static str,
    pub received: String,
    pub due: String,
    pub light: &'static str,
    pub light_class: &'static str,
}

#[derive(Template)]
#[template(path = "staff/queue.html")]
struct Queue {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    agencies: Vec<Choice>,
    statuses: Vec<Choice>,
    rows: Vec<Row>,
    next: Option<String>,
    agency: i64,
    status: String,
    mine: bool,
    tabs: Vec<Tab>,
    approval: bool,
    by_receiving: bool,
    overdue_elsewhere: bool,
    apologies: bool,
    /// The agency's questions and feedback past their appointment.
    support_overdue: i64,
}

/// A dossier's line in a list.
pub fn row(app: &AppState, d: &motcua_db::DossierRecord, t: Tr) -> Row {
    let (light, class) = light(app, d, t);
    Row {
        id: d.id,
        code: d.code.clone(),
        summary: d.summary.clone(),
        applicant: d.applicant.name.clone(),
        status: d.status.label_vi(),
        received: vn_datetime(d.received_at),
        due: d.due_at.map(vn_datetime).unwrap_or_default(),
        light,
        light_class: class,
    }
}

/// The traffic light of a dossier at `now`.
pub fn light(app: &AppState, d: &motcua_db::DossierRecord, t: Tr) -> (&'static str, &'static str) {
    if d.status.is_paused() {
        return (t.get("light.paused"), "paused");
    }
    if !d.status.is_open() {
        return (t.get("light.done"), "done");
    }
    let now = app.now();
    if d.state.overdue_at(now) {
        return (t.get("light.overdue"), "overdue");
    }
    let calendar = app.calendar();
    match d
        .due_at
        .and_then(|due| motcua_domain::calendar::Light::at(&calendar, now, due).ok())
    {
        Some(motcua_domain::calendar::Light::DueSoon) => (t.get("light.due_soon"), "soon"),
        _ => (t.get("light.on_time"), "ok"),
    }
}

pub async fn queue(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<QueueQuery>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let t = frame.t;
    let staff = &who.session.staff;
    let grants = app.db.people().grants(staff.id).await?;
    let agency_ids = who.agencies(&app).await?;
    let agency = super::agency_or_first(&agency_ids, q.agency).unwrap_or(0);
    let counter = grants.iter().any(|g| g.role == Role::CounterOfficer);
    let default = if counter {
        Status::Accepted
    } else {
        Status::Processing
    };
    let status = q
        .status
        .as_deref()
        .and_then(Status::parse)
        .unwrap_or(default);
    let mine = q.mine.as_deref() == Some("1");
    // The leader role this officer holds over the chosen agency, for "awaiting approval".
    let roles_here = if agency == 0 {
        Vec::new()
    } else {
        app.db.people().roles_over(staff.id, agency).await?
    };
    let leader = [Role::AgencyLeader, Role::UnitLeader]
        .into_iter()
        .find(|r| roles_here.contains(r));
    let approval = q.hang.as_deref() == Some("phe-duyet") && leader.is_some();
    let by_receiving = q.by_receiving.as_deref() == Some("1")
        && motcua_db::RECEIVING_STATUSES.contains(&status)
        && agency != 0;
    let overdue_elsewhere = q.overdue.as_deref() == Some("1") && agency != 0;
    let apologies = q.apologies.as_deref() == Some("1") && agency != 0 && !overdue_elsewhere;
    let page = if apologies {
        app.db
            .dossiers()
            .list_dossiers(&DossierFilter {
                receiving_agency_id: Some(agency),
                apologies_since: Some(app.now() - chrono::Duration::days(APOLOGY_DAYS)),
                after: q.after.clone(),
                limit: Some(50),
                ..DossierFilter::default()
            })
            .await?
    } else if overdue_elsewhere {
        app.db
            .dossiers()
            .list_dossiers(&DossierFilter {
                receiving_agency_id: Some(agency),
                overdue_elsewhere_at: Some(app.now()),
                after: q.after.clone(),
                limit: Some(50),
                ..DossierFilter::default()
            })
            .await?
    } else if by_receiving {
        app.db
            .dossiers()
            .list_dossiers(&DossierFilter {
                receiving_agency_id: Some(agency),
                status: Some(status),
                after: q.after.clone(),
                limit: Some(50),
                ..DossierFilter::default()
            })
            .await?
    } else if approval && agency != 0 {
        app.db
            .dossiers()
            .list_dossiers(&DossierFilter {
                agency_id: Some(agency),
                step_role: leader,
                after: q.after.clone(),
                limit: Some(50),
                ..DossierFilter::default()
            })
            .await?
    } else if mine {
        app.db
            .dossiers()
            .list_dossiers(&DossierFilter {
                assignee_id: Some(staff.id),
                status: Some(status),
                after: q.after.clone(),
                limit: Some(50),
                ..DossierFilter::default()
            })
            .await?
    } else if agency == 0 {
        motcua_db::DossierPage {
            items: Vec::new(),
            next: None,
        }
    } else {
        app.db
            .dossiers()
            .list_dossiers(&DossierFilter {
                agency_id: Some(agency),
                status: Some(status),
                after: q.after.clone(),
                limit: Some(50),
                ..DossierFilter::default()
            })
            .await?
    };
    let rows = page.items.iter().map(|d| row(&app, d, t)).collect();
    let shown = [
        Status::Submitted,
        Status::Accepted,
        Status::Processing,
        Status::AwaitingSupplement,
        Status::AwaitingPayment,
        Status::ResultReady,
    ];
    let status_tab = |label: &'static str, wanted: Status| Tab {
        label,
        href: format!("/can-bo?agency={agency}&status={}", wanted.as_str()),
        current: !approval
            && !mine
            && !by_receiving
            && !overdue_elsewhere
            && !apologies
            && status == wanted,
    };
    // The counter's own: what it received, wherever the dossier is now held.
    let received_tab = |label: &'static str, wanted: Status| Tab {
        label,
        href: format!(
            "/can-bo?agency={agency}&status={}&tiep-nhan=1",
            wanted.as_str()
        ),
        current: by_receiving && !overdue_elsewhere && !apologies && status == wanted,
    };
    let mut tabs = Vec::new();
    if roles_here.contains(&Role::CounterOfficer) {
        tabs.push(status_tab(t.get("queue.tab.to_accept"), Status::Submitted));
        tabs.push(status_tab(t.get("queue.tab.at_counter"), Status::Accepted));
        tabs.push(received_tab(
            t.get("queue.tab.to_return"),
            Status::ResultReady,
        ));
        tabs.push(received_tab(
            t.get("queue.tab.supplement"),
            Status::AwaitingSupplement,
        ));
        tabs.push(received_tab(
            t.get("queue.tab.payment"),
            Status::AwaitingPayment,
        ));
        tabs.push(Tab {
            label: t.get("queue.tab.overdue_elsewhere"),
            href: format!("/can-bo?agency={agency}&qua-han=1"),
            current: overdue_elsewhere,
        });
        tabs.push(Tab {
            label: t.get("queue.tab.apologies"),
            href: format!("/can-bo?agency={agency}&xin-loi=1"),
            current: apologies,
        });
    }
    if roles_here
        .iter()
        .any(|r| matches!(r, Role::Specialist | Role::UnitLeader | Role::AgencyLeader))
    {
        tabs.push(Tab {
            label: t.get("queue.tab.mine"),
            href: format!("/can-bo?agency={agency}&status=processing&mine=1"),
            current: mine && !approval,
        });
        tabs.push(status_tab(t.get("queue.tab.unit"), Status::Processing));
    }
    if leader.is_some() {
        tabs.push(Tab {
            label: t.get("queue.tab.approval"),
            href: format!("/can-bo?agency={agency}&hang=phe-duyet"),
            current: approval,
        });
    }
    let support_overdue = if agency == 0 {
        0
    } else {
        app.db.support().overdue_count(agency, app.now()).await?
    };
    Ok(render(&Queue {
        nav: who.nav(),
        support_overdue,
        tabs,
        approval,
        by_receiving,
        overdue_elsewhere,
        apologies,
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        agencies: agency_ids
            .into_iter()
            .map(|(id, name)| Choice {
                selected: id == agency,
                value: id.to_string(),
                label: name,
            })
            .collect(),
        statuses: shown
            .iter()
            .map(|s| Choice {
                selected: *s == status,
                value: s.as_str().into(),
                label: s.label_vi().into(),
            })
            .collect(),
        rows,
        next: page.next,
        agency,
        status: status.as_str().into(),
        mine,
    }))
}
