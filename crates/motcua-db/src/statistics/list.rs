//! Hồ sơ sau một con số — the dossiers behind one figure of a statistic, found by reading
//! the dossiers themselves (not the counters) and judging each by the figures' definitions.

use std::collections::HashSet;

use chrono::NaiveDate;
use motcua_domain::calendar::{Instant, vietnam_offset};
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{Count, TallyFacts, contribution};
use serde::{Deserialize, Serialize};

use super::{Figures, StatsFilter};
use crate::dossiers::record;
use crate::{DbError, DossierRecord};

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

/// What one dossier adds to each figure of the period [from, to]: its domain contribution
/// summed as the counter queries sum it (the period's counts, and each state at the end of
/// a day as its "in" minus its "out" counts up to that day), so the list behind a figure
/// and the figure itself always agree.
pub fn figures_of(d: &DossierRecord, from: NaiveDate, to: NaiveDate) -> Figures {
    let day = |t: Instant| t.with_timezone(&vietnam_offset()).date_naive();
    let mut f = Figures::default();
    let events = contribution(TallyFacts {
        state: &d.state,
        components: &d.components,
        return_method: d.return_method,
        synced: d.portal_synced,
        fee_vnd: d.fee_vnd,
        paid_online: d.paid_online,
        reused: d.reused,
    });
    let upto = |bound: NaiveDate| {
        let mut n = [0i64; 6];
        for (at, count) in &events {
            if day(*at) > bound {
                continue;
            }
            let slot = match count {
                Count::Received => 0,
                Count::Finished => 1,
                Count::PauseIn => 2,
                Count::PauseOut => 3,
                Count::OverdueIn => 4,
                Count::OverdueOut => 5,
                _ => continue,
            };
            n[slot] += 1;
        }
        n
    };
    let start = from.pred_opt().map(upto).unwrap_or_default();
    let end = upto(to);
    f.carried_over = start[0] - start[1];
    f.open_at_end = end[0] - end[1];
    f.paused_at_end = end[2] - end[3];
    f.overdue_at_end = end[4] - end[5];
    for (at, count) in &events {
        if !(from..=to).contains(&day(*at)) {
            continue;
        }
        let slot = match count {
            Count::Received => &mut f.received,
            Count::Accepted => &mut f.accepted,
            Count::Digitised => &mut f.digitised,
            Count::Early => &mut f.early,
            Count::OnTime => &mut f.on_time,
            Count::Late => &mut f.late,
            Count::Apologised => &mut f.apologised,
            Count::Refused => &mut f.refused,
            Count::Withdrawn => &mut f.withdrawn,
            Count::Stopped => &mut f.stopped,
            Count::EResult => &mut f.e_result,
            Count::Apologies => &mut f.apologies,
            Count::ApologiesLate => &mut f.apologies_late,
            Count::Supplemented => &mut f.supplemented,
            Count::StepsEarly => &mut f.steps_early,
            Count::StepsLate => &mut f.steps_late,
            Count::Synced => &mut f.synced,
            Count::FeeBearing => &mut f.fee_bearing,
            Count::PaidOnline => &mut f.paid_online,
            Count::Reused => &mut f.reused,
            Count::Finished
            | Count::PauseIn
            | Count::PauseOut
            | Count::OverdueIn
            | Count::OverdueOut => continue,
        };
        *slot += 1;
    }
    match d.channel {
        Channel::Online => {
            f.received_online = f.received;
            f.accepted_online = f.accepted;
        }
        Channel::Counter => f.received_counter = f.received,
        Channel::Post => f.received_post = f.received,
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
    select_dossier!(),
    " WHERE id > $1 AND received_at < $2 AND (finished_at IS NULL OR finished_at >= $3)
      ORDER BY id LIMIT 500"
);

use crate::days::day_start as start_of;

impl super::Statistics<'_> {
    /// Up to `limit` dossiers counted in `metric` for `filter`, in id order after `after`.
    /// Reads at most 20,000 candidate dossiers per call; `next` continues the walk.
    pub async fn statistics_dossiers(
        self,
        filter: &StatsFilter,
        metric: Metric,
        after: i64,
        limit: usize,
    ) -> Result<MetricPage, DbError> {
        let agencies = self.db.agencies().all().await?;
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
                self.db
                    .catalogue()
                    .procedures(None, Some(f), None)
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
            let page: Vec<DossierRecord> = on_read!(self.db, pool => {
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
                let keep = allowed.contains(&d.state.competent_agency())
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
