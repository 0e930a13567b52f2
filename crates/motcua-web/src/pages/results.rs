//! Kết quả giải quyết — the province's public results (`/ket-qua`). For a month or a year it
//! shows each agency's dossiers received, accepted and resolved, its on-time rate and online
//! share, and the Decision 766 groups motcua computes, with a chart; up to four agencies side
//! by side, each with its own Decision 766 groups (`?so-sanh=CODE&so-sanh=CODE`). The same
//! figures are open
//! data at stable addresses (`/ket-qua/du-lieu.csv`, `/ket-qua/du-lieu.json`). Only counts
//! leave: no dossier and no person. The figures are the staff statistics' report for the same
//! period, computed at most once every five minutes per period.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use motcua_db::{Named, StatisticsReport, StatsFilter};
use serde::{Deserialize, Serialize};

use super::extract::PageQuery;
use super::{Frame, PageError, render};
use crate::AppState;
use crate::i18n::Tr;
use crate::statistics::chart::{self, Bar};

/// How long a period's figures are reused.
const FRESH_SECONDS: u64 = 300;

/// A period (first and last day) and agency (none: the province), and its report, with
/// when it was computed.
type Entry = (
    (NaiveDate, NaiveDate, Option<i64>),
    (std::time::Instant, Arc<StatisticsReport>),
);

/// Most agencies compared side by side.
const MOST_COMPARED: usize = 4;

/// Recently computed reports by period.
#[derive(Debug, Default)]
pub struct Cache(Mutex<Vec<Entry>>);

#[derive(Deserialize, Default)]
pub struct ResultsQuery {
    #[serde(default)]
    nam: Option<i32>,
    #[serde(default)]
    thang: Option<u32>,
}

/// One agency's public line (or the province's, without a code).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub agency_code: String,
    pub agency: String,
    pub received: i64,
    pub accepted: i64,
    pub resolved: i64,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
    pub apologised: i64,
    /// Shares between 0 and 1; `None` with nothing to divide.
    pub on_time_rate: Option<f64>,
    pub online_share: Option<f64>,
    pub overdue_at_end: i64,
    /// Citizens' ratings given to the agency in the period, those satisfied or very
    /// satisfied, and their share.
    pub ratings: i64,
    pub ratings_satisfied: i64,
    pub satisfaction: Option<f64>,
}

/// A Decision 766 group as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub code: &'static str,
    pub name: &'static str,
    pub score: Option<f64>,
    pub max: f64,
    pub formula: &'static str,
}

/// An agency compared side by side: its line and its own Decision 766 groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compared {
    pub line: Line,
    pub groups_766: Vec<Group>,
}

/// The open data of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenData {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub province: Line,
    pub agencies: Vec<Line>,
    pub groups_766: Vec<Group>,
    /// Citizens' ratings given in motcua in the period, and those satisfied.
    pub ratings: i64,
    pub ratings_satisfied: i64,
    /// The agencies asked for side by side, in the order asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compared: Vec<Compared>,
}

/// The agency codes asked for side by side: every `so-sanh` of the query (its pairs, as
/// decoded; a value may also list codes comma-separated), at most [`MOST_COMPARED`], each
/// once.
fn compared_codes(pairs: &[(String, String)]) -> Result<Vec<String>, PageError> {
    let mut out: Vec<String> = Vec::new();
    for code in pairs
        .iter()
        .filter(|(k, _)| k == "so-sanh")
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
            return Err(PageError::Invalid(format!(
                "mã cơ quan “{code}” không hợp lệ"
            )));
        }
        if !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
    }
    if out.len() > MOST_COMPARED {
        return Err(PageError::Invalid(format!(
            "chỉ so sánh được tối đa {MOST_COMPARED} cơ quan một lúc (đã chọn {})",
            out.len()
        )));
    }
    Ok(out)
}

fn groups_of(report: &StatisticsReport) -> Vec<Group> {
    report
        .evaluation
        .groups_766
        .iter()
        .map(|g| Group {
            code: g.group.code(),
            name: g.group.label_vi(),
            score: g.score,
            max: g.max,
            formula: g.formula,
        })
        .collect()
}

/// The period asked for: a month of a year, or a year, up to today.
fn period(q: &ResultsQuery, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), PageError> {
    let year = q.nam.unwrap_or(today.year());
    if !(2000..=today.year()).contains(&year) {
        return Err(PageError::Invalid(format!(
            "năm {year} không hợp lệ: từ 2000 đến {}",
            today.year()
        )));
    }
    let (from, to) = match q.thang {
        None => (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ),
        Some(m) if (1..=12).contains(&m) => {
            let from = NaiveDate::from_ymd_opt(year, m, 1);
            let to = from
                .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
                .and_then(|n| n.pred_opt());
            (from, to)
        }
        Some(m) => {
            return Err(PageError::Invalid(format!(
                "tháng {m} không hợp lệ: từ 1 đến 12"
            )));
        }
    };
    let (Some(from), Some(to)) = (from, to) else {
        return Err(PageError::Invalid("kỳ không hợp lệ".into()));
    };
    if from > today {
        return Err(PageError::Invalid("kỳ này chưa bắt đầu".into()));
    }
    Ok((from, to.min(today)))
}

/// The report of a period, from the cache when fresh.
async fn report_of(
    app: &AppState,
    from: NaiveDate,
    to: NaiveDate,
    agency_id: Option<i64>,
) -> Result<Arc<StatisticsReport>, PageError> {
    let key = (from, to, agency_id);
    if let Ok(cache) = app.results.0.lock()
        && let Some((_, (at, report))) = cache.iter().find(|(k, _)| *k == key)
        && at.elapsed().as_secs() < FRESH_SECONDS
    {
        return Ok(Arc::clone(report));
    }
    let filter = StatsFilter {
        from,
        to,
        agency_id,
        field_code: None,
        procedure_code: None,
        level: None,
        channel: None,
    };
    let report = Arc::new(app.db.statistics().statistics_report(&filter, true).await?);
    if let Ok(mut cache) = app.results.0.lock() {
        cache.retain(|(k, (at, _))| *k != key && at.elapsed().as_secs() < FRESH_SECONDS);
        cache.push((key, (std::time::Instant::now(), Arc::clone(&report))));
    }
    Ok(report)
}

fn line(code: String, r: &Named, (ratings, satisfied): (i64, i64)) -> Line {
    let s = &r.summary;
    let f = &s.figures;
    Line {
        ratings,
        ratings_satisfied: satisfied,
        satisfaction: (ratings > 0).then(|| satisfied as f64 / ratings as f64),
        agency_code: code,
        agency: r.name.clone(),
        received: f.received,
        accepted: f.accepted,
        resolved: s.resolved,
        early: f.early,
        on_time: f.on_time,
        late: f.late,
        apologised: f.apologised,
        on_time_rate: s.on_time_rate,
        online_share: s.online_share,
        overdue_at_end: f.overdue_at_end,
    }
}

/// The open data of the period asked for, with the agencies of `compare` side by side.
async fn open_data(
    app: &AppState,
    q: &ResultsQuery,
    compare: &[String],
) -> Result<OpenData, PageError> {
    let (from, to) = period(q, app.now().date_naive())?;
    let all = app.db.agencies().all().await?;
    let mut chosen = Vec::with_capacity(compare.len());
    for code in compare {
        let agency = all
            .iter()
            .find(|a| a.code == *code)
            .ok_or_else(|| PageError::Invalid(format!("không có cơ quan mã “{code}”")))?;
        chosen.push((agency.id, agency.code.clone(), agency.name.clone()));
    }
    let report = report_of(app, from, to, None).await?;
    let codes: HashMap<String, String> = all
        .into_iter()
        .map(|a| (a.id.to_string(), a.code))
        .collect();
    let province = Named {
        key: String::new(),
        name: "Toàn tỉnh".into(),
        summary: report.total.clone(),
    };
    let start = motcua_db::day_start;
    let rated = app
        .db
        .ratings()
        .ratings_by_agency(start(from), start(to.succ_opt().unwrap_or(to)))
        .await?;
    let mut agencies: Vec<Line> = report
        .by_agency
        .iter()
        .map(|r| {
            let ratings = r
                .key
                .parse::<i64>()
                .ok()
                .and_then(|id| rated.get(&id).copied())
                .unwrap_or_default();
            line(codes.get(&r.key).cloned().unwrap_or_default(), r, ratings)
        })
        .collect();
    agencies.sort_by_cached_key(|l| motcua_domain::text::vi_sort_key(&l.agency));
    let mut compared = Vec::with_capacity(chosen.len());
    for (id, code, name) in chosen {
        let own = report_of(app, from, to, Some(id)).await?;
        // An agency that counted nothing in the period has no line in the table: all zeros.
        let line = agencies
            .iter()
            .find(|l| l.agency_code == code)
            .cloned()
            .unwrap_or_else(|| {
                let empty = Named {
                    key: id.to_string(),
                    name,
                    summary: own.total.clone(),
                };
                line(code, &empty, (0, 0))
            });
        compared.push(Compared {
            line,
            groups_766: groups_of(&own),
        });
    }
    Ok(OpenData {
        from,
        to,
        province: line(
            String::new(),
            &province,
            (report.ratings.count, report.ratings.satisfied),
        ),
        agencies,
        groups_766: groups_of(&report),
        ratings: report.ratings.count,
        ratings_satisfied: report.ratings.satisfied,
        compared,
    })
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    data: OpenData,
    years: Vec<i32>,
    year: i32,
    month: u32,
    query: String,
    chart: Vec<Bar>,
    numbered: bool,
    /// Every agency of the period's table, for choosing which to compare: code, name and
    /// whether it is compared now.
    choices: Vec<(String, String, bool)>,
    /// The rows of the side-by-side table: a label and one cell per compared agency.
    comparison: Vec<(String, Vec<String>)>,
}

impl ResultsPage {
    fn percent(&self, share: &Option<f64>) -> String {
        chart::percent(*share, self.t)
    }

    fn score(&self, score: &Option<f64>) -> String {
        score.map_or_else(|| "—".into(), |v| chart::decimal(v, self.t))
    }
}

pub async fn page(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(q): PageQuery<ResultsQuery>,
    PageQuery(pairs): PageQuery<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let t = frame.t;
    let compare = compared_codes(&pairs)?;
    let data = open_data(&app, &q, &compare).await?;
    let mut ranked: Vec<&Line> = data.agencies.iter().filter(|l| l.resolved > 0).collect();
    ranked.sort_by(|a, b| {
        b.on_time_rate
            .partial_cmp(&a.on_time_rate)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let items: Vec<(String, f64, String, &'static str)> = ranked
        .iter()
        .map(|l| {
            (
                l.agency.clone(),
                l.on_time_rate.unwrap_or(0.0) * 100.0,
                chart::percent(l.on_time_rate, t),
                chart::rate_tone(l.on_time_rate),
            )
        })
        .collect();
    let chart = chart::bars(&items, 100.0);
    let today = app.now().date_naive();
    let query = match q.thang {
        Some(m) => format!("nam={}&thang={m}", data.from.year()),
        None => format!("nam={}", data.from.year()),
    };
    let choices = data
        .agencies
        .iter()
        .map(|l| {
            (
                l.agency_code.clone(),
                l.agency.clone(),
                compare.contains(&l.agency_code),
            )
        })
        .collect();
    let comparison = comparison_rows(&data.compared, t);
    Ok(render(&ResultsPage {
        choices,
        comparison,
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        years: (2020..=today.year()).rev().collect(),
        year: data.from.year(),
        month: q.thang.unwrap_or(0),
        query,
        numbered: chart::numbered(&chart),
        chart,
        data,
    }))
}

/// The side-by-side table: the figures, then each Decision 766 group, one column per agency.
fn comparison_rows(compared: &[Compared], t: Tr) -> Vec<(String, Vec<String>)> {
    if compared.is_empty() {
        return Vec::new();
    }
    let count = |label: &str, f: fn(&Line) -> i64| {
        (
            t.get(label).to_string(),
            compared.iter().map(|c| f(&c.line).to_string()).collect(),
        )
    };
    let rate = |label: &str, f: fn(&Line) -> Option<f64>| {
        (
            t.get(label).to_string(),
            compared
                .iter()
                .map(|c| chart::percent(f(&c.line), t))
                .collect(),
        )
    };
    let mut rows = vec![
        count("stats.received", |l| l.received),
        count("results.accepted", |l| l.accepted),
        count("stats.resolved", |l| l.resolved),
        rate("stats.on_time_rate", |l| l.on_time_rate),
        rate("stats.online_share", |l| l.online_share),
        count("stats.overdue", |l| l.overdue_at_end),
        rate("results.satisfaction", |l| l.satisfaction),
    ];
    for (i, g) in compared[0].groups_766.iter().enumerate() {
        rows.push((
            format!("{} — {} (/{})", g.code, g.name, chart::decimal(g.max, t)),
            compared
                .iter()
                .map(|c| {
                    c.groups_766
                        .get(i)
                        .and_then(|g| g.score)
                        .map_or_else(|| "—".into(), |v| chart::decimal(v, t))
                })
                .collect(),
        ));
    }
    rows
}

pub async fn json(
    State(app): State<Arc<AppState>>,
    PageQuery(q): PageQuery<ResultsQuery>,
    PageQuery(pairs): PageQuery<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = open_data(&app, &q, &compared_codes(&pairs)?).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        axum::Json(data),
    )
        .into_response())
}

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn share(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.4}"))
}

/// The open data as CSV: one line per agency, then the province; shares as decimals.
pub fn csv(data: &OpenData) -> String {
    let mut out = String::from(
        "ma_co_quan,ten_co_quan,tu_ngay,den_ngay,tiep_nhan,tiep_nhan_chinh_thuc,da_giai_quyet,truoc_han,dung_han,qua_han,xin_loi_hen_lai,ty_le_dung_han,ty_le_truc_tuyen,qua_han_cuoi_ky,so_danh_gia,danh_gia_hai_long\r\n",
    );
    for l in data.agencies.iter().chain(std::iter::once(&data.province)) {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n",
            field(&l.agency_code),
            field(&l.agency),
            data.from,
            data.to,
            l.received,
            l.accepted,
            l.resolved,
            l.early,
            l.on_time,
            l.late,
            l.apologised,
            share(l.on_time_rate),
            share(l.online_share),
            l.overdue_at_end,
            l.ratings,
            l.ratings_satisfied
        ));
    }
    out
}

pub async fn csv_file(
    State(app): State<Arc<AppState>>,
    PageQuery(q): PageQuery<ResultsQuery>,
) -> Result<Response, PageError> {
    let data = open_data(&app, &q, &[]).await?;
    let name = format!("ket-qua-{}-{}.csv", data.from, data.to);
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        csv(&data),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_it_must() {
        assert_eq!(field("Sở Tư pháp"), "Sở Tư pháp");
        assert_eq!(field("UBND xã A, huyện B"), "\"UBND xã A, huyện B\"");
        assert_eq!(field("a \"b\""), "\"a \"\"b\"\"\"");
    }

    #[test]
    fn compared_agencies_are_read_from_the_query() {
        // The pairs as the query extractor decodes them.
        let codes = |pairs: &[(&str, &str)]| {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            compared_codes(&pairs).map_err(|e| format!("{e:?}"))
        };
        assert_eq!(
            codes(&[
                ("nam", "2026"),
                ("so-sanh", "000.00.03.H56"),
                ("so-sanh", "000.00.12.H56")
            ])
            .ok(),
            Some(vec![
                "000.00.03.H56".to_string(),
                "000.00.12.H56".to_string()
            ])
        );
        assert_eq!(
            codes(&[("so-sanh", "000.00.03.H56,000.00.03.H56")]).ok(),
            Some(vec!["000.00.03.H56".to_string()])
        );
        assert!(codes(&[("so-sanh", "<script>")]).is_err());
        assert!(codes(&[("so-sanh", "A,B,C,D,E")]).is_err());
        assert_eq!(codes(&[("nam", "2026")]).ok(), Some(Vec::new()));
    }

    #[test]
    fn periods_are_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let q = |nam, thang| ResultsQuery { nam, thang };
        assert_eq!(
            period(&q(None, None), today).ok(),
            NaiveDate::from_ymd_opt(2026, 1, 1).zip(Some(today))
        );
        assert_eq!(
            period(&q(Some(2026), Some(2)), today).ok(),
            NaiveDate::from_ymd_opt(2026, 2, 1).zip(NaiveDate::from_ymd_opt(2026, 2, 28))
        );
        assert!(period(&q(Some(2027), None), today).is_err());
        assert!(period(&q(Some(2026), Some(13)), today).is_err());
        assert!(period(&q(Some(1999), None), today).is_err());
    }
}
