//! The official forms from the staff pages: each dossier's PDFs filled from its data and
//! history (checked by extracting their text with `pdftotext`), offered only when they apply
//! and only to staff who may see the dossier; and the log book of a period.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

async fn get(app: &TestApp, path: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder()
        .uri(path)
        .header("cookie", cookie)
        .header("host", "motcua.test")
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(response.into_body(), 20 << 20)
        .await
        .unwrap()
        .to_vec();
    (status, kind, bytes)
}

/// The text of a PDF, or None when `pdftotext` is missing.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    crate::common::poppler("pdftotext", &["-layout"], pdf, &["-"])
}

async fn act(
    app: &TestApp,
    token: &str,
    d: serde_json::Value,
    action: serde_json::Value,
) -> serde_json::Value {
    let mut body = action;
    body["expected_version"] = d["version"].clone();
    let (status, d) = app
        .post(
            &format!("/api/v1/dossiers/{}/transitions", d["id"]),
            Some(token),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    d
}

#[tokio::test]
async fn a_dossiers_forms_are_real_pdfs_of_its_data() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let code = d["code"].as_str().unwrap().to_string();
    let counter = staff_session(&app, "u.tn").await;

    // The dossier page offers the receipt and the control slip, not a refusal.
    let page = {
        let request = Request::builder()
            .uri(format!("/can-bo/ho-so/{id}"))
            .header("cookie", &counter)
            .body(Body::empty())
            .unwrap();
        let r = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap();
        let b = axum::body::to_bytes(r.into_body(), 10 << 20).await.unwrap();
        String::from_utf8(b.to_vec()).unwrap()
    };
    assert!(page.contains(&format!("/can-bo/ho-so/{id}/bieu-mau/giay-tiep-nhan")));
    assert!(page.contains(&format!("/can-bo/ho-so/{id}/bieu-mau/phieu-kiem-soat")));
    assert!(!page.contains("/bieu-mau/tu-choi"));

    let (status, kind, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/giay-tiep-nhan"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&pdf) {
        for expected in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Trung tâm Phục vụ hành chính công tỉnh",
            code.as_str(),
            "Nguyễn Thị Thu Hà",
            "luật sư",
        ] {
            assert!(text.contains(expected), "{expected} missing from:\n{text}");
        }
        // Entered in the log book: the year's volume, the first entry of the year.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let year = app.state.now().format("%Y").to_string();
        assert!(
            flat.contains(&format!("Quyển số: {year}, Số thứ tự: 1")),
            "{flat}"
        );
    }

    // Through the workflow; the control slip lists each hand-over with its outcome.
    let d = act(&app, "tok-tn", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-cv", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-tp", d, serde_json::json!({"action": "forward"})).await;
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/phieu-kiem-soat"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Cán bộ tn"), "{text}");
        assert!(text.contains("Cán bộ cv"), "{text}");
        assert!(text.contains("Sở Tư pháp"), "{text}");
        assert!(
            text.contains("Trước hạn") || text.contains("Đúng hạn"),
            "{text}"
        );
    }

    // Approved and handed back: the slip's last row goes from the counter to the applicant.
    let d = act(&app, "tok-gd", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-ct", d, serde_json::json!({"action": "approve"})).await;
    let d = act(
        &app,
        "tok-tn",
        d,
        serde_json::json!({"action": "return", "method": "in_person"}),
    )
    .await;
    assert_eq!(d["status"], "returned", "{d}");
    let (_, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/phieu-kiem-soat"),
        &counter,
    )
    .await;
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // The last row (its cells wrap, so they are read word by word).
        let last = flat.rsplit("1. Giao:").next().unwrap_or_default();
        for words in ["2. Nhận: Tổ chức, cá", "Nguyễn Thị", "Thu Hà", "Trực tiếp"] {
            assert!(last.contains(words), "{words} not in the last row: {last}");
        }
    }

    // Forms that do not apply, and staff who may not see the dossier: not found.
    let (status, _, _) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/tu-choi"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/khong-co"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let finance = staff_session(&app, "u.cvtc").await;
    let (status, _, _) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/giay-tiep-nhan"),
        &finance,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refusal_and_the_log_book_of_a_period() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let code = d["code"].as_str().unwrap().to_string();
    let counter = staff_session(&app, "u.tn").await;

    // An online dossier refused at reception prints the refusal with its reason.
    let citizen_id = app
        .state
        .db
        .people()
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: "Lê Văn Tâm".into(),
                phone: Some("0933444555".into()),
                password: "mat-khau-cong-dan".into(),
                ..motcua_db::NewCitizen::default()
            },
            app.state.now().timestamp(),
        )
        .await
        .unwrap()
        .id;
    let refused = filed_online(&app, citizen_id).await;
    let refused_json = serde_json::json!({"id": refused.id, "version": refused.version});
    act(
        &app,
        "tok-tn",
        refused_json,
        serde_json::json!({"action": "refuse_intake", "reason": "Hồ sơ không thuộc thẩm quyền"}),
    )
    .await;
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{}/bieu-mau/tu-choi", refused.id),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Hồ sơ không thuộc thẩm quyền"), "{text}");
    }

    // An online dossier accepted at the counter: its receipt names the officer who accepted
    // it, not the citizen's submission.
    let accepted = filed_online(&app, citizen_id).await;
    act(
        &app,
        "tok-tn",
        serde_json::json!({"id": accepted.id, "version": accepted.version}),
        serde_json::json!({"action": "accept"}),
    )
    .await;
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{}/bieu-mau/giay-tiep-nhan", accepted.id),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Cán bộ tn"), "{text}");
    }

    // The log book: a form first, then the PDF of the period with both dossiers.
    let (status, kind, html) = get(&app, "/can-bo/so-theo-doi", &counter).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/html"));
    let html = String::from_utf8(html).unwrap();
    assert!(html.contains("Sổ theo dõi hồ sơ"));
    let centre = app
        .state
        .db
        .agencies()
        .agency_by_code(CENTRE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let today = app.state.now().date_naive();
    let (status, kind, pdf) = get(
        &app,
        &format!(
            "/can-bo/so-theo-doi?agency={centre}&from={}&to={}",
            today.pred_opt().unwrap(),
            today
        ),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains(&code), "{text}");
        assert!(text.contains(&refused.code), "{text}");
        assert!(text.contains(&accepted.code), "{text}");
        // The resolving agency's column, the column to sign for the result, and the book
        // closed by whoever printed it.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Cơ quan giải",
            "Ký nhận",
            "Sở Tư pháp",
            "NGƯỜI LẬP SỔ",
            "Cán bộ tn",
            "Khóa sổ",
        ] {
            assert!(flat.contains(expected), "{expected} missing:\n{text}");
        }
    }
    // Backwards dates are named; a specialist without a counter has no log book.
    let (status, _, html) = get(
        &app,
        &format!("/can-bo/so-theo-doi?agency={centre}&from=2026-05-02&to=2026-05-01"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        String::from_utf8(html)
            .unwrap()
            .contains("phải sau ngày bắt đầu")
    );
    let specialist = staff_session(&app, "u.cv").await;
    let (status, _, _) = get(&app, "/can-bo/so-theo-doi", &specialist).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn officers_are_scored_on_the_dossiers_they_resolved() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let d = act(&app, "tok-tn", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-cv", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-tp", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-gd", d, serde_json::json!({"action": "forward"})).await;
    let d = act(&app, "tok-ct", d, serde_json::json!({"action": "approve"})).await;
    assert_eq!(d["status"], "result_ready");
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    // The department's leader sees its officers, each with a score and a duty level.
    let director = staff_session(&app, "u.gd").await;
    let (status, _, html) = get(&app, "/can-bo/thong-ke/can-bo", &director).await;
    assert_eq!(status, StatusCode::OK);
    let html = text(html);
    assert!(
        html.contains("Cán bộ cv") && html.contains("Cán bộ tp"),
        "{html}"
    );
    assert!(html.contains("Hoàn thành 100% nhiệm vụ"), "{html}");
    // A specialist sees only themselves.
    let specialist = staff_session(&app, "u.cv").await;
    let (_, _, html) = get(&app, "/can-bo/thong-ke/can-bo", &specialist).await;
    let html = text(html);
    assert!(html.contains("Cán bộ cv"));
    assert!(!html.contains("Cán bộ tp"), "{html}");
}

/// "ngày 02 tháng 03 năm 2026", as the forms write a date.
fn written_date(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    let local = t.with_timezone(&motcua_domain::calendar::vietnam_offset());
    local.format("ngày %d tháng %m năm %Y").to_string()
}

/// A paper bears its event's date, not the day it is printed; a receipt printed after an
/// apology still states the appointment given at receipt; the number carries the day.
#[tokio::test]
async fn forms_bear_their_events_dates() {
    use motcua_domain::agency::Role;
    use motcua_domain::dossier::{Action, Actor, Intake};
    let app = TestApp::new().await;
    let db = &app.state.db;
    let calendar = app.state.calendar();
    let staff = |name: &'static str| async move {
        db.people()
            .staff_by_username(name)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (tn, cv, gd) = (
        staff("u.tn").await,
        staff("u.cv").await,
        staff("u.gd").await,
    );
    let mut body = lawyer_intake();
    body.as_object_mut().unwrap().remove("receiving_agency");
    let intake: Intake = serde_json::from_value(body).unwrap();
    let then = app.state.now() - chrono::Duration::days(30);
    let d = db
        .dossiers()
        .intake(
            intake,
            CENTRE,
            &Actor::Staff {
                id: tn,
                roles: vec![Role::CounterOfficer],
            },
            &calendar,
            then,
        )
        .await
        .unwrap();
    let first_due = d.state.due.unwrap();
    let step = |d: motcua_db::DossierRecord, who: i64, action: Action, at| {
        let calendar = calendar.clone();
        async move {
            db.dossiers()
                .transition(
                    &motcua_db::TransitionRequest {
                        dossier_id: d.id,
                        expected_version: d.version,
                        action,
                    },
                    motcua_db::ActorRef::Staff(who),
                    &calendar,
                    at,
                )
                .await
                .unwrap()
        }
    };
    let d = step(
        d,
        tn,
        Action::Forward { note: None },
        then + chrono::Duration::minutes(30),
    )
    .await;
    let proposed_at = then + chrono::Duration::hours(2);
    let d = step(
        d,
        cv,
        Action::ProposeApology {
            reason: "Chờ kết quả xác minh".into(),
            new_due: first_due + chrono::Duration::days(2),
        },
        proposed_at,
    )
    .await;
    let approved_at = proposed_at + chrono::Duration::hours(1);
    let d = step(d, gd, Action::ApproveApology, approved_at).await;
    assert_ne!(d.state.due, Some(first_due));

    let counter = staff_session(&app, "u.tn").await;
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{}/bieu-mau/giay-tiep-nhan", d.id),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let today = written_date(app.state.now());
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains(&written_date(then)), "{text}");
        assert!(
            !text.contains(&today),
            "printed today, dated today:\n{text}"
        );
        // The first appointment, with its hour, not the apology's.
        let due_line = first_due
            .with_timezone(&motcua_domain::calendar::vietnam_offset())
            .format("%H giờ %M phút, ngày %d tháng %m năm %Y")
            .to_string();
        assert!(text.contains(&due_line), "{due_line} missing:\n{text}");
        let day = d.code.split('-').nth(1).unwrap();
        assert!(
            text.contains(&format!("{day}-")),
            "the number has the day {day}:\n{text}"
        );
    }
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{}/bieu-mau/xin-loi", d.id),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains(&written_date(approved_at)), "{text}");
        assert!(!text.contains(&today), "{text}");
    }
}

#[tokio::test]
async fn the_applicant_signs_the_receipt_on_the_pad_and_it_is_printed() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let code = d["code"].as_str().unwrap().to_string();
    let counter = staff_session(&app, "u.tn").await;
    let path = format!("/can-bo/ho-so/{id}/giay-hen");
    let page = get_page(&app, &path, Some(&counter)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-sign-pad"), "{}", page.body);
    assert!(!page.body.contains("applicant-signature"));
    let csrf = csrf_of(&page.body);
    let unsigned = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/giay-tiep-nhan"),
        &counter,
    )
    .await
    .2;

    // Nothing drawn, or a forged form: refused, nothing kept.
    let reply = post_form(
        &app,
        &path,
        Some(&counter),
        &format!("csrf={csrf}&strokes=%5B%5D"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Chưa có chữ ký"), "{}", reply.body);
    let reply = post_form(&app, &path, Some(&counter), "csrf=forged&strokes=%5B%5D").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.state
            .db
            .dossiers()
            .applicant_signature(id)
            .await
            .unwrap(),
        None
    );

    // Signed: kept with the dossier, audited, shown on the page and printed on Mẫu 01.
    let strokes = "[[[100,800],[250,150],[400,800]],[[450,500],[950,450]]]";
    let form = format!(
        "csrf={csrf}&strokes={}",
        strokes
            .replace('[', "%5B")
            .replace(']', "%5D")
            .replace(',', "%2C")
    );
    let reply = post_form(&app, &path, Some(&counter), &form).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location, path);
    let page = get_page(&app, &path, Some(&counter)).await;
    assert!(
        page.body.contains("class=\"applicant-signature\""),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("M100 800L250 150L400 800M450 500L950 450")
    );
    let trail = app
        .state
        .db
        .audit()
        .audit_of("dossier", &code)
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "applicant_signed"));
    let (status, kind, signed) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/giay-tiep-nhan"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "application/pdf");
    if let (Some(before), Some(after)) = (pdf_pages(&unsigned, 40), pdf_pages(&signed, 40)) {
        assert_ne!(before, after, "the signature is drawn on the receipt");
    }

    // Once the dossier moved on, the specialist who now sees it may not sign for the
    // applicant: only the receiving counter takes the signature.
    let d = act(&app, "tok-tn", d, serde_json::json!({"action": "forward"})).await;
    assert_eq!(d["status"], "processing", "{d}");
    let specialist = staff_session(&app, "u.cv").await;
    let page = get_page(&app, &path, Some(&specialist)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("data-sign-pad"),
        "no pad for the specialist"
    );
    // The token from a page that has forms for the specialist: the dossier's.
    let dossier_page = get_page(&app, &format!("/can-bo/ho-so/{id}"), Some(&specialist)).await;
    let reply = post_form(
        &app,
        &path,
        Some(&specialist),
        &format!(
            "csrf={}&{}",
            csrf_of(&dossier_page.body),
            form.split_once('&').unwrap().1
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

/// The lawyer's certificate filed online by the citizen `citizen_id`.
async fn filed_online(app: &TestApp, citizen_id: i64) -> motcua_db::DossierRecord {
    let mut online = lawyer_intake();
    online["channel"] = "online".into();
    app.state
        .db
        .dossiers()
        .intake_with(
            serde_json::from_value(online).unwrap(),
            CENTRE,
            &motcua_domain::dossier::Actor::Citizen { owner: true },
            &app.state.calendar(),
            app.state.now(),
            motcua_db::IntakeExtras {
                citizen_id: Some(citizen_id),
                files: Vec::new(),
                portal_code: None,
                verified_identity: false,
            },
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_supplement_request_lists_what_to_add_and_whom_to_ask() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let d = act(
        &app,
        "tok-tn",
        d,
        serde_json::json!({
            "action": "request_supplement",
            "reason": "Hồ sơ chưa đủ thành phần",
            "missing": ["Bản sao CCCD: bản sao có chứng thực, còn thời hạn", "Ảnh 4x6"],
        }),
    )
    .await;
    assert_eq!(d["status"], "awaiting_supplement", "{d}");
    let counter = staff_session(&app, "u.tn").await;
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/yeu-cau-bo-sung"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // The paper in its column, what to do to it in the next one.
        assert!(flat.contains("Bản sao CCCD"), "{text}");
        assert!(!flat.contains("Bản sao CCCD:"), "{text}");
        assert!(flat.contains("có chứng thực"), "{text}");
        assert!(flat.contains("Ảnh 4x6"), "{text}");
        // Whom to ask, and who signs: the officer who asked.
        assert!(flat.contains("liên hệ Cán bộ tn, Trung tâm"), "{text}");
        assert!(!flat.contains("liên hệ để"), "{text}");
        let signature = flat.rsplit("NGƯỜI HƯỚNG DẪN").next().unwrap_or_default();
        assert!(signature.contains("Cán bộ tn"), "{signature}");
    }
}

/// A staff member with a title and one role, reachable by the API token `tok-{username}`.
async fn titled_staff(
    app: &TestApp,
    username: &str,
    name: &str,
    title: &str,
    agency: &str,
    role: motcua_domain::agency::Role,
) {
    let db = &app.state.db;
    let s = db
        .people()
        .create_staff(
            &motcua_db::NewStaff {
                username: format!("u.{username}"),
                full_name: name.into(),
                title: Some(title.into()),
                token: Some(format!("tok-{username}")),
                ..motcua_db::NewStaff::default()
            },
            "test",
        )
        .await
        .unwrap();
    db.people().grant(s.id, agency, role, "test").await.unwrap();
}

#[tokio::test]
async fn letters_speak_for_the_body_their_signer_leads_and_wait_for_their_signer() {
    use motcua_domain::agency::{AgencyLevel, Role};
    let app = TestApp::new().await;
    let db = &app.state.db;
    db.agencies()
        .create_agency(
            &motcua_db::NewAgency {
                code: "000.01.03.H56".into(),
                name: "Phòng Hành chính tư pháp".into(),
                level: AgencyLevel::Province,
                parent_code: Some(JUSTICE.into()),
                phone: None,
                address: None,
            },
            "test",
        )
        .await
        .unwrap();
    titled_staff(
        &app,
        "pgd",
        "Lê Thị Hạnh",
        "Phó Giám đốc Sở Tư pháp",
        JUSTICE,
        Role::AgencyLeader,
    )
    .await;
    titled_staff(
        &app,
        "pct",
        "Đỗ Trọng Khang",
        "Phó Chủ tịch Ủy ban nhân dân tỉnh",
        PROVINCE,
        Role::AgencyLeader,
    )
    .await;
    titled_staff(
        &app,
        "cvp",
        "Ngô Văn Bình",
        "Chuyên viên Phòng Hành chính tư pháp",
        "000.01.03.H56",
        Role::Specialist,
    )
    .await;
    // The specialist works on the department's dossiers from within its unit.
    let cvp = db
        .people()
        .staff_by_username("u.cvp")
        .await
        .unwrap()
        .unwrap();
    db.people()
        .grant(cvp.id, JUSTICE, Role::Specialist, "test")
        .await
        .unwrap();
    let counter = staff_session(&app, "u.tn").await;
    let flat = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");

    // An apology proposed by the unit's specialist prints only as a draft until a leader
    // approves it; then it goes out in the department's name, signed "KT. GIÁM ĐỐC".
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();
    let d = act(&app, "tok-tn", d, serde_json::json!({"action": "forward"})).await;
    let due = d["due_at"].as_str().unwrap().to_string();
    let new_due = chrono::DateTime::parse_from_rfc3339(&due).unwrap() + chrono::Duration::days(3);
    let d = act(
        &app,
        "tok-cvp",
        d,
        serde_json::json!({"action": "propose_apology", "reason": "Chờ xác minh", "new_due": new_due.to_rfc3339()}),
    )
    .await;
    let apology = format!("/can-bo/ho-so/{id}/bieu-mau/xin-loi");
    let (status, _, pdf) = get(&app, &apology, &counter).await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf).map(flat) {
        assert!(text.contains(motcua_docs::DRAFT_MARK), "{text}");
    }
    let d = act(
        &app,
        "tok-pgd",
        d,
        serde_json::json!({"action": "approve_apology"}),
    )
    .await;
    let (_, _, pdf) = get(&app, &apology, &counter).await;
    if let Some(text) = pdf_text(&pdf).map(flat) {
        assert!(!text.contains("DỰ THẢO"), "{text}");
        for expected in [
            "ỦY BAN NHÂN DÂN TỈNH",
            "SỞ TƯ PHÁP Số:",
            "Sở Tư pháp trân trọng xin lỗi",
            "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
            "Lê Thị Hạnh",
        ] {
            assert!(text.contains(expected), "{expected} missing:\n{text}");
        }
        assert!(!text.contains("PHÓ GIÁM ĐỐC SỞ"), "{text}");
    }
    // The control slip names the unit the specialist took it up in.
    let (_, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/phieu-kiem-soat"),
        &counter,
    )
    .await;
    if let Some(text) = pdf_text(&pdf).map(flat) {
        assert!(
            text.contains("Phòng Hành chính tư pháp, Sở Tư pháp"),
            "{text}"
        );
    }
    // The receipt labels the lookup code and says who keeps which copy.
    let (_, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/giay-tiep-nhan"),
        &counter,
    )
    .await;
    let secret = db
        .dossiers()
        .dossier(id)
        .await
        .unwrap()
        .unwrap()
        .lookup_secret;
    if let Some(text) = pdf_text(&pdf).map(flat) {
        assert!(text.contains(&format!("Mã tra cứu: {secret}")), "{text}");
        assert!(text.contains("lập thành 02 bản"), "{text}");
        assert!(
            text.contains("Thời gian giải quyết hồ sơ theo quy định là"),
            "{text}"
        );
    }

    // Rejected after appraisal by the province's vice-chairman: the rejection, in the
    // People's Committee's name with no parent line above it, "TM." and "KT."; no stop notice.
    let d = act(
        &app,
        "tok-pct",
        d,
        serde_json::json!({"action": "reject", "reason": "Không đủ điều kiện hành nghề"}),
    )
    .await;
    assert_eq!(d["status"], "stopped");
    let page =
        String::from_utf8(get(&app, &format!("/can-bo/ho-so/{id}"), &counter).await.2).unwrap();
    assert!(page.contains("/bieu-mau/tu-choi-giai-quyet"), "{page}");
    assert!(!page.contains("/bieu-mau/dung-giai-quyet"));
    let (status, _, pdf) = get(
        &app,
        &format!("/can-bo/ho-so/{id}/bieu-mau/tu-choi-giai-quyet"),
        &counter,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    if let Some(text) = pdf_text(&pdf).map(flat) {
        for expected in [
            "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ",
            "Không đủ điều kiện hành nghề",
            "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
            "Đỗ Trọng Khang",
            "Trung tâm Phục vụ hành chính công tỉnh",
        ] {
            assert!(text.contains(expected), "{expected} missing:\n{text}");
        }
        // The left column of the heading: what comes before the number, less the motto.
        let heading = text
            .split("Số:")
            .next()
            .unwrap_or_default()
            .replace("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "")
            .replace("Độc lập - Tự do - Hạnh phúc", "");
        let heading = flat(heading);
        assert!(
            heading.contains("ỦY BAN NHÂN DÂN TỈNH THANH HÓA"),
            "{heading}"
        );
        assert!(!heading.contains("VĂN PHÒNG"), "{heading}");
        assert!(!text.contains("DỰ THẢO"), "{text}");
    }
}

#[tokio::test]
async fn the_second_screen_follows_the_officers_intake_and_returns_after_signing() {
    let app = TestApp::new().await;
    let counter = staff_session(&app, "u.tn").await;
    let screen = get_page(&app, "/can-bo/ban-ky", Some(&counter)).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(screen.body.contains("data-pad-wait"), "{}", screen.body);

    // The officer takes a dossier in at the counter: the tablet offers its receipt to sign.
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let (id, code) = (d["id"].as_i64().unwrap(), d["code"].as_str().unwrap());
    let screen = get_page(&app, "/can-bo/ban-ky", Some(&counter)).await;
    assert!(screen.body.contains(code), "{}", screen.body);
    assert!(
        screen
            .body
            .contains(&format!("action=\"/can-bo/ho-so/{id}/giay-hen\""))
    );
    assert!(!screen.body.contains("data-pad-wait"));
    let csrf = csrf_of(&screen.body);
    let strokes = "[[[100,800],[250,150],[400,800]]]";
    let reply = post_form(
        &app,
        &format!("/can-bo/ho-so/{id}/giay-hen"),
        Some(&counter),
        &format!(
            "csrf={csrf}&next=%2Fcan-bo%2Fban-ky&strokes={}",
            encode(strokes)
        ),
    )
    .await;
    assert_eq!(reply.location, "/can-bo/ban-ky", "{}", reply.body);
    assert!(
        app.state
            .db
            .dossiers()
            .applicant_signature(id)
            .await
            .unwrap()
            .is_some()
    );
    // Signed: back to waiting. A specialist has no pad.
    let screen = get_page(&app, "/can-bo/ban-ky", Some(&counter)).await;
    assert!(screen.body.contains("data-pad-wait"), "{}", screen.body);
    let specialist = staff_session(&app, "u.cv").await;
    let screen = get_page(&app, "/can-bo/ban-ky", Some(&specialist)).await;
    assert_eq!(screen.status, StatusCode::FORBIDDEN);
}
