//! The citizen's data store: what a verified citizen files online becomes documents of
//! theirs; a second filing reuses them (no new upload, the same bytes, the reuse in their
//! access log); a hidden document is not offered and cannot be reused; an account no
//! national identity vouched for opens no store and reuses nothing; staff reach the store
//! only from a dossier of that person they may handle, audited and logged.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

use crate::common::*;

const ID: &str = "038190012345";
const PDF: &[u8] = b"%PDF-1.4\n% to khai cua chu kho\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n anh chup cua chu kho";

fn filing() -> Value {
    json!({
        "procedure_code": "1.000828",
        "case_code": "chung",
        "receiving_agency": CENTRE,
        "applicant": {"kind": "person", "name": "Trần Văn Bình", "id_number": ID,
                      "phone": "0912000111", "notify": ["sms"]}
    })
}

async fn post_parts(
    app: &TestApp,
    token: &str,
    body: &Value,
    files: &[(&str, &str, &[u8])],
) -> (StatusCode, Value) {
    let body = body.to_string();
    let (content_type, bytes) = multipart(&[("body", &body)], files);
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/me/dossiers")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(bytes))
        .unwrap();
    app.raw(request).await
}

/// A citizen signed in once with the national identity at level `assurance`: their
/// session token.
async fn vouched(app: &TestApp, subject: &str, assurance: u8) -> (i64, String) {
    let db = &app.state.db;
    let (citizen, _) = db
        .people()
        .sign_in_with_identity(
            &motcua_domain::identity::NationalIdentity {
                provider: "vneid".into(),
                subject: subject.into(),
                id_number: Some(ID.into()),
                full_name: "Trần Văn Bình".into(),
                birth_date: None,
                phone: None,
                email: None,
                kind: motcua_domain::identity::AccountKind::Citizen,
                assurance: Some(assurance),
                logout_uri: None,
                tech_id: None,
            },
            app.state.now().timestamp(),
        )
        .await
        .unwrap();
    let token = db
        .people()
        .create_citizen_session(citizen.id, app.state.now().timestamp())
        .await
        .unwrap();
    (citizen.id, token)
}

fn reuse_of(docs: &[motcua_db::StoredDocument], codes: &[&str]) -> Value {
    // Components in the procedure's order; documents come newest first.
    let mut ordered: Vec<_> = docs.iter().collect();
    ordered.sort_by_key(|d| d.id);
    json!(
        codes
            .iter()
            .zip(ordered)
            .map(|(c, d)| json!({"component": c, "document": d.id}))
            .collect::<Vec<_>>()
    )
}

#[tokio::test]
async fn a_verified_citizen_reuses_what_they_filed() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (_, token) = vouched(&app, "sub-binh", 2).await;
    let owner = format!("cn:{ID}");
    let files: [(&str, &str, &[u8]); 4] = [
        ("tp-01", "don.pdf", PDF),
        ("tp-02", "bang.png", PNG),
        ("tp-03", "giay-chung-nhan.pdf", PDF),
        ("tp-04", "anh.png", PNG),
    ];
    let (status, first) = post_parts(&app, &token, &filing(), &files).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let docs = db.documents().of_owner(&owner).await.unwrap();
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert!(
        docs.iter().all(|d| !d.meta.checked),
        "uploads are not checked"
    );

    // The filing page offers them for their components.
    let cookie = format!("motcua_citizen={token}");
    let page = get_page(&app, "/cong-dan/nop/1.000828", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"reuse_tp-01\""), "{}", page.body);

    // Filed again with every component reused: no upload, the same bytes, no new document.
    let mut again = filing();
    again["reuse"] = reuse_of(&docs, &["tp-01", "tp-02", "tp-03", "tp-04"]);
    let (status, second) = app.post("/api/v1/me/dossiers", Some(&token), again).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let second_id = second["id"].as_i64().unwrap();
    let reused = db.files().attachments(second_id).await.unwrap();
    let mut shas: Vec<_> = reused.iter().map(|f| f.sha256.clone()).collect();
    let mut originals: Vec<_> = docs.iter().map(|d| d.sha256.clone()).collect();
    shas.sort();
    originals.sort();
    assert_eq!(shas, originals);
    assert_eq!(db.documents().of_owner(&owner).await.unwrap().len(), 4);
    let log = db.documents().access_log(&owner, 50).await.unwrap();
    assert_eq!(log.len(), 4, "{log:?}");

    // The store page shows the documents and who used them for which dossier.
    let store = get_page(&app, "/cong-dan/kho-du-lieu", Some(&cookie)).await;
    assert_eq!(store.status, StatusCode::OK);
    assert!(store.body.contains("id=\"access-log\""), "{}", store.body);
    assert!(store.body.contains(second["code"].as_str().unwrap()));
    assert!(store.body.contains("Dùng lại cho hồ sơ"));
    // A download of their own is logged; another's document is not found.
    let d0 = &docs[0];
    let got = get_page(
        &app,
        &format!("/cong-dan/kho-du-lieu/{}", d0.id),
        Some(&cookie),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(
        db.documents().access_log(&owner, 50).await.unwrap().len(),
        5
    );

    // Hidden: the reuse is refused and names the field; shown again it is offered.
    let csrf = csrf_of(&store.body);
    let hide = post_form(
        &app,
        &format!("/cong-dan/kho-du-lieu/{}/an", d0.id),
        Some(&cookie),
        &format!("csrf={csrf}&hidden=1"),
    )
    .await;
    assert_eq!(hide.status, StatusCode::SEE_OTHER, "{}", hide.body);
    let mut hidden = filing();
    hidden["reuse"] = json!([{"component": "tp-04", "document": d0.id}]);
    let (status, e) = post_parts(&app, &token, &hidden, &files[..3]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e.to_string().contains("reuse[0]"), "{e}");

    // An account with a password alone, claiming the same number: no store, no reuse.
    let (_, stranger) = {
        let c = db
            .people()
            .register_citizen(
                motcua_db::NewCitizen {
                    full_name: "Kẻ mạo danh".into(),
                    phone: Some("0912999888".into()),
                    password: "mat-khau-cong-dan".into(),
                    ..motcua_db::NewCitizen::default()
                },
                app.state.now().timestamp(),
            )
            .await
            .unwrap();
        let t = db
            .people()
            .create_citizen_session(c.id, app.state.now().timestamp())
            .await
            .unwrap();
        (c.id, t)
    };
    let closed = get_page(
        &app,
        "/cong-dan/kho-du-lieu",
        Some(&format!("motcua_citizen={stranger}")),
    )
    .await;
    assert!(closed.body.contains("định danh điện tử"), "{}", closed.body);
    assert!(!closed.body.contains("id=\"documents\""));
    let mut claimed = filing();
    claimed["reuse"] = reuse_of(&docs[1..2], &["tp-01"]);
    let (status, e) = app
        .post("/api/v1/me/dossiers", Some(&stranger), claimed)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let got = get_page(
        &app,
        &format!("/cong-dan/kho-du-lieu/{}", docs[1].id),
        Some(&format!("motcua_citizen={stranger}")),
    )
    .await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);

    // Staff who may see the dossier open the applicant's store (audited) and download from
    // it (in the owner's log, against the dossier); another department's staff cannot.
    let tn = staff_session(&app, "u.tn").await;
    let first_id = first["id"].as_i64().unwrap();
    let seen = get_page(
        &app,
        &format!("/can-bo/ho-so/{first_id}/kho-du-lieu"),
        Some(&tn),
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert!(seen.body.contains("id=\"documents\""));
    let audit = db
        .audit()
        .audit_of("dossier", first["code"].as_str().unwrap())
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "open_store"), "{audit:?}");
    let got = get_page(
        &app,
        &format!("/can-bo/ho-so/{first_id}/kho-du-lieu/{}", docs[2].id),
        Some(&tn),
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    let log = db.documents().access_log(&owner, 1).await.unwrap();
    assert!(log[0].actor.starts_with("staff:"), "{log:?}");
    assert_eq!(log[0].dossier_code.as_deref(), first["code"].as_str());
    // Through the API: the citizen's own store and log; staff list the applicant's store and
    // attach one of its papers to a dossier they may attach to; a password-only account
    // has no store.
    let (status, mine) = app.get("/api/v1/me/documents", Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["items"].as_array().unwrap().len(), 4);
    assert!(
        mine["access"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["by"] == "staff")
    );
    let (status, _) = app.get("/api/v1/me/documents", Some(&stranger)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, listed) = app
        .get(
            &format!("/api/v1/dossiers/{first_id}/documents"),
            Some("tok-tn"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["items"].as_array().unwrap().len(), 4);
    let (status, _) = app
        .get(
            &format!("/api/v1/dossiers/{first_id}/documents"),
            Some("tok-cvtc"),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let before = db.files().attachments(first_id).await.unwrap().len();
    // Newest first: the last one is what was filed for tp-01.
    let form = docs.last().unwrap().id;
    let (status, e) = app
        .post(
            &format!("/api/v1/dossiers/{first_id}/documents"),
            Some("tok-tn"),
            json!({"document": form, "component": "tp-02"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another kind: {e}"
    );
    let (status, attached) = app
        .post(
            &format!("/api/v1/dossiers/{first_id}/documents"),
            Some("tok-tn"),
            json!({"document": form, "component": "tp-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{attached}");
    assert_eq!(attached["items"].as_array().unwrap().len(), before + 1);

    // The national portal hears which papers were kept for reuse (1) and which reused (2).
    let (portal_url, portal) = crate::portal_sync::start_portal().await;
    let sync = crate::portal_sync::sync(&app, &portal_url);
    crate::portal_sync::drain(&sync, 10).await;
    {
        let s = portal.lock().unwrap();
        let marks = |code: &Value| -> Vec<i64> {
            s.records[code.as_str().unwrap()]["TaiLieuNop"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["DuocTaiSuDung"].as_i64().unwrap())
                .collect()
        };
        // The first dossier's tp-01 was also given a kept paper through the API above.
        assert_eq!(marks(&first["code"]), [2, 1, 1, 1]);
        assert_eq!(marks(&second["code"]), [2, 2, 2, 2]);
    }

    let other = staff_session(&app, "u.cvtc").await;
    let refused = get_page(
        &app,
        &format!("/can-bo/ho-so/{first_id}/kho-du-lieu"),
        Some(&other),
    )
    .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

/// At the counter: what is scanned is kept with what the officer typed about it; the
/// applicant's store is looked up (audited) and its papers reused instead of new scans.
#[tokio::test]
async fn the_counter_scans_describes_and_reuses() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let owner = "cn:038090001234";
    let cookie = staff_session(&app, "u.tn").await;
    let page = get_page(&app, "/can-bo/tiep-nhan?procedure=1.000828", Some(&cookie)).await;
    let csrf = csrf_of(&page.body);
    let base: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("procedure", "1.000828"),
        ("case", "chung"),
        ("kind", "person"),
        ("name", "Trần Văn Bình"),
        ("id_number", "038090001234"),
        ("phone", "0912345678"),
        ("n_sms", "on"),
        ("c_tp-01", "on"),
        ("c_tp-02", "on"),
        ("c_tp-03", "on"),
        ("c_tp-04", "on"),
        ("return_method", "in_person"),
    ];
    let scans: [(&str, &str, &[u8]); 2] = [
        ("scan_tp-01", "don.pdf", PDF),
        ("scan_tp-03", "gcn.pdf", b"%PDF-1.4\n% giay chung nhan\n"),
    ];
    // A date of issue in the future is named; nothing is taken in.
    let mut bad = base.clone();
    bad.push(("m_tp-03_issued", "2099-01-01"));
    let reply =
        crate::citizen_pages::post_multipart(&app, "/can-bo/tiep-nhan", &cookie, &bad, &scans)
            .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("ngày cấp không thể sau hôm nay"),
        "{}",
        reply.body
    );
    assert!(db.documents().of_owner(owner).await.unwrap().is_empty());

    let mut good = base.clone();
    good.extend([
        ("m_tp-03_number", "GCN-123"),
        ("m_tp-03_issuer", "Sở Tư pháp tỉnh Thanh Hóa"),
        ("m_tp-03_issued", "2020-05-01"),
        ("m_tp-03_expires", "2030-05-01"),
    ]);
    let reply =
        crate::citizen_pages::post_multipart(&app, "/can-bo/tiep-nhan", &cookie, &good, &scans)
            .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let docs = db.documents().of_owner(owner).await.unwrap();
    assert_eq!(docs.len(), 2, "{docs:?}");
    let gcn = docs.iter().find(|d| d.meta.number == "GCN-123").unwrap();
    assert_eq!(gcn.meta.issuer, "Sở Tư pháp tỉnh Thanh Hóa");
    assert_eq!(
        gcn.meta.expires_on,
        chrono::NaiveDate::from_ymd_opt(2030, 5, 1)
    );
    assert!(gcn.meta.checked);
    let form = docs.iter().find(|d| d.meta.number.is_empty()).unwrap();

    // Looked up: both offered, the lookup audited.
    let mut lookup = base.clone();
    lookup.push(("store_lookup", "1"));
    let reply =
        crate::citizen_pages::post_multipart(&app, "/can-bo/tiep-nhan", &cookie, &lookup, &[])
            .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains("name=\"reuse_tp-03\""),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("GCN-123"));
    let audit = db.audit().audit_of("document_owner", owner).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "store_offers"),
        "{audit:?}"
    );

    // Taken in again with both reused: no scan, the same bytes, logged against it.
    let gcn_id = gcn.id.to_string();
    let form_id = form.id.to_string();
    let mut again = base.clone();
    again.extend([
        ("reuse_tp-03", gcn_id.as_str()),
        ("reuse_tp-01", form_id.as_str()),
    ]);
    let reply =
        crate::citizen_pages::post_multipart(&app, "/can-bo/tiep-nhan", &cookie, &again, &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(db.documents().of_owner(owner).await.unwrap().len(), 2);
    let log = db.documents().access_log(owner, 10).await.unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log.iter().all(|l| l.actor.starts_with("staff:")));
    let code = log[0].dossier_code.clone().unwrap();
    let d = db.dossiers().dossier_by_code(&code).await.unwrap().unwrap();
    let files = db.files().attachments(d.id).await.unwrap();
    let mut shas: Vec<_> = files.iter().map(|f| f.sha256.clone()).collect();
    shas.sort();
    let mut kept = vec![gcn.sha256.clone(), form.sha256.clone()];
    kept.sort();
    assert_eq!(shas, kept);

    // Another person's paper cannot be taken for this applicant.
    let mut other = base.clone();
    other[5] = ("id_number", "038090009999");
    other.push(("reuse_tp-03", gcn_id.as_str()));
    let reply =
        crate::citizen_pages::post_multipart(&app, "/can-bo/tiep-nhan", &cookie, &other, &[]).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("không thuộc người nộp"),
        "{}",
        reply.body
    );
}

/// The words of kept papers are read (a digital PDF's text layer; a scanned image by OCR in
/// Vietnamese) and found by search, with or without diacritics, by the owner and by staff.
#[tokio::test]
async fn kept_papers_are_read_and_found_by_their_words() {
    let reader = motcua_web::reader::Reader::detect();
    if !(reader.pdftotext && reader.pdftoppm && reader.tesseract) {
        assert!(
            std::env::var("MOTCUA_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "MOTCUA_REQUIRE_TOOLS=1 but poppler or tesseract with Vietnamese is missing: {reader:?}"
        );
        eprintln!("skipped: poppler or tesseract-ocr-vie is missing");
        return;
    }
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (_, token) = vouched(&app, "sub-doc", 2).await;
    // A digital receipt (its text layer), the same page scanned as an image (OCR), and a
    // PDF with no readable page.
    let pdf = motcua_docs::render_receipt(
        &motcua_docs::sample::receipt(),
        "",
        &motcua_docs::Templates::shipped(),
        false,
    )
    .unwrap()
    .pdf;
    let scan = pdf_pages(&pdf, 200).unwrap().remove(0);
    let files: [(&str, &str, &[u8]); 4] = [
        ("tp-01", "bien-lai.pdf", &pdf),
        ("tp-02", "bien-lai-quet.png", &scan),
        ("tp-03", "hong.pdf", b"%PDF-1.4\n% khong co trang nao\n"),
        ("tp-04", "anh.png", PNG),
    ];
    let (status, filed) = post_parts(&app, &token, &filing(), &files).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let owner = format!("cn:{ID}");
    assert_eq!(
        db.documents().unread(0, 10).await.unwrap().len(),
        4,
        "nothing read before the reader runs"
    );
    // Without OCR the two images wait, and the PDFs behind them are read all the same.
    let no_ocr = motcua_web::reader::Reader {
        tesseract: false,
        ..reader
    };
    let read = motcua_web::reader::read_pending(&app.state, no_ocr, 10)
        .await
        .unwrap();
    assert_eq!(read, 2);
    let waiting = db.documents().unread(0, 10).await.unwrap();
    assert_eq!(
        waiting
            .iter()
            .map(|(_, _, t)| t.as_str())
            .collect::<Vec<_>>(),
        ["image/png", "image/png"]
    );
    let read = motcua_web::reader::read_pending(&app.state, reader, 10)
        .await
        .unwrap();
    assert_eq!(read, 2);
    assert!(db.documents().unread(0, 10).await.unwrap().is_empty());
    let docs = db.documents().of_owner(&owner).await.unwrap();
    let words = |name: &str| {
        docs.iter()
            .find(|d| d.name == name)
            .and_then(|d| d.words.clone())
            .unwrap_or_default()
    };
    assert!(
        words("bien-lai.pdf").contains("bien lai thu phi, le phi"),
        "{}",
        words("bien-lai.pdf")
    );
    assert!(words("bien-lai.pdf").contains("0001257"));
    let ocr = words("bien-lai-quet.png");
    assert!(
        ocr.contains("bien lai") && ocr.contains("thu phi"),
        "OCR read: {ocr}"
    );
    assert_eq!(
        words("hong.pdf"),
        "",
        "an unreadable PDF is kept with no words"
    );

    // Found by its words, diacritics optional: by the owner, through the API, and by staff.
    let cookie = format!("motcua_citizen={token}");
    let found = get_page(
        &app,
        "/cong-dan/kho-du-lieu?q=BI%C3%8AN+LAI+thu+ph%C3%AD",
        Some(&cookie),
    )
    .await;
    let ids: Vec<i64> = docs
        .iter()
        .filter(|d| found.body.contains(&format!("id=\"doc-{}\"", d.id)))
        .map(|d| d.id)
        .collect();
    assert_eq!(ids.len(), 2, "{}", found.body);
    let (status, api) = app
        .get("/api/v1/me/documents?q=0001257", Some(&token))
        .await;
    assert_eq!(status, StatusCode::OK, "{api}");
    // The number, read from the text layer and by OCR from the scan alike.
    assert_eq!(api["items"].as_array().unwrap().len(), 2, "{api}");
    let tn = staff_session(&app, "u.tn").await;
    let id = filed["id"].as_i64().unwrap();
    let none = get_page(
        &app,
        &format!("/can-bo/ho-so/{id}/kho-du-lieu?q=giay+khai+sinh"),
        Some(&tn),
    )
    .await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(!none.body.contains("id=\"doc-"), "{}", none.body);
}
