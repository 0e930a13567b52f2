//! Payments on either engine: what is owed, a gateway's proof settling a payment and the
//! dossier's obligation in one transaction, at most once even when two proofs race, a wrong
//! amount and an unknown order refused, a decline recorded, and a counter payment that a
//! second recording on the same view cannot double.

use motcua_db::{Proof, Settled};
use motcua_domain::dossier::{Action, Status};
use motcua_domain::payment::{PaymentMethod, PaymentState};

use crate::common::*;

/// The period's fee-bearing and paid-online counts (QĐ 766), and as the dossier list reads
/// them.
async fn counted(db: &motcua_db::Db, day: &str, ids: &[i64]) -> (i64, i64, i64, i64) {
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let f = db
        .statistics()
        .statistics_total(&motcua_db::StatsFilter {
            from: day,
            to: day,
            agency_id: None,
            field_code: None,
            procedure_code: None,
            level: None,
            channel: None,
        })
        .await
        .unwrap();
    let mut listed = (0, 0);
    for id in ids {
        let d = db.dossiers().dossier(*id).await.unwrap().unwrap();
        let g = motcua_db::figures_of(&d, day, day);
        listed.0 += g.fee_bearing;
        listed.1 += g.paid_online;
    }
    (f.fee_bearing, f.paid_online, listed.0, listed.1)
}

/// A dossier received on 1/4 and asked on 2/4 for an obligation of `amount` đồng.
async fn awaiting(db: &motcua_db::Db, p: &Province, amount: i64) -> motcua_db::DossierRecord {
    let d = receive(db, p, "2026-04-01T08:00:00").await;
    let d = act(
        db,
        d,
        p.counter,
        Action::Forward { note: None },
        "2026-04-01T09:00:00",
    )
    .await;
    act(
        db,
        d,
        p.specialist,
        Action::RequestPayment {
            amount_vnd: amount,
            note: None,
        },
        "2026-04-02T09:00:00",
    )
    .await
}

fn proof(reference: &str, amount: i64, paid: bool) -> Proof {
    Proof {
        reference: reference.into(),
        amount_vnd: amount,
        paid,
        code: if paid { "00/00".into() } else { "24/02".into() },
        gateway_txn: "14270001".into(),
        bank_code: "NCB".into(),
    }
}

async fn payments_settle_once(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let d = awaiting(&db, &p, 300_000).await;
    let payments = db.payments();
    assert_eq!(payments.owed(&d).await.unwrap().total(), 300_000);
    let now = at("2026-04-02T10:00:00");

    // Declined, then refused proofs: nothing settles.
    let first = payments
        .open(&d, "vnpay", "staff:1", now.timestamp())
        .await
        .unwrap();
    assert_eq!(first.amount_vnd, 300_000);
    let declined = payments
        .settle_by_proof(
            "vnpay",
            &proof(&first.reference, 300_000, false),
            &CALENDAR,
            now,
        )
        .await
        .unwrap();
    assert!(matches!(declined, Settled::Failed(ref p) if p.state == PaymentState::Failed));
    let audit = db
        .audit()
        .audit_of("payment", &first.reference)
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "payment_failed"),
        "{audit:?}"
    );
    let second = payments
        .open(&d, "vnpay", "staff:1", now.timestamp())
        .await
        .unwrap();
    assert_ne!(second.reference, first.reference);
    let wrong = payments
        .settle_by_proof(
            "vnpay",
            &proof(&second.reference, 3_000, true),
            &CALENDAR,
            now,
        )
        .await
        .unwrap();
    assert!(matches!(wrong, Settled::WrongAmount(_)));
    let unknown = payments
        .settle_by_proof("vnpay", &proof("KHONG-CO", 300_000, true), &CALENDAR, now)
        .await
        .unwrap();
    assert_eq!(unknown, Settled::NotFound);
    let elsewhere = payments
        .settle_by_proof(
            "paygov",
            &proof(&second.reference, 300_000, true),
            &CALENDAR,
            now,
        )
        .await
        .unwrap();
    assert_eq!(elsewhere, Settled::NotFound, "another gateway's proof");

    // Two proofs at once: one settles, the other finds it settled.
    let good = proof(&second.reference, 300_000, true);
    let (a, b) = tokio::join!(
        payments.settle_by_proof("vnpay", &good, &CALENDAR, now),
        payments.settle_by_proof("vnpay", &good, &CALENDAR, now)
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, Settled::Confirmed(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| matches!(o, Settled::AlreadySettled(_)))
            .count(),
        1,
        "{outcomes:?}"
    );
    let after = db.dossiers().dossier(d.id).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Processing);
    assert!(after.state.payment.as_ref().unwrap().paid_at.is_some());
    let history = db.dossiers().history(d.id).await.unwrap();
    let confirms: Vec<_> = history
        .iter()
        .filter(|h| h.action == "confirm_payment")
        .collect();
    assert_eq!(confirms.len(), 1);
    assert_eq!(confirms[0].actor_kind, "gateway");
    assert_eq!(payments.owed(&after).await.unwrap().total(), 0);
    // Counted once as fee-bearing and paid online, on the day it was received; another
    // dossier without fees counts for neither; the list agrees, and so does a rebuild.
    let plain = receive(&db, &p, "2026-04-01T10:00:00").await;
    let ids = [d.id, plain.id];
    assert_eq!(counted(&db, "2026-04-01", &ids).await, (1, 1, 1, 1));
    db.statistics().rebuild_statistics().await.unwrap();
    assert_eq!(counted(&db, "2026-04-01", &ids).await, (1, 1, 1, 1));
    // Nothing left: a new payment is refused.
    assert!(
        payments
            .open(&after, "vnpay", "staff:1", now.timestamp())
            .await
            .is_err()
    );
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{:?}", report.first_broken);
}

async fn counter_payments_record_once(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let d = awaiting(&db, &p, 120_000).await;
    let payments = db.payments();
    let now = at("2026-04-02T10:00:00");
    // The centre's officer is not at the agency holding the dossier.
    let refused = payments
        .record_at_counter(
            &d,
            d.version,
            PaymentMethod::Cash,
            "BL-1",
            p.counter,
            &CALENDAR,
            now,
        )
        .await;
    assert!(
        matches!(refused, Err(motcua_db::DbError::Forbidden(_))),
        "{refused:?}"
    );
    // Two recordings on the same view: one wins.
    let (a, b) = tokio::join!(
        payments.record_at_counter(
            &d,
            d.version,
            PaymentMethod::Cash,
            "BL-1",
            p.specialist,
            &CALENDAR,
            now
        ),
        payments.record_at_counter(
            &d,
            d.version,
            PaymentMethod::Cash,
            "BL-2",
            p.specialist,
            &CALENDAR,
            now
        )
    );
    let won = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{a:?} {b:?}");
    assert!(
        [&a, &b]
            .iter()
            .any(|r| matches!(r, Err(motcua_db::DbError::Conflict { .. }))),
        "{a:?} {b:?}"
    );
    let rows = payments.of_dossier(d.id).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, PaymentState::Paid);
    assert_eq!(rows[0].method, PaymentMethod::Cash);
    let after = db.dossiers().dossier(d.id).await.unwrap().unwrap();
    assert_eq!(after.status, Status::Processing);
    // Fee-bearing, not paid online.
    assert_eq!(counted(&db, "2026-04-01", &[d.id]).await, (1, 0, 1, 0));
    // The day's reconciliation: one line, collected by the department holding it.
    let day = motcua_db::day_start(chrono::NaiveDate::from_ymd_opt(2026, 4, 2).unwrap());
    let lines = payments.reconciliation(day, day + 86_400).await.unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0].agency_id, after.current_agency_id);
    assert_eq!((lines[0].count, lines[0].amount_vnd), (1, 120_000));
    assert_eq!(lines[0].gateway, "counter");
    assert!(
        payments
            .reconciliation(day + 86_400, day + 2 * 86_400)
            .await
            .unwrap()
            .is_empty()
    );
    // One receipt, numbered 1 in the department's series: the losing recording took none.
    let series = payments
        .series(after.current_agency_id, 2026)
        .await
        .unwrap();
    assert_eq!(
        series.iter().map(|r| r.receipt.number).collect::<Vec<_>>(),
        [1]
    );
    assert_eq!(series[0].payment_id, rows[0].id);
}

/// Receipts: one per paid payment, numbered from 1 in a series per collecting agency and
/// year (Vietnam's date), with the agency's registered symbols and tax code frozen at issue.
async fn receipts_number_in_series(engine: &str) {
    use motcua_domain::payment::receipt::{OBLIGATION_LINE, ReceiptBook};
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let payments = db.payments();
    let first = awaiting(&db, &p, 150_000).await;
    let department = first.current_agency_id;
    // Nothing registered yet: the shipped symbols and no tax code.
    let online = payments
        .open(
            &first,
            "vnpay",
            "citizen:1",
            at("2026-04-02T10:00:00").timestamp(),
        )
        .await
        .unwrap();
    let settled = payments
        .settle_by_proof(
            "vnpay",
            &proof(&online.reference, 150_000, true),
            &CALENDAR,
            at("2026-04-02T10:05:00"),
        )
        .await
        .unwrap();
    assert!(matches!(settled, Settled::Confirmed(_)));
    let r = &payments.receipts(first.id).await.unwrap()[0];
    assert_eq!((r.receipt.number, r.receipt.symbol.as_str()), (1, "AA-26E"));
    assert_eq!(r.receipt.body.collector_tax_code, "");
    assert_eq!(r.receipt.body.proof, "14270001");
    assert_eq!(r.receipt.body.lines.last().unwrap().name, OBLIGATION_LINE);
    assert_eq!(r.receipt.body.total_vnd(), 150_000);
    assert_eq!(r.receipt.body.payer.name, first.applicant.name);
    // Registered: later receipts carry it; the first keeps what it printed.
    let book = ReceiptBook::check("2800123456", "01BLP0-001", "TH-{yy}E").unwrap();
    payments
        .set_book(
            department,
            &book,
            "staff:1",
            at("2026-04-03T08:00:00").timestamp(),
        )
        .await
        .unwrap();
    assert!(
        payments
            .set_book(987_654, &book, "staff:1", 0)
            .await
            .is_err()
    );
    let mut issued = Vec::new();
    for (amount, when) in [
        (10_000, "2026-12-31T23:30:00"),
        (20_000, "2027-01-01T00:10:00"),
        (30_000, "2027-01-02T09:00:00"),
    ] {
        let d = awaiting(&db, &p, amount).await;
        let paid = payments
            .record_at_counter(
                &d,
                d.version,
                PaymentMethod::Transfer,
                "CK-9",
                p.specialist,
                &CALENDAR,
                at(when),
            )
            .await
            .unwrap();
        let receipts = payments.receipts(d.id).await.unwrap();
        assert_eq!(receipts.len(), 1);
        assert_eq!(receipts[0].payment_id, paid.id);
        issued.push(receipts[0].receipt.clone());
    }
    let labels: Vec<String> = issued.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        ["TH-26E 0000002", "TH-27E 0000001", "TH-27E 0000002"]
    );
    assert!(
        issued
            .iter()
            .all(|r| r.body.collector_tax_code == "2800123456")
    );
    let again = payments.receipts(first.id).await.unwrap();
    assert_eq!(
        again[0].receipt.symbol, "AA-26E",
        "an issued receipt is frozen"
    );
    assert_eq!(payments.series(department, 2027).await.unwrap().len(), 2);
    let code = db
        .agencies()
        .agency(department)
        .await
        .unwrap()
        .unwrap()
        .code;
    let audit = db.audit().audit_of("agency", &code).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "set_receipt_book"),
        "{audit:?}"
    );
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{:?}", report.first_broken);
}

on_both!(
    payments_settle_once,
    counter_payments_record_once,
    receipts_number_in_series
);
