//! Thống kê — counts of dossiers for any period and cut, summed from the per-day counter
//! table `stat_days` that every intake and transition keeps current in its own transaction
//! (written by the counters module, below the dossiers; on SQLite through the writer's
//! pending records, added before every read).
//!
//! For a period [from, to] (Vietnam dates): received, resolved and the other end states are
//! sums of the day rows inside it; "carried over" (open before `from`) and "in progress,
//! overdue, paused at the end" are states at a date, got as the all-time totals (the year
//! rows) minus the rows after that date, so a query reads only the rows from `from` on.

mod list;
mod query;
mod rebuild;
mod report;
mod sql;
mod steps;

pub use list::{Metric, MetricPage, figures_of};
pub use query::{Cut, CutRow, Figures, StatsFilter};
pub use report::{Evaluation, Named, StatisticsReport, Summary};
pub use steps::AgencySteps;

/// Thống kê — figures, cuts, reports and the dossiers behind a figure, read from the
/// counters every write keeps.
#[derive(Debug, Clone, Copy)]
pub struct Statistics<'a> {
    pub(crate) db: &'a crate::Db,
}

impl crate::Db {
    /// Thống kê: see [`Statistics`].
    pub fn statistics(&self) -> Statistics<'_> {
        Statistics { db: self }
    }
}
