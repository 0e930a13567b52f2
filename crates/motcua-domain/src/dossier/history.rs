//! Hồ sơ tại một thời điểm — what a dossier was at any instant, read from the record its
//! state keeps (the appointments it has had and when each took effect, the waits for the
//! citizen, its end): the one answer to "was it open, paused or overdue at t" for the
//! queues, the public board and reports whose closed periods never change.

use serde::{Deserialize, Serialize};

use super::{DossierState, Status};
use crate::calendar::{Instant, is_late, late_from};

/// Ngày hẹn đã áp dụng — an appointment the dossier took at `at` (none: the clock stopped,
/// e.g. the dossier ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueChange {
    pub at: Instant,
    pub due: Option<Instant>,
}

/// A wait for the citizen: when it began and, once over, when it ended.
pub type Wait = (Instant, Option<Instant>);

/// The appointment in force at `t` among `dues` (oldest first).
fn in_force(dues: &[DueChange], t: Instant) -> Option<Instant> {
    dues.iter().rev().find(|c| c.at <= t).and_then(|c| c.due)
}

/// Whether one of `waits` covers `t`.
fn waiting(waits: &[Wait], t: Instant) -> bool {
    waits
        .iter()
        .any(|(began, over)| *began <= t && over.is_none_or(|o| t < o))
}

impl DossierState {
    /// The appointments in force from each instant on, oldest first. States stored before
    /// the record was kept have it rebuilt from the supplement's and the apology's notes.
    pub fn due_changes(&self) -> Vec<DueChange> {
        if !self.due_record.is_empty() {
            return self.due_record.clone();
        }
        let Some(start) = self.accepted_at else {
            return Vec::new();
        };
        let apology = self.approved_apology();
        let first = self
            .supplement
            .as_ref()
            .and_then(|s| s.due_before)
            .or(apology.map(|a| a.previous_due))
            .or(self.due);
        let mut out = vec![DueChange {
            at: start,
            due: first,
        }];
        if let Some(back) = self.supplement.as_ref().and_then(|s| s.received_at) {
            let due = match apology.and_then(|a| a.approved_at) {
                Some(approved) if approved > back => apology.map(|a| a.previous_due),
                _ => self.due,
            };
            out.push(DueChange { at: back, due });
        }
        if let (Some(a), Some(approved)) = (apology, apology.and_then(|a| a.approved_at)) {
            out.push(DueChange {
                at: approved,
                due: Some(a.new_due),
            });
        }
        out.sort_by_key(|c| c.at);
        out
    }

    /// The appointment in force at `t`.
    pub fn due_in_force(&self, t: Instant) -> Option<Instant> {
        in_force(&self.due_changes(), t)
    }

    /// When it ended (refused, withdrawn, stopped, or its result made ready).
    pub fn ended_at(&self) -> Option<Instant> {
        self.finished_at
            .filter(|_| self.status.is_final() || self.status == Status::ResultReady)
    }

    /// The waits for the citizen (a supplement, a payment): each start and, once over, end
    /// (a dossier that ended while waiting stops waiting then).
    pub fn waits(&self) -> Vec<Wait> {
        let ended = self.ended_at();
        [
            self.supplement
                .as_ref()
                .map(|p| (p.requested_at, p.received_at)),
            self.payment.as_ref().map(|p| (p.requested_at, p.paid_at)),
        ]
        .into_iter()
        .flatten()
        .map(|(began, over)| (began, over.or(ended)))
        .collect()
    }

    /// Whether it waited for the citizen at `t`.
    pub fn waiting_at(&self, t: Instant) -> bool {
        waiting(&self.waits(), t)
    }

    /// Whether it was received and not yet ended at `t`.
    pub fn open_at(&self, t: Instant) -> bool {
        self.received_at <= t && self.ended_at().is_none_or(|e| t < e)
    }

    /// Quá hạn at `t`: open, in the agency's hands (not waiting for the citizen) and past
    /// the appointment in force then ([`is_late`]).
    pub fn overdue_at(&self, t: Instant) -> bool {
        self.overdue_with(&self.due_changes(), &self.waits(), t)
    }

    /// [`DossierState::overdue_at`] with the appointments and waits read once.
    fn overdue_with(&self, dues: &[DueChange], waits: &[Wait], t: Instant) -> bool {
        self.open_at(t)
            && !waiting(waits, t)
            && in_force(dues, t).is_some_and(|due| is_late(t, due))
    }

    /// The instants at which it became overdue (`true`) or stopped being so (`false`), in
    /// order: what the statistics count to know, for any past date, how many dossiers were
    /// overdue at its end.
    pub fn overdue_changes(&self) -> Vec<(Instant, bool)> {
        let dues = self.due_changes();
        let waits = self.waits();
        let mut points: Vec<Instant> = Vec::new();
        for c in &dues {
            points.push(c.at);
            if let Some(due) = c.due {
                points.push(late_from(due));
            }
        }
        for (began, over) in &waits {
            points.push(*began);
            points.extend(*over);
        }
        points.extend(self.ended_at());
        points.sort();
        points.dedup();
        let mut out = Vec::new();
        let mut overdue = false;
        for p in points {
            let now = self.overdue_with(&dues, &waits, p);
            if now != overdue {
                out.push((p, now));
                overdue = now;
            }
        }
        out
    }
}
