//! Đóng góp vào thống kê — what one dossier adds to the statistics, as a pure function of
//! its state: each count and the instant whose date it falls on. This is the one definition
//! of received, accepted, digitised, resolved early / on time / late, re-dated, overdue and
//! paused; the database only sums the counts by day, so any period, and any state at the
//! end of a past day, is read from the dossier's history and never from today's status.

use super::{ComponentForm, DossierState, ReceivedComponent, ReturnMethod, Status};
use crate::calendar::{Instant, Outcome};

/// One thing a dossier counts for, on the date of its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Count {
    /// Tiếp nhận (nộp) — submitted, at any channel.
    Received,
    /// Tiếp nhận chính thức — accepted by the one-stop officer (the clock started).
    Accepted,
    /// Received with a digitised component (filed electronically or scanned at the counter).
    Digitised,
    /// Ended: resolved, refused, withdrawn or stopped.
    Finished,
    Early,
    OnTime,
    Late,
    /// Resolved after its appointment was moved by an apology.
    Apologised,
    Refused,
    Withdrawn,
    Stopped,
    /// Resolved with an electronic result.
    EResult,
    /// Became overdue, or stopped being so ([`DossierState::overdue_changes`]).
    OverdueIn,
    OverdueOut,
    /// Began or ended a wait for the citizen (a supplement, a payment).
    PauseIn,
    PauseOut,
    /// An apology letter issued; and of those, issued later than the law asks.
    Apologies,
    ApologiesLate,
    /// Resolved after a supplement request (TT 01 chỉ số 3).
    Supplemented,
    /// Resolved with every agency's step early, or with some step late (chỉ số 2).
    StepsEarly,
    StepsLate,
    /// Received and since acknowledged by the national portal (QĐ 766's "tỷ lệ đồng bộ hồ
    /// sơ lên Cổng DVCQG"), counted on the day it was received.
    Synced,
    /// Received with fees to pay (its case's fees, or an obligation asked for later),
    /// counted on the day it was received (QĐ 766's "hồ sơ có phí, lệ phí").
    FeeBearing,
    /// Received and since paid online through a gateway, on the day it was received (QĐ
    /// 766's "hồ sơ thanh toán trực tuyến").
    PaidOnline,
    /// Received with a component taken from the owner's data store instead of a new scan or
    /// upload, on the day it was received (QĐ 766's "tái sử dụng thành phần số hóa").
    Reused,
}

/// What the statistics read about a dossier besides its state.
#[derive(Debug, Clone, Copy)]
pub struct TallyFacts<'a> {
    pub state: &'a DossierState,
    pub components: &'a [ReceivedComponent],
    pub return_method: ReturnMethod,
    /// Whether the national portal has acknowledged the dossier at least once.
    pub synced: bool,
    /// The case's fees fixed at receipt, in đồng.
    pub fee_vnd: i64,
    /// Whether a payment of it was settled online (through a gateway).
    pub paid_online: bool,
    /// Whether it was received reusing a document of the owner's data store.
    pub reused: bool,
}

/// Whether the dossier has fees to pay: its case's fees, or an obligation asked for.
pub fn fee_bearing(state: &DossierState, fee_vnd: i64) -> bool {
    fee_vnd > 0 || state.payment.is_some()
}

/// Whether the dossier holds a digitised component: one received in electronic form, or
/// a paper one scanned at the counter ([`DossierState::digitised_at`]).
pub fn digitised(state: &DossierState, components: &[ReceivedComponent]) -> bool {
    state.digitised_at.is_some() || components.iter().any(|c| component_digitised(state, c))
}

/// Whether one component counts as digitised (`DuocSoHoa`): received in electronic form, or
/// its dossier scanned at the counter.
pub fn component_digitised(state: &DossierState, component: &ReceivedComponent) -> bool {
    state.digitised_at.is_some() || component.form == ComponentForm::Electronic
}

/// Everything the dossier counts for, each with its instant.
pub fn contribution(f: TallyFacts<'_>) -> Vec<(Instant, Count)> {
    let s = f.state;
    let mut out = vec![(s.received_at, Count::Received)];
    if let Some(accepted) = s.accepted_at {
        out.push((accepted, Count::Accepted));
    }
    if f.synced {
        out.push((s.received_at, Count::Synced));
    }
    if fee_bearing(s, f.fee_vnd) {
        out.push((s.received_at, Count::FeeBearing));
        if f.paid_online {
            out.push((s.received_at, Count::PaidOnline));
        }
    }
    if digitised(s, f.components) {
        out.push((s.received_at, Count::Digitised));
    }
    if f.reused {
        out.push((s.received_at, Count::Reused));
    }
    if let Some(end) = s.ended_at() {
        out.push((end, Count::Finished));
        let resolved = matches!(s.status, Status::ResultReady | Status::Returned);
        let column = match s.status {
            Status::Refused => Some(Count::Refused),
            Status::Withdrawn => Some(Count::Withdrawn),
            Status::Stopped => Some(Count::Stopped),
            _ if resolved && s.apologised() => Some(Count::Apologised),
            _ if resolved => s.outcome.map(|o| match o {
                Outcome::Early => Count::Early,
                Outcome::OnTime => Count::OnTime,
                Outcome::Late => Count::Late,
            }),
            _ => None,
        };
        out.extend(column.map(|c| (end, c)));
        let electronic =
            s.handover.as_ref().map_or(f.return_method, |h| h.method) == ReturnMethod::Online;
        if resolved && electronic {
            out.push((end, Count::EResult));
        }
        if resolved && s.supplement.is_some() {
            out.push((end, Count::Supplemented));
        }
        match s.step_tally.score() {
            Some(2) if resolved => out.push((end, Count::StepsEarly)),
            Some(0) if resolved => out.push((end, Count::StepsLate)),
            _ => {}
        }
    }
    for (at, overdue) in s.overdue_changes() {
        out.push((
            at,
            if overdue {
                Count::OverdueIn
            } else {
                Count::OverdueOut
            },
        ));
    }
    for (began, over) in s.waits() {
        out.push((began, Count::PauseIn));
        out.extend(over.map(|o| (o, Count::PauseOut)));
    }
    if let Some((a, approved)) = s
        .apology
        .as_ref()
        .and_then(|a| a.approved_at.map(|at| (a, at)))
    {
        out.push((approved, Count::Apologies));
        if a.issued_late {
            out.push((approved, Count::ApologiesLate));
        }
    }
    out
}
