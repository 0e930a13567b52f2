//! Kế hoạch hồ sơ — deciding, before anything is written, what happens to each demo dossier:
//! its procedure, channel, receipt time, how it ends, and which detours it takes on the way
//! (supplement, consultation, payment, apology), with quotas so that every national status
//! and every detour shows up even in a small demo.

use chrono::NaiveDate;
use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, TimeLimit, WorkCalendar};
use motcua_domain::catalogue::{Channel, Procedure};

use super::choose;
use super::rng::Rng;

/// Where a withdrawal happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WithdrawAt {
    BeforeAcceptance,
    InProcessing,
    InSupplement,
}

/// How the dossier's story ends (or where it stands today).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Submitted,
    Accepted,
    Refused,
    /// Being worked on, received recently.
    InProgress,
    /// Received long ago and stuck at the specialist: past its appointment.
    Overdue,
    AwaitingSupplement,
    AwaitingPayment,
    Withdrawn(WithdrawAt),
    /// Từ chối giải quyết after appraisal.
    Rejected,
    /// Dừng xử lý: the citizen never supplemented.
    Stopped,
    ResultReady,
    Returned,
}

/// When the result is approved, against the appointment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pace {
    /// After this share (per mille) of the allowed working time.
    Early(i64),
    /// On the appointment day, this many seconds before the appointment.
    OnTime(i64),
    /// This many working seconds after the appointment.
    Late(i64),
}

/// Who asks for the supplement: the counter at intake, or the specialist on appraisal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SupplementAt {
    Counter,
    Specialist,
}

/// A late dossier's apology: the new appointment is `extra_days` working days after the old
/// one, and the result comes at `per_mille` of that extension (over 1000: late again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ApologyPlan {
    pub extra_days: i64,
    pub per_mille: i64,
}

/// Everything decided in advance about one dossier.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Index into the catalogue.
    pub procedure: usize,
    pub case: String,
    pub channel: Channel,
    pub receiving: &'static str,
    /// Index of the receiving commune, when a commune receives it.
    pub commune: Option<usize>,
    pub organisation: bool,
    pub received: Instant,
    pub end: End,
    pub pace: Pace,
    pub supplement: Option<SupplementAt>,
    pub consult: bool,
    pub payment: bool,
    pub apology: Option<ApologyPlan>,
    pub assign: bool,
    pub appraise: bool,
    /// Seed of the dossier's own dice, so one dossier's choices never shift another's.
    pub seed: u64,
}

use End::*;

/// Ends other than `Returned`, each with its share per mille and a minimum count.
const QUOTAS: [(End, usize, usize); 13] = [
    (Submitted, 15, 3),
    (Accepted, 10, 2),
    (Refused, 25, 3),
    (InProgress, 50, 4),
    (Overdue, 20, 4),
    (AwaitingSupplement, 20, 3),
    (AwaitingPayment, 12, 3),
    (Withdrawn(WithdrawAt::BeforeAcceptance), 8, 1),
    (Withdrawn(WithdrawAt::InProcessing), 10, 1),
    (Withdrawn(WithdrawAt::InSupplement), 7, 1),
    (Rejected, 30, 3),
    (Stopped, 15, 2),
    (ResultReady, 25, 3),
];

/// The first specialist step between intake and approval: where appraisal and its detours
/// happen.
pub(crate) fn specialist_step(p: &Procedure) -> Option<usize> {
    let approval = p.workflow.len().saturating_sub(2);
    (1..=approval).find(|&i| {
        p.workflow
            .get(i)
            .is_some_and(|s| s.role == Role::Specialist)
    })
}

/// A time limit in working days, roughly (calendar days count five in seven).
pub(crate) fn limit_days(limit: TimeLimit) -> i64 {
    match limit {
        TimeLimit::WorkingDays(n) => i64::from(n),
        TimeLimit::WorkingHours(h) => i64::from(h.div_ceil(8)),
        TimeLimit::CalendarDays(n) => i64::from(n) * 5 / 7 + 1,
    }
}

/// The ends, by quota, then the rest returned; shuffled.
fn ends(n: usize, rng: &mut Rng) -> Vec<End> {
    let mut out = Vec::with_capacity(n);
    for (end, per_mille, min) in QUOTAS {
        let count = (n * per_mille / 1000).max(min).min(n - out.len());
        out.extend(std::iter::repeat_n(end, count));
    }
    out.resize(n, Returned);
    rng.shuffle(&mut out);
    out
}

/// Marks up to `quota` of the plans that `eligible` accepts (in a random order).
fn mark(plans: &[End], quota: usize, rng: &mut Rng, eligible: impl Fn(End) -> bool) -> Vec<bool> {
    let mut order: Vec<usize> = (0..plans.len()).filter(|&i| eligible(plans[i])).collect();
    rng.shuffle(&mut order);
    let mut marked = vec![false; plans.len()];
    for i in order.into_iter().take(quota) {
        marked[i] = true;
    }
    marked
}

/// Makes `n` plans for the demo of `today`, in the order of their receipt.
pub(crate) fn make(
    procedures: &[Procedure],
    calendar: &WorkCalendar,
    today: NaiveDate,
    n: usize,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Plan>> {
    let days = choose::receiving_days(calendar, today)?;
    let ends = ends(n, rng);
    let supplement = mark(&ends, (n * 8 / 100).max(30), rng, |e| {
        matches!(
            e,
            AwaitingSupplement
                | Stopped
                | Withdrawn(WithdrawAt::InSupplement)
                | Returned
                | ResultReady
                | InProgress
                | Overdue
                | Rejected
                | Withdrawn(WithdrawAt::InProcessing)
        )
    });
    let consult = mark(&ends, (n * 6 / 100).max(20), rng, |e| {
        matches!(e, Returned | ResultReady | Overdue | Rejected | InProgress)
    });
    let payment = mark(&ends, (n * 3 / 100).max(10), rng, |e| {
        matches!(e, AwaitingPayment | Returned | ResultReady)
    });
    let apology = mark(&ends, (n * 4 / 100).max(20), rng, |e| e == Returned);
    let mut plans = Vec::with_capacity(n);
    for (i, end) in ends.into_iter().enumerate() {
        // The ends that are about a supplement always have one.
        let forced = matches!(
            end,
            AwaitingSupplement | Stopped | Withdrawn(WithdrawAt::InSupplement)
        );
        let supplement = (supplement[i] || forced).then(|| {
            if end != Stopped && rng.chance(35) {
                SupplementAt::Counter
            } else {
                SupplementAt::Specialist
            }
        });
        let apology = apology[i].then(|| ApologyPlan {
            extra_days: rng.range(3, 10),
            per_mille: if rng.chance(85) {
                rng.range(150, 850)
            } else {
                rng.range(1100, 1500)
            },
        });
        let draft = choose::Draft {
            end,
            supplement,
            consult: consult[i],
            payment: payment[i] || end == AwaitingPayment,
            apology,
        };
        plans.push(choose::choose(procedures, calendar, &days, draft, rng)?);
    }
    plans.sort_by_key(|p| p.received);
    Ok(plans)
}
