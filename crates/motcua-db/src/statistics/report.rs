//! Báo cáo thống kê — one period's figures in every cut the pages, the API, the spreadsheet
//! and the command line show, with the evaluation computed from the same numbers.

use std::collections::{BTreeMap, HashMap, HashSet};

use motcua_domain::catalogue::OnlineLevel;
use motcua_domain::evaluation::{
    AgencyStanding, GroupScore, IndicatorScores, Inputs766, OnlineUnit, agency_class,
    online_indicator, score_766, unit_scores,
};
use serde::{Deserialize, Serialize};

use super::{Cut, CutRow, Figures, StatsFilter};
use crate::DbError;

/// Figures with the values derived from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    #[serde(flatten)]
    pub figures: Figures,
    pub resolved: i64,
    pub in_progress_on_time: i64,
    pub on_time_rate: Option<f64>,
    pub online_share: Option<f64>,
    pub digitised_share: Option<f64>,
    pub e_result_share: Option<f64>,
}

impl From<Figures> for Summary {
    fn from(f: Figures) -> Self {
        Self {
            resolved: f.resolved(),
            in_progress_on_time: f.in_progress_on_time(),
            on_time_rate: f.on_time_rate(),
            online_share: f.online_share(),
            digitised_share: f.digitised_share(),
            e_result_share: f.e_result_share(),
            figures: f,
        }
    }
}

/// One group of a cut, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub key: String,
    pub name: String,
    pub summary: Summary,
}

/// The TT 01 indicators motcua computes for the whole selection, and the 766 groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub indicators: IndicatorScores,
    /// The 18-point standing: the points of the indicators with data, the most reachable,
    /// and the class when settled.
    pub standing: Option<AgencyStanding>,
    pub groups_766: Vec<GroupScore>,
}

/// A period's statistics in every cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatisticsReport {
    pub filter: StatsFilter,
    pub total: Summary,
    pub by_agency: Vec<Named>,
    pub by_field: Vec<Named>,
    pub by_channel: Vec<Named>,
    pub by_month: Vec<Named>,
    /// Each agency's own steps against their deadlines (liên thông included).
    pub steps_by_agency: Vec<super::AgencySteps>,
    pub evaluation: Evaluation,
    /// The citizens' ratings given in the period (how many, how many satisfied, and the
    /// scores per criterion), which the evaluation reads.
    pub ratings: crate::RatingSummary,
}

fn channel_name(key: &str) -> &'static str {
    match key {
        "online" => "Trực tuyến",
        "counter" => "Trực tiếp",
        "post" => "Bưu chính",
        _ => "Khác",
    }
}

fn month_name(key: &str) -> String {
    match (key.get(..4), key.get(4..)) {
        (Some(y), Some(m)) => format!("{m}/{y}"),
        _ => key.to_string(),
    }
}

fn named(rows: Vec<CutRow>, name: impl Fn(&str) -> String) -> Vec<Named> {
    rows.into_iter()
        .map(|r| Named {
            name: name(&r.key),
            summary: r.figures.into(),
            key: r.key,
        })
        .collect()
}

impl super::Statistics<'_> {
    /// The report of `filter`'s period: the total, by agency, field, channel and month, and
    /// the evaluation of the total, read from the field-wide counter rows. With `detail` from
    /// the per-procedure rows instead, which also gives the 766 figure that counts procedures
    /// (slower on a large province).
    pub async fn statistics_report(
        self,
        filter: &StatsFilter,
        detail: bool,
    ) -> Result<StatisticsReport, DbError> {
        let agencies: HashMap<String, String> = self
            .db
            .agencies()
            .all()
            .await?
            .into_iter()
            .map(|a| (a.id.to_string(), a.name))
            .collect();
        let catalogue = self.db.catalogue().procedures(None, None, None).await?;
        let fields: HashMap<String, String> = catalogue
            .iter()
            .map(|p| (p.field_code.clone(), p.field_name.clone()))
            .collect();
        // One pass over the counters by key gives the agency, field and channel cuts.
        let mut agency_map: BTreeMap<String, Figures> = BTreeMap::new();
        let mut field_map: BTreeMap<String, Figures> = BTreeMap::new();
        let mut channel_map: BTreeMap<String, Figures> = BTreeMap::new();
        let mut online_procedures: HashSet<String> = HashSet::new();
        let mut paid_procedures: HashSet<String> = HashSet::new();
        let field_of: HashMap<&str, &str> = catalogue
            .iter()
            .map(|p| (p.code.as_str(), p.field_code.as_str()))
            .collect();
        let mut total = Figures::default();
        let cut = if detail { Cut::Key } else { Cut::FieldKey };
        for row in self.cuts(filter, cut).await? {
            let mut parts = row.key.splitn(3, '|');
            let (Some(agency), Some(procedure), Some(channel)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let f = &row.figures;
            total.add(f);
            agency_map.entry(agency.to_string()).or_default().add(f);
            // Detail rows name a procedure; the others already name the field.
            let field = if detail {
                field_of.get(procedure).copied().unwrap_or(procedure)
            } else {
                procedure
            };
            field_map.entry(field.to_string()).or_default().add(f);
            channel_map.entry(channel.to_string()).or_default().add(f);
            if channel == "online" && f.received > 0 {
                online_procedures.insert(procedure.to_string());
            }
            if f.paid_online > 0 {
                paid_procedures.insert(procedure.to_string());
            }
        }
        let cut = |map: BTreeMap<String, Figures>| -> Vec<CutRow> {
            map.into_iter()
                .map(|(key, figures)| CutRow { key, figures })
                .collect()
        };
        let by_agency = cut(agency_map);
        let by_channel = cut(channel_map);
        let by_field = cut(field_map);
        let mut counted = Procedures {
            online_used: detail.then_some(online_procedures.len() as i64),
            ..Procedures::default()
        };
        let mut fee_procedures = HashSet::new();
        for p in &catalogue {
            if filter
                .field_code
                .as_ref()
                .is_some_and(|f| *f != p.field_code)
                || filter.procedure_code.as_ref().is_some_and(|c| *c != p.code)
            {
                continue;
            }
            if let Some(stored) = self.db.catalogue().procedure(&p.code).await? {
                counted.all += 1;
                if stored.procedure.online_level != OnlineLevel::Information {
                    counted.online += 1;
                }
                if stored
                    .procedure
                    .cases
                    .iter()
                    .any(|c| c.fees.iter().any(|f| f.amount_vnd > 0))
                {
                    fee_procedures.insert(p.code.clone());
                }
            }
        }
        let online = by_channel
            .iter()
            .find(|r| r.key == "online")
            .map(|r| r.figures)
            .unwrap_or_default();
        let day_start = crate::days::day_start;
        let ratings = self
            .db
            .ratings()
            .rating_summary(
                filter.agency_id,
                filter.procedure_code.as_deref(),
                day_start(filter.from),
                day_start(filter.to.succ_opt().unwrap_or(filter.to)),
            )
            .await?;
        counted.with_fees = fee_procedures.len() as i64;
        counted.with_fees_paid_online = detail.then(|| {
            paid_procedures
                .iter()
                .filter(|p| fee_procedures.contains(*p))
                .count() as i64
        });
        let feedback = self
            .db
            .support()
            .feedback_tally(
                filter.agency_id,
                filter.procedure_code.as_deref(),
                filter.from,
                filter.to,
                crate::rows::instant(crate::now_seconds())?,
            )
            .await?;
        let evaluation = evaluate(&total, &online, &counted, &ratings, &feedback);
        Ok(StatisticsReport {
            filter: filter.clone(),
            total: total.into(),
            by_agency: named(by_agency, |k| {
                agencies.get(k).cloned().unwrap_or_else(|| k.to_string())
            }),
            by_field: named(by_field, |k| {
                fields.get(k).cloned().unwrap_or_else(|| k.to_string())
            }),
            by_channel: named(by_channel, |k| channel_name(k).to_string()),
            by_month: named(self.by_month(filter).await?, month_name),
            steps_by_agency: self.step_outcomes(filter).await?,
            evaluation,
            ratings,
        })
    }
}

impl super::Statistics<'_> {
    /// The period month by month, each month (cut to the period) read as a period of its
    /// own, so its carried-over, in-progress, paused and overdue figures are those at its
    /// own start and end. A period of more than ten years gives the months' sums only.
    async fn by_month(self, filter: &StatsFilter) -> Result<Vec<CutRow>, DbError> {
        use chrono::Datelike;
        let months = (filter.to.year() - filter.from.year()) * 12 + filter.to.month() as i32
            - filter.from.month() as i32;
        if months > 120 {
            return self.cuts(filter, Cut::Month).await;
        }
        let mut out = Vec::new();
        let mut start = filter.from;
        while start <= filter.to {
            let next = start
                .with_day(1)
                .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
                .unwrap_or(filter.to.succ_opt().unwrap_or(filter.to));
            let end = next.pred_opt().unwrap_or(next).min(filter.to);
            let month = StatsFilter {
                from: start,
                to: end,
                ..filter.clone()
            };
            let figures = self.statistics_total(&month).await?;
            if figures != Figures::default() {
                out.push(CutRow {
                    key: format!("{:04}{:02}", start.year(), start.month()),
                    figures,
                });
            }
            if next <= start {
                break;
            }
            start = next;
        }
        Ok(out)
    }
}

/// The unit's procedures as the evaluation counts them.
#[derive(Debug, Clone, Copy, Default)]
struct Procedures {
    all: i64,
    /// Offered online (partly or fully).
    online: i64,
    /// Of those, with an online dossier in the period (`None` without the detail).
    online_used: Option<i64>,
    /// Charging a fee in some case, and of those with an online payment in the period.
    with_fees: i64,
    with_fees_paid_online: Option<i64>,
}

/// Chỉ số 1 from the counters: (2 × early + 1 × on time + 0 × late or re-dated) / resolved;
/// chỉ số 2: (2 × resolved with every agency early + 1 × the rest + 0 × with one late) / resolved;
/// chỉ số 3: (2 × resolved without a supplement request + 1 × with one) / resolved;
/// chỉ số 9 from the online figures; chỉ số 4 (agencies contacted) and 7 (staff attitude)
/// from the citizens' ratings in motcua; chỉ số 8 from the support desk's feedback; the
/// others need data motcua does not record.
fn evaluate(
    total: &Figures,
    online: &Figures,
    procedures: &Procedures,
    ratings: &crate::RatingSummary,
    feedback: &motcua_domain::support::Tally,
) -> Evaluation {
    let Procedures {
        all: procedures,
        online: procedures_online,
        online_used,
        with_fees,
        with_fees_paid_online,
    } = *procedures;
    let at = |i: usize, v: f64| {
        let mut s = IndicatorScores::default();
        s.0[i] = Some(v);
        s
    };
    let resolved = total.resolved();
    let per_dossier = [
        (at(0, 2.0), total.early as u64),
        (at(0, 1.0), total.on_time as u64),
        (at(0, 0.0), (total.late + total.apologised) as u64),
        (at(2, 2.0), (resolved - total.supplemented).max(0) as u64),
        (at(2, 1.0), total.supplemented as u64),
        (at(1, 2.0), total.steps_early as u64),
        (at(1, 0.0), total.steps_late as u64),
        (
            at(1, 1.0),
            (resolved - total.steps_early - total.steps_late).max(0) as u64,
        ),
    ];
    use motcua_domain::rating::Criterion;
    let from_ratings = [(3, Criterion::Agencies), (6, Criterion::Attitude)]
        .into_iter()
        .filter_map(|(i, c)| {
            let (sum, n) = ratings.criteria.get(&c).copied()?;
            (n > 0).then(|| (at(i, sum as f64 / n as f64), n as u64))
        });
    let per_dossier: Vec<(IndicatorScores, u64)> =
        per_dossier.into_iter().chain(from_ratings).collect();
    let mut unit = IndicatorScores::default();
    if total.received > 0 && procedures > 0 {
        unit.0[8] = Some(online_indicator(&OnlineUnit {
            online_procedures_share: procedures_online as f64 / procedures as f64,
            online_share: total.online_share().unwrap_or(0.0),
            late_online: online.late + online.apologised + online.overdue_at_end,
        }));
    }
    // Chỉ số 8 from the feedback and petitions the desk recorded (2 with none).
    unit.0[7] = Some(motcua_domain::support::feedback_indicator(feedback));
    let indicators = unit_scores(per_dossier, &unit);
    Evaluation {
        standing: agency_class(&indicators),
        indicators,
        groups_766: score_766(&Inputs766 {
            carried_over: total.carried_over,
            received: total.received,
            accepted: total.accepted,
            accepted_online: total.accepted_online,
            in_progress_on_time: total.in_progress_on_time(),
            early: total.early,
            on_time: total.on_time,
            refused: total.refused,
            withdrawn: total.withdrawn,
            resolved: total.resolved(),
            e_result: total.e_result,
            digitised: total.digitised,
            procedures,
            procedures_online,
            procedures_online_used: online_used,
            ratings: ratings.count,
            ratings_satisfied: ratings.satisfied,
            synced: total.synced,
            fee_procedures: with_fees,
            fee_procedures_paid_online: with_fees_paid_online,
            fee_bearing: total.fee_bearing,
            paid_online: total.paid_online,
            reused: total.reused,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_from_the_counts() {
        let f = Figures {
            early: 7,
            on_time: 5,
            late: 3,
            apologised: 2,
            supplemented: 4,
            steps_early: 5,
            steps_late: 2,
            received: 20,
            received_online: 8,
            accepted: 20,
            accepted_online: 8,
            ..Figures::default()
        };
        let e = evaluate(
            &f,
            &Figures::default(),
            &Procedures {
                all: 10,
                online: 5,
                online_used: Some(3),
                ..Procedures::default()
            },
            &crate::RatingSummary::default(),
            &motcua_domain::support::Tally::default(),
        );
        // Chỉ số 1 = (7 × 2 + 5) / 17 = 1.1; chỉ số 3 = (13 × 2 + 4 × 1) / 17 = 1.8.
        assert_eq!(e.indicators.0[0], Some(1.1));
        assert_eq!(e.indicators.0[2], Some(1.8));
        // Chỉ số 2 = (5 × 2 + 10 × 1 + 2 × 0) / 17 = 1.2.
        assert_eq!(e.indicators.0[1], Some(1.2));
        // Chỉ số 9: 5 of 10 procedures online, 40 % of dossiers online, none late: 2.
        assert_eq!(e.indicators.0[8], Some(2.0));
        // Chỉ số 8: no feedback recorded, full points.
        assert_eq!(e.indicators.0[7], Some(2.0));
        // 1.1 + 1.2 + 1.8 + 2 + 2 = 8.1 from five indicators; the four without data could add
        // 8 more: between Trung bình and Xuất sắc, not settled.
        let standing = e.standing.unwrap();
        assert_eq!((standing.points, standing.reachable), (8.1, 16.1));
        assert_eq!(standing.class, None);
    }
}
