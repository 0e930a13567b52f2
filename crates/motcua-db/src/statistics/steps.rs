//! Bước xử lý theo cơ quan — how each agency's own steps ended against their own deadlines
//! in a period (TT 01/2018 chỉ số 2: the time of each agency, co-operating ones included),
//! read from the history rows that close a step, keyed by the agency that held it. An
//! agency that only took part through a hand-off (liên thông) is counted for its part.

use std::collections::BTreeMap;

use motcua_domain::calendar::Outcome;
use serde::{Deserialize, Serialize};

use super::StatsFilter;
use crate::DbError;
use crate::rows::RowExt;

/// One agency's steps ended in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencySteps {
    pub agency_id: i64,
    pub name: String,
    pub early: i64,
    pub on_time: i64,
    pub late: i64,
}

const STEPS: &str = "SELECT agency_id, step_outcome, COUNT(*) AS n FROM dossier_history
    WHERE step_outcome IS NOT NULL AND at >= $1 AND at < $2
    GROUP BY agency_id, step_outcome";

impl super::Statistics<'_> {
    /// Each agency's steps ended in `filter`'s period, within its agency sub-tree, in agency
    /// name order (the field, procedure and channel filters do not apply to steps).
    pub async fn step_outcomes(self, filter: &StatsFilter) -> Result<Vec<AgencySteps>, DbError> {
        let from = crate::days::day_start(filter.from);
        let to = crate::days::day_start(filter.to.succ_opt().unwrap_or(filter.to));
        let agencies = self.db.agencies().all().await?;
        let root = filter
            .agency_id
            .and_then(|id| agencies.iter().find(|a| a.id == id))
            .map(|a| a.path.clone());
        let rows: Vec<(i64, String, i64)> = on_read!(self.db, pool => {
            let rows = sqlx::query(STEPS).bind(from).bind(to).fetch_all(pool).await?;
            rows.iter()
                .map(|r| Ok((r.int("agency_id")?, r.text("step_outcome")?, r.int("n")?)))
                .collect::<Result<Vec<_>, DbError>>()?
        });
        let mut by_agency: BTreeMap<i64, AgencySteps> = BTreeMap::new();
        for (agency_id, outcome, n) in rows {
            let Some(agency) = agencies.iter().find(|a| a.id == agency_id) else {
                continue;
            };
            if root
                .as_ref()
                .is_some_and(|p| !agency.path.starts_with(p.as_str()))
                || filter.level.is_some_and(|l| agency.level != l)
            {
                continue;
            }
            let entry = by_agency.entry(agency_id).or_insert_with(|| AgencySteps {
                agency_id,
                name: agency.name.clone(),
                early: 0,
                on_time: 0,
                late: 0,
            });
            let outcome: Outcome = serde_json::from_value(serde_json::Value::String(outcome))?;
            match outcome {
                Outcome::Early => entry.early += n,
                Outcome::OnTime => entry.on_time += n,
                Outcome::Late => entry.late += n,
            }
        }
        let mut out: Vec<AgencySteps> = by_agency.into_values().collect();
        out.sort_by_cached_key(|a| motcua_domain::text::vi_sort_key(&a.name));
        Ok(out)
    }
}
