//! Statistics from the counters, on SQLite and PostgreSQL: dossiers with known outcomes built
//! through intake and transitions, the figures checked by hand and against a scan of every
//! dossier for many periods, and the backfill giving the same counters as the live writes.

use crate::common::*;
use chrono::NaiveDate;
use motcua_db::{Cut, Db, DossierFilter, DossierRecord, Figures, StatsFilter};
use motcua_domain::agency::Role;
use motcua_domain::calendar::Outcome;
use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{Action, Actor, ComponentForm, ReturnMethod, Status};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn period(from: &str, to: &str) -> StatsFilter {
    StatsFilter {
        from: date(from),
        to: date(to),
        agency_id: None,
        field_code: None,
        procedure_code: None,
        level: None,
        channel: None,
    }
}

/// Through the workflow to the result, approved at `approved`.
async fn resolve(db: &Db, p: &Province, d: DossierRecord, approved: &str) -> DossierRecord {
    let forward = || Action::Forward { note: None };
    let d = act(db, d, p.counter, forward(), "2026-03-02T09:00:00").await;
    let d = act(db, d, p.specialist, forward(), "2026-03-03T09:00:00").await;
    let d = act(db, d, p.unit_leader, forward(), "2026-03-04T09:00:00").await;
    act(db, d, p.director, Action::Approve { note: None }, approved).await
}

/// The figures computed from every stored dossier, each judged by the definitions (the
/// same judgement the lists of dossiers behind each figure use), not from the counters.
fn brute(all: &[DossierRecord], from: NaiveDate, to: NaiveDate) -> Figures {
    let mut f = Figures::default();
    for d in all {
        f += motcua_db::figures_of(d, from, to);
    }
    f
}

async fn all_dossiers(db: &Db) -> Vec<DossierRecord> {
    let mut out = Vec::new();
    let mut filter = DossierFilter {
        limit: Some(200),
        ..DossierFilter::default()
    };
    loop {
        let page = db.dossiers().list_dossiers(&filter).await.unwrap();
        out.extend(page.items);
        match page.next {
            Some(n) => filter.after = Some(n),
            None => return out,
        }
    }
}

/// Every page of `filter`, two at a time.
async fn pages(db: &Db, mut filter: DossierFilter) -> Vec<i64> {
    filter.limit = Some(2);
    let mut out = Vec::new();
    loop {
        let page = db.dossiers().list_dossiers(&filter).await.unwrap();
        assert!(page.items.len() <= 2);
        out.extend(page.items.iter().map(|d| d.id));
        match page.next {
            Some(n) => filter.after = Some(n),
            None => return out,
        }
    }
}

/// Each agency's queues (all, per status, per step role) list exactly the dossiers a scan
/// of every dossier picks, in appointment order, page after page.
async fn queues_match(db: &Db, all: &[DossierRecord]) {
    let order = |d: &&DossierRecord| (d.due_at.map_or(i64::MAX, |t| t.timestamp()), d.id);
    let agencies: std::collections::BTreeSet<i64> =
        all.iter().map(|d| d.current_agency_id).collect();
    let mut checked = std::collections::BTreeSet::new();
    for agency in agencies {
        let mine: Vec<&DossierRecord> = all
            .iter()
            .filter(|d| d.current_agency_id == agency)
            .collect();
        let expect = |keep: &dyn Fn(&DossierRecord) -> bool| {
            let mut picked: Vec<&DossierRecord> =
                mine.iter().copied().filter(|d| keep(d)).collect();
            picked.sort_by_key(order);
            picked.iter().map(|d| d.id).collect::<Vec<_>>()
        };
        let filter = DossierFilter {
            agency_id: Some(agency),
            ..DossierFilter::default()
        };
        assert_eq!(pages(db, filter.clone()).await, expect(&|_| true));
        for code in 1..=10 {
            let status = Status::from_code(code).unwrap();
            let got = pages(
                db,
                DossierFilter {
                    status: Some(status),
                    ..filter.clone()
                },
            )
            .await;
            assert_eq!(got, expect(&|d| d.status == status), "{status:?}");
            if !got.is_empty() {
                checked.insert(status.is_final());
            }
        }
        for role in [
            Role::CounterOfficer,
            Role::Specialist,
            Role::UnitLeader,
            Role::AgencyLeader,
        ] {
            let got = pages(
                db,
                DossierFilter {
                    step_role: Some(role),
                    ..filter.clone()
                },
            )
            .await;
            assert_eq!(
                got,
                expect(&|d| d.state.waiting_role() == Some(role)),
                "{role:?}"
            );
        }
    }
    assert_eq!(checked.len(), 2, "both open and ended dossiers were listed");
    // The receiving counters' queues: what each received, wherever it is held now.
    let receiving: std::collections::BTreeSet<i64> =
        all.iter().map(|d| d.receiving_agency_id).collect();
    let mut listed = 0;
    for agency in receiving {
        for status in motcua_db::RECEIVING_STATUSES {
            let got = pages(
                db,
                DossierFilter {
                    receiving_agency_id: Some(agency),
                    status: Some(status),
                    ..DossierFilter::default()
                },
            )
            .await;
            let mut picked: Vec<&DossierRecord> = all
                .iter()
                .filter(|d| d.receiving_agency_id == agency && d.status == status)
                .collect();
            picked.sort_by_key(order);
            assert_eq!(
                got,
                picked.iter().map(|d| d.id).collect::<Vec<_>>(),
                "{status:?}"
            );
            listed += got.len();
        }
        let refused = db
            .dossiers()
            .list_dossiers(&DossierFilter {
                receiving_agency_id: Some(agency),
                status: Some(Status::Processing),
                ..DossierFilter::default()
            })
            .await;
        assert!(refused.is_err(), "only the counter's statuses");
    }
    assert!(listed > 0, "some dossier waited at a counter's statuses");
}

async fn known_outcomes(engine: &str) {
    let Some((db, url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;

    // Received in February, still open through March: carried over, then overdue.
    receive(&db, &p, "2026-02-24T08:00:00").await;
    // Due 2026-03-11 08:00 (seven working days).
    for _ in 0..7 {
        let d = receive(&db, &p, "2026-03-02T08:00:00").await;
        resolve(&db, &p, d, "2026-03-05T10:00:00").await;
    }
    // On the appointment's date, not past its printed minute: on time.
    for _ in 0..5 {
        let d = receive(&db, &p, "2026-03-02T08:00:00").await;
        resolve(&db, &p, d, "2026-03-11T07:45:00").await;
    }
    for _ in 0..3 {
        let d = receive(&db, &p, "2026-03-02T08:00:00").await;
        let d = resolve(&db, &p, d, "2026-03-13T10:00:00").await;
        assert_eq!(d.outcome, Some(Outcome::Late));
    }
    for _ in 0..2 {
        let d = receive(&db, &p, "2026-03-02T08:00:00").await;
        let d = act(
            &db,
            d,
            p.counter,
            Action::Forward { note: None },
            "2026-03-02T09:00:00",
        )
        .await;
        let d = act(
            &db,
            d,
            p.specialist,
            Action::ProposeApology {
                reason: "Chờ xác minh".into(),
                new_due: at("2026-03-18T16:00:00"),
            },
            "2026-03-09T09:00:00",
        )
        .await;
        let d = act(
            &db,
            d,
            p.director,
            Action::ApproveApology,
            "2026-03-09T10:00:00",
        )
        .await;
        let d = act(
            &db,
            d,
            p.specialist,
            Action::Forward { note: None },
            "2026-03-10T09:00:00",
        )
        .await;
        let d = act(
            &db,
            d,
            p.unit_leader,
            Action::Forward { note: None },
            "2026-03-11T09:00:00",
        )
        .await;
        let d = act(
            &db,
            d,
            p.director,
            Action::Approve { note: None },
            "2026-03-16T10:00:00",
        )
        .await;
        assert!(d.apologised);
        act(
            &db,
            d,
            p.counter,
            Action::Return {
                method: ReturnMethod::Online,
                tracking: None,
            },
            "2026-03-16T15:00:00",
        )
        .await;
    }
    // One filed online and refused at reception.
    let mut online = intake("Phạm Văn Nam");
    online.channel = Channel::Online;
    online.components[0].form = ComponentForm::Electronic;
    let d = db
        .dossiers()
        .intake(
            online,
            CENTRE,
            &Actor::Citizen { owner: true },
            &CALENDAR,
            at("2026-03-03T20:00:00"),
        )
        .await
        .unwrap();
    assert_eq!(d.status, Status::Submitted);
    act(
        &db,
        d,
        p.counter,
        Action::RefuseIntake {
            reason: "Không thuộc thẩm quyền".into(),
        },
        "2026-03-04T08:00:00",
    )
    .await;
    // Withdrawn, stopped, waiting for a supplement.
    let d = receive(&db, &p, "2026-03-02T08:00:00").await;
    act(
        &db,
        d,
        p.counter,
        Action::Withdraw { reason: None },
        "2026-03-04T08:00:00",
    )
    .await;
    let d = receive(&db, &p, "2026-03-02T08:00:00").await;
    let d = act(
        &db,
        d,
        p.counter,
        Action::Forward { note: None },
        "2026-03-02T09:00:00",
    )
    .await;
    act(
        &db,
        d,
        p.director,
        Action::Stop {
            reason: "Đối tượng không đủ điều kiện".into(),
        },
        "2026-03-06T08:00:00",
    )
    .await;
    let d = receive(&db, &p, "2026-03-02T08:00:00").await;
    act(
        &db,
        d,
        p.counter,
        Action::RequestSupplement {
            missing: vec!["Bản sao thẻ Căn cước".into()],
            reason: "Thiếu giấy tờ".into(),
        },
        "2026-03-03T08:00:00",
    )
    .await;
    // Never touched: overdue at the end of March. Received late in March: on time.
    for _ in 0..2 {
        receive(&db, &p, "2026-03-02T08:00:00").await;
    }
    for _ in 0..2 {
        receive(&db, &p, "2026-03-25T08:00:00").await;
    }

    let march = db
        .statistics()
        .statistics_total(&period("2026-03-01", "2026-03-31"))
        .await
        .unwrap();
    assert_eq!(
        (march.early, march.on_time, march.late, march.apologised),
        (7, 5, 3, 2)
    );
    assert_eq!(march.resolved(), 17);
    assert_eq!(
        (
            march.refused,
            march.withdrawn,
            march.stopped,
            march.apologies
        ),
        (1, 1, 1, 2)
    );
    assert_eq!(march.carried_over, 1);
    assert_eq!(
        (
            march.received,
            march.received_online,
            march.received_counter
        ),
        (25, 1, 24)
    );
    assert_eq!(march.digitised, 1);
    assert_eq!(march.e_result, 2);
    assert_eq!(march.open_at_end, 6);
    assert_eq!(
        (
            march.paused_at_end,
            march.overdue_at_end,
            march.in_progress_on_time()
        ),
        (1, 3, 2)
    );
    // Balance: carried over + received − finished = open at the end.
    assert_eq!(march.carried_over + march.received - 20, march.open_at_end);
    assert_eq!(march.on_time_rate(), Some(12.0 / 17.0));

    let feb = db
        .statistics()
        .statistics_total(&period("2026-02-01", "2026-02-28"))
        .await
        .unwrap();
    assert_eq!(
        (feb.received, feb.open_at_end, feb.overdue_at_end),
        (1, 1, 0)
    );

    // Cuts add up to the total; an agency filter keeps its sub-tree only.
    let by_channel = db
        .statistics()
        .cuts(&period("2026-03-01", "2026-03-31"), Cut::Channel)
        .await
        .unwrap();
    assert_eq!(by_channel.len(), 2);
    assert_eq!(
        by_channel.iter().map(|r| r.figures.received).sum::<i64>(),
        25
    );
    let months = db
        .statistics()
        .cuts(&period("2026-02-01", "2026-03-31"), Cut::Month)
        .await
        .unwrap();
    let keys: Vec<&str> = months.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["202602", "202603"]);
    assert_eq!(months[1].figures.early, 7);
    assert_eq!(months[1].figures.received_online, 1);
    // With a field filter the months come from the per-procedure rows: the same figures.
    let mut by_field = period("2026-02-01", "2026-03-31");
    by_field.field_code = Some("ly-lich-tu-phap".into());
    assert_eq!(
        db.statistics().cuts(&by_field, Cut::Month).await.unwrap(),
        months
    );
    let mut mid = period("2026-02-25", "2026-03-12");
    let partial = db.statistics().cuts(&mid, Cut::Month).await.unwrap();
    mid.field_code = Some("ly-lich-tu-phap".into());
    assert_eq!(
        db.statistics().cuts(&mid, Cut::Month).await.unwrap(),
        partial
    );
    assert_eq!(
        partial.iter().map(|r| r.figures.received).sum::<i64>(),
        db.statistics()
            .statistics_total(&mid)
            .await
            .unwrap()
            .received
    );
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    let finance = db
        .agencies()
        .agency_by_code(FINANCE)
        .await
        .unwrap()
        .unwrap();
    let root = db
        .agencies()
        .agency_by_code(PROVINCE)
        .await
        .unwrap()
        .unwrap();
    let mut f = period("2026-03-01", "2026-03-31");
    f.agency_id = Some(justice.id);
    assert_eq!(db.statistics().statistics_total(&f).await.unwrap(), march);
    f.agency_id = Some(root.id);
    assert_eq!(db.statistics().statistics_total(&f).await.unwrap(), march);
    f.agency_id = Some(finance.id);
    assert_eq!(
        db.statistics().statistics_total(&f).await.unwrap(),
        Figures::default()
    );
    let by_agency = db
        .statistics()
        .cuts(&period("2026-03-01", "2026-03-31"), Cut::Agency)
        .await
        .unwrap();
    assert_eq!(by_agency.len(), 1);
    assert_eq!(by_agency[0].key, justice.id.to_string());

    // The report, from the field-wide rows and from the per-procedure ones: the same.
    let lean = db
        .statistics()
        .statistics_report(&period("2026-03-01", "2026-03-31"), false)
        .await
        .unwrap();
    let full = db
        .statistics()
        .statistics_report(&period("2026-03-01", "2026-03-31"), true)
        .await
        .unwrap();
    assert_eq!(
        (
            &lean.total,
            &lean.by_agency,
            &lean.by_field,
            &lean.by_channel,
            &lean.by_month
        ),
        (
            &full.total,
            &full.by_agency,
            &full.by_field,
            &full.by_channel,
            &full.by_month
        )
    );
    let mut by_field = period("2026-03-01", "2026-03-31");
    by_field.field_code = Some("ly-lich-tu-phap".into());
    assert_eq!(
        db.statistics().statistics_total(&by_field).await.unwrap(),
        march
    );
    by_field.field_code = Some("khac".into());
    assert_eq!(
        db.statistics().statistics_total(&by_field).await.unwrap(),
        Figures::default()
    );
    let mut by_procedure = period("2026-03-01", "2026-03-31");
    by_procedure.procedure_code = Some("2.000488".into());
    assert_eq!(
        db.statistics()
            .statistics_total(&by_procedure)
            .await
            .unwrap(),
        march
    );

    // The report: the same numbers in every cut, and the evaluation from them.
    let report = db
        .statistics()
        .statistics_report(&period("2026-03-01", "2026-03-31"), true)
        .await
        .unwrap();
    assert_eq!(report.total.figures, march);
    assert_eq!(report.by_agency[0].name, "Sở Tư pháp");
    assert_eq!(report.by_field[0].name, "Lý lịch tư pháp");
    assert_eq!(report.by_month[0].name, "03/2026");
    // Chỉ số 1 = (7 × 2 + 5 × 1) / 17 = 1.1.
    assert_eq!(report.evaluation.indicators.0[0], Some(1.1));
    // Chỉ số 2 from each resolved dossier's step tally: (2 × all early + 1 × the rest + 0 ×
    // any late) / resolved, the same figures as a count over the dossiers themselves.
    let (early_all, late_any) = (march.steps_early, march.steps_late);
    let resolved = march.early + march.on_time + march.late + march.apologised;
    assert!(early_all + late_any <= resolved);
    let expected = ((2 * early_all + (resolved - early_all - late_any)) as f64 / resolved as f64
        * 10.0)
        .round()
        / 10.0;
    assert_eq!(report.evaluation.indicators.0[1], Some(expected));

    // Each figure's list holds as many dossiers as the figure says.
    let f = period("2026-03-01", "2026-03-31");
    for (name, expected) in [
        ("carried_over", 1),
        ("received", 25),
        ("received_online", 1),
        ("early", 7),
        ("on_time", 5),
        ("late", 3),
        ("apologised", 2),
        ("refused", 1),
        ("overdue_at_end", 3),
        ("paused_at_end", 1),
        ("in_progress_on_time", 2),
    ] {
        let metric = motcua_db::Metric::parse(name).unwrap();
        let page = db
            .statistics()
            .statistics_dossiers(&f, metric, 0, 100)
            .await
            .unwrap();
        assert_eq!(page.items.len(), expected, "{name}");
        assert_eq!(page.next, None);
    }
    let two = db
        .statistics()
        .statistics_dossiers(&f, motcua_db::Metric::Early, 0, 2)
        .await
        .unwrap();
    let rest = db
        .statistics()
        .statistics_dossiers(&f, motcua_db::Metric::Early, two.next.unwrap(), 100)
        .await
        .unwrap();
    assert_eq!((two.items.len(), rest.items.len()), (2, 5));

    // Every period against a scan of every dossier.
    let all = all_dossiers(&db).await;
    queues_match(&db, &all).await;
    assert_eq!(all.len(), 26);
    let start = date("2026-02-20");
    let days: Vec<NaiveDate> = (0..45).map(|i| start + chrono::Days::new(i)).collect();
    for (i, from) in days.iter().enumerate() {
        for to in days[i..].iter().step_by(3) {
            let got = db
                .statistics()
                .statistics_total(&StatsFilter {
                    from: *from,
                    to: *to,
                    ..period("2026-03-01", "2026-03-01")
                })
                .await
                .unwrap();
            assert_eq!(got, brute(&all, *from, *to), "{from} – {to}");
        }
    }

    for (from, to) in [
        ("2026-01-01", "2026-12-31"),
        ("2026-02-01", "2026-04-30"),
        ("2025-12-15", "2026-03-10"),
        ("2026-03-01", "2026-03-31"),
        ("2026-02-15", "2026-03-31"),
        ("2026-03-11", "2026-05-02"),
    ] {
        let got = db
            .statistics()
            .statistics_total(&period(from, to))
            .await
            .unwrap();
        assert_eq!(got, brute(&all, date(from), date(to)), "{from} – {to}");
    }

    // The backfill computes what the writes kept.
    let before = db
        .statistics()
        .cuts(&period("2026-01-01", "2026-12-31"), Cut::Month)
        .await
        .unwrap();
    tamper(&url, "UPDATE stat_days SET received = received + 5").await;
    db.statistics().rebuild_statistics().await.unwrap();
    let after = db
        .statistics()
        .cuts(&period("2026-01-01", "2026-12-31"), Cut::Month)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(
        db.statistics()
            .statistics_total(&period("2026-03-01", "2026-03-31"))
            .await
            .unwrap(),
        march
    );
    db.close().await;
}

/// On SQLite each commit leaves its counter rows as one pending record; the writer adds
/// them up after 64 commits, and a statistics read has the rest added first.
async fn pending_counts(engine: &str) {
    let Some((db, url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    for _ in 0..70 {
        receive(&db, &p, "2026-03-02T08:00:00").await;
    }
    const PENDING: &str = "SELECT COUNT(*) FROM stat_pending";
    const RECEIVED: &str = "SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT) FROM stat_days WHERE scope = 0 AND day = 20260302";
    if engine == "sqlite" {
        // Each intake was a commit of its own: 64 added up by the writer, 6 pending.
        assert_eq!(number(&url, PENDING).await, 6);
        assert_eq!(number(&url, RECEIVED).await, 64);
    } else {
        // Each write's counter rows wait as one record, until something adds them up.
        assert_eq!(number(&url, PENDING).await, 70);
        assert_eq!(number(&url, RECEIVED).await, 0);
    }
    let total = db
        .statistics()
        .statistics_total(&period("2026-03-01", "2026-03-31"))
        .await
        .unwrap();
    assert_eq!(total.received, 70);
    assert_eq!(number(&url, PENDING).await, 0);
    assert_eq!(number(&url, RECEIVED).await, 70);
    // A rebuild starts over from the dossiers, pending records included. A damaged record
    // holds up no write, and a read names it until then.
    receive(&db, &p, "2026-03-02T08:00:00").await;
    {
        tamper(
            &url,
            if engine == "sqlite" {
                "UPDATE stat_pending SET rows = X'09'"
            } else {
                "UPDATE stat_pending SET rows = '\\x09'::bytea"
            },
        )
        .await;
        let e = db
            .statistics()
            .statistics_total(&period("2026-03-01", "2026-03-31"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("đếm chờ cộng hỏng"), "{e}");
        assert_eq!(number(&url, PENDING).await, 1);
    }
    db.statistics().rebuild_statistics().await.unwrap();
    assert_eq!(number(&url, PENDING).await, 0);
    assert_eq!(number(&url, RECEIVED).await, 71);
    db.close().await;
}

/// A closed month never changes, and a period's end states come from each dossier's
/// history then: one waiting for a payment at the end of April (already past its date when
/// asked) is paused, not overdue; one overdue in April and re-dated by a late apology in May
/// stays overdue in April. The public board, each dossier's own overdue test (the queue's
/// light) and the statistics agree on the same dossiers, by the one lateness rule.
async fn history_exact(engine: &str) {
    let Some((db, _url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let forward = || Action::Forward { note: None };
    let april = period("2026-04-01", "2026-04-30");
    let mut ids = Vec::new();
    // Paused at the end of April: asked to pay on 28/04, past its date already; paid in May.
    let paused = receive(&db, &p, "2026-04-01T08:00:00").await;
    let paused = act(&db, paused, p.counter, forward(), "2026-04-01T09:00:00").await;
    let due = paused.due_at.unwrap();
    assert!(due < at("2026-04-28T09:00:00"), "{due}");
    let paused = act(
        &db,
        paused,
        p.specialist,
        Action::RequestPayment {
            amount_vnd: 100_000,
            note: None,
        },
        "2026-04-28T09:00:00",
    )
    .await;
    ids.push(paused.id);
    // Overdue through April, then re-dated in May by an apology issued late.
    let redated = receive(&db, &p, "2026-04-01T08:00:00").await;
    let redated = act(&db, redated, p.counter, forward(), "2026-04-01T09:00:00").await;
    ids.push(redated.id);
    // Overdue through April, never touched.
    let idle = receive(&db, &p, "2026-04-01T08:00:00").await;
    ids.push(idle.id);
    // Due at 08:00 of its date and finished at 16:00 that day: late, and on the board from
    // 08:01 until it was finished.
    let same_day = receive(&db, &p, "2026-04-01T08:00:00").await;
    let due = same_day.due_at.unwrap();
    let board = db.dossiers().public_board(due, 100).await.unwrap();
    assert!(!board.overdue.iter().any(|e| e.code == same_day.code));
    let later = due + chrono::Duration::minutes(1);
    let board = db.dossiers().public_board(later, 100).await.unwrap();
    assert!(board.overdue.iter().any(|e| e.code == same_day.code));
    let same_day = act(&db, same_day, p.counter, forward(), "2026-04-01T09:00:00").await;
    let same_day = act(
        &db,
        same_day,
        p.specialist,
        forward(),
        "2026-04-02T09:00:00",
    )
    .await;
    let same_day = act(
        &db,
        same_day,
        p.unit_leader,
        forward(),
        "2026-04-03T09:00:00",
    )
    .await;
    let finish = (due + chrono::Duration::hours(8)).to_rfc3339();
    let same_day = act(
        &db,
        same_day,
        p.director,
        Action::Approve { note: None },
        &finish[..19],
    )
    .await;
    assert_eq!(same_day.outcome, Some(Outcome::Late));
    ids.push(same_day.id);

    // At the end of April: the board, each dossier's own test and the statistics agree.
    let end = at("2026-04-30T23:00:00");
    let board = db.dossiers().public_board(end, 100).await.unwrap();
    let mut on_board = Vec::new();
    for id in &ids {
        let d = db.dossiers().dossier(*id).await.unwrap().unwrap();
        let listed = board.overdue.iter().any(|e| e.code == d.code);
        assert_eq!(listed, d.state.overdue_at(end), "{}", d.code);
        if listed {
            on_board.push(d.code.clone());
        }
    }
    assert_eq!(on_board.len(), 2, "{on_board:?}");
    let before = db.statistics().statistics_total(&april).await.unwrap();
    assert_eq!(
        (
            before.overdue_at_end,
            before.paused_at_end,
            before.in_progress_on_time(),
            before.late
        ),
        (2, 1, 0, 1)
    );
    assert_eq!(before.overdue_at_end, board.overdue_total);

    // May: the payment arrives, the late apology is issued, the idle one resolved.
    let paused = db.dossiers().dossier(ids[0]).await.unwrap().unwrap();
    act(
        &db,
        paused,
        p.specialist,
        Action::ConfirmPayment,
        "2026-05-05T09:00:00",
    )
    .await;
    let redated = db.dossiers().dossier(ids[1]).await.unwrap().unwrap();
    let redated = act(
        &db,
        redated,
        p.specialist,
        Action::ProposeApology {
            reason: "Chờ ý kiến cơ quan phối hợp".into(),
            new_due: at("2026-05-12T16:00:00"),
        },
        "2026-05-04T09:00:00",
    )
    .await;
    let redated = act(
        &db,
        redated,
        p.director,
        Action::ApproveApology,
        "2026-05-04T10:00:00",
    )
    .await;
    assert_eq!(redated.state.apology.map(|a| a.issued_late), Some(true));
    let idle = db.dossiers().dossier(ids[2]).await.unwrap().unwrap();
    let idle = act(&db, idle, p.counter, forward(), "2026-05-06T09:00:00").await;
    let idle = act(&db, idle, p.specialist, forward(), "2026-05-06T10:00:00").await;
    let idle = act(&db, idle, p.unit_leader, forward(), "2026-05-06T11:00:00").await;
    act(
        &db,
        idle,
        p.director,
        Action::Approve { note: None },
        "2026-05-06T14:00:00",
    )
    .await;

    // April reads the same; the counters and the dossiers' own judgement agree.
    let after = db.statistics().statistics_total(&april).await.unwrap();
    assert_eq!(after, before);
    let all = all_dossiers(&db).await;
    assert_eq!(brute(&all, date("2026-04-01"), date("2026-04-30")), after);
    let may = db
        .statistics()
        .statistics_total(&period("2026-05-01", "2026-05-31"))
        .await
        .unwrap();
    assert_eq!(may, brute(&all, date("2026-05-01"), date("2026-05-31")));
    assert_eq!((may.apologies, may.apologies_late, may.late), (1, 1, 1));
    // Received and accepted are apart: four accepted at the counter in April.
    assert_eq!((after.received, after.accepted), (4, 4));
}

/// A paper component scanned at the counter makes the dossier digitised (not only those
/// filed online): counted on its received day, once, whether scanned at intake or later;
/// a transition racing the scan gets a conflict rather than losing it.
async fn scans_digitise(engine: &str) {
    let Some((db, _url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let d = receive(&db, &p, "2026-04-01T08:00:00").await;
    let month = period("2026-04-01", "2026-04-30");
    let before = db.statistics().statistics_total(&month).await.unwrap();
    assert_eq!((before.received, before.digitised), (1, 0));
    let scan = |name: &str| motcua_db::NewAttachment {
        document: None,
        reuses: None,
        component: Some(0),
        purpose: motcua_db::Purpose::Scan,
        name: name.into(),
        sha256: "0".repeat(64),
        size: 10,
        media_type: "application/pdf",
    };
    db.dossiers()
        .attach_files(
            d.id,
            &d.code,
            vec![scan("to-khai.pdf")],
            format!("staff:{}", p.counter),
            at("2026-04-01T08:10:00"),
        )
        .await
        .unwrap();
    db.dossiers()
        .attach_files(
            d.id,
            &d.code,
            vec![scan("cccd.pdf")],
            format!("staff:{}", p.counter),
            at("2026-04-01T08:20:00"),
        )
        .await
        .unwrap();
    let after = db.statistics().statistics_total(&month).await.unwrap();
    assert_eq!(
        (after.received, after.digitised, after.received_online),
        (1, 1, 0)
    );
    assert_eq!(after.digitised_share(), Some(1.0));
    let all = all_dossiers(&db).await;
    assert_eq!(brute(&all, date("2026-04-01"), date("2026-04-30")), after);
    // The scan moved the dossier's version: an action taken on the old one is refused.
    let stale = act_result(
        &db,
        d,
        p.counter,
        Action::Forward { note: None },
        "2026-04-01T09:00:00",
    )
    .await;
    assert!(
        matches!(stale, Err(motcua_db::DbError::Conflict { .. })),
        "{stale:?}"
    );
    db.statistics().rebuild_statistics().await.unwrap();
    assert_eq!(
        db.statistics().statistics_total(&month).await.unwrap(),
        after
    );
}

/// Liên thông: a dossier handed from the Justice department to the Finance department gets
/// the step's own time at Finance, and each agency's step is counted for that agency.
async fn hand_off_steps(engine: &str) {
    let Some((db, _url)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let finance = db
        .agencies()
        .agency_by_code(FINANCE)
        .await
        .unwrap()
        .unwrap();
    let justice = db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    let d = receive(&db, &p, "2026-04-01T08:00:00").await;
    let d = act(
        &db,
        d,
        p.counter,
        Action::Forward { note: None },
        "2026-04-01T09:00:00",
    )
    .await;
    let justice_due = d.state.step_due.unwrap();
    let d = act(
        &db,
        d,
        p.specialist,
        Action::HandOff {
            agency_id: finance.id,
            note: Some("Chuyển Sở Tài chính thẩm định".into()),
        },
        "2026-04-01T10:00:00",
    )
    .await;
    assert_eq!(d.current_agency_id, finance.id);
    assert!(
        d.state.step_due.unwrap() > justice_due,
        "its own time, from the hand-off"
    );
    act(
        &db,
        d,
        p.finance_specialist,
        Action::Forward { note: None },
        "2026-04-07T09:00:00",
    )
    .await;
    let steps = db
        .statistics()
        .step_outcomes(&period("2026-04-01", "2026-04-30"))
        .await
        .unwrap();
    let of = |id: i64| {
        steps
            .iter()
            .find(|s| s.agency_id == id)
            .map(|s| (s.early, s.on_time, s.late))
    };
    assert_eq!(of(justice.id), Some((1, 0, 0)), "{steps:?}");
    // Finance's own step ended past its own deadline.
    assert_eq!(of(finance.id), Some((0, 0, 1)), "{steps:?}");
    let report = db
        .statistics()
        .statistics_report(&period("2026-04-01", "2026-04-30"), true)
        .await
        .unwrap();
    assert_eq!(report.steps_by_agency, steps);
}

on_both!(
    known_outcomes,
    pending_counts,
    history_exact,
    scans_digitise,
    hand_off_steps
);
