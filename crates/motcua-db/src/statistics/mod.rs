//! Thống kê — counts of dossiers for any period and cut, summed from the per-day counter
//! table `stat_days` that every intake and transition keeps current in its own transaction
//! (on SQLite through the writer's pending records, added before every read: `pending.rs`).
//!
//! For a period [from, to] (Vietnam dates): received, resolved and the other end states are
//! sums of the day rows inside it; "carried over" (open before `from`) and "in progress,
//! overdue, paused at the end" are states at a date, got as the all-time totals (the year
//! rows) minus the rows after that date, so a query reads only the rows from `from` on.

#[macro_use]
pub(crate) mod counts;
mod list;
pub(crate) mod pending;
mod query;
mod rebuild;
mod report;
mod sql;
mod steps;

pub use list::{Metric, MetricPage, figures_of};
pub use query::{Cut, CutRow, Figures, StatsFilter};
pub use report::{Evaluation, Named, StatisticsReport, Summary};
pub use steps::AgencySteps;

use std::collections::BTreeMap;

use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{DossierState, ReceivedComponent, ReturnMethod};

use counts::{Facts, StatRow, contribution, delta, flatten, key};

/// The rows an intake adds.
pub(crate) fn intake_rows(
    state: &DossierState,
    procedure_code: &str,
    field_code: &str,
    channel: Channel,
    components: &[ReceivedComponent],
    return_method: ReturnMethod,
) -> Vec<StatRow> {
    let new = contribution(Facts {
        state,
        components,
        return_method,
    });
    flatten([(
        key(state, procedure_code, field_code, channel),
        delta(None, Some(&new)),
    )])
}

/// The rows a transition of `old` to `new_state` adds (none when nothing counted changed).
pub(crate) fn transition_rows(
    old: &crate::DossierRecord,
    new_state: &DossierState,
    field_code: &str,
) -> Vec<StatRow> {
    let facts = |state| Facts {
        state,
        components: &old.components,
        return_method: old.return_method,
    };
    let before = contribution(facts(&old.state));
    let after = contribution(facts(new_state));
    let old_key = key(&old.state, &old.procedure_code, field_code, old.channel);
    let new_key = key(new_state, &old.procedure_code, field_code, old.channel);
    if old_key == new_key {
        flatten([(new_key, delta(Some(&before), Some(&after)))])
    } else {
        flatten([
            (old_key, delta(Some(&before), None)),
            (new_key, delta(None, Some(&after))),
        ])
    }
}

/// Accumulates many dossiers' contributions (bulk loading, rebuilding).
#[derive(Debug, Default)]
pub(crate) struct Tally(std::collections::HashMap<counts::StatKey, BTreeMap<i64, counts::Counts>>);

impl Tally {
    pub(crate) fn add(
        &mut self,
        state: &DossierState,
        procedure_code: &str,
        field_code: &str,
        channel: Channel,
        components: &[ReceivedComponent],
        return_method: ReturnMethod,
    ) {
        let rows = contribution(Facts {
            state,
            components,
            return_method,
        });
        let entry = self
            .0
            .entry(key(state, procedure_code, field_code, channel))
            .or_default();
        counts::merge(entry, &rows, 1);
    }

    pub(crate) fn rows(self) -> Vec<StatRow> {
        flatten(
            self.0
                .into_iter()
                .map(|(k, rows)| (k, counts::with_totals(rows))),
        )
    }
}
