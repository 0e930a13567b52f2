//! TT 01/2018/TT-VPCP art. 13–15: the nine indicators (chỉ số) scored 2/1/0 per dossier or
//! per unit, their averages, the agency's 18-point score and class, the officer's score.

use serde::{Deserialize, Serialize};

use super::round1;
use crate::calendar::Outcome;
use crate::dossier::{DossierState, Status};

/// Chỉ số 1–9 (index 0 is chỉ số 1): each a score 0–2 (an average for a unit), `None` when
/// motcua has no data for it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScores(pub [Option<f64>; 9]);

/// The per-dossier scores (chỉ số 1, 2, 3; 4, 6, 7 come from ratings motcua does not hold).
pub type DossierScores = IndicatorScores;

impl IndicatorScores {
    /// The sum of the indicators that have data.
    pub fn total(&self) -> f64 {
        round1(self.0.iter().flatten().sum())
    }

    /// The most the indicators with data could score (2 each).
    pub fn max(&self) -> f64 {
        2.0 * self.0.iter().flatten().count() as f64
    }
}

fn outcome_score(o: Outcome) -> f64 {
    match o {
        Outcome::Early => 2.0,
        Outcome::OnTime => 1.0,
        Outcome::Late => 0.0,
    }
}

/// Scores one resolved dossier (status 9 or 10), or `None` for any other.
/// - Chỉ số 1: its end against its appointment; an apology's re-dating does not count, so
///   the first appointment is used.
/// - Chỉ số 2: each agency's step against its allotted time (`step_outcomes`, from the
///   processing trail): 2 if every step was early, 0 if any was late, else 1.
/// - Chỉ số 3: contacts to complete the dossier: 2 with no supplement request, 1 with one
///   (motcua allows only one).
pub fn score_dossier(state: &DossierState, step_outcomes: &[Outcome]) -> Option<DossierScores> {
    if !matches!(state.status, Status::ResultReady | Status::Returned) {
        return None;
    }
    let finished = state.finished_at?;
    let first_due = state
        .approved_apology()
        .map(|a| a.previous_due)
        .or(state.due);
    let mut s = [None; 9];
    s[0] = first_due.map(|due| outcome_score(Outcome::of(finished, due)));
    // The worst step decides: all early 2, any late 0, otherwise 1.
    s[1] = step_outcomes
        .iter()
        .map(|o| outcome_score(*o))
        .reduce(f64::min);
    s[2] = Some(if state.supplement.is_some() { 1.0 } else { 2.0 });
    Some(IndicatorScores(s))
}

/// A unit's scores: each per-dossier indicator averaged over the dossiers that have it
/// (`(scores, how many dossiers scored so)`), rounded to one decimal; the unit-level
/// indicators (5, 8, 9, and 6 when given) taken from `unit`.
pub fn unit_scores(
    dossiers: impl IntoIterator<Item = (IndicatorScores, u64)>,
    unit: &IndicatorScores,
) -> IndicatorScores {
    let mut sum = [0.0; 9];
    let mut count = [0u64; 9];
    for (scores, n) in dossiers {
        for (i, v) in scores.0.iter().enumerate() {
            if let Some(v) = v {
                sum[i] += v * n as f64;
                count[i] += n;
            }
        }
    }
    let mut out = [None; 9];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = match unit.0[i] {
            Some(v) => Some(round1(v)),
            None if count[i] > 0 => Some(round1(sum[i] / count[i] as f64)),
            None => None,
        };
    }
    IndicatorScores(out)
}

/// What chỉ số 9 (online services) reads about a unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OnlineUnit {
    /// Share of its eligible procedures offered at level 3/4 (partly or fully online).
    pub online_procedures_share: f64,
    /// Share of its dossiers filed online.
    pub online_share: f64,
    /// Online dossiers resolved late or overdue.
    pub late_online: i64,
}

/// Chỉ số 9: 2 when ≥ 20 % of eligible procedures are at level 3/4, ≥ 30 % of dossiers are
/// online and no online dossier is late; 0 below 15 % or with any late online dossier;
/// otherwise 1.
pub fn online_indicator(u: &OnlineUnit) -> f64 {
    if u.late_online > 0 || u.online_share < 0.15 {
        0.0
    } else if u.online_procedures_share >= 0.20 && u.online_share >= 0.30 {
        2.0
    } else {
        1.0
    }
}

/// Xếp loại — the agency's class by its score out of 18.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyClass {
    Excellent,
    Good,
    Fair,
    Average,
    Weak,
}

impl AgencyClass {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Excellent => "Xuất sắc",
            Self::Good => "Tốt",
            Self::Fair => "Khá",
            Self::Average => "Trung bình",
            Self::Weak => "Yếu",
        }
    }
}

/// The class of a score out of 18 (≥ 15 Xuất sắc, 12–<15 Tốt, 9–<12 Khá, 6–<9 Trung bình,
/// < 6 Yếu).
pub fn class_of(points: f64) -> AgencyClass {
    if points >= 15.0 {
        AgencyClass::Excellent
    } else if points >= 12.0 {
        AgencyClass::Good
    } else if points >= 9.0 {
        AgencyClass::Fair
    } else if points >= 6.0 {
        AgencyClass::Average
    } else {
        AgencyClass::Weak
    }
}

/// The agency's standing on the 18-point scale (TT 01 art. 15), without extrapolation:
/// indicators without data are left out of the points and named as not computed; the
/// points they could still add (2 each) give the most the agency can reach, and the class
/// is settled only when those cannot change it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AgencyStanding {
    /// The sum of the indicators with data, out of 18.
    pub points: f64,
    /// How many of the nine indicators have data.
    pub computed: usize,
    /// The points if every indicator without data scored 2.
    pub reachable: f64,
    /// The class, when the indicators without data cannot change it.
    pub class: Option<AgencyClass>,
    /// The classes it lies between: from its points as they stand to its reachable points.
    pub lowest: AgencyClass,
    pub highest: AgencyClass,
}

impl AgencyStanding {
    /// The standing in words, as the pages and the spreadsheet show it.
    pub fn describe_vi(&self) -> String {
        use crate::text::decimal_vi;
        let points = format!(
            "{} / 18 điểm ({} trên 9 chỉ số có dữ liệu)",
            decimal_vi(self.points, 1),
            self.computed
        );
        match self.class {
            Some(c) if self.computed == 9 => format!("{points} — {}", c.label_vi()),
            Some(c) => format!(
                "{points} — {} (các chỉ số chưa tính không làm thay đổi xếp loại)",
                c.label_vi()
            ),
            None => format!(
                "{points}; các chỉ số chưa tính có thể thêm đến {} điểm (tối đa đạt {}) — chưa xếp loại được: từ {} đến {}",
                decimal_vi(self.reachable - self.points, 1),
                decimal_vi(self.reachable, 1),
                self.lowest.label_vi(),
                self.highest.label_vi()
            ),
        }
    }
}

/// The agency's standing, or `None` when no indicator has data.
pub fn agency_class(scores: &IndicatorScores) -> Option<AgencyStanding> {
    let computed = scores.0.iter().flatten().count();
    if computed == 0 {
        return None;
    }
    let points = scores.total();
    let reachable = round1(points + 2.0 * (9 - computed) as f64);
    let (lowest, highest) = (class_of(points), class_of(reachable));
    Some(AgencyStanding {
        points,
        computed,
        reachable,
        class: (lowest == highest).then_some(lowest),
        lowest,
        highest,
    })
}

/// The indicators of the dossiers an officer handled that were resolved: 1–3 from each
/// dossier's state (its step tally for 2), 4 and 7 from the citizen's rating when there is
/// one, averaged over the dossiers that have each.
pub fn officer_scores<'a>(
    dossiers: impl IntoIterator<Item = (&'a DossierState, Option<&'a crate::rating::Rating>)>,
) -> IndicatorScores {
    use crate::rating::Criterion;
    let mut scored = Vec::new();
    for (state, rating) in dossiers {
        let t = state.step_tally;
        let outcomes: Vec<Outcome> = std::iter::repeat_n(Outcome::Early, t.early as usize)
            .chain(std::iter::repeat_n(Outcome::OnTime, t.on_time as usize))
            .chain(std::iter::repeat_n(Outcome::Late, t.late as usize))
            .collect();
        let Some(mut s) = score_dossier(state, &outcomes) else {
            continue;
        };
        if let Some(r) = rating {
            for (i, c) in [(3, Criterion::Agencies), (6, Criterion::Attitude)] {
                s.0[i] = r.answers.get(&c).map(|v| f64::from(*v));
            }
        }
        scored.push((s, 1));
    }
    unit_scores(scored, &IndicatorScores::default())
}

/// Mức độ hoàn thành nhiệm vụ of an officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficerDuty {
    /// ≥ 5 points: 100 % of duty met.
    Full,
    /// 3.5–< 5: 70–< 100 %.
    Partial,
    /// < 3.5: under 70 %.
    Under,
}

impl OfficerDuty {
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::Full => "Hoàn thành 100% nhiệm vụ",
            Self::Partial => "Hoàn thành từ 70% đến dưới 100% nhiệm vụ",
            Self::Under => "Hoàn thành dưới 70% nhiệm vụ",
        }
    }
}

/// The officer's score from chỉ số 1, 2, 3, 4 and 7 (out of 10; those without data left out
/// and the rest brought to the 10-point scale) and the duty level it means.
pub fn officer_duty(scores: &IndicatorScores) -> Option<(f64, OfficerDuty)> {
    let picked: Vec<f64> = [0, 1, 2, 3, 6]
        .iter()
        .filter_map(|i| scores.0[*i])
        .collect();
    if picked.is_empty() {
        return None;
    }
    let points = round1(picked.iter().sum::<f64>() * 10.0 / (2.0 * picked.len() as f64));
    let duty = if points >= 5.0 {
        OfficerDuty::Full
    } else if points >= 3.5 {
        OfficerDuty::Partial
    } else {
        OfficerDuty::Under
    };
    Some((points, duty))
}
