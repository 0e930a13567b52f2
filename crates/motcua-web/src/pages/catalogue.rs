//! Danh mục thủ tục — the public catalogue: search (diacritics optional), filter by field,
//! and each procedure's page.

use crate::pages::extract::PageQuery;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use motcua_db::ProcedureSummary;
use motcua_domain::calendar::TimeLimit;
use motcua_domain::catalogue::Procedure;
use serde::Deserialize;
use std::sync::Arc;

use super::home::{FieldCount, fields};
use super::{Frame, PageError, render};
use crate::AppState;
use crate::i18n::Tr;

#[derive(Deserialize)]
pub struct Filter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    field: String,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct Catalogue {
    t: Tr,
    other_lang: &'static str,
    back: String,
    q: String,
    field: String,
    fields: Vec<FieldCount>,
    items: Vec<ProcedureSummary>,
}

pub async fn list(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    PageQuery(f): PageQuery<Filter>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let q = f.q.trim().to_string();
    let field = f.field.trim().to_string();
    let items = app
        .db
        .catalogue()
        .procedures(
            Some(q.as_str()).filter(|s| !s.is_empty()),
            Some(field.as_str()).filter(|s| !s.is_empty()),
            None,
        )
        .await?;
    Ok(render(&Catalogue {
        t: frame.t,
        other_lang: frame.other_lang,
        back: frame.back,
        q,
        field,
        fields: fields(&app).await?,
        items,
    }))
}

pub struct TimeRow {
    pub channel: &'static str,
    pub text: String,
}

pub struct CaseView {
    pub name: String,
    pub times: Vec<TimeRow>,
    pub fees: Vec<String>,
    pub components: Vec<motcua_domain::catalogue::Component>,
}

#[derive(Template)]
#[template(path = "procedure.html")]
struct ProcedurePage {
    t: Tr,
    other_lang: &'static str,
    back: String,
    p: Procedure,
    version: i64,
    levels: String,
    agencies: String,
    coordinating: String,
    online: bool,
    cases: Vec<CaseView>,
    /// Its published questions and answers, newest first.
    qa: Vec<super::support::PublicCase>,
}

/// A fee as the procedure's page and the hotline read it out: "Lệ phí: 100.000 đồng".
pub(crate) fn fee_line(f: &motcua_domain::catalogue::Fee) -> String {
    format!(
        "{}: {}",
        f.name,
        motcua_domain::text::money_vi(f.amount_vnd)
    )
}

/// How many answers a procedure's page shows (the rest are one link away).
const QA_SHOWN: usize = 5;

pub(crate) fn limit_text(limit: TimeLimit, t: Tr) -> String {
    let vi = t.lang() == "vi";
    match (limit, vi) {
        (TimeLimit::WorkingDays(n), true) => format!("{n} ngày làm việc"),
        (TimeLimit::WorkingDays(n), false) => format!("{n} working days"),
        (TimeLimit::WorkingHours(n), true) => format!("{n} giờ làm việc"),
        (TimeLimit::WorkingHours(n), false) => format!("{n} working hours"),
        (TimeLimit::CalendarDays(n), true) => format!("{n} ngày"),
        (TimeLimit::CalendarDays(n), false) => format!("{n} days"),
    }
}

pub async fn show(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let frame = Frame::new(&headers, &uri);
    let stored = app
        .db
        .catalogue()
        .procedure(&code)
        .await?
        .ok_or(PageError::NotFound)?;
    let p = stored.procedure.clone();
    let names = app.db.agencies().all().await?;
    let name_of = |code: &str| {
        names
            .iter()
            .find(|a| a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.clone())
    };
    let t = frame.t;
    let cases = p
        .cases
        .iter()
        .map(|c| CaseView {
            name: c.name.clone(),
            times: c
                .times
                .iter()
                .map(|time| TimeRow {
                    channel: time.channel.label_vi(),
                    text: match time.committed {
                        Some(committed) if committed != time.statutory => format!(
                            "{} ({}); {} ({})",
                            limit_text(committed, t),
                            t.get("procedure.committed"),
                            limit_text(time.statutory, t),
                            t.get("procedure.statutory")
                        ),
                        _ => limit_text(time.statutory, t),
                    },
                })
                .collect(),
            fees: c.fees.iter().map(fee_line).collect(),
            components: c.components.clone(),
        })
        .collect();
    Ok(render(&ProcedurePage {
        t,
        other_lang: frame.other_lang,
        back: frame.back,
        version: stored.version,
        levels: p
            .levels
            .iter()
            .map(|l| l.label_vi())
            .collect::<Vec<_>>()
            .join(", "),
        agencies: p
            .agencies
            .iter()
            .map(|a| name_of(a.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        coordinating: p
            .coordinating
            .iter()
            .map(|a| name_of(a.as_str()))
            .collect::<Vec<_>>()
            .join("; "),
        online: p.online_level.allows_online_filing(),
        cases,
        qa: app
            .db
            .support()
            .published(Some(p.code.as_str()), "", QA_SHOWN)
            .await?
            .iter()
            .filter_map(super::support::public_case)
            .collect(),
        p,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_in_vietnamese() {
        assert_eq!(motcua_domain::text::money_vi(1_500_000), "1.500.000 đồng");
        assert_eq!(motcua_domain::text::money_vi(0), "0 đồng");
        assert_eq!(motcua_domain::text::money_vi(50_000), "50.000 đồng");
    }
}
