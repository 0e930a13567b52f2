//! Đánh giá cán bộ — the TT 01/2018 officer score for a period: chỉ số 1, 2, 3, 4 and 7 over
//! the dossiers each officer acted on that were resolved in it, on the 10-point scale, and
//! the duty level it means. A leader sees the officers of the agencies they lead; everyone
//! sees their own.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use motcua_domain::agency::Role;
use motcua_domain::evaluation::{officer_duty, officer_scores};
use serde::Deserialize;
use std::sync::Arc;

use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::PageQuery;
use crate::pages::staff::SignedIn;
use crate::pages::{Frame, PageError, render};

#[derive(Deserialize, Default)]
pub struct Period {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

pub struct Row {
    pub name: String,
    pub agency: String,
    pub dossiers: usize,
    pub scores: Vec<String>,
    pub points: String,
    pub duty: String,
}

#[derive(Template)]
#[template(path = "staff/officers.html")]
struct Officers {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    from: String,
    to: String,
    rows: Vec<Row>,
}

pub async fn officers(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<Period>,
) -> Result<Response, PageError> {
    let today = app.now().date_naive();
    let quarter_start =
        NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(today);
    let parse = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let from = parse(&q.from).unwrap_or(quarter_start);
    let to = parse(&q.to).unwrap_or(today).max(from);
    let me = who.session.staff.id;
    // The agencies this officer leads, supervises or administers: their officers are listed.
    let led: Vec<i64> = app
        .db
        .people()
        .grants(me)
        .await?
        .into_iter()
        .filter(|g| {
            matches!(
                g.role,
                Role::UnitLeader | Role::AgencyLeader | Role::Supervisor | Role::Administrator
            )
        })
        .map(|g| g.agency_id)
        .collect();
    let agencies = app.db.agencies().all().await?;
    let path_of = |id: i64| agencies.iter().find(|a| a.id == id).map(|a| a.path.clone());
    let led_paths: Vec<String> = led.iter().filter_map(|id| path_of(*id)).collect();
    let mut people: Vec<(i64, String, String)> = Vec::new();
    for (agency, staff, _) in app.db.people().directory().await? {
        let path = path_of(agency).unwrap_or_default();
        let visible = staff.id == me || led_paths.iter().any(|p| path.starts_with(p.as_str()));
        if visible && !people.iter().any(|(id, _, _)| *id == staff.id) {
            let name = agencies
                .iter()
                .find(|a| a.id == agency)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            people.push((staff.id, staff.full_name, name));
        }
    }
    let start = motcua_db::day_start;
    let (lo, hi) = (start(from), start(to.succ_opt().unwrap_or(to)));
    let mut rows = Vec::new();
    for (id, name, agency) in people {
        let dossiers = app
            .db
            .dossiers()
            .officer_dossiers(id, lo, hi, 5_000)
            .await?;
        let mut ratings = Vec::with_capacity(dossiers.len());
        for d in &dossiers {
            ratings.push(app.db.ratings().rating(d.id).await?.map(|r| r.rating));
        }
        let scores = officer_scores(
            dossiers
                .iter()
                .zip(&ratings)
                .map(|(d, r)| (&d.state, r.as_ref())),
        );
        let duty = officer_duty(&scores);
        rows.push(Row {
            name,
            agency,
            dossiers: dossiers.len(),
            scores: [0, 1, 2, 3, 6]
                .iter()
                .map(|i| scores.0[*i].map_or_else(|| "—".into(), |v| format!("{v:.1}")))
                .collect(),
            points: duty.map_or_else(|| "—".into(), |(p, _)| format!("{p:.1}")),
            duty: duty.map_or_else(String::new, |(_, d)| d.label_vi().to_string()),
        });
    }
    let frame = Frame::new(&headers, &uri);
    Ok(render(&Officers {
        nav: who.nav(),
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        from: from.to_string(),
        to: to.to_string(),
        rows,
    }))
}
