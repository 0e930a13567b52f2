//! The citizen's data store on either engine: a scanned component becomes a document of the
//! applicant; a later dossier reuses it (the same bytes, no new document, the reuse in the
//! owner's access log); an expired or hidden document is not offered and cannot be reused,
//! nor can another owner's; a result becomes a document of the procedure's result kind.

use motcua_db::{DbError, IntakeExtras, NewAttachment, NewDocument, Purpose};
use motcua_domain::digitised::{DocumentMeta, Owner, Source};
use motcua_domain::dossier::Actor;

use crate::common::*;

const OWNER: &str = "cn:038090001234";

fn scan(component: i64, sha: char) -> NewAttachment {
    NewAttachment {
        component: Some(component),
        purpose: Purpose::Scan,
        name: "to-khai.pdf".into(),
        sha256: sha.to_string().repeat(64),
        size: 1234,
        media_type: "application/pdf",
        document: None,
        reuses: None,
    }
}

async fn receive_with(
    db: &motcua_db::Db,
    p: &Province,
    name: &str,
    files: Vec<NewAttachment>,
    when: &str,
) -> Result<motcua_db::DossierRecord, DbError> {
    let actor = Actor::Staff {
        id: p.counter,
        roles: vec![motcua_domain::agency::Role::CounterOfficer],
    };
    db.dossiers()
        .intake_with(
            intake(name),
            CENTRE,
            &actor,
            &CALENDAR,
            at(when),
            IntakeExtras {
                files,
                ..IntakeExtras::default()
            },
        )
        .await
}

async fn documents_are_kept_and_reused(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let today = at("2026-04-01T08:00:00").date_naive();
    // Scanned at the counter: a checked document of the applicant, of its component's kind.
    let first = receive_with(
        &db,
        &p,
        "Lê Thị Hoa",
        vec![scan(0, 'a')],
        "2026-04-01T08:00:00",
    )
    .await
    .unwrap();
    let docs = db.documents().of_owner(OWNER).await.unwrap();
    assert_eq!(docs.len(), 1, "{docs:?}");
    let doc = &docs[0];
    assert_eq!(doc.doc_type, "to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap");
    assert_eq!((doc.source, doc.meta.checked), (Source::Scan, true));
    assert_eq!(doc.dossier_id, first.id);
    let offers = db
        .documents()
        .offers(OWNER, &doc.doc_type, today)
        .await
        .unwrap();
    assert_eq!(offers.len(), 1);

    // Reused in a second dossier: its file is the same bytes, no second document.
    let reused = NewAttachment::reusing(doc, Some(0), Purpose::Scan).unwrap();
    let second = receive_with(&db, &p, "Lê Thị Hoa", vec![reused], "2026-04-02T08:00:00")
        .await
        .unwrap();
    let files = db.files().attachments(second.id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].sha256, doc.sha256);
    assert_eq!(db.documents().of_owner(OWNER).await.unwrap().len(), 1);
    let log = db.documents().access_log(OWNER, 50).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].kind, motcua_domain::digitised::Access::Reuse);
    assert_eq!(log[0].dossier_code.as_deref(), Some(second.code.as_str()));
    assert_eq!(
        log[0].actor_name.as_deref(),
        Some("Cán bộ motcua.tn"),
        "{log:?}"
    );
    // Counted once as received reusing the store (QĐ 766), on its day; the list behind the
    // figure and a rebuild agree.
    let day = chrono::NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
    let filter = motcua_db::StatsFilter {
        from: day,
        to: day,
        agency_id: None,
        field_code: None,
        procedure_code: None,
        level: None,
        channel: None,
    };
    let total = db.statistics().statistics_total(&filter).await.unwrap();
    assert_eq!(total.reused, 1);
    let listed = db.dossiers().dossier(second.id).await.unwrap().unwrap();
    assert_eq!(motcua_db::figures_of(&listed, day, day).reused, 1);
    assert_eq!(motcua_db::figures_of(&first, day, day).reused, 0);
    db.statistics().rebuild_statistics().await.unwrap();
    let rebuilt = db.statistics().statistics_total(&filter).await.unwrap();
    assert_eq!(rebuilt.reused, 1);

    // Another applicant cannot take it: the intake is refused and leaves nothing.
    let stranger = {
        let mut i = intake("Người khác");
        i.applicant.id_number = Some("038090009999".into());
        i
    };
    let actor = Actor::Staff {
        id: p.counter,
        roles: vec![motcua_domain::agency::Role::CounterOfficer],
    };
    let taken = db
        .dossiers()
        .intake_with(
            stranger,
            CENTRE,
            &actor,
            &CALENDAR,
            at("2026-04-02T09:00:00"),
            IntakeExtras {
                files: vec![NewAttachment {
                    reuses: Some((doc.id, "cn:038090009999".into())),
                    ..scan(0, 'a')
                }],
                ..IntakeExtras::default()
            },
        )
        .await;
    assert!(matches!(taken, Err(DbError::Invalid(_))), "{taken:?}");
    assert!(
        db.documents()
            .access_log("cn:038090009999", 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Hidden by its owner: not offered, not reusable; shown again: offered.
    db.documents()
        .set_hidden(
            doc.id,
            OWNER,
            true,
            "citizen:1",
            at("2026-04-03T08:00:00").timestamp(),
        )
        .await
        .unwrap();
    assert!(
        db.documents()
            .offers(OWNER, &doc.doc_type, today)
            .await
            .unwrap()
            .is_empty()
    );
    let refused = receive_with(
        &db,
        &p,
        "Lê Thị Hoa",
        vec![NewAttachment::reusing(doc, Some(0), Purpose::Scan).unwrap()],
        "2026-04-03T09:00:00",
    )
    .await;
    assert!(matches!(refused, Err(DbError::Invalid(_))), "{refused:?}");
    assert!(
        db.documents()
            .set_hidden(doc.id, "cn:038090009999", false, "citizen:2", 0)
            .await
            .is_err(),
        "another owner's document"
    );
    db.documents()
        .set_hidden(
            doc.id,
            OWNER,
            false,
            "citizen:1",
            at("2026-04-03T10:00:00").timestamp(),
        )
        .await
        .unwrap();
    assert_eq!(
        db.documents()
            .offers(OWNER, &doc.doc_type, today)
            .await
            .unwrap()
            .len(),
        1
    );

    // Typed with an expiry: offered through its last day, not after.
    let expiring = NewAttachment {
        document: Some(NewDocument {
            owner: Owner::Person("038090001234".into()),
            owner_name: String::new(),
            doc_type: String::new(),
            type_name: String::new(),
            meta: DocumentMeta {
                number: "CC-77".into(),
                expires_on: chrono::NaiveDate::from_ymd_opt(2026, 5, 1),
                ..DocumentMeta::default()
            },
            source: Source::Scan,
        }),
        ..scan(1, 'b')
    };
    receive_with(&db, &p, "Lê Thị Hoa", vec![expiring], "2026-04-04T08:00:00")
        .await
        .unwrap();
    let id_type = "ban-chup-the-can-cuoc";
    let on = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let offered = db
        .documents()
        .offers(OWNER, id_type, on(2026, 5, 1))
        .await
        .unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].meta.number, "CC-77", "what was typed is kept");
    assert!(
        db.documents()
            .offers(OWNER, id_type, on(2026, 5, 2))
            .await
            .unwrap()
            .is_empty()
    );

    // A result attached to the first dossier: a document of the result's kind.
    db.dossiers()
        .attach_files(
            first.id,
            &first.code,
            vec![NewAttachment {
                component: None,
                purpose: Purpose::Result,
                ..scan(0, 'c')
            }],
            "staff:1".into(),
            at("2026-04-05T08:00:00"),
        )
        .await
        .unwrap();
    let results = db
        .documents()
        .offers(OWNER, "phieu-ly-lich-tu-phap", today)
        .await
        .unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].source, Source::Result);
    let report = db.audit().audit_verify().await.unwrap();
    assert!(report.first_broken.is_none(), "{:?}", report.first_broken);
}

on_both!(documents_are_kept_and_reused);
