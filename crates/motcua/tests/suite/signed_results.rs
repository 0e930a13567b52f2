//! Signed results in the browser's terms: only a leader of the approving agency may sign a
//! result PDF once the dossier is approved; the public verification page (no login) shows
//! the signer and time without personal data, says whether an uploaded copy is the signed
//! file, and answers unknown ids with the friendly 404; the owner sees the signed result.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

const RESULT_PDF: &[u8] = b"%PDF-1.7\n% Giay chung nhan hanh nghe luat su\n%%EOF\n";

async fn post_file(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Reply {
    let files: Vec<(&str, &str, &[u8])> = file
        .map(|(name, bytes)| (name, "ket-qua.pdf", bytes))
        .into_iter()
        .collect();
    let (content_type, body) = multipart(fields, &files);
    let mut r = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", "motcua.test")
        .header("content-type", content_type);
    if let Some(c) = cookie {
        r = r.header("cookie", c);
    }
    send(app, r.body(Body::from(body)).unwrap()).await
}

/// The lawyer's certificate taken to approval (the province's leader approves it).
async fn approved(app: &TestApp) -> i64 {
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let d = app.act("tok-tn", &d, json!({"action": "forward"})).await;
    let d = app
        .act("tok-cv", &d, json!({"action": "appraise", "note": "Đủ"}))
        .await;
    let d = app.act("tok-cv", &d, json!({"action": "forward"})).await;
    let d = app.act("tok-tp", &d, json!({"action": "forward"})).await;
    let d = app.act("tok-gd", &d, json!({"action": "forward"})).await;
    let d = app.act("tok-ct", &d, json!({"action": "approve"})).await;
    assert_eq!(d["status"], "result_ready");
    d["id"].as_i64().unwrap()
}

/// The counter attaches `pdf` to dossier `id` as its result, and the approving agency (the
/// province) gets a demo key; the file's id.
async fn attached_with_key(app: &TestApp, id: i64, pdf: &[u8]) -> i64 {
    let db = &app.state.db;
    let counter = staff_session(app, "u.tn").await;
    let page = get_page(app, &format!("/can-bo/ho-so/{id}"), Some(&counter)).await;
    let reply = post_file(
        app,
        &format!("/can-bo/ho-so/{id}/tep"),
        Some(&counter),
        &[("csrf", &csrf_of(&page.body)), ("purpose", "result")],
        Some(("files", pdf)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let province = db
        .agencies()
        .agency_by_code(PROVINCE)
        .await
        .unwrap()
        .unwrap();
    let now = app.state.now();
    motcua_web::signing::create_demo_key(db, &province, "test", now, now)
        .await
        .unwrap();
    db.files().attachments(id).await.unwrap()[0].id
}

async fn sign(app: &TestApp, cookie: &str, id: i64, file: i64) -> Reply {
    // The session's own token (not every officer's page has a form to read it from), so
    // a refusal is about who signs, not about the token.
    let token = cookie.split_once('=').unwrap().1;
    let session = app
        .state
        .db
        .people()
        .session(token, app.state.now().timestamp())
        .await;
    let csrf = session.unwrap().unwrap().csrf;
    post_form(
        app,
        &format!("/can-bo/ho-so/{id}/ky"),
        Some(cookie),
        &format!("csrf={csrf}&file={file}"),
    )
    .await
}

#[tokio::test]
async fn leaders_sign_and_anyone_verifies_without_login() {
    let app = TestApp::new().await;
    let id = approved(&app).await;
    let db = &app.state.db;

    // The counter attaches the result PDF; the approving agency (the province) has a key.
    let file = attached_with_key(&app, id, RESULT_PDF).await;

    // Not the counter, not a specialist, not the leader of another agency.
    for who in ["u.tn", "u.cv", "u.gd"] {
        let cookie = staff_session(&app, who).await;
        let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&cookie)).await;
        assert!(!page.body.contains("/ky\""), "{who} sees no signing form");
        let reply = sign(&app, &cookie, id, file).await;
        // A leader of another agency does not even see the approved dossier.
        let expected = if page.status == StatusCode::OK {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(reply.status, expected, "{who}");
    }
    assert!(db.files().signed_results_of(id).await.unwrap().is_empty());

    // The leader of the approving agency signs.
    let leader = staff_session(&app, "u.ct").await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&leader)).await;
    assert!(page.body.contains(&format!("/can-bo/ho-so/{id}/ky")));
    let reply = sign(&app, &leader, id, file).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, format!("/can-bo/ho-so/{id}"));
    let signed = db.files().signed_results_of(id).await.unwrap();
    assert_eq!(signed.len(), 1);
    let public = signed[0].id.clone();
    // Once only.
    let again = sign(&app, &leader, id, file).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("đã được ký"), "{}", again.body);
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&leader)).await;
    assert!(page.body.contains(&format!("/xac-thuc/{public}")));
    // The national portal's record lists the result, linked to its public verification.
    let (base, portal) = crate::portal_sync::start_portal().await;
    let worker = crate::portal_sync::sync(&app, &base);
    crate::portal_sync::drain(&worker, 5).await;
    let code = db.dossiers().dossier(id).await.unwrap().unwrap().code;
    let record = portal.lock().unwrap().records[&code].clone();
    assert_eq!(
        record["DanhSachGiayToKetQua"],
        serde_json::json!([{
            "TenGiayTo": "ket-qua.pdf",
            "DuongDanTepTinKetQua": format!("https://dichvucong.example.vn/xac-thuc/{public}"),
        }]),
        "{record}"
    );

    // The public page, without any cookie.
    let code = db.dossiers().dossier(id).await.unwrap().unwrap().code;
    let page = get_page(&app, &format!("/xac-thuc/{public}"), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("bản gốc đã ký số và không bị thay đổi"));
    assert!(
        page.body.contains("Ủy ban nhân dân tỉnh Thanh Hóa"),
        "signer"
    );
    assert!(page.body.contains(&code));
    assert!(page.body.contains("Cấp Chứng chỉ hành nghề luật sư") || page.body.contains("luật sư"));
    assert!(page.body.contains(&signed[0].certificate_sha256));
    let when = signed[0].signed_at.format("%d/%m/%Y %H:%M").to_string();
    assert!(page.body.contains(&when), "signing time {when}");
    assert!(
        page.body.contains("<svg") && page.body.contains("M4 4h1v1h-1z"),
        "a QR code"
    );
    assert!(
        page.body
            .contains(&format!("http://motcua.test/xac-thuc/{public}"))
    );
    // No personal data: not the applicant's name, number or phone, not the officer.
    for private in ["Nguyễn Thị Thu Hà", "038190012345", "0912", "Cán bộ ct"] {
        assert!(!page.body.contains(private), "{private} on the public page");
    }

    // Checking copies: the original is genuine, one changed byte is not, nor no file.
    let path = format!("/xac-thuc/{public}");
    let reply = post_file(&app, &path, None, &[], Some(("file", RESULT_PDF))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("Đúng bản đã ký, không bị thay đổi"),
        "{}",
        reply.body
    );
    let mut changed = RESULT_PDF.to_vec();
    changed[12] ^= 1;
    let reply = post_file(&app, &path, None, &[], Some(("file", &changed))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .body
            .contains("đã bị sửa đổi hoặc không phải tệp đã được ký")
    );
    assert!(!reply.body.contains("Đúng bản đã ký, không bị thay đổi"));
    let reply = post_file(&app, &path, None, &[], None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The signature file is public; its bytes verify the PDF.
    let p7s = tower::ServiceExt::oneshot(
        app.router.clone(),
        Request::builder()
            .uri(format!("/xac-thuc/{public}/chu-ky.p7s"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(p7s.status(), StatusCode::OK);
    assert_eq!(p7s.headers()["content-type"], "application/pkcs7-signature");
    let bytes = axum::body::to_bytes(p7s.into_body(), 1 << 20)
        .await
        .unwrap();
    let checked = motcua_docs::verify(RESULT_PDF, &bytes).unwrap();
    assert!(checked.is_valid());
    assert_eq!(checked.certificate_sha256, signed[0].certificate_sha256);

    // Unknown ids answer the friendly 404.
    for unknown in ["ZZZZZZZZZZZZZZZZZZZZ", "1", "..%2F..%2Fetc"] {
        let reply = get_page(&app, &format!("/xac-thuc/{unknown}"), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{unknown}");
        assert!(reply.body.contains("<html"), "the friendly page");
    }
    let reply = get_page(&app, "/xac-thuc/ZZZZZZZZZZZZZZZZZZZZ/chu-ky.p7s", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    // The stored result gone from the files folder (a wrong folder, a failed restore): a
    // server fault, told as such, never "changed".
    let stored = &signed[0].file_sha256;
    let blob = app.files_dir.join(&stored[..2]).join(&stored[2..]);
    std::fs::remove_file(&blob).unwrap();
    let page = get_page(&app, &format!("/xac-thuc/{public}"), None).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.body.contains("máy chủ không đọc được tệp kết quả"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("đã bị thay đổi"));
    // Changed on disk: that is a forgery.
    std::fs::write(&blob, b"%PDF-1.7 da sua").unwrap();
    let page = get_page(&app, &format!("/xac-thuc/{public}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("không còn khớp với chữ ký"),
        "{}",
        page.body
    );
}

/// A real result PDF (a rendered form) is signed inside: the dossier gets the signed copy,
/// which `pdfsig` reports valid over the whole file, and the public page checks a copy on its
/// own (no `.p7s`).
#[tokio::test]
async fn a_real_pdf_is_signed_inside_and_checked_on_its_own() {
    let app = TestApp::new().await;
    let id = approved(&app).await;
    let db = &app.state.db;
    // A one-page document whose bottom margin is free, as a result's is (Decree 30/2020
    // leaves 20 mm), so the stamp in the margin covers nothing.
    let spec = motcua_docs::form(
        motcua_docs::Regime::Tt03_2025,
        motcua_docs::FormKind::Refusal,
    )
    .unwrap();
    let original = motcua_docs::render_with(
        &motcua_docs::sample::context(),
        &spec,
        &motcua_docs::Templates::shipped(),
    )
    .unwrap()
    .pdf;
    let file = attached_with_key(&app, id, &original).await;
    let leader = staff_session(&app, "u.ct").await;
    let reply = sign(&app, &leader, id, file).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let signed = db.files().signed_results_of(id).await.unwrap();
    let copy_id = signed[0].signed_file_id.expect("signed inside the PDF");
    let public = signed[0].id.clone();

    // The dossier lists the signed copy, with no detached signature beside it.
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&leader)).await;
    assert!(page.body.contains("ket-qua-da-ky-so.pdf"), "{}", page.body);
    assert!(!page.body.contains("chu-ky.p7s"));
    let download = get_page(
        &app,
        &format!("/can-bo/ho-so/{id}/tep/{copy_id}"),
        Some(&leader),
    )
    .await;
    assert_eq!(download.status, StatusCode::OK);
    let copy = download.bytes;
    assert_eq!(&copy[..original.len()], &original[..]);
    let found = motcua_docs::verify_pdf(&copy).unwrap();
    assert!(found[0].verification.is_valid() && found[0].covers_whole_file);
    assert_eq!(
        found[0].verification.signer,
        "Ủy ban nhân dân tỉnh Thanh Hóa"
    );
    if let Some(report) = crate::common::pdfsig(&copy) {
        assert!(report.contains("Signature is Valid."), "{report}");
        assert!(report.contains("Total document signed"), "{report}");
        assert!(report.contains("ETSI.CAdES.detached"), "{report}");
    }
    // The stamp at the foot of the last page carries the QR code of the verification page:
    // rendered as a reader renders it, and read back.
    if let Some(last) = pdf_pages(&copy, 200).and_then(|pages| pages.last().cloned())
        && let Some(codes) = qr_codes(&last)
    {
        assert!(
            codes.contains(&format!("http://motcua.test/xac-thuc/{public}")),
            "{codes}"
        );
    }

    // The public page: genuine, the signature said to be inside the PDF, no `.p7s`.
    let path = format!("/xac-thuc/{public}");
    let page = get_page(&app, &path, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("bản gốc đã ký số và không bị thay đổi"));
    assert!(page.body.contains("Chữ ký số nằm ngay trong tệp PDF"));
    assert!(!page.body.contains("chu-ky.p7s"));
    let p7s = get_page(&app, &format!("{path}/chu-ky.p7s"), None).await;
    assert_eq!(p7s.status, StatusCode::NOT_FOUND);

    // Copies checked on their own: the signed copy and the file that was signed are
    // genuine; a changed byte, or anything added after the signature, is not.
    let genuine = "Đúng bản đã ký, không bị thay đổi";
    for (what, bytes, expected) in [
        ("signed copy", copy.clone(), true),
        ("original", original.clone(), true),
        (
            "changed",
            {
                let mut c = copy.clone();
                c[300] ^= 1;
                c
            },
            false,
        ),
        (
            "appended",
            {
                let mut c = copy.clone();
                c.extend_from_slice(b"\n1 0 obj (sua) endobj\n");
                c
            },
            false,
        ),
        ("another file", RESULT_PDF.to_vec(), false),
    ] {
        let reply = post_file(&app, &path, None, &[], Some(("file", &bytes))).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}");
        assert_eq!(
            reply.body.contains(genuine),
            expected,
            "{what}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn signing_waits_for_approval_and_a_key() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();
    let counter = staff_session(&app, "u.tn").await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&counter)).await;
    post_file(
        &app,
        &format!("/can-bo/ho-so/{id}/tep"),
        Some(&counter),
        &[("csrf", &csrf_of(&page.body)), ("purpose", "result")],
        Some(("files", RESULT_PDF)),
    )
    .await;
    let file = db.files().attachments(id).await.unwrap()[0].id;
    // Before approval even the province's leader may not sign.
    let leader = staff_session(&app, "u.ct").await;
    let reply = sign(&app, &leader, id, file).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    // Approved, but the province has no key configured: a clear message, nothing signed.
    let id2 = approved(&app).await;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id2}"), Some(&counter)).await;
    post_file(
        &app,
        &format!("/can-bo/ho-so/{id2}/tep"),
        Some(&counter),
        &[("csrf", &csrf_of(&page.body)), ("purpose", "result")],
        Some(("files", RESULT_PDF)),
    )
    .await;
    let file2 = db.files().attachments(id2).await.unwrap()[0].id;
    let page = get_page(&app, &format!("/can-bo/ho-so/{id2}"), Some(&leader)).await;
    assert!(
        page.body.contains("motcua signing-key"),
        "the leader is told the key is missing"
    );
    let reply = sign(&app, &leader, id2, file2).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(
        reply.body.contains("chưa được cấu hình khóa ký số"),
        "{}",
        reply.body
    );
    assert!(db.files().signed_results_of(id2).await.unwrap().is_empty());

    // A certificate no longer in force does not sign either; a current one does.
    let province = db
        .agencies()
        .agency_by_code(PROVINCE)
        .await
        .unwrap()
        .unwrap();
    let now = app.state.now();
    let six_years_ago = now - chrono::Duration::days(6 * 366);
    motcua_web::signing::create_demo_key(db, &province, "test", six_years_ago, now)
        .await
        .unwrap();
    let reply = sign(&app, &leader, id2, file2).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(reply.body.contains("đã hết hạn"), "{}", reply.body);
    motcua_web::signing::create_demo_key(db, &province, "test", now, now)
        .await
        .unwrap();
    let reply = sign(&app, &leader, id2, file2).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(db.files().signed_results_of(id2).await.unwrap().len(), 1);
}

/// An online filing of the lawyer's certificate by a new citizen account: (cookie, id).
async fn filed_online(app: &TestApp) -> (String, i64) {
    let password = "mat-khau-cong-dan";
    let response = tower::ServiceExt::oneshot(
        app.router.clone(),
        Request::builder()
            .method(Method::POST)
            .uri("/cong-dan/dang-ky")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", FORM_COOKIE)
            .body(Body::from(format!(
                "full_name=Nguyễn Thị Thu Hà&phone=0912345678&email=&id_number=&password={password}&password2={password}&next=%2Fcong-dan&csrf={FORM_TOKEN}"
            )))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let form = get_page(app, "/cong-dan/nop/1.000828", Some(&cookie)).await;
    let csrf = csrf_of(&form.body);
    let boundary = "----motcua-sign-boundary";
    let mut body = Vec::new();
    for (name, value) in [
        ("csrf", csrf.as_str()),
        ("case", "chung"),
        ("agency", CENTRE),
        ("kind", "person"),
        ("name", "Nguyễn Thị Thu Hà"),
        ("id_number", "038190012345"),
        ("phone", "0912345678"),
        ("n_sms", "on"),
        ("return_method", "online"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for component in ["tp-01", "tp-02", "tp-03", "tp-04"] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file_{component}\"; filename=\"{component}.pdf\"\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(b"%PDF-1.4\n% giay to\n\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let reply = send(
        app,
        Request::builder()
            .method(Method::POST)
            .uri("/cong-dan/nop/1.000828")
            .header("cookie", &cookie)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let id = reply
        .location
        .trim_start_matches("/cong-dan/ho-so/")
        .trim_end_matches("?moi=1")
        .parse()
        .unwrap();
    (cookie, id)
}

#[tokio::test]
async fn the_owner_downloads_the_signed_result_and_its_signature() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let (cookie, id) = filed_online(&app).await;
    let (_, d) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-tn"))
        .await;
    let d = app.act("tok-tn", &d, json!({"action": "accept"})).await;
    let d = app.act("tok-tn", &d, json!({"action": "forward"})).await;
    let d = app
        .act("tok-cv", &d, json!({"action": "appraise", "note": "Đủ"}))
        .await;
    let d = app.act("tok-cv", &d, json!({"action": "forward"})).await;
    let d = app.act("tok-tp", &d, json!({"action": "forward"})).await;
    let d = app.act("tok-gd", &d, json!({"action": "forward"})).await;
    let d = app.act("tok-ct", &d, json!({"action": "approve"})).await;
    assert_eq!(d["status"], "result_ready");

    let record = db.dossiers().dossier(id).await.unwrap().unwrap();
    let stored = app
        .state
        .files
        .store(
            motcua_db::Upload {
                name: "ket-qua.pdf".into(),
                bytes: RESULT_PDF.to_vec(),
                component: None,
                purpose: motcua_db::Purpose::Result,
            },
            "files",
        )
        .await
        .unwrap();
    let now = app.state.now();
    db.dossiers()
        .attach_files(id, &record.code, vec![stored], "staff:1".into(), now)
        .await
        .unwrap();
    let file = db
        .files()
        .attachments(id)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.purpose == motcua_db::Purpose::Result)
        .unwrap();
    let province = db
        .agencies()
        .agency_by_code(PROVINCE)
        .await
        .unwrap()
        .unwrap();
    motcua_web::signing::create_demo_key(db, &province, "test", now, now)
        .await
        .unwrap();
    let public = motcua_web::signing::sign_result(
        db,
        &app.state.files,
        &record,
        &file,
        "staff:5".into(),
        None,
        now,
        "http://motcua.test",
        None,
    )
    .await
    .unwrap();

    let page = get_page(&app, &format!("/cong-dan/ho-so/{id}"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("/xac-thuc/{public}\"")),
        "verify link"
    );
    assert!(
        page.body
            .contains(&format!("/xac-thuc/{public}/chu-ky.p7s"))
    );
    assert!(
        page.body
            .contains(&format!("/cong-dan/ho-so/{id}/tep/{}", file.id))
    );
    let pdf = get_page(
        &app,
        &format!("/cong-dan/ho-so/{id}/tep/{}", file.id),
        Some(&cookie),
    )
    .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.body.as_bytes(), RESULT_PDF);
}
