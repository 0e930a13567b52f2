//! Hồ sơ sau một con số — the dossiers behind one figure of a statistic, found by reading
//! the dossiers themselves (not the counters) and judging each by the figures' definitions.

use std::collections::HashSet;

use chrono::NaiveDate;
use motcua_domain::calendar::{Instant, Outcome, vietnam_offset};
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{ComponentForm, ReturnMethod, Status};
use serde::{Deserialize, Serialize};

use super::counts::counted_agency;
use super::{Figures, StatsFilter};
use crate::dossiers::record;
use crate::{Db, DbError, DossierRecord};

/// Which figure a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    CarriedOver,
    Received,
    ReceivedOnline,
    ReceivedCounter,
    ReceivedPost,
    Early,
    OnTime,
    Late,
    Apologised,
    Refused,
    Withdrawn,
    Stopped,
    OpenAtEnd,
    PausedAtEnd,
    OverdueAtEnd,
    InProgressOnTime,
}

impl Metric {
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
    }

    fn of(self, f: &Figures) -> i64 {
        match self {
            Self::CarriedOver => f.carried_over,
            Self::Received => f.received,
            Self::ReceivedOnline => f.received_online,
            Self::ReceivedCounter => f.received_counter,
            Self::ReceivedPost => f.received_post,
            Self::Early => f.early,
            Self::OnTime => f.on_time,
            Self::Late => f.late,
            Self::Apologised => f.apologised,
            Self::Refused => f.refused,
            Self::Withdrawn => f.withdrawn,
            Self::Stopped => f.stopped,
            Self::OpenAtEnd => f.open_at_end,
            Self::PausedAtEnd => f.paused_at_end,
            Self::OverdueAtEnd => f.overdue_at_end,
            Self::InProgressOnTime => f.in_progress_on_time(),
        }
    }
}

/// What one dossier adds to each figure of the period [from, to], by the definitions
/// (a scan's answer; the counters must agree with the sum of these).
pub fn figures_of(d: &DossierRecord, from: NaiveDate, to: NaiveDate) -> Figures {
    let day = |t: Instant| t.with_timezone(&vietnam_offset()).date_naive();
    let within = |x: NaiveDate| x >= from && x <= to;
    let mut f = Figures::default();
    let received = day(d.received_at);
    let finished = d
        .finished_at
        .filter(|_| d.status.is_final() || d.status == Status::ResultReady)
        .map(day);
    let done_by = |x: NaiveDate| finished.is_some_and(|e| e <= x);
    if within(received) {
        f.received = 1;
        match d.channel {
            Channel::Online => f.received_online = 1,
            Channel::Counter => f.received_counter = 1,
            Channel::Post => f.received_post = 1,
        }
        if d.components
            .iter()
            .any(|c| c.form == ComponentForm::Electronic)
        {
            f.digitised = 1;
        }
    }
    if finished.is_some_and(within) {
        match d.status {
            Status::Refused => f.refused = 1,
            Status::Withdrawn => f.withdrawn = 1,
            Status::Stopped => f.stopped = 1,
            _ if d.apologised => f.apologised = 1,
            _ => match d.outcome {
                Some(Outcome::Early) => f.early = 1,
                Some(Outcome::OnTime) => f.on_time = 1,
                Some(Outcome::Late) => f.late = 1,
                None => {}
            },
        }
        let method = d
            .state
            .handover
            .as_ref()
            .map_or(d.return_method, |h| h.method);
        let resolved = matches!(d.status, Status::ResultReady | Status::Returned);
        if resolved && method == ReturnMethod::Online {
            f.e_result = 1;
        }
        if resolved && d.state.supplement.is_some() {
            f.supplemented = 1;
        }
        match d.state.step_tally.score() {
            Some(2) if resolved => f.steps_early = 1,
            Some(0) if resolved => f.steps_late = 1,
            _ => {}
        }
    }
    if let Some(a) = d.state.apology.as_ref().and_then(|a| a.approved_at) {
        f.apologies = i64::from(within(day(a)));
    }
    let before = from.pred_opt().unwrap_or(from);
    f.carried_over = i64::from(received <= before && !done_by(before));
    f.open_at_end = i64::from(received <= to && !done_by(to));
    let pauses = [
        d.state
            .supplement
            .as_ref()
            .map(|s| (s.requested_at, s.received_at)),
        d.state
            .payment
            .as_ref()
            .map(|s| (s.requested_at, s.paid_at)),
    ];
    for (began, ended) in pauses.into_iter().flatten() {
        let ended = ended.map(day).or(finished);
        if day(began) <= to && ended.is_none_or(|e| e > to) {
            f.paused_at_end += 1;
        }
    }
    let waiting = matches!(
        d.status,
        Status::AwaitingSupplement | Status::AwaitingPayment
    );
    if let Some(due) = d.due_at.filter(|_| !waiting) {
        f.overdue_at_end = i64::from(day(due) <= to && !done_by(to));
    }
    f
}

/// A page of the dossiers behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricPage {
    pub items: Vec<DossierRecord>,
    /// The id to continue after, when more dossiers may match.
    pub next: Option<i64>,
}

const CANDIDATES: &str = concat!(
    "SELECT id, code, lookup_secret, procedure_version_id, procedure_code, case_code,
        receiving_agency_id, current_agency_id, channel, status, step, assignee_id,
        applicant, components, return_method, fee_vnd, summary, received_at, due_at,
        finished_at, outcome, apologised, state, version, updated_at, citizen_id FROM dossiers",
    " WHERE id > $1 AND received_at < $2 AND (finished_at IS NULL OR finished_at >= $3)
      ORDER BY id LIMIT 500"
);

use crate::days::day_start as start_of;

impl Db {
    /// Up to `limit` dossiers counted in `metric` for `filter`, in id order after `after`.
    /// Reads at most 20,000 candidate dossiers per call; `next` continues the walk.
    pub async fn statistics_dossiers(
        &self,
        filter: &StatsFilter,
        metric: Metric,
        after: i64,
        limit: usize,
    ) -> Result<MetricPage, DbError> {
        let agencies = self.agencies().await?;
        let root_path = match filter.agency_id {
            Some(id) => agencies.iter().find(|a| a.id == id).map(|a| a.path.clone()),
            None => None,
        };
        let allowed: HashSet<i64> = agencies
            .iter()
            .filter(|a| {
                root_path
                    .as_ref()
                    .is_none_or(|p| a.path.starts_with(p.as_str()))
            })
            .filter(|a| filter.level.is_none_or(|l| a.level == l))
            .map(|a| a.id)
            .collect();
        let fields: Option<HashSet<String>> = match &filter.field_code {
            Some(f) => Some(
                self.procedures(None, Some(f), None)
                    .await?
                    .into_iter()
                    .map(|p| p.code)
                    .collect(),
            ),
            None => None,
        };
        let end = start_of(filter.to.succ_opt().unwrap_or(filter.to));
        let start = start_of(filter.from.pred_opt().unwrap_or(filter.from));
        let mut items = Vec::new();
        let mut cursor = after;
        for _ in 0..40 {
            let page: Vec<DossierRecord> = on_read!(self, pool => {
                let rows = sqlx::query(CANDIDATES)
                    .bind(cursor)
                    .bind(end)
                    .bind(start)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(record).collect::<Result<Vec<_>, DbError>>()?
            });
            let Some(last) = page.last().map(|d| d.id) else {
                return Ok(MetricPage { items, next: None });
            };
            for d in page {
                let keep = allowed.contains(&counted_agency(&d.state))
                    && filter.channel.is_none_or(|c| c == d.channel)
                    && filter
                        .procedure_code
                        .as_ref()
                        .is_none_or(|p| *p == d.procedure_code)
                    && fields
                        .as_ref()
                        .is_none_or(|f| f.contains(&d.procedure_code))
                    && metric.of(&figures_of(&d, filter.from, filter.to)) > 0;
                if keep {
                    let id = d.id;
                    items.push(d);
                    if items.len() >= limit {
                        return Ok(MetricPage {
                            items,
                            next: Some(id),
                        });
                    }
                }
            }
            cursor = last;
        }
        Ok(MetricPage {
            items,
            next: Some(cursor),
        })
    }
}
