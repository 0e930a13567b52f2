//! The citizen's side in the browser's terms: an account, online filing with files (kind
//! and size checked), the owner's dossier page and nobody else's, the supplement sent
//! online, downloads, withdrawal, the rating (by account or by the receipt's code), and the
//! public board without personal data.

use crate::common::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};

const PASSWORD: &str = "mat-khau-cong-dan";
const PROCEDURE: &str = "1.000828";
const PDF: &[u8] = b"%PDF-1.4\n% to khai\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n anh chup";

/// A multipart body of text fields and files (field, file name, bytes).
pub(crate) async fn post_multipart(
    app: &TestApp,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Reply {
    let (content_type, body) = multipart(fields, files);
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("cookie", cookie)
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

fn cookie_of(reply: &Reply) -> String {
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap().to_string()
}

async fn register(app: &TestApp, name: &str, phone: &str) -> String {
    let reply = post_form(
        app,
        "/cong-dan/dang-ky",
        None,
        &format!(
            "full_name={name}&phone={phone}&email=&id_number=&password={PASSWORD}&password2={PASSWORD}&next=%2Fcong-dan"
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(reply.location.clone(), "/cong-dan");
    cookie_of(&reply)
}

/// Files the lawyer's certificate online with one file per required component.
pub(crate) async fn file_online(app: &TestApp, cookie: &str) -> (i64, String) {
    let form = get_page(app, &format!("/cong-dan/nop/{PROCEDURE}"), Some(cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        form.body.contains("Trung tâm Phục vụ hành chính công tỉnh"),
        "the centre receives"
    );
    let csrf = csrf_of(&form.body);
    let reply = post_multipart(
        app,
        &format!("/cong-dan/nop/{PROCEDURE}"),
        cookie,
        &[
            ("csrf", &csrf),
            ("case", "chung"),
            ("agency", CENTRE),
            ("kind", "person"),
            ("name", "Nguyễn Thị Thu Hà"),
            ("id_number", "038190012345"),
            ("phone", "0912345678"),
            ("n_sms", "on"),
            ("return_method", "online"),
        ],
        &[
            ("file_tp-01", "don-de-nghi.pdf", PDF),
            ("file_tp-02", "bang-cu-nhan.png", PNG),
            ("file_tp-03", "giay-chung-nhan.pdf", PDF),
            ("file_tp-04", "anh-the.png", PNG),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let to = reply.location.clone();
    assert!(to.ends_with("?moi=1"), "{to}");
    let id: i64 = to
        .trim_start_matches("/cong-dan/ho-so/")
        .trim_end_matches("?moi=1")
        .parse()
        .unwrap();
    (id, to)
}

#[tokio::test]
async fn accounts_are_checked_and_sign_in_takes_phone_or_email() {
    let app = TestApp::new().await;
    let page = get_page(&app, "/cong-dan", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.clone(), "/cong-dan/dang-nhap?next=/cong-dan");

    let bad = post_form(
        &app,
        "/cong-dan/dang-ky",
        None,
        "full_name=&phone=123&password=ngan&password2=ngan",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Họ tên"), "{}", bad.body);
    assert!(
        bad.body.contains("số điện thoại “123” không hợp lệ"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("ít nhất 10 ký tự"));

    let mismatch = post_form(
        &app,
        "/cong-dan/dang-ky",
        None,
        "full_name=An&phone=0912345678&password=mat-khau-1&password2=mat-khau-2",
    )
    .await;
    assert!(mismatch.body.contains("không khớp"));

    register(&app, "Nguyễn Thị Thu Hà", "0912345678").await;
    let again = post_form(
        &app,
        "/cong-dan/dang-ky",
        None,
        &format!("full_name=Khac&phone=0912.345.678&password={PASSWORD}&password2={PASSWORD}"),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("đã được dùng"), "{}", again.body);

    let wrong = post_form(
        &app,
        "/cong-dan/dang-nhap",
        None,
        "identifier=0912345678&password=sai-mat-khau",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("không đúng"));
    // Only local paths are followed after signing in.
    let ok = post_form(
        &app,
        "/cong-dan/dang-nhap",
        None,
        &format!("identifier=%2B84912345678&password={PASSWORD}&next=https%3A%2F%2Fevil.example"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location.clone(), "/cong-dan");
    let cookie = cookie_of(&ok);
    let mine = get_page(&app, "/cong-dan", Some(&cookie)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Nguyễn Thị Thu Hà"));

    // A citizen's cookie opens no staff page, and a staff session is not a citizen's.
    let staff = get_page(
        &app,
        "/can-bo",
        Some(&cookie.replace("motcua_citizen", "motcua_session")),
    )
    .await;
    assert_eq!(staff.status, StatusCode::SEE_OTHER);

    let csrf = csrf_of(&mine.body);
    let out = post_form(
        &app,
        "/cong-dan/dang-xuat",
        Some(&cookie),
        &format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location, "/", "a password session signs out at home");
    assert_eq!(
        get_page(&app, "/cong-dan", Some(&cookie)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn online_filing_with_files_and_the_owners_dossier_page() {
    let app = TestApp::new().await;
    let cookie = register(&app, "Nguyễn Thị Thu Hà", "0912345678").await;

    // The procedure page offers online filing.
    let procedure = get_page(&app, &format!("/thu-tuc/{PROCEDURE}"), None).await;
    assert!(
        procedure
            .body
            .contains(&format!("/cong-dan/nop/{PROCEDURE}"))
    );

    // Without the form token: refused, nothing filed.
    let forged = post_multipart(
        &app,
        &format!("/cong-dan/nop/{PROCEDURE}"),
        &cookie,
        &[("csrf", "forged"), ("case", "chung")],
        &[],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // A program disguised as a PDF, and a missing required document: named, nothing kept.
    let form = get_page(&app, &format!("/cong-dan/nop/{PROCEDURE}"), Some(&cookie)).await;
    let csrf = csrf_of(&form.body);
    let bad = post_multipart(
        &app,
        &format!("/cong-dan/nop/{PROCEDURE}"),
        &cookie,
        &[
            ("csrf", &csrf),
            ("case", "chung"),
            ("agency", CENTRE),
            ("kind", "person"),
            ("name", "Nguyễn Thị Thu Hà"),
            ("id_number", "038190012345"),
        ],
        &[
            ("file_tp-01", "don.pdf", b"MZ\x90\x00 not a pdf"),
            ("file_tp-02", "a.pdf", PDF),
            ("file_tp-03", "b.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(
        bad.body.contains("không phải PDF, JPG hoặc PNG"),
        "{}",
        bad.body
    );
    assert_eq!(
        app.state.db.dossiers().count_dossiers(None).await.unwrap(),
        0
    );

    let (id, receipt_path) = file_online(&app, &cookie).await;
    let receipt = get_page(&app, &receipt_path, Some(&cookie)).await;
    assert_eq!(receipt.status, StatusCode::OK);
    let d = app.state.db.dossiers().dossier(id).await.unwrap().unwrap();
    assert!(receipt.body.contains("Đã nộp hồ sơ"));
    assert!(receipt.body.contains(&d.code));
    assert!(receipt.body.contains(&d.lookup_secret));
    assert!(receipt.body.contains("don-de-nghi.pdf"));
    assert!(
        receipt.body.contains("<svg"),
        "the QR code of the tracking link"
    );
    assert_eq!(d.status, motcua_domain::dossier::Status::Submitted);
    assert_eq!(d.components.len(), 4);

    // The owner downloads their file, byte for byte, as an attachment never sniffed.
    let files = app.state.db.files().attachments(id).await.unwrap();
    assert_eq!(files.len(), 4);
    let download = get_page(
        &app,
        &format!("/cong-dan/ho-so/{id}/tep/{}", files[0].id),
        Some(&cookie),
    )
    .await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, PDF);
    assert_eq!(download.headers["content-type"], "application/pdf");
    assert_eq!(download.headers["x-content-type-options"], "nosniff");
    assert!(
        download.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );

    // Another citizen guessing ids sees nothing; nor does anyone without an account.
    let other = register(&app, "Trần Văn Khác", "0987654321").await;
    for path in [
        format!("/cong-dan/ho-so/{id}"),
        format!("/cong-dan/ho-so/{id}/tep/{}", files[0].id),
        format!("/cong-dan/ho-so/{}", id + 1),
        "/cong-dan/ho-so/abc/tep/..%2F..%2Fetc%2Fpasswd".to_string(),
    ] {
        let reply = get_page(&app, &path, Some(&other)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!reply.body.contains("Nguyễn Thị Thu Hà"), "{path}");
    }
    let form = get_page(&app, "/cong-dan", Some(&other)).await;
    let other_csrf = csrf_of(&form.body);
    let stolen = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/rut"),
        Some(&other),
        &format!("csrf={other_csrf}&version=1"),
    )
    .await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);
    assert!(
        get_page(&app, &format!("/cong-dan/ho-so/{id}"), None)
            .await
            .status
            == StatusCode::SEE_OTHER
    );

    // Staff who may read the dossier see and download the files; another agency's may not.
    let staff_page = get_page(
        &app,
        &format!("/can-bo/ho-so/{id}"),
        Some(&staff_session(&app, "u.tn").await),
    )
    .await;
    assert!(
        staff_page.body.contains("anh-the.png"),
        "{}",
        staff_page.body
    );
    let finance = staff_session(&app, "u.cvtc").await;
    let hidden = get_page(
        &app,
        &format!("/can-bo/ho-so/{id}/tep/{}", files[0].id),
        Some(&finance),
    )
    .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

async fn staff_act(app: &TestApp, cookie: &str, id: i64, form: &str) {
    let page = get_page(app, &format!("/can-bo/ho-so/{id}"), Some(cookie)).await;
    let csrf = csrf_of(&page.body);
    let version = app
        .state
        .db
        .dossiers()
        .dossier(id)
        .await
        .unwrap()
        .unwrap()
        .version;
    let reply = post_form(
        app,
        &format!("/can-bo/ho-so/{id}"),
        Some(cookie),
        &format!("csrf={csrf}&version={version}&{form}"),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "{form}: {}",
        reply.body
    );
}

#[tokio::test]
async fn supplement_online_then_withdraw_and_rate_once() {
    let app = TestApp::new().await;
    let cookie = register(&app, "Nguyễn Thị Thu Hà", "0912345678").await;
    let (id, _) = file_online(&app, &cookie).await;
    let counter = staff_session(&app, "u.tn").await;
    staff_act(&app, &counter, id, "action=accept").await;
    staff_act(
        &app,
        &counter,
        id,
        "action=request_supplement&reason=Thi%E1%BA%BFu+ch%E1%BB%AF+k%C3%BD&missing=B%E1%BA%A3n+sao+CCCD",
    )
    .await;

    let page = get_page(&app, &format!("/cong-dan/ho-so/{id}"), Some(&cookie)).await;
    assert!(page.body.contains("Yêu cầu bổ sung hồ sơ"));
    assert!(page.body.contains("Bản sao CCCD"));
    assert!(page.body.contains("Thiếu chữ ký"));
    let csrf = csrf_of(&page.body);
    let version = app
        .state
        .db
        .dossiers()
        .dossier(id)
        .await
        .unwrap()
        .unwrap()
        .version;
    // An empty submission is named, not sent.
    let empty = post_multipart(
        &app,
        &format!("/cong-dan/ho-so/{id}/bo-sung"),
        &cookie,
        &[("csrf", &csrf), ("version", &version.to_string())],
        &[],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("ít nhất một tệp"));
    let sent = post_multipart(
        &app,
        &format!("/cong-dan/ho-so/{id}/bo-sung"),
        &cookie,
        &[
            ("csrf", &csrf),
            ("version", &version.to_string()),
            ("note", "Đã ký"),
        ],
        &[("files", "cccd.png", PNG)],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = get_page(&app, &format!("/cong-dan/ho-so/{id}"), Some(&cookie)).await;
    assert!(page.body.contains("Công dân nộp bổ sung"));
    assert!(page.body.contains("Đã gửi bổ sung lúc"));
    assert!(page.body.contains("cccd.png"));
    // The same stale version again is a conflict, told on the page.
    let stale = post_multipart(
        &app,
        &format!("/cong-dan/ho-so/{id}/bo-sung"),
        &cookie,
        &[("csrf", &csrf), ("version", &version.to_string())],
        &[("files", "cccd.png", PNG)],
    )
    .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("xung đột"), "{}", stale.body);

    // No rating while it is open; after withdrawal the form appears, once.
    assert!(!page.body.contains("name=\"overall\""));
    let version = app
        .state
        .db
        .dossiers()
        .dossier(id)
        .await
        .unwrap()
        .unwrap()
        .version;
    let out = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/rut"),
        Some(&cookie),
        &format!("csrf={csrf}&version={version}&reason=N%E1%BB%99p+l%E1%BA%A1i+sau"),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let page = get_page(&app, &format!("/cong-dan/ho-so/{id}"), Some(&cookie)).await;
    assert!(
        page.body.contains("Công dân yêu cầu rút hồ sơ"),
        "the withdrawn status"
    );
    assert!(
        page.body.contains("name=\"q_online\""),
        "online dossiers rate the online service"
    );
    let answers = "q_time=2&q_agencies=1&q_contacts=2&q_information=2&q_attitude=2&q_lawfulness=2&q_complaints=2&q_online=1&overall=satisfied&comment=Nhanh";
    let missing = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/danh-gia"),
        Some(&cookie),
        &format!("csrf={csrf}&q_time=2&overall=satisfied"),
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("Thái độ của cán bộ"),
        "{}",
        missing.body
    );
    let rated = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/danh-gia"),
        Some(&cookie),
        &format!("csrf={csrf}&{answers}"),
    )
    .await;
    assert_eq!(rated.status, StatusCode::SEE_OTHER, "{}", rated.body);
    let page = get_page(&app, &rated.location.clone(), Some(&cookie)).await;
    assert!(page.body.contains("Cảm ơn"));
    assert!(page.body.contains("Hài lòng"));
    assert!(!page.body.contains("name=\"overall\""));
    let twice = post_form(
        &app,
        &format!("/cong-dan/ho-so/{id}/danh-gia"),
        Some(&cookie),
        &format!("csrf={csrf}&{answers}"),
    )
    .await;
    assert!(twice.body.contains("đã được đánh giá"));
    let stored = app.state.db.ratings().rating(id).await.unwrap().unwrap();
    assert_eq!(stored.via, "account");
    assert_eq!(stored.rating.comment.as_deref(), Some("Nhanh"));
}

#[tokio::test]
async fn counter_dossiers_are_rated_with_the_receipts_code_and_secret() {
    let app = TestApp::new().await;
    let (status, body) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    let d = app.state.db.dossiers().dossier(id).await.unwrap().unwrap();
    let counter = staff_session(&app, "u.tn").await;
    staff_act(
        &app,
        &counter,
        id,
        "action=withdraw&reason=Kh%C3%B4ng+c%E1%BA%A7n+n%E1%BB%AFa",
    )
    .await;

    let lookup = get_page(
        &app,
        &format!("/tra-cuu?code={}&secret={}", d.code, d.lookup_secret),
        None,
    )
    .await;
    assert!(
        lookup.body.contains("action=\"/tra-cuu/danh-gia\""),
        "{}",
        lookup.body
    );
    assert!(
        !lookup.body.contains("name=\"q_online\""),
        "a counter dossier"
    );
    assert!(
        !lookup.body.contains("Nguyễn Thị Thu Hà"),
        "no personal data"
    );
    let answers = "q_time=1&q_agencies=1&q_contacts=1&q_information=1&q_attitude=2&q_lawfulness=2&q_complaints=2&overall=very_satisfied";
    let wrong = post_form(
        &app,
        "/tra-cuu/danh-gia",
        None,
        &format!("code={}&secret=WRONG123&{answers}", d.code),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let ok = post_form(
        &app,
        "/tra-cuu/danh-gia",
        None,
        &format!(
            "code={}&secret={}&{answers}",
            d.code,
            d.lookup_secret.to_lowercase()
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let after = get_page(&app, &ok.location.clone(), None).await;
    assert!(after.body.contains("Rất hài lòng"));
    assert!(!after.body.contains("action=\"/tra-cuu/danh-gia\""));
    assert_eq!(
        app.state
            .db
            .ratings()
            .rating(id)
            .await
            .unwrap()
            .unwrap()
            .via,
        "code"
    );

    // The ratings feed the evaluation: satisfaction (766) and indicators 4 and 7 (TT 01).
    let today = app.state.now().date_naive();
    let report = app
        .state
        .db
        .statistics()
        .statistics_report(
            &motcua_db::StatsFilter {
                from: today.pred_opt().unwrap(),
                to: today,
                agency_id: None,
                field_code: None,
                procedure_code: None,
                level: None,
                channel: None,
            },
            false,
        )
        .await
        .unwrap();
    let e = &report.evaluation;
    assert_eq!(
        e.indicators.0[3],
        Some(1.0),
        "agencies contacted: only the counter"
    );
    assert_eq!(e.indicators.0[6], Some(2.0), "attitude");
    let mdhl = e
        .groups_766
        .iter()
        .find(|g| g.group == motcua_domain::evaluation::Group766::Mdhl)
        .unwrap();
    assert_eq!(mdhl.score, Some(18.0), "one rating, very satisfied");
    // And the dashboard shows the citizens' satisfaction.
    let leader = staff_session(&app, "u.ct").await;
    let page = get_page(&app, "/can-bo/thong-ke", Some(&leader)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Người dân hài lòng"), "{}", page.body);
    assert!(page.body.contains("100,0 % (1 đánh giá)"), "{}", page.body);
}

#[tokio::test]
async fn the_public_board_shows_lateness_without_personal_data() {
    let app = TestApp::new().await;
    let (status, body) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let board = get_page(&app, "/bang-cong-khai", None).await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("Bảng công khai hồ sơ trễ hẹn"));
    assert!(
        board.body.contains("Hiện không có hồ sơ nào quá hạn"),
        "nothing is late yet"
    );
    assert!(!board.body.contains("Nguyễn Thị Thu Hà"));
    let screen = get_page(&app, "/bang-cong-khai?man-hinh=1", None).await;
    assert!(screen.body.contains("http-equiv=\"refresh\""));
}
