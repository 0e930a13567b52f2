//! The demo province seeds a fresh database with every status, role and detour, and the same
//! date always gives the same province.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use motcua_db::{Db, DossierFilter, DossierRecord, Durability};
use motcua_domain::agency::{AgencyLevel, Role};
use motcua_domain::calendar::{
    CalendarConfig, Instant, Outcome, WorkCalendar, shipped_overrides, vietnam_offset,
};
use motcua_domain::dossier::Status;

use super::*;

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("motcua-demo-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn fresh(dir: &TempDir) -> Db {
    let url = format!("sqlite://{}/demo.db", dir.0.display());
    let db = Db::connect_with(&url, Durability::Bulk).await.unwrap();
    db.migrate().await.unwrap();
    db
}

fn calendar() -> WorkCalendar {
    WorkCalendar::new(CalendarConfig {
        overrides: shipped_overrides().unwrap(),
        ..CalendarConfig::default()
    })
    .unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn now_limit() -> Instant {
    today()
        .and_hms_opt(17, 0, 0)
        .unwrap()
        .and_local_timezone(vietnam_offset())
        .unwrap()
}

async fn all_dossiers(db: &Db) -> Vec<DossierRecord> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = db
            .dossiers()
            .list_dossiers(&DossierFilter {
                after,
                limit: Some(200),
                ..DossierFilter::default()
            })
            .await
            .unwrap();
        out.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

#[tokio::test]
async fn a_whole_province() {
    let dir = TempDir::new("province");
    let db = fresh(&dir).await;
    let calendar = calendar();
    let summary = seed(&db, &calendar, today(), 300).await.unwrap();

    // Agencies on two levels, the catalogue, staff for every role with working tokens.
    let agencies = db.agencies().all().await.unwrap();
    assert!(summary.agencies >= 10 && agencies.len() == summary.agencies);
    let levels: HashSet<AgencyLevel> = agencies.iter().map(|a| a.level).collect();
    assert!(levels.contains(&AgencyLevel::Province) && levels.contains(&AgencyLevel::Commune));
    let procedures = db.catalogue().procedures(None, None, None).await.unwrap();
    assert!(summary.procedures >= 40 && procedures.len() == summary.procedures);
    let fields: HashSet<&str> = procedures.iter().map(|p| p.field_code.as_str()).collect();
    assert!(fields.len() >= 8, "{} fields", fields.len());
    for role in Role::ALL {
        assert!(
            summary.logins.iter().any(|l| l.role == role),
            "no demo staff is {role:?}"
        );
    }
    for login in &summary.logins {
        assert_eq!(login.token, format!("demo-{}", login.username));
        let staff = db
            .people()
            .staff_by_token(&login.token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(staff.username, login.username);
        let grants = db.people().grants(staff.id).await.unwrap();
        assert!(grants.iter().any(|g| g.role == login.role));
    }

    assert_eq!(present_logins(&db).await.unwrap(), summary.logins);

    // Every national status, counted as the database counts them.
    assert_eq!(summary.dossiers, 300);
    assert_eq!(summary.by_status.values().sum::<usize>(), 300);
    for status in Status::ALL {
        let n = summary.by_status[&status.code()];
        assert!(
            n > 0,
            "no dossier in status {status:?}: {:?}",
            summary.by_status
        );
        assert_eq!(
            db.dossiers().count_dossiers(Some(status)).await.unwrap(),
            n as i64
        );
    }

    let dossiers = all_dossiers(&db).await;
    assert_eq!(dossiers.len(), 300);
    let limit = now_limit();
    let year_ago = limit - chrono::Duration::days(366);
    let open = NaiveTime::from_hms_opt(7, 30, 0).unwrap();
    let close = NaiveTime::from_hms_opt(16, 30, 0).unwrap();
    for d in &dossiers {
        assert!(
            d.updated_at <= limit,
            "{} acted on after the demo's day",
            d.code
        );
        assert!(d.received_at > year_ago, "{} received too early", d.code);
        let local = d.received_at.with_timezone(&vietnam_offset());
        assert!(!matches!(local.weekday(), Weekday::Sat | Weekday::Sun));
        assert!(calendar.is_working_day(local.date_naive()).unwrap());
        assert!(
            (open..=close).contains(&local.time()),
            "{} at {local}",
            d.code
        );
    }
    let mut last_actions = Vec::new();
    for d in &dossiers {
        let h = db.dossiers().history(d.id).await.unwrap();
        assert!(
            h.windows(2).all(|w| w[0].at < w[1].at),
            "{} out of order",
            d.code
        );
        last_actions.push(h.last().map(|r| r.at).unwrap());
    }
    assert!(last_actions.iter().all(|at| *at <= limit));

    // Overdue ones, apologies, supplements, consultations, payments.
    let overdue = dossiers
        .iter()
        .filter(|d| d.state.overdue_at(limit))
        .count();
    assert!(overdue > 0, "no overdue dossier");
    let apologised = dossiers.iter().filter(|d| d.apologised).count();
    assert!(apologised >= 20, "{apologised} apologised");
    let supplemented = dossiers
        .iter()
        .filter(|d| d.state.supplement.is_some())
        .count();
    assert!(
        supplemented >= 30,
        "{supplemented} with a supplement request"
    );
    let received = dossiers
        .iter()
        .filter(|d| {
            d.state
                .supplement
                .as_ref()
                .is_some_and(|s| s.received_at.is_some())
        })
        .count();
    assert!(received * 2 > supplemented, "most supplements arrive");
    let consulted = dossiers
        .iter()
        .filter(|d| !d.state.consultations.is_empty())
        .count();
    assert!(consulted >= 20, "{consulted} consulted");
    let paid = dossiers
        .iter()
        .filter(|d| {
            d.state
                .payment
                .as_ref()
                .is_some_and(|p| p.paid_at.is_some())
        })
        .count();
    assert!(paid > 0, "no payment confirmed");

    // Returned results: mostly early or on time, some late.
    let returned: Vec<&DossierRecord> = dossiers
        .iter()
        .filter(|d| d.status == Status::Returned)
        .collect();
    let late = returned
        .iter()
        .filter(|d| d.outcome == Some(Outcome::Late))
        .count();
    assert!(
        late > 0 && late * 4 < returned.len(),
        "{late} of {} late",
        returned.len()
    );
    let late_after_apology = returned
        .iter()
        .filter(|d| {
            d.state.apology.as_ref().is_some_and(|a| {
                d.finished_at
                    .is_some_and(|f| Outcome::of(f, a.previous_due) == Outcome::Late)
            })
        })
        .count();
    assert!(
        late_after_apology > 0,
        "no apology that the new date rescued"
    );

    // The demo citizen signs in and owns some online dossiers.
    let motcua_db::Login::Ok(citizen) = db
        .people()
        .citizen_login(
            super::DEMO_CITIZEN_PHONE,
            super::DEMO_PASSWORD,
            now_limit().timestamp(),
        )
        .await
        .unwrap()
    else {
        panic!("the demo citizen cannot sign in")
    };
    let owned = db
        .dossiers()
        .citizen_dossiers(citizen.id, 500)
        .await
        .unwrap();
    assert!(!owned.is_empty(), "the demo citizen has dossiers");
    assert!(
        owned
            .iter()
            .all(|d| d.channel == motcua_domain::catalogue::Channel::Online)
    );
    // Filed for themself, under the number their (demo) national identity vouched for, so
    // their data store opens.
    assert!(
        owned
            .iter()
            .all(|d| d.applicant.id_number.as_deref() == Some(super::DEMO_CITIZEN_ID))
    );
    assert_eq!(
        motcua_domain::digitised::store_of_account(
            citizen.id_number.as_deref(),
            motcua_domain::identity::is_verified(
                citizen.assurance,
                motcua_domain::identity::DEFAULT_VERIFIED_LEVEL
            )
        ),
        Some(motcua_domain::digitised::Owner::Person(
            super::DEMO_CITIZEN_ID.into()
        ))
    );

    // Fees: some paid online through the gateway, some at the counter with a receipt, some
    // online payments begun and never finished.
    let mut online = 0;
    let mut counter = 0;
    let mut pending = 0;
    for d in &dossiers {
        // Every paid payment has its receipt, under its agency's registered book.
        let receipts = db.payments().receipts(d.id).await.unwrap();
        for r in &receipts {
            assert!(r.receipt.symbol.starts_with("TH-"), "{r:?}");
            assert_eq!(r.receipt.body.collector_tax_code.len(), 10);
        }
        for p in db.payments().of_dossier(d.id).await.unwrap() {
            assert_eq!(
                receipts.iter().filter(|r| r.payment_id == p.id).count(),
                usize::from(p.state == motcua_domain::payment::PaymentState::Paid)
            );
            use motcua_domain::payment::{PaymentMethod, PaymentState};
            match (p.method, p.state) {
                (PaymentMethod::Online, PaymentState::Paid) => online += 1,
                (PaymentMethod::Cash, PaymentState::Paid) => {
                    assert!(p.receipt_no.is_some());
                    counter += 1;
                }
                (PaymentMethod::Online, PaymentState::Pending) => pending += 1,
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(
        online > 0 && counter > 0 && pending > 0,
        "{online} {counter} {pending}"
    );

    assert_eq!(db.audit().audit_verify().await.unwrap().first_broken, None);
}

#[tokio::test]
async fn same_date_same_province() {
    let calendar = calendar();
    let mut lists = Vec::new();
    for name in ["first", "second"] {
        let dir = TempDir::new(name);
        let db = fresh(&dir).await;
        seed(&db, &calendar, today(), 300).await.unwrap();
        let mut rows: Vec<(String, Status, Option<Instant>)> = all_dossiers(&db)
            .await
            .into_iter()
            .map(|d| (d.code, d.status, d.due_at))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        lists.push(rows);
        db.close().await;
    }
    assert_eq!(lists[0].len(), 300);
    assert_eq!(lists[0], lists[1]);
}

#[tokio::test]
async fn only_into_an_empty_database() {
    let dir = TempDir::new("twice");
    let db = fresh(&dir).await;
    let calendar = calendar();
    assert!(present_logins(&db).await.unwrap().is_empty());
    let summary = seed(&db, &calendar, today(), 0).await.unwrap();
    assert_eq!(summary.dossiers, 0);
    let err = seed(&db, &calendar, today(), 10).await.unwrap_err();
    assert!(err.to_string().contains("đã có cơ quan"), "{err}");
    assert_eq!(db.dossiers().count_dossiers(None).await.unwrap(), 0);
}

/// The full demo; run by hand to time it:
/// `cargo test -p motcua --lib demo::tests::full_demo -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "slow: the full 2000-dossier demo"]
async fn full_demo() {
    let dir = TempDir::new("full");
    let db = fresh(&dir).await;
    let calendar = calendar();
    let started = std::time::Instant::now();
    let summary = seed(&db, &calendar, today(), 2000).await.unwrap();
    println!(
        "2000 dossiers in {:.1} s: {:?}",
        started.elapsed().as_secs_f64(),
        summary.by_status
    );
    assert!(summary.by_status.values().all(|n| *n > 0));
}

#[tokio::test]
async fn returned_dossiers_carry_signed_results_with_demo_keys() {
    let dir = TempDir::new("signed");
    let db = fresh(&dir).await;
    let calendar = calendar();
    seed(&db, &calendar, today(), 150).await.unwrap();
    let files = motcua_db::FileStore::open(dir.0.join("files")).unwrap();
    let signed = sign_results(&db, &files, now_limit(), 3, "http://motcua.test")
        .await
        .unwrap();
    assert_eq!(signed, 3);
    let mut seen = 0;
    for d in all_dossiers(&db).await {
        for r in db.files().signed_results_of(d.id).await.unwrap() {
            seen += 1;
            assert_eq!(d.status, Status::Returned);
            let key = db.files().signing_key(r.agency_id).await.unwrap().unwrap();
            assert!(key.is_demo());
            assert_eq!(key.certificate_sha256, r.certificate_sha256);
            let check = motcua_web::signing::check_stored(&files, &r).await.unwrap();
            assert_eq!(check, motcua_web::signing::Check::Genuine);
            let pdf = files.read(&r.file_sha256).await.unwrap();
            assert!(pdf.starts_with(b"%PDF-"));
        }
    }
    assert_eq!(seen, 3);

    // Results another procedure asks for are kept and reused at the counter: the new
    // dossier carries the result's own bytes, counts as reused, and the owner's log says so.
    let reused = super::reuse_results(&db, &files, &calendar, now_limit(), 3)
        .await
        .unwrap();
    assert!(reused > 0, "no demo result was reused");
    let mut found = 0;
    for d in all_dossiers(&db).await {
        if !d.reused {
            continue;
        }
        found += 1;
        let owner = motcua_domain::digitised::Owner::of(&d.applicant).unwrap();
        let log = db.documents().access_log(&owner.key(), 10).await.unwrap();
        assert!(
            log.iter()
                .any(|l| l.dossier_code.as_deref() == Some(d.code.as_str()))
        );
        let kept = db.documents().of_owner(&owner.key()).await.unwrap();
        let files_of = db.files().attachments(d.id).await.unwrap();
        assert!(
            files_of
                .iter()
                .any(|f| kept.iter().any(|k| k.sha256 == f.sha256
                    && k.source == motcua_domain::digitised::Source::Result)),
            "{files_of:?}"
        );
    }
    assert_eq!(found, reused);
    // The demo citizen's returned results are in their store.
    let theirs = all_dossiers(&db)
        .await
        .into_iter()
        .filter(|d| {
            d.status == Status::Returned
                && d.applicant.id_number.as_deref() == Some(super::DEMO_CITIZEN_ID)
        })
        .count();
    let kept = db
        .documents()
        .of_owner(&format!("cn:{}", super::DEMO_CITIZEN_ID))
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.source == motcua_domain::digitised::Source::Result)
        .count();
    assert_eq!(kept, theirs);
}
