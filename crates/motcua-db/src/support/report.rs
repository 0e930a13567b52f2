//! Thống kê hỗ trợ — the desk's counts for a period: by agency and kind (received, handled
//! on time or late, forwarded, refused, published, open and overdue at the end), the hotline
//! calls, and per agency TT 01's indicator 8 and ND 61's criterion (g) from its feedback.

use chrono::NaiveDate;
use motcua_domain::calendar::Instant;
use motcua_domain::support::{Kind, Tally, complaints_criterion, feedback_indicator};
use serde::Serialize;
use std::collections::BTreeMap;

use super::Support;
use crate::DbError;
use crate::rows::instant;

/// One agency's cases of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportRow {
    pub agency_id: i64,
    pub agency_name: String,
    pub kind: Kind,
    pub tally: Tally,
}

/// One agency's desk over the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencySupport {
    pub agency_id: i64,
    pub agency_name: String,
    pub questions: Tally,
    /// Feedback and petitions (on regulations and on conduct).
    pub feedback: Tally,
    pub calls: i64,
    pub call_seconds: i64,
    /// TT 01/2018 chỉ số 8 from its feedback.
    pub indicator_8: f64,
    /// ND 61 art. 31 tiêu chí (g) from its feedback.
    pub criterion_g: f64,
}

/// The desk's report for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupportReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<SupportRow>,
    pub agencies: Vec<AgencySupport>,
    pub questions: Tally,
    pub feedback: Tally,
    pub calls: i64,
    pub indicator_8: f64,
    pub criterion_g: f64,
}

/// The instants of a period of days `from`–`to` (inclusive).
fn bounds(from: NaiveDate, to: NaiveDate) -> Result<(Instant, Instant), DbError> {
    let start = instant(crate::days::day_start(from))?;
    let end = instant(crate::days::day_start(to.succ_opt().unwrap_or(to)))?;
    Ok((start, end.max(start)))
}

impl Support<'_> {
    /// The feedback of agency `scope` and its sub-tree (every agency without one), of one
    /// procedure if given, counted over `from`–`to`: what indicator 8 reads.
    pub async fn feedback_tally(
        self,
        scope: Option<i64>,
        procedure: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
        now: Instant,
    ) -> Result<Tally, DbError> {
        let (start, end) = bounds(from, to)?;
        let inside = self.scope(scope).await?;
        let mut tally = Tally::default();
        for (agency_id, procedure_code, c) in self.counted_cases(start, end).await? {
            if c.kind.is_feedback()
                && inside.as_ref().is_none_or(|ids| ids.contains(&agency_id))
                && procedure.is_none_or(|p| procedure_code.as_deref() == Some(p))
            {
                tally.add(&c, start, end, now);
            }
        }
        Ok(tally)
    }

    /// The ids of agency `scope` and its sub-tree, or none for every agency.
    async fn scope(self, scope: Option<i64>) -> Result<Option<Vec<i64>>, DbError> {
        let Some(id) = scope else {
            return Ok(None);
        };
        let marker = format!("/{id}/");
        Ok(Some(
            self.db
                .agencies()
                .all()
                .await?
                .into_iter()
                .filter(|a| a.id == id || a.path.contains(&marker))
                .map(|a| a.id)
                .collect(),
        ))
    }

    /// The report of `from`–`to` for agency `scope` and its sub-tree (every agency without).
    pub async fn report(
        self,
        scope: Option<i64>,
        from: NaiveDate,
        to: NaiveDate,
        now: Instant,
    ) -> Result<SupportReport, DbError> {
        let (start, end) = bounds(from, to)?;
        let inside = self.scope(scope).await?;
        let names: BTreeMap<i64, String> = self
            .db
            .agencies()
            .all()
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        let mut by: BTreeMap<(i64, &'static str), (Kind, Tally)> = BTreeMap::new();
        for (agency_id, _, c) in self.counted_cases(start, end).await? {
            if inside.as_ref().is_some_and(|ids| !ids.contains(&agency_id)) {
                continue;
            }
            by.entry((agency_id, c.kind.as_str()))
                .or_insert((c.kind, Tally::default()))
                .1
                .add(&c, start, end, now);
        }
        let calls: BTreeMap<i64, (i64, i64)> = self
            .call_counts(start, end)
            .await?
            .into_iter()
            .filter(|(a, _, _)| inside.as_ref().is_none_or(|ids| ids.contains(a)))
            .map(|(a, n, s)| (a, (n, s)))
            .collect();
        let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
        let mut agencies: BTreeMap<i64, AgencySupport> = BTreeMap::new();
        let blank = |id: i64| AgencySupport {
            agency_id: id,
            agency_name: name(id),
            questions: Tally::default(),
            feedback: Tally::default(),
            calls: 0,
            call_seconds: 0,
            indicator_8: 2.0,
            criterion_g: 2.0,
        };
        let mut rows = Vec::new();
        let (mut questions, mut feedback) = (Tally::default(), Tally::default());
        for ((agency_id, _), (kind, tally)) in by {
            let a = agencies
                .entry(agency_id)
                .or_insert_with(|| blank(agency_id));
            if kind.is_feedback() {
                a.feedback.merge(&tally);
                feedback.merge(&tally);
            } else {
                a.questions.merge(&tally);
                questions.merge(&tally);
            }
            rows.push(SupportRow {
                agency_id,
                agency_name: name(agency_id),
                kind,
                tally,
            });
        }
        let mut all_calls = 0;
        for (id, (n, seconds)) in calls {
            let a = agencies.entry(id).or_insert_with(|| blank(id));
            a.calls = n;
            a.call_seconds = seconds;
            all_calls += n;
        }
        for a in agencies.values_mut() {
            a.indicator_8 = feedback_indicator(&a.feedback);
            a.criterion_g = complaints_criterion(&a.feedback);
        }
        Ok(SupportReport {
            from,
            to,
            rows,
            agencies: agencies.into_values().collect(),
            indicator_8: feedback_indicator(&feedback),
            criterion_g: complaints_criterion(&feedback),
            questions,
            feedback,
            calls: all_calls,
        })
    }
}
