//! Signing keys and signed results on both engines: keys stored as configured (a file path,
//! or a demo secret marked as such), signed results by their random public id, once per
//! file, each with its audit entry.

use crate::common::*;
use chrono::DateTime;
use motcua_db::{Db, KeyOwner, KeySource, NewAttachment, NewSignedResult, Purpose, SigningKey};
use motcua_domain::agency::Role;
use motcua_domain::calendar::Instant;
use motcua_domain::dossier::{Actor, Drawing};

fn now() -> Instant {
    DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").unwrap()
}

async fn dossier_with_result(db: &Db, counter: i64) -> (i64, String, i64) {
    let d = db
        .dossiers()
        .intake(
            intake("Lê Thị Thu"),
            CENTRE,
            &Actor::Staff {
                id: counter,
                roles: vec![Role::CounterOfficer],
            },
            &CALENDAR,
            now(),
        )
        .await
        .unwrap();
    let file = NewAttachment {
        document: None,
        reuses: None,
        component: None,
        purpose: Purpose::Result,
        name: "ket-qua.pdf".into(),
        sha256: "ab".repeat(32),
        size: 10,
        media_type: "application/pdf",
    };
    db.dossiers()
        .attach_files(d.id, &d.code, vec![file], "staff:1".into(), now())
        .await
        .unwrap();
    let file_id = db.files().attachments(d.id).await.unwrap()[0].id;
    (d.id, d.code, file_id)
}

async fn keys_and_signed_results(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
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
    assert_eq!(db.files().signing_key(justice.id).await.unwrap(), None);

    // A demo key keeps its secret in the row, marked demo; a real one only its file's path.
    let demo = SigningKey {
        owner: KeyOwner::Agency(justice.id),
        certificate: vec![0x30, 0x82, 0x01, 0x00],
        certificate_sha256: "cd".repeat(32),
        subject: "CN=Sở Tư pháp,O=motcua demo,C=VN".into(),
        source: KeySource::Demo([7; 32]),
    };
    db.files()
        .set_signing_key(&demo, "demo", now())
        .await
        .unwrap();
    let stored = db.files().signing_key(justice.id).await.unwrap().unwrap();
    assert_eq!(stored, demo);
    assert!(stored.is_demo());
    let file_key = SigningKey {
        owner: KeyOwner::Agency(finance.id),
        source: KeySource::File("/etc/motcua/keys/so-tai-chinh.p8".into()),
        ..demo.clone()
    };
    db.files()
        .set_signing_key(&file_key, "admin", now())
        .await
        .unwrap();
    let stored = db.files().signing_key(finance.id).await.unwrap().unwrap();
    assert_eq!(stored, file_key);
    assert!(!stored.is_demo());
    // Replacing a key keeps one row per agency.
    let replaced = SigningKey {
        certificate_sha256: "ef".repeat(32),
        ..file_key.clone()
    };
    db.files()
        .set_signing_key(&replaced, "admin", now())
        .await
        .unwrap();
    assert_eq!(
        db.files().signing_key(finance.id).await.unwrap().unwrap(),
        replaced
    );

    let (dossier_id, code, file_id) = dossier_with_result(&db, p.counter).await;
    let new = NewSignedResult {
        id: motcua_db::new_signed_result_id().unwrap(),
        dossier_id,
        dossier_code: code.clone(),
        file_id,
        file_sha256: "ab".repeat(32),
        signature_sha256: "12".repeat(32),
        // The signed copy (the signature inside the PDF) joins the dossier's files.
        signed_copy: Some(NewAttachment {
            document: None,
            reuses: None,
            component: None,
            purpose: Purpose::Result,
            name: "ket-qua-da-ky-so.pdf".into(),
            sha256: "12".repeat(32),
            size: 2048,
            media_type: "application/pdf",
        }),
        agency_id: justice.id,
        signer: "Sở Tư pháp".into(),
        certificate_sha256: "cd".repeat(32),
        signed_at: now(),
        signed_by: format!("staff:{}", p.director),
    };
    let id = db.files().record_signed_result(new.clone()).await.unwrap();
    assert_eq!(id.len(), 20);
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
    let found = db.files().signed_result(&id).await.unwrap().unwrap();
    assert_eq!(
        (found.dossier_id, found.file_id, found.signer.as_str()),
        (dossier_id, file_id, "Sở Tư pháp")
    );
    assert_eq!(found.signed_at, now());
    assert_eq!(found.signed_by, format!("staff:{}", p.director));
    let files = db.files().attachments(dossier_id).await.unwrap();
    let copy = files
        .iter()
        .find(|f| Some(f.id) == found.signed_file_id)
        .expect("the signed copy is a file of the dossier");
    assert_eq!(
        (copy.name.as_str(), copy.sha256.as_str(), copy.purpose),
        (
            "ket-qua-da-ky-so.pdf",
            "12".repeat(32).as_str(),
            Purpose::Result
        )
    );
    assert_eq!(
        db.files().signed_results_of(dossier_id).await.unwrap(),
        vec![found]
    );
    // Ids are not sequential and unknown ones are simply absent.
    assert_eq!(db.files().signed_result("1").await.unwrap(), None);
    assert_eq!(
        db.files().signed_result(&"A".repeat(20)).await.unwrap(),
        None
    );
    // An id not of the public shape is refused before anything is written.
    let odd = NewSignedResult {
        id: "1 OR 1=1".into(),
        ..new.clone()
    };
    let refused = db.files().record_signed_result(odd).await.unwrap_err();
    assert!(refused.to_string().contains("mã công khai"), "{refused}");
    // A file is signed once (under another id too).
    let new = NewSignedResult {
        id: motcua_db::new_signed_result_id().unwrap(),
        ..new
    };
    let again = db.files().record_signed_result(new).await.unwrap_err();
    assert!(again.to_string().contains("đã được ký"), "{again}");
    // The refused signing left no second copy behind.
    assert_eq!(
        db.files().attachments(dossier_id).await.unwrap().len(),
        files.len()
    );
    assert_eq!(
        db.files()
            .signed_results_of(dossier_id)
            .await
            .unwrap()
            .len(),
        1
    );

    // The signature and the keys are in the audit chain, which still holds.
    let trail = db.audit().audit_of("dossier", &code).await.unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "sign_result" && e.detail.contains(&id))
    );
    let report = db.audit().audit_verify().await.unwrap();
    assert_eq!(report.first_broken, None);
    let keys = db
        .audit()
        .audit_of("agency", &finance.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        keys.iter()
            .filter(|e| e.action == "set_signing_key")
            .count(),
        2
    );
    assert!(
        keys.iter().all(|e| !e.detail.contains("0707")),
        "no secret in the audit"
    );

    // A key in a PKCS #11 token keeps only its URI; a URI carrying the PIN is refused.
    let token = SigningKey {
        source: KeySource::Token(
            "pkcs11:token=SoTuPhap;object=ky-so?module-path=/usr/lib/softhsm/libsofthsm2.so\
             &pin-source=file:/etc/motcua/pin"
                .into(),
        ),
        ..demo.clone()
    };
    db.files()
        .set_signing_key(&token, "admin", now())
        .await
        .unwrap();
    assert_eq!(
        db.files().signing_key(justice.id).await.unwrap().unwrap(),
        token
    );
    let with_pin = SigningKey {
        source: KeySource::Token("pkcs11:object=k?module-path=/x.so&pin-value=246810".into()),
        ..demo
    };
    let refused = db
        .files()
        .set_signing_key(&with_pin, "admin", now())
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("PIN"), "{refused}");
    assert_eq!(
        db.files().signing_key(justice.id).await.unwrap().unwrap(),
        token
    );

    // A leader's personal key is kept apart from the agency's, and the agency chooses which
    // one signs; both changes are audited.
    assert_eq!(db.files().personal_key(p.counter).await.unwrap(), None);
    let personal = SigningKey {
        owner: KeyOwner::Person(p.counter),
        subject: "CN=Nguyễn Văn A,C=VN".into(),
        ..token.clone()
    };
    db.files()
        .set_signing_key(&personal, "admin", now())
        .await
        .unwrap();
    assert_eq!(
        db.files().personal_key(p.counter).await.unwrap().unwrap(),
        personal
    );
    assert_eq!(
        db.files().signing_key(justice.id).await.unwrap().unwrap(),
        token
    );
    use motcua_domain::agency::SignWith;
    assert_eq!(justice.sign_with, SignWith::Agency);
    db.agencies()
        .set_sign_with(justice.id, SignWith::Person, "admin")
        .await
        .unwrap();
    let again = db.agencies().agency(justice.id).await.unwrap().unwrap();
    assert_eq!(again.sign_with, SignWith::Person);
    assert!(
        db.agencies()
            .set_sign_with(987_654, SignWith::Person, "admin")
            .await
            .is_err()
    );
    let audit = db
        .audit()
        .audit_of("agency", &justice.id.to_string())
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.action == "set_sign_with"),
        "{audit:?}"
    );
}

/// The applicant's signature drawn on the receipt: kept with the dossier, read back as drawn,
/// replaced when signed again, each time audited.
async fn applicant_signs_the_receipt(engine: &str) {
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let (dossier_id, code, _) = dossier_with_result(&db, p.counter).await;
    assert_eq!(
        db.dossiers().applicant_signature(dossier_id).await.unwrap(),
        None
    );
    let first =
        Drawing::from_json("[[[10, 900], [200, 100], [400, 900]], [[500, 500], [990, 480]]]")
            .unwrap();
    db.dossiers()
        .keep_applicant_signature(dossier_id, &code, &first, "staff:1".into(), now())
        .await
        .unwrap();
    assert_eq!(
        db.dossiers().applicant_signature(dossier_id).await.unwrap(),
        Some(first)
    );
    let again = Drawing::from_json("[[[0, 0], [1000, 1000]]]").unwrap();
    db.dossiers()
        .keep_applicant_signature(dossier_id, &code, &again, "staff:1".into(), now())
        .await
        .unwrap();
    assert_eq!(
        db.dossiers().applicant_signature(dossier_id).await.unwrap(),
        Some(again)
    );
    let trail = db.audit().audit_of("dossier", &code).await.unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "applicant_signed")
            .count(),
        2
    );
}

/// The national portal's sync marks on either engine: an intake marks its dossier, a lease
/// takes it once, a finish clears it only for the generation it read, a resync marks it again.
async fn portal_sync_marks(engine: &str) {
    use motcua_db::SyncState;
    let Some((db, _)) = fresh(engine).await else {
        return;
    };
    let p = province(&db).await;
    let (dossier_id, code, _) = dossier_with_result(&db, p.counter).await;
    let at = now().timestamp();
    let claims = db.portal().claim("w1", at, at + 60, 10).await.unwrap();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].dossier_id, dossier_id);
    // Leased: another worker gets nothing.
    assert!(
        db.portal()
            .claim("w2", at, at + 60, 10)
            .await
            .unwrap()
            .is_empty()
    );
    db.dossiers()
        .portal_acknowledged("w1", &claims[0], 7, at)
        .await
        .unwrap();
    assert_eq!(
        db.portal().state(dossier_id).await.unwrap(),
        SyncState::Synced { at }
    );
    // Counted once as synced, on the day it was received (QĐ 766's synced share).
    let today = now().date_naive();
    let synced = || async {
        let f = db
            .statistics()
            .statistics_total(&motcua_db::StatsFilter {
                from: today,
                to: today,
                agency_id: None,
                field_code: None,
                procedure_code: None,
                level: None,
                channel: None,
            })
            .await
            .unwrap();
        (f.synced, f.received)
    };
    assert_eq!(synced().await, (1, 1));
    assert_eq!(db.portal().resync(None, Some(&code), at).await.unwrap(), 1);
    let again = db.portal().claim("w2", at, at + 60, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].history_sent, 0, "a resync sends the whole history");
    assert!(again[0].known);
    // A failure keeps it waiting with the answer; a finish by a stale lease changes nothing.
    db.portal()
        .fail("w2", &again[0], true, 3, "HTTP 503", at + 30)
        .await
        .unwrap();
    db.dossiers()
        .portal_acknowledged("w1", &again[0], 9, at)
        .await
        .unwrap();
    match db.portal().state(dossier_id).await.unwrap() {
        SyncState::Waiting { error, .. } => assert_eq!(error.as_deref(), Some("HTTP 503")),
        other => panic!("{other:?}"),
    }
    // Acknowledged again after the resync: still one synced dossier; a rebuild agrees.
    let last = db
        .portal()
        .claim("w3", at + 60, at + 120, 10)
        .await
        .unwrap();
    db.dossiers()
        .portal_acknowledged("w3", &last[0], 9, at + 60)
        .await
        .unwrap();
    assert_eq!(synced().await, (1, 1));
    db.statistics().rebuild_statistics().await.unwrap();
    assert_eq!(synced().await, (1, 1));
    assert_eq!(
        db.portal()
            .resync(Some(at + 86_400 * 365), None, at)
            .await
            .unwrap(),
        0
    );
}

on_both!(
    keys_and_signed_results,
    applicant_signs_the_receipt,
    portal_sync_marks
);
