//! Hand-computed cases for the TT 01 and 766 formulas.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::calendar::{DeadlinePolicy, Instant, Outcome, SuspensionPolicy, TimeLimit};
use crate::dossier::{Apology, DossierState, Status, Supplement};

fn at(text: &str) -> Instant {
    chrono::DateTime::parse_from_rfc3339(&format!("{text}T10:00:00+07:00")).unwrap()
}

fn resolved(due: &str, finished: &str) -> DossierState {
    DossierState {
        status: Status::Returned,
        policy: DeadlinePolicy {
            limit: TimeLimit::WorkingDays(7),
            cutoff: None,
            suspension: SuspensionPolicy::Restart,
            apology_cap: None,
        },
        steps: vec![],
        step: 0,
        current_agency: 1,
        assignee: None,
        received_at: at("2026-03-02"),
        accepted_at: Some(at("2026-03-02")),
        clock_start: Some(at("2026-03-02")),
        due: Some(at(due)),
        step_started_at: at("2026-03-02"),
        step_due: None,
        supplement: None,
        payment: None,
        apology: None,
        consultations: vec![],
        finished_at: Some(at(finished)),
        outcome: None,
        handover: None,
        reason: None,
        rejected: false,
        step_tally: Default::default(),
        due_record: Vec::new(),
        digitised_at: None,
    }
}

#[test]
fn dossier_indicators() {
    let early = resolved("2026-03-11", "2026-03-05");
    let s = score_dossier(&early, &[Outcome::Early, Outcome::Early]).unwrap();
    assert_eq!(&s.0[..3], &[Some(2.0), Some(2.0), Some(2.0)]);
    assert_eq!(s.0[3..], [None; 6]);

    let mut late = resolved("2026-03-11", "2026-03-12");
    late.supplement = Some(Supplement {
        requested_at: at("2026-03-03"),
        missing: vec!["x".into()],
        reason: "y".into(),
        resume_status: Status::Processing,
        resume_step: 1,
        received_at: Some(at("2026-03-04")),
        due_before: None,
        submitted_at: None,
    });
    let s = score_dossier(&late, &[Outcome::Early, Outcome::OnTime]).unwrap();
    assert_eq!(&s.0[..3], &[Some(0.0), Some(1.0), Some(1.0)]);
    let s = score_dossier(&late, &[Outcome::Early, Outcome::Late]).unwrap();
    assert_eq!(s.0[1], Some(0.0));

    // Re-dated by an apology and resolved by the new date: still judged on the first one.
    let mut redated = resolved("2026-03-18", "2026-03-16");
    redated.apology = Some(Apology {
        reason: "r".into(),
        previous_due: at("2026-03-11"),
        new_due: at("2026-03-18"),
        proposed_by: 1,
        proposed_at: at("2026-03-09"),
        approved_by: Some(2),
        approved_at: Some(at("2026-03-09")),
        issued_late: false,
    });
    assert_eq!(score_dossier(&redated, &[]).unwrap().0[0], Some(0.0));
    assert_eq!(score_dossier(&redated, &[]).unwrap().0[1], None);

    let mut open = early.clone();
    open.status = Status::Processing;
    assert!(score_dossier(&open, &[]).is_none());
}

#[test]
fn unit_average_score_and_class() {
    // 7 early, 5 on time, 3 late: chỉ số 1 = (7×2 + 5×1 + 0) / 15 = 1.27 → 1.3.
    let one = |v| IndicatorScores([Some(v), None, None, None, None, None, None, None, None]);
    let unit_level = IndicatorScores([None, None, None, None, None, None, None, None, Some(2.0)]);
    let u = unit_scores([(one(2.0), 7), (one(1.0), 5), (one(0.0), 3)], &unit_level);
    assert_eq!(u.0[0], Some(1.3));
    assert_eq!(u.0[8], Some(2.0));
    assert_eq!((u.total(), u.max()), (3.3, 4.0));
    // Two of nine indicators: 3.3 points, not brought to the 18-point scale; the seven
    // without data could add 14, so the class lies between Yếu and Xuất sắc, unsettled.
    let standing = agency_class(&u).unwrap();
    assert_eq!(
        (standing.points, standing.computed, standing.reachable),
        (3.3, 2, 17.3)
    );
    assert_eq!(standing.class, None);
    assert_eq!(
        (standing.lowest, standing.highest),
        (AgencyClass::Weak, AgencyClass::Excellent)
    );
    // Eight indicators at 2 already make 16: Xuất sắc whatever the ninth scores.
    let mut eight = IndicatorScores([Some(2.0); 9]);
    eight.0[4] = None;
    assert_eq!(
        agency_class(&eight).unwrap().class,
        Some(AgencyClass::Excellent)
    );
    let all = IndicatorScores([Some(2.0); 9]);
    let standing = agency_class(&all).unwrap();
    assert_eq!(
        (standing.points, standing.class),
        (18.0, Some(AgencyClass::Excellent))
    );
    // Boundaries: 15 is Xuất sắc (not "> 15"), 12 Tốt, 9 Khá, 6 Trung bình, below Yếu.
    let nine = |total: f64| {
        let each = total / 9.0;
        IndicatorScores([Some(each); 9])
    };
    assert_eq!(
        agency_class(&nine(15.0)).unwrap().lowest,
        AgencyClass::Excellent
    );
    assert_eq!(agency_class(&nine(14.9)).unwrap().lowest, AgencyClass::Good);
    assert_eq!(agency_class(&nine(12.0)).unwrap().lowest, AgencyClass::Good);
    assert_eq!(agency_class(&nine(9.0)).unwrap().lowest, AgencyClass::Fair);
    assert_eq!(
        agency_class(&nine(6.0)).unwrap().lowest,
        AgencyClass::Average
    );
    assert_eq!(agency_class(&nine(5.9)).unwrap().lowest, AgencyClass::Weak);
    assert_eq!(agency_class(&IndicatorScores::default()), None);
}

#[test]
fn officer_score() {
    // Chỉ số 1, 2, 3 = 2, 1, 2 (4 and 7 without data): 5 of 6 → 8.3 of 10: full duty.
    let s = IndicatorScores([
        Some(2.0),
        Some(1.0),
        Some(2.0),
        None,
        None,
        None,
        None,
        None,
        None,
    ]);
    assert_eq!(officer_duty(&s), Some((8.3, OfficerDuty::Full)));
    let all = |v| IndicatorScores([Some(v); 9]);
    // Five indicators at 0.8: 4 of 10.
    assert_eq!(officer_duty(&all(0.8)), Some((4.0, OfficerDuty::Partial)));
    assert_eq!(officer_duty(&all(1.0)), Some((5.0, OfficerDuty::Full)));
    assert_eq!(officer_duty(&all(0.6)), Some((3.0, OfficerDuty::Under)));
}

#[test]
fn online_indicator_bands() {
    let u = |p, s, l| OnlineUnit {
        online_procedures_share: p,
        online_share: s,
        late_online: l,
    };
    assert_eq!(online_indicator(&u(0.25, 0.35, 0)), 2.0);
    assert_eq!(online_indicator(&u(0.25, 0.35, 1)), 0.0);
    assert_eq!(online_indicator(&u(0.25, 0.20, 0)), 1.0);
    assert_eq!(online_indicator(&u(0.10, 0.35, 0)), 1.0);
    assert_eq!(online_indicator(&u(0.90, 0.10, 0)), 0.0);
}

#[test]
fn groups_766() {
    let x = Inputs766 {
        carried_over: 0,
        received: 100,
        accepted: 100,
        accepted_online: 40,
        in_progress_on_time: 10,
        early: 50,
        on_time: 20,
        refused: 3,
        withdrawn: 2,
        resolved: 80,
        e_result: 20,
        digitised: 85,
        procedures: 10,
        procedures_online: 9,
        procedures_online_used: Some(6),
        ratings: 0,
        ratings_satisfied: 0,
        synced: 85,
        fee_procedures: 0,
        fee_procedures_paid_online: Some(0),
        fee_bearing: 0,
        paid_online: 0,
        reused: 34,
    };
    let g = score_766(&x);
    let score = |c: Group766| g.iter().find(|s| s.group == c).unwrap().score;
    // (10 + 50 + 20 + 3 + 2) / 100 × 20 = 17.
    assert_eq!(score(Group766::Tdgq), Some(17.0));
    // Over the same dossiers: 20 carried over and 10 received, 25 of them resolved on time
    // and 1 in progress on time: 26 / 30 × 20 = 17.3 (never 26 / 10, capped at 20).
    let carried = score_766(&Inputs766 {
        carried_over: 20,
        received: 10,
        in_progress_on_time: 1,
        early: 15,
        on_time: 10,
        refused: 0,
        withdrawn: 0,
        ..x
    });
    let tdgq = carried.iter().find(|s| s.group == Group766::Tdgq).unwrap();
    assert_eq!(tdgq.score, Some(17.3));
    assert!(tdgq.formula.contains("tồn kỳ trước + tiếp nhận trong kỳ"));
    // 9/10 ≥ 80 % → 2; 6/9 × 4 = 2.67; 40 % < 50 % → 3: 7.7.
    assert_eq!(score(Group766::Clgq), Some(7.7));
    // 20/80 × 6 = 1.5; 85 % ≥ 80 % → 4; 34 of the 85 digitised reused (40 % < 80 %) →
    // 1.6: 7.1 of the 12 points motcua can reach. With 68 of 85 reused (80 %): 7.5; with
    // none digitised, none to reuse: the lower mark.
    assert_eq!(score(Group766::Mdsh), Some(7.1));
    let mdsh = |x: &Inputs766| {
        score_766(x)
            .into_iter()
            .find(|s| s.group == Group766::Mdsh)
            .unwrap()
    };
    assert_eq!(mdsh(&Inputs766 { reused: 68, ..x }).score, Some(7.5));
    assert_eq!(mdsh(&x).computable_max, 12.0);
    assert_eq!(
        mdsh(&Inputs766 {
            digitised: 0,
            reused: 0,
            ..x
        })
        .score,
        Some(6.3)
    );
    // 85 of the 100 received synced to the portal: 85/100 × 6 = 5.1 (of the 6 points of
    // CKMB motcua can reach); none synced is a score of 0, not a missing one.
    assert_eq!(score(Group766::Ckmb), Some(5.1));
    let unsynced = score_766(&Inputs766 { synced: 0, ..x });
    let ckmb = unsynced.iter().find(|s| s.group == Group766::Ckmb).unwrap();
    assert_eq!((ckmb.score, ckmb.computable_max), (Some(0.0), 6.0));
    assert!(ckmb.formula.contains("đồng bộ"));
    for c in [Group766::Tttt, Group766::Mdhl] {
        let s = g.iter().find(|s| s.group == c).unwrap();
        assert_eq!(s.score, None, "{c:?} without data");
        assert!(!s.missing.is_empty());
    }
    // Online payment: 3 of 4 fee-charging procedures had an online payment (≥ 50 % → 2),
    // 12 of 50 fee-bearing dossiers paid online (24 % < 30 % → 0.9): 2.9 of the 8 points
    // motcua can reach; at 15 of 50 (30 %): 8. Without the per-procedure detail: none.
    let paying = Inputs766 {
        fee_procedures: 4,
        fee_procedures_paid_online: Some(3),
        fee_bearing: 50,
        paid_online: 12,
        ..x
    };
    let tttt = |x: &Inputs766| {
        score_766(x)
            .into_iter()
            .find(|s| s.group == Group766::Tttt)
            .unwrap()
    };
    assert_eq!(
        (tttt(&paying).score, tttt(&paying).computable_max),
        (Some(2.9), 8.0)
    );
    assert_eq!(
        tttt(&Inputs766 {
            paid_online: 15,
            ..paying
        })
        .score,
        Some(8.0)
    );
    assert_eq!(
        tttt(&Inputs766 {
            fee_procedures_paid_online: Some(1),
            ..paying
        })
        .score,
        Some(2.5)
    );
    let without = tttt(&Inputs766 {
        fee_procedures_paid_online: None,
        ..paying
    });
    assert_eq!(without.score, None);
    assert!(without.missing.contains("chi tiết theo thủ tục"));
    // With motcua's own ratings: 17 of 20 satisfied → 17/20 × 18 = 15.3.
    let rated = score_766(&Inputs766 {
        ratings: 20,
        ratings_satisfied: 17,
        ..x
    });
    let mdhl = rated.iter().find(|s| s.group == Group766::Mdhl).unwrap();
    assert_eq!(mdhl.score, Some(15.3));
    assert!(mdhl.formula.contains("× 18"));
    assert_eq!(g.iter().map(|s| s.max).sum::<f64>(), 100.0);
    assert!(
        score_766(&Inputs766::default())
            .iter()
            .all(|s| s.score.is_none())
    );
}

#[test]
fn an_officers_score_from_their_dossiers_and_ratings() {
    use crate::rating::{Criterion, Rating, Satisfaction};
    // Early with two early steps, no rating: 1 → 2, 2 → 2, 3 → 2.
    let mut a = resolved("2026-03-11", "2026-03-10");
    a.step_tally.early = 2;
    // Late with a late step, rated 1 for agencies and 0 for attitude.
    let mut b = resolved("2026-03-11", "2026-03-12");
    b.step_tally.late = 1;
    let rating = Rating {
        answers: [(Criterion::Agencies, 1u8), (Criterion::Attitude, 0u8)]
            .into_iter()
            .collect(),
        overall: Satisfaction::Dissatisfied,
        comment: None,
    };
    let s = officer_scores([(&a, None), (&b, Some(&rating))]);
    // Averages: 1 = (2 + 0) / 2, 2 = (2 + 0) / 2, 3 = 2, 4 = 1 (one rating), 7 = 0.
    assert_eq!(s.0[0], Some(1.0));
    assert_eq!(s.0[1], Some(1.0));
    assert_eq!(s.0[2], Some(2.0));
    assert_eq!(s.0[3], Some(1.0));
    assert_eq!(s.0[6], Some(0.0));
    // (1 + 1 + 2 + 1 + 0) × 10 / 10 = 5 points: 100 % of duty.
    assert_eq!(officer_duty(&s), Some((5.0, OfficerDuty::Full)));
}
