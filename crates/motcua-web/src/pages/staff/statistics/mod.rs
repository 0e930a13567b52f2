//! Thống kê — the statistics pages: the overview of the officer's agencies (the province for
//! its leaders) and one agency's page; the list behind each figure and the Excel export are
//! in their own files.

mod excel;
mod list;
mod officers;

pub use officers::officers;

pub use excel::excel;
pub use list::list;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_db::{Named, StatisticsReport, StatsFilter};
use std::sync::Arc;

use super::SignedIn;
use crate::AppState;
use crate::i18n::Tr;
use crate::pages::extract::{PageId, PageQuery};
use crate::pages::{Frame, PageError, render};
use crate::statistics::chart::{self, Bar};
use crate::statistics::{ScopeError, StatsQuery, query_of};

impl From<ScopeError> for PageError {
    fn from(e: ScopeError) -> Self {
        match e {
            ScopeError::Invalid(..) => PageError::BadRequest,
            ScopeError::Forbidden => PageError::Forbidden,
            ScopeError::Db(e) => e.into(),
        }
    }
}

/// One figure with the link to its dossiers.
pub struct Card {
    pub label: &'static str,
    pub value: String,
    pub link: Option<String>,
    pub tone: &'static str,
}

pub struct AgencyRow {
    pub id: String,
    pub name: String,
    pub received: i64,
    pub resolved: i64,
    pub rate: String,
    pub tone: &'static str,
    pub overdue: i64,
    pub online: String,
}

pub struct Chart {
    pub title: &'static str,
    pub bars: Vec<Bar>,
    /// Bars numbered, with the full names in a legend.
    pub numbered: bool,
}

impl Chart {
    fn new(title: &'static str, bars: Vec<Bar>) -> Self {
        Self {
            title,
            numbered: chart::numbered(&bars),
            bars,
        }
    }
}

pub struct Score {
    pub name: String,
    pub score: String,
    pub max: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "staff/statistics.html")]
struct Overview {
    nav: crate::pages::staff::nav::StaffNav,
    t: Tr,
    other_lang: &'static str,
    back: String,
    title: String,
    from: String,
    to: String,
    agency: String,
    query: String,
    cards: Vec<Card>,
    charts: Vec<Chart>,
    agencies: Vec<AgencyRow>,
    steps: Vec<motcua_db::AgencySteps>,
    scores: Vec<Score>,
    class: String,
    /// Quick periods for the evaluation: the four quarters and the whole year of `to`.
    periods: Vec<(String, String)>,
    /// Queue tickets of the period at the counters in scope: (centre, figures per field).
    tickets: Vec<(String, motcua_db::TicketStats)>,
}

/// The citizens' satisfaction in the period: the share satisfied or very satisfied among
/// the ratings given in motcua, and how many there were.
fn rating_card(r: &motcua_db::RatingSummary, t: Tr) -> Card {
    let share = (r.count > 0).then(|| r.satisfied as f64 / r.count as f64);
    Card {
        label: t.get("stats.satisfaction"),
        value: match share {
            Some(s) => format!(
                "{} ({} {})",
                chart::percent(Some(s), t),
                r.count,
                t.get("stats.ratings")
            ),
            None => "—".into(),
        },
        link: None,
        tone: chart::rate_tone(share),
    }
}

/// The queue-ticket figures of the period at the counters within the filter's agency.
async fn ticket_rows(
    app: &AppState,
    filter: &StatsFilter,
) -> Result<Vec<(String, motcua_db::TicketStats)>, PageError> {
    let day = motcua_db::day_key;
    let scope = match filter.agency_id {
        Some(id) => app.db.agencies().agency(id).await?.map(|a| a.path),
        None => None,
    };
    let mut out = Vec::new();
    for a in app.db.agencies().counter_agencies().await? {
        if scope
            .as_ref()
            .is_some_and(|p| !a.path.starts_with(p.as_str()))
        {
            continue;
        }
        for s in app
            .db
            .tickets()
            .ticket_stats(a.id, day(filter.from), day(filter.to))
            .await?
        {
            out.push((a.name.clone(), s));
        }
    }
    Ok(out)
}

/// The quarters and the whole year containing `day`, as (label, query string).
fn periods(filter: &StatsFilter, day: chrono::NaiveDate) -> Vec<(String, String)> {
    use chrono::Datelike;
    let y = day.year();
    let mut out = Vec::new();
    let mut add =
        |label: String, from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>| {
            if let (Some(from), Some(to)) = (from, to) {
                let f = StatsFilter {
                    from,
                    to,
                    ..filter.clone()
                };
                out.push((label, query_of(&f)));
            }
        };
    for q in 0..4u32 {
        let from = chrono::NaiveDate::from_ymd_opt(y, q * 3 + 1, 1);
        let to = chrono::NaiveDate::from_ymd_opt(
            if q == 3 { y + 1 } else { y },
            if q == 3 { 1 } else { q * 3 + 4 },
            1,
        )
        .and_then(|d| d.pred_opt());
        add(format!("Q{}/{y}", q + 1), from, to);
    }
    add(
        y.to_string(),
        chrono::NaiveDate::from_ymd_opt(y, 1, 1),
        chrono::NaiveDate::from_ymd_opt(y, 12, 31),
    );
    out
}

fn card(t: Tr, key: &'static str, value: i64, metric: Option<&str>, q: &str) -> Card {
    Card {
        label: t.get(key),
        value: value.to_string(),
        link: metric.map(|m| format!("/can-bo/thong-ke/ho-so?metric={m}&{q}")),
        tone: "plain",
    }
}

fn cards(t: Tr, r: &StatisticsReport, q: &str) -> Vec<Card> {
    let s = &r.total;
    let f = &s.figures;
    let mut out = vec![
        card(
            t,
            "stats.carried_over",
            f.carried_over,
            Some("carried_over"),
            q,
        ),
        card(t, "stats.received", f.received, Some("received"), q),
        card(
            t,
            "stats.received_online",
            f.received_online,
            Some("received_online"),
            q,
        ),
        card(
            t,
            "stats.received_counter",
            f.received_counter,
            Some("received_counter"),
            q,
        ),
        card(
            t,
            "stats.received_post",
            f.received_post,
            Some("received_post"),
            q,
        ),
        card(t, "stats.early", f.early, Some("early"), q),
        card(t, "stats.on_time", f.on_time, Some("on_time"), q),
        card(t, "stats.late", f.late, Some("late"), q),
        card(t, "stats.apologised", f.apologised, Some("apologised"), q),
        card(t, "stats.refused", f.refused, Some("refused"), q),
        card(t, "stats.withdrawn", f.withdrawn, Some("withdrawn"), q),
        card(t, "stats.stopped", f.stopped, Some("stopped"), q),
        card(
            t,
            "stats.in_progress_on_time",
            s.in_progress_on_time,
            Some("in_progress_on_time"),
            q,
        ),
        card(
            t,
            "stats.overdue",
            f.overdue_at_end,
            Some("overdue_at_end"),
            q,
        ),
        card(t, "stats.paused", f.paused_at_end, Some("paused_at_end"), q),
        card(t, "stats.apologies", f.apologies, None, q),
    ];
    for (key, rate) in [
        ("stats.on_time_rate", s.on_time_rate),
        ("stats.online_share", s.online_share),
        ("stats.digitised_share", s.digitised_share),
        ("stats.e_result_share", s.e_result_share),
    ] {
        out.push(Card {
            label: t.get(key),
            value: chart::percent(rate, t),
            link: None,
            tone: if key == "stats.on_time_rate" {
                chart::rate_tone(rate)
            } else {
                "plain"
            },
        });
    }
    out
}

fn rate_bars(rows: &[Named], pick: impl Fn(&Named) -> Option<f64>, toned: bool, t: Tr) -> Vec<Bar> {
    let items: Vec<(String, f64, String, &'static str)> = rows
        .iter()
        .map(|r| {
            let v = pick(r);
            (
                r.name.clone(),
                v.unwrap_or(0.0) * 100.0,
                chart::percent(v, t),
                if toned { chart::rate_tone(v) } else { "plain" },
            )
        })
        .collect();
    chart::bars(&items, 100.0)
}

async fn overview_page(
    app: &AppState,
    who: &SignedIn,
    frame: Frame,
    q: StatsQuery,
) -> Result<Response, PageError> {
    let t = frame.t;
    let filter = q
        .filter(&app.db, who.session.staff.id, app.now().date_naive())
        .await?;
    // With the per-procedure detail, as the spreadsheet and the API: the same CLGQ score.
    let report = app
        .db
        .statistics()
        .statistics_report(&filter, q.detail(true))
        .await?;
    let agency_name = match filter.agency_id {
        Some(id) => app
            .db
            .agencies()
            .agency(id)
            .await?
            .map(|a| a.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let query = query_of(&filter);
    let mut ranked: Vec<&Named> = report
        .by_agency
        .iter()
        .filter(|r| r.summary.resolved > 0)
        .collect();
    ranked.sort_by(|a, b| {
        b.summary
            .on_time_rate
            .partial_cmp(&a.summary.on_time_rate)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let ranked: Vec<Named> = ranked.into_iter().take(15).cloned().collect();
    let mut overdue: Vec<Named> = report
        .by_agency
        .iter()
        .filter(|r| r.summary.figures.overdue_at_end > 0)
        .cloned()
        .collect();
    overdue.sort_by_key(|r| std::cmp::Reverse(r.summary.figures.overdue_at_end));
    overdue.truncate(15);
    let overdue_items: Vec<(String, f64, String, &'static str)> = overdue
        .iter()
        .map(|r| {
            let n = r.summary.figures.overdue_at_end;
            (r.name.clone(), n as f64, n.to_string(), "bad")
        })
        .collect();
    let charts = vec![
        Chart::new(
            t.get("stats.chart.rate_by_month"),
            rate_bars(&report.by_month, |r| r.summary.on_time_rate, true, t),
        ),
        Chart::new(
            t.get("stats.chart.ranked"),
            rate_bars(&ranked, |r| r.summary.on_time_rate, true, t),
        ),
        Chart::new(
            t.get("stats.chart.overdue"),
            chart::bars(&overdue_items, 1.0),
        ),
        Chart::new(
            t.get("stats.chart.online_by_month"),
            rate_bars(&report.by_month, |r| r.summary.online_share, false, t),
        ),
    ];
    let agencies = report
        .by_agency
        .iter()
        .map(|r| AgencyRow {
            id: r.key.clone(),
            name: r.name.clone(),
            received: r.summary.figures.received,
            resolved: r.summary.resolved,
            rate: chart::percent(r.summary.on_time_rate, t),
            tone: chart::rate_tone(r.summary.on_time_rate),
            overdue: r.summary.figures.overdue_at_end,
            online: chart::percent(r.summary.online_share, t),
        })
        .collect();
    let e = &report.evaluation;
    let mut scores: Vec<Score> = e
        .indicators
        .0
        .iter()
        .enumerate()
        .map(|(i, v)| Score {
            name: format!("TT 01/2018 — {} {}", t.get("stats.indicator"), i + 1),
            score: v.map_or_else(|| "—".into(), |v| chart::decimal(v, t)),
            max: "2".into(),
            note: if v.is_none() {
                t.get("stats.no_data").into()
            } else {
                String::new()
            },
        })
        .collect();
    scores.extend(e.groups_766.iter().map(|g| Score {
        name: format!("QĐ 766 — {} {}", g.group.code(), g.group.label_vi()),
        score: g.score.map_or_else(|| "—".into(), |v| chart::decimal(v, t)),
        max: format!("{}", g.max),
        note: if g.missing.is_empty() {
            g.formula.into()
        } else if g.formula.is_empty() {
            format!("{}: {}", t.get("stats.not_computable"), g.missing)
        } else {
            format!(
                "{}; {}: {}",
                g.formula,
                t.get("stats.not_computable"),
                g.missing
            )
        },
    }));
    let class = e.standing.map_or_else(|| "—".into(), |s| s.describe_vi());
    Ok(render(&Overview {
        nav: who.nav(),
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        title: agency_name,
        from: filter.from.to_string(),
        to: filter.to.to_string(),
        agency: filter.agency_id.map(|a| a.to_string()).unwrap_or_default(),
        cards: {
            let mut c = cards(t, &report, &query);
            c.push(rating_card(&report.ratings, t));
            c
        },
        query,
        charts,
        agencies,
        steps: report.steps_by_agency.clone(),
        scores,
        class,
        periods: periods(&filter, filter.to),
        tickets: ticket_rows(app, &filter).await?,
    }))
}

pub async fn overview(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    overview_page(&app, &who, Frame::new(&headers, &uri), q).await
}

pub async fn agency(
    State(app): State<Arc<AppState>>,
    who: SignedIn,
    headers: HeaderMap,
    uri: Uri,
    PageId(id): PageId,
    PageQuery(mut q): PageQuery<StatsQuery>,
) -> Result<Response, PageError> {
    q.agency = Some(id.to_string());
    overview_page(&app, &who, Frame::new(&headers, &uri), q).await
}
