//! The staff workspace in the browser's terms: sign-in with lock-out, the session cookie,
//! the work queue, the dossier page offering only the allowed actions, CSRF on every form,
//! and conflicts shown, not lost.

use crate::common::*;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};

const PASSWORD: &str = "mat-khau-demo";

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> (StatusCode, String, HeaderMap) {
    let (status, bytes, headers) = send_raw(app, method, path, cookie, form).await;
    (status, String::from_utf8(bytes).unwrap(), headers)
}

async fn with_passwords() -> TestApp {
    let app = TestApp::new().await;
    for name in ["u.tn", "u.cv", "u.cvtc", "u.qt"] {
        let s = app
            .state
            .db
            .people()
            .staff_by_username(name)
            .await
            .unwrap()
            .unwrap();
        app.state
            .db
            .people()
            .set_password(s.id, PASSWORD, "test", None)
            .await
            .unwrap();
    }
    app
}

async fn sign_in(app: &TestApp, username: &str) -> String {
    let (status, _, headers) = send(
        app,
        Method::POST,
        "/can-bo/dang-nhap",
        None,
        Some(&format!("username={username}&password={PASSWORD}")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap().to_string()
}

fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn sign_in_locks_out_and_protects_pages() {
    let app = with_passwords().await;
    let (status, _, headers) = send(&app, Method::GET, "/can-bo", None, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/can-bo/dang-nhap");
    let (status, html, _) = send(&app, Method::GET, "/can-bo/dang-nhap", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đăng nhập dành cho cán bộ"));
    for _ in 0..5 {
        let (status, html, _) = send(
            &app,
            Method::POST,
            "/can-bo/dang-nhap",
            None,
            Some("username=u.tn&password=sai"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(html.contains("không đúng"), "{html}");
    }
    let (_, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/dang-nhap",
        None,
        Some(&format!("username=u.tn&password={PASSWORD}")),
    )
    .await;
    assert!(html.contains("tạm khóa"), "{html}");
    // A forged session cookie is no session.
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo",
        Some("motcua_session=ABC"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn queue_dossier_page_actions_and_csrf() {
    let app = with_passwords().await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();
    let code = d["code"].as_str().unwrap().to_string();
    let cookie = sign_in(&app, "u.tn").await;

    let (status, html, _) = send(&app, Method::GET, "/can-bo", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&code),
        "the accepted dossier is in the counter's queue"
    );
    assert!(html.contains("Còn hạn"));

    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/ho-so/{id}"),
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nguyễn Thị Thu Hà"));
    assert!(html.contains("Chuyển bước tiếp theo"));
    assert!(
        !html.contains("Phê duyệt kết quả"),
        "the counter may not approve"
    );
    // Only the actions nothing can undo ask first; the usual ones do not.
    let asks: Vec<&str> = html
        .split("<form ")
        .filter(|f| f.contains("data-confirm="))
        .filter_map(|f| f.split("name=\"action\" value=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!asks.is_empty(), "{html}");
    for action in &asks {
        assert!(
            ["refuse_intake", "reject", "stop", "withdraw"].contains(action),
            "{action} asks"
        );
    }
    assert!(html.contains("không thể hoàn tác"));
    let csrf = csrf_of(&html);

    // Without the form token nothing happens.
    let (status, _, _) = send(
        &app,
        Method::POST,
        &format!("/can-bo/ho-so/{id}"),
        Some(&cookie),
        Some("version=1&action=forward&csrf=WRONG"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &app,
        Method::POST,
        &format!("/can-bo/ho-so/{id}"),
        Some(&cookie),
        Some(&format!(
            "version=1&action=forward&csrf={csrf}&note=Chuy%E1%BB%83n"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, d2) = app
        .get(&format!("/api/v1/dossiers/{id}"), Some("tok-tn"))
        .await;
    assert_eq!(d2["status"], "processing");
    // The same form again, from a stale page: a conflict, shown on the page.
    let (status, html, _) = send(
        &app,
        Method::POST,
        &format!("/can-bo/ho-so/{id}"),
        Some(&cookie),
        Some(&format!("version=1&action=forward&csrf={csrf}")),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("xung đột"), "{html}");

    // Another department's specialist cannot open it.
    let other = sign_in(&app, "u.cvtc").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/ho-so/{id}"),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The specialist of the competent department sees the appraisal step's actions.
    let specialist = sign_in(&app, "u.cv").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/ho-so/{id}"),
        Some(&specialist),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Thẩm định") && html.contains("Yêu cầu bổ sung hồ sơ"),
        "{html}"
    );
    assert!(html.contains("Lấy ý kiến cơ quan phối hợp") && html.contains("Chuyển liên thông"));
    assert!(!html.contains("Phân công xử lý"), "only leaders assign");

    // The specialist consults the Department of Finance, whose specialist then sees the
    // dossier and answers.
    let finance = app
        .state
        .db
        .agencies()
        .agency_by_code(FINANCE)
        .await
        .unwrap()
        .unwrap();
    let token = csrf_of(&html);
    let version = app
        .state
        .db
        .dossiers()
        .dossier(id)
        .await
        .unwrap()
        .unwrap()
        .version;
    let form = format!(
        "csrf={token}&version={version}&action=consult&agency_id={}&question=Xin+%C3%BD+ki%E1%BA%BFn&hours=16",
        finance.id
    );
    let (status, html, _) = send(
        &app,
        Method::POST,
        &format!("/can-bo/ho-so/{id}"),
        Some(&specialist),
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/ho-so/{id}"),
        Some(&other),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the consulted agency may open it");
    assert!(html.contains("Trả lời ý kiến"), "{html}");

    // Sign-out needs the token too, then the session is gone.
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/can-bo/dang-xuat",
        Some(&cookie),
        Some(&format!("csrf={csrf}")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = send(&app, Method::GET, "/can-bo", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn counter_intake_screen_to_printed_receipt() {
    let app = with_passwords().await;
    let cookie = sign_in(&app, "u.tn").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/tiep-nhan?q=chung+chi+hanh+nghe+luat+su",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("/can-bo/tiep-nhan?procedure=1.000828"),
        "{html}"
    );
    // Search as you type: the same matches as a fragment, for signed-in staff only.
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/tiep-nhan/goi-y?q=luat+su",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.trim_start().starts_with("<li>"), "{html}");
    assert!(
        html.contains("1.000828") && !html.contains("<html"),
        "{html}"
    );
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/tiep-nhan/goi-y?q=luat",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/tiep-nhan?procedure=1.000828",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ngày hẹn trả dự kiến"));
    let csrf = csrf_of(&html);

    // Mistakes are named, and what was typed stays.
    let bad = format!(
        "csrf={csrf}&procedure=1.000828&case=chung&kind=person&name=Tr%E1%BA%A7n+V%C4%83n+B%C3%ACnh&id_number=123&c_tp-01=on"
    );
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/tiep-nhan",
        Some(&cookie),
        Some(&bad),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("12 chữ số"), "{html}");
    assert!(html.contains("còn thiếu thành phần bắt buộc"));
    assert!(html.contains("value=\"Trần Văn Bình\""));
    assert_eq!(
        app.state.db.dossiers().count_dossiers(None).await.unwrap(),
        0
    );

    let good = format!(
        "csrf={csrf}&procedure=1.000828&case=chung&kind=person&name=Tr%E1%BA%A7n+V%C4%83n+B%C3%ACnh&id_number=038090001234&phone=0912345678&n_sms=on&c_tp-01=on&c_tp-02=on&f_tp-02=copy&c_tp-03=on&c_tp-04=on&return_method=in_person"
    );
    let (status, _, headers) = send(
        &app,
        Method::POST,
        "/can-bo/tiep-nhan",
        Some(&cookie),
        Some(&good),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let receipt = headers["location"].to_str().unwrap().to_string();
    assert!(receipt.ends_with("/giay-hen"), "{receipt}");
    let (status, html, _) = send(&app, Method::GET, &receipt, Some(&cookie), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"));
    assert!(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(html.contains("Trần Văn Bình"));
    assert!(html.contains("000.01.01.H56-"));
    assert!(
        html.contains("<svg") && html.contains("M4 4h1v1h-1z"),
        "the QR code"
    );
    assert!(
        html.contains("/bieu-mau/giay-tiep-nhan"),
        "the PDF of the receipt"
    );

    // Without a counter role there is no intake screen.
    let specialist = sign_in(&app, "u.cv").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/tiep-nhan",
        Some(&specialist),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn administrators_edit_the_working_calendar() {
    let app = with_passwords().await;
    let counter = sign_in(&app, "u.tn").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/lich",
        Some(&counter),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = sign_in(&app, "u.qt").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/lich?year=2026",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("31/08/2026") && html.contains("22/08/2026"),
        "{html}"
    );
    assert!(html.contains("Ngày Văn hóa Việt Nam"));
    let csrf = csrf_of(&html);

    let day = chrono::NaiveDate::from_ymd_opt(2027, 5, 14).unwrap();
    assert!(app.state.calendar().is_working_day(day).unwrap());
    let form = format!(
        "csrf={csrf}&what=day&date=2027-05-14&working=no&name=Ngh%E1%BB%89+ho%C3%A1n+%C4%91%E1%BB%95i"
    );
    let (status, _, headers) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/lich",
        Some(&admin),
        Some(&form),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/can-bo/quan-tri/lich?year=2027");
    assert!(
        !app.state.calendar().is_working_day(day).unwrap(),
        "the calendar in force changed"
    );
    // The shipped swaps are still there after the rebuild.
    assert!(
        !app.state
            .calendar()
            .is_working_day(chrono::NaiveDate::from_ymd_opt(2026, 8, 31).unwrap())
            .unwrap()
    );

    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/lich",
        Some(&admin),
        Some(&format!("csrf={csrf}&what=day&date=2027-02-30&name=x")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Ngày không hợp lệ"));
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/lich",
        Some(&admin),
        Some(&format!(
            "csrf={csrf}&what=hours&hours=13:00-12:00&saturday="
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("giờ làm việc không hợp lệ"), "{html}");
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/lich",
        Some(&admin),
        Some(&format!(
            "csrf={csrf}&what=hours&hours=07:30-11:30,+13:00-17:00&saturday=07:30-11:30"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let saturday = chrono::NaiveDate::from_ymd_opt(2027, 3, 6).unwrap();
    assert!(
        app.state.calendar().is_working_day(saturday).unwrap(),
        "Saturday mornings now worked"
    );
}

#[tokio::test]
async fn officers_change_their_password() {
    let app = with_passwords().await;
    let cookie = sign_in(&app, "u.cv").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/doi-mat-khau",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&html);
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/doi-mat-khau",
        Some(&cookie),
        Some(&format!(
            "csrf={csrf}&current=sai-mat-khau&new=mat-khau-moi-1&repeat=mat-khau-moi-1"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Mật khẩu hiện tại không đúng"));
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/doi-mat-khau",
        Some(&cookie),
        Some(&format!(
            "csrf={csrf}&current={PASSWORD}&new=mat-khau-moi-1&repeat=khac"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("không giống nhau"));
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/doi-mat-khau",
        Some(&cookie),
        Some(&format!(
            "csrf={csrf}&current={PASSWORD}&new=ngan&repeat=ngan"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("ít nhất 8 ký tự"));
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/doi-mat-khau",
        Some(&cookie),
        Some(&format!(
            "csrf={csrf}&current={PASSWORD}&new=mat-khau-moi-1&repeat=mat-khau-moi-1"
        )),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Đã đổi mật khẩu"));
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/can-bo/dang-nhap",
        None,
        Some("username=u.cv&password=mat-khau-moi-1"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn administrators_manage_agencies_staff_and_procedure_versions() {
    let app = with_passwords().await;
    let specialist = sign_in(&app, "u.cv").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri",
        Some(&specialist),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = sign_in(&app, "u.qt").await;
    let (status, html, _) = send(&app, Method::GET, "/can-bo/quan-tri", Some(&admin), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Sở Tư pháp") && html.contains("u.tn"));
    // The agencies as a tree: the departments nested under the provincial committee.
    let tree = html.split("<ul class=\"tree\">").nth(1).unwrap();
    let province = tree.find("Ủy ban nhân dân tỉnh Thanh Hóa").unwrap();
    let justice = tree.find("Sở Tư pháp").unwrap();
    assert!(tree[province..justice].contains("<ul><li>"), "{tree}");
    let csrf = csrf_of(&html);
    let post = |form: String| {
        let app = &app;
        let admin = admin.clone();
        async move {
            send(
                app,
                Method::POST,
                "/can-bo/quan-tri",
                Some(&admin),
                Some(&form),
            )
            .await
        }
    };
    let (status, html, _) = post(format!("csrf={csrf}&what=agency&code=000.00.20.H56&name=S%E1%BB%9F+Khoa+h%E1%BB%8Dc&level=province&parent={PROVINCE}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Đã thêm cơ quan Sở Khoa học"));
    let (status, html, _) = post(format!(
        "csrf={csrf}&what=agency&code=bad&name=X&level=province"
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("không đúng dạng"));
    let (status, html, _) = post(format!("csrf={csrf}&what=staff&username=cv.khcn&full_name=L%C3%AA+V%C4%83n+Khoa&password=mat-khau-khcn")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (status, _, _) = post(format!(
        "csrf={csrf}&what=grant&username=cv.khcn&role=specialist&agency=000.00.20.H56"
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/can-bo/dang-nhap",
        None,
        Some("username=cv.khcn&password=mat-khau-khcn"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the new officer can sign in");

    // Publishing a catalogue: a broken file names its line and publishes nothing.
    let stored = app
        .state
        .db
        .catalogue()
        .procedure("1.000828")
        .await
        .unwrap()
        .unwrap();
    let mut edited = stored.procedure.clone();
    edited.name = format!("{} (sửa đổi)", edited.name);
    let file = motcua_domain::catalogue::export_catalogue(&[edited]).unwrap();
    let broken = file.replacen("\"originals\": 1", "\"originals\": \"một\"", 1);
    let encode = |text: &str| {
        text.bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    };
    let (status, html, _) = post(format!(
        "csrf={csrf}&what=catalogue&catalogue={}",
        encode(&broken)
    ))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("dòng "), "{html}");
    assert_eq!(
        app.state
            .db
            .catalogue()
            .procedure("1.000828")
            .await
            .unwrap()
            .unwrap()
            .version,
        1
    );
    let (status, html, _) = post(format!(
        "csrf={csrf}&what=catalogue&catalogue={}",
        encode(&file)
    ))
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Đã công bố 1 phiên bản mới"));
    assert_eq!(
        app.state
            .db
            .catalogue()
            .procedure("1.000828")
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    // Both versions are listed; the old one is readable and can seed a new version.
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/thu-tuc/1.000828?v=1",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("?v=2"), "a link to the other version");
    assert!(
        html.contains("motcua-catalogue"),
        "the version in the catalogue format"
    );
    assert!(html.contains("name=\"what\" value=\"catalogue\""));
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/thu-tuc/1.000828?v=9",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let officer = sign_in(&app, "u.tn").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/thu-tuc/1.000828",
        Some(&officer),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn my_dossiers_are_those_assigned_to_me() {
    let app = with_passwords().await;
    let (_, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    let id = d["id"].as_i64().unwrap();
    let mut forward = serde_json::json!({"action": "forward", "expected_version": 1});
    let (_, d) = app
        .post(
            &format!("/api/v1/dossiers/{id}/transitions"),
            Some("tok-tn"),
            forward.take(),
        )
        .await;
    let cv = app
        .state
        .db
        .people()
        .staff_by_username("u.cv")
        .await
        .unwrap()
        .unwrap();
    let assign = serde_json::json!({"action": "assign", "staff_id": cv.id, "expected_version": d["version"]});
    let (status, _) = app
        .post(
            &format!("/api/v1/dossiers/{id}/transitions"),
            Some("tok-tp"),
            assign,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let cookie = sign_in(&app, "u.cv").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        "/can-bo?mine=1&status=processing",
        Some(&cookie),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(d["code"].as_str().unwrap()), "{html}");
    let other = sign_in(&app, "u.tn").await;
    let (_, html, _) = send(
        &app,
        Method::GET,
        "/can-bo?mine=1&status=processing",
        Some(&other),
        None,
    )
    .await;
    assert!(!html.contains(d["code"].as_str().unwrap()));
}

#[tokio::test]
async fn malformed_requests_get_the_friendly_page() {
    let app = with_passwords().await;
    let cookie = sign_in(&app, "u.tn").await;
    let (status, html, _) = send(&app, Method::GET, "/can-bo/ho-so/abc", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"));
    let (status, html, _) =
        send(&app, Method::GET, "/can-bo?agency=abc", Some(&cookie), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Yêu cầu không hợp lệ"), "{html}");
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/ho-so/1",
        Some(&cookie),
        Some("action=forward"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Yêu cầu không hợp lệ"));
}

#[tokio::test]
async fn one_address_cannot_try_passwords_without_end() {
    let app = with_passwords().await;
    let from = std::net::SocketAddr::from(([203, 0, 113, 7], 40000));
    let mut last = StatusCode::OK;
    let mut html = String::new();
    for i in 0..21 {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/can-bo/dang-nhap")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", FORM_COOKIE)
            .body(Body::from(format!(
                "username=khong.co.{i}&password=sai&csrf={FORM_TOKEN}"
            )))
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(from));
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap();
        last = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        html = String::from_utf8(bytes.to_vec()).unwrap();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("Quá nhiều lần đăng nhập"));
}
