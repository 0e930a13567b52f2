//! Choosing each planned dossier's procedure, case, channel, receiving agency, applicant
//! kind, pace and receipt time, within what its planned end and detours need.

use anyhow::{Context, bail};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use motcua_domain::agency::AgencyLevel;
use motcua_domain::calendar::{WorkCalendar, vietnam_offset};
use motcua_domain::catalogue::{Channel, Procedure, StepAgency};

use super::agencies::{CENTRE, COMMUNES, PROVINCE};
use super::plan::{
    ApologyPlan, End, End::*, Pace, Plan, SupplementAt, WithdrawAt, limit_days, specialist_step,
};
use super::rng::Rng;

/// Fields whose procedures may carry a fee, tax or charge to pay during processing.
const PAYMENT_FIELDS: [&str; 9] = [
    "dat-dai",
    "hoat-dong-xay-dung",
    "du-lich",
    "duoc-pham",
    "kham-benh-chua-benh",
    "dien",
    "dien-luc",
    "luat-su",
    "an-toan-thuc-pham",
];

/// Fields where most applicants are businesses.
const BUSINESS_FIELDS: [&str; 10] = [
    "thanh-lap-va-hoat-dong-cua-doanh-nghiep",
    "dau-tu-tai-viet-nam",
    "dien-luc",
    "dien",
    "du-lich",
    "duoc-pham",
    "kham-benh-chua-benh",
    "an-toan-thuc-pham",
    "trong-trot-va-bao-ve-thuc-vat",
    "thu-y",
];

fn shortest_limit(p: &Procedure) -> i64 {
    p.cases
        .iter()
        .flat_map(|c| &c.times)
        .map(|t| limit_days(t.effective()))
        .min()
        .unwrap_or(0)
}

fn can_apologise(p: &Procedure) -> bool {
    // The specialist proposes the apology wherever the dossier is; a step at the provincial
    // committee itself has no specialist.
    let at_province = p
        .workflow
        .iter()
        .any(|s| matches!(&s.agency, StepAgency::Agency(a) if a.as_str() == PROVINCE));
    !at_province && shortest_limit(p) >= 3
}

fn can_charge(p: &Procedure) -> bool {
    PAYMENT_FIELDS.contains(&p.field.code.as_str())
        || p.cases
            .iter()
            .any(|c| c.fees.iter().any(|f| f.amount_vnd > 0))
}

fn received_remotely(end: End) -> bool {
    matches!(
        end,
        Submitted | Refused | Withdrawn(WithdrawAt::BeforeAcceptance)
    )
}

/// How popular a procedure is at the counters.
fn weight(p: &Procedure) -> u64 {
    match p.field.code.as_str() {
        "chung-thuc" => 8,
        "ho-tich" => 3,
        "dat-dai" => 2,
        _ => 1,
    }
}

/// The working days (Monday to Friday, not holidays) of the year before `today`, oldest first.
pub(crate) fn receiving_days(
    calendar: &WorkCalendar,
    today: NaiveDate,
) -> anyhow::Result<Vec<NaiveDate>> {
    let first = today
        .checked_sub_days(Days::new(365))
        .context("ngày tạo dữ liệu mẫu nằm ngoài phạm vi lịch")?;
    let mut days = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= today) {
        let weekday = !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if weekday && calendar.is_working_day(day)? {
            days.push(day);
        }
    }
    if days.is_empty() {
        bail!("không có ngày làm việc nào trong năm trước {today}");
    }
    Ok(days)
}

/// A time the counter is open: 07:30–11:15 or 13:30–16:30.
fn time_of_day(rng: &mut Rng) -> NaiveTime {
    let minute = if rng.chance(55) {
        7 * 60 + 30 + rng.range(0, 225)
    } else {
        13 * 60 + 30 + rng.range(0, 180)
    };
    NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(minute * 60).unwrap_or(0), 0)
        .unwrap_or(NaiveTime::MIN)
}

/// Whether a commune's counter receives the procedure (else the Centre's).
fn at_commune(procedure: &Procedure) -> bool {
    procedure.levels.contains(&AgencyLevel::Commune)
        || procedure
            .agencies
            .iter()
            .any(|a| COMMUNES.contains(&a.as_str()))
}

/// Everything a plan still needs once its end and detours are known.
pub(crate) struct Draft {
    pub end: End,
    pub supplement: Option<SupplementAt>,
    pub consult: bool,
    pub payment: bool,
    pub apology: Option<ApologyPlan>,
}

/// Chooses the procedure, case, channel, applicant kind and receipt time for a draft.
pub(crate) fn choose(
    procedures: &[Procedure],
    calendar: &WorkCalendar,
    days: &[NaiveDate],
    draft: Draft,
    rng: &mut Rng,
) -> anyhow::Result<Plan> {
    let end = draft.end;
    let fits = |p: &Procedure| {
        specialist_step(p).is_some()
            // Those just accepted wait at the Centre's counter, where its demo officers
            // sign in and find them whatever the hour the demo is made.
            && (end != Accepted || !at_commune(p))
            && (!received_remotely(end) || p.offers(Channel::Online) || p.offers(Channel::Post))
            && (!draft.payment || can_charge(p))
            && (draft.apology.is_none() || can_apologise(p))
    };
    let weights: Vec<u64> = procedures
        .iter()
        .map(|p| if fits(p) { weight(p) } else { 0 })
        .collect();
    if weights.iter().all(|w| *w == 0) {
        bail!("danh mục mẫu không có thủ tục nào phù hợp với kế hoạch {end:?}");
    }
    let index = rng.weighted(&weights);
    let procedure = &procedures[index];
    let case = &procedure.cases[rng.index(procedure.cases.len())];

    // Counter 55 %, online 40 %, post 5 %, among the channels this case has a time for.
    let channel_weights: Vec<u64> = [
        (Channel::Counter, 55),
        (Channel::Online, 40),
        (Channel::Post, 5),
    ]
    .iter()
    .map(|(c, w)| {
        let usable = procedure.offers(*c) && case.time_for(*c).is_some();
        let wanted = match end {
            _ if received_remotely(end) => *c != Channel::Counter,
            Accepted => *c == Channel::Counter,
            _ => true,
        };
        if usable && wanted { *w } else { 0 }
    })
    .collect();
    let channel = match rng.weighted(&channel_weights) {
        _ if channel_weights.iter().all(|w| *w == 0) => Channel::Counter,
        0 => Channel::Counter,
        1 => Channel::Online,
        _ => Channel::Post,
    };
    let limit = case.time_for(channel).map_or(5, limit_days);

    let (receiving, commune) = if at_commune(procedure) {
        let i = rng.weighted(&[50, 30, 20]);
        (COMMUNES[i], Some(i))
    } else {
        (CENTRE, None)
    };
    let organisation = if BUSINESS_FIELDS.contains(&procedure.field.code.as_str()) {
        rng.chance(75)
    } else if matches!(
        procedure.field.code.as_str(),
        "dat-dai" | "hoat-dong-xay-dung"
    ) {
        rng.chance(15)
    } else {
        false
    };

    let pace = match (end, rng.below(100)) {
        (Returned, 0..=9) => {
            Pace::Late(rng.range(1, 6) * calendar.day_seconds() + rng.range(0, 4 * 3600))
        }
        (Returned, 0..=74) | (ResultReady, 0..=69) | (_, 0..=59) => {
            Pace::Early(rng.range(250, 750))
        }
        _ => Pace::OnTime(rng.range(5 * 60, 90 * 60)),
    };

    // How many working days the whole story needs, roughly, so that dossiers which must
    // be finished today were received early enough.
    let span = limit
        + 2
        + if draft.supplement.is_some() {
            limit + 12
        } else {
            0
        }
        + if draft.payment { 6 } else { 0 }
        + if draft.consult { 5 } else { 0 }
        + draft.apology.map_or(0, |a| a.extra_days * 2 + 2)
        + if matches!(pace, Pace::Late(_)) { 8 } else { 0 };
    let last = i64::try_from(days.len()).unwrap_or(1) - 1;
    let (lo, hi) = match end {
        Submitted => (0, 2),
        Accepted => (0, 1),
        InProgress => (0, (limit * 2 / 3).max(1)),
        AwaitingSupplement => (3, 12),
        AwaitingPayment => (limit / 3 + 2, limit / 3 + 8),
        ResultReady => (span, span + 10),
        Stopped => (limit + 30, last),
        Overdue => (span + 3, last),
        Refused => (0, last),
        Withdrawn(_) | Rejected => (span, last),
        Returned if draft.apology.is_some() => (span, last),
        Returned if draft.consult => (limit / 2 + 3, last),
        Returned if draft.supplement.is_some() => (4, last),
        Returned => (0, last),
    };
    let back = rng.range(lo.min(last), hi.min(last));
    let day = days[usize::try_from(last - back).unwrap_or(0)];
    let received = day
        .and_time(time_of_day(rng))
        .and_local_timezone(vietnam_offset())
        .single()
        .context("giờ tiếp nhận không hợp lệ")?;

    Ok(Plan {
        procedure: index,
        case: case.code.clone(),
        channel,
        receiving,
        commune,
        organisation,
        received,
        end,
        pace,
        supplement: draft.supplement,
        consult: draft.consult,
        payment: draft.payment,
        apology: draft.apology,
        assign: rng.chance(30),
        appraise: rng.chance(50),
        seed: rng.next_u64(),
    })
}
