//! The support desk through its pages and API: a citizen's question goes to the agency of
//! its procedure with a deadline in working days; only that agency's officers see it; an
//! answer is public only once a leader approved it, a private one never (not in the list, the
//! search, its page or the procedure's page); the submitter follows it by code and secret; a
//! stale form is a conflict; the hotline logs calls and turns one into a feedback; the
//! statistics page, workbook and API count them and score indicator 8.

use axum::http::StatusCode;

use crate::common::*;

/// Sends the public form; the page answered.
async fn ask(app: &TestApp, fields: &str) -> Reply {
    post_form(app, "/hoi-dap/gui", None, fields).await
}

fn between<'a>(html: &'a str, start: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"))
        + start.len();
    html[at..].split('<').next().unwrap()
}

/// Takes a step on case `id` from its page as `cookie`; the answer.
async fn step(app: &TestApp, id: i64, cookie: &str, fields: &str) -> Reply {
    let page = get_page(app, &format!("/can-bo/ho-tro/{id}"), Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let version = between(&page.body, "name=\"version\" value=\"")
        .split('"')
        .next()
        .unwrap();
    let csrf = csrf_of(&page.body);
    post_form(
        app,
        &format!("/can-bo/ho-tro/{id}"),
        Some(cookie),
        &format!("csrf={csrf}&version={version}&{fields}"),
    )
    .await
}

#[tokio::test]
async fn a_question_is_answered_and_published_only_once_approved() {
    let app = TestApp::new().await;
    let db = &app.state.db;

    // Everything missing: each problem named, nothing received.
    let empty = ask(&app, "kind=question&visibility=public").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for wanted in [
        "cần chọn thủ tục hoặc lĩnh vực",
        "cần ghi họ và tên",
        "cần số điện thoại hoặc thư điện tử",
        "tiêu đề từ 5 đến 200 ký tự",
    ] {
        assert!(empty.body.contains(wanted), "{wanted}: {}", empty.body);
    }
    // A feedback without an address is refused with NĐ 20's reason.
    let no_address = ask(
        &app,
        &format!(
            "kind=regulation&procedure=1.000828&title={}&content={}&visibility=public&name={}&phone=0912345678",
            encode("Kiến nghị bỏ bản sao"),
            encode("Đề nghị không yêu cầu bản sao có chứng thực."),
            encode("Lê Thị Hoa")
        ),
    )
    .await;
    assert!(
        no_address.body.contains("phải ghi địa chỉ"),
        "{}",
        no_address.body
    );

    let send = |title: &str, visibility: &str| {
        format!(
            "kind=question&procedure=1.000828&title={}&content={}&visibility={visibility}&name={}&phone=0912345678&email=binh%40example.vn",
            encode(title),
            encode("Xin hỏi hồ sơ gồm những gì và lệ phí bao nhiêu?"),
            encode("Trần Văn Bình")
        )
    };
    let sent = ask(
        &app,
        &send("Hỏi về lệ phí cấp chứng chỉ hành nghề luật sư", "public"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let code = between(&sent.body, "id=\"sent-code\">").to_string();
    let secret = between(&sent.body, "id=\"sent-secret\">").to_string();
    let private = ask(&app, &send("Hỏi riêng về hồ sơ đang giải quyết", "private")).await;
    let private_code = between(&private.body, "id=\"sent-code\">").to_string();
    let private_secret = between(&private.body, "id=\"sent-secret\">").to_string();

    // Without a procedure, the field's agency answers.
    let field = db
        .catalogue()
        .procedure("1.000828")
        .await
        .unwrap()
        .unwrap()
        .procedure
        .field
        .code
        .clone();
    let by_field = ask(
        &app,
        &format!(
            "kind=question&field={}&title={}&content={}&visibility=private&name={}&email=an%40example.vn",
            encode(&field),
            encode("Hỏi chung về lĩnh vực bổ trợ tư pháp"),
            encode("Xin hỏi thủ tục nào áp dụng cho tổ chức hành nghề?"),
            encode("Ngô Văn An")
        ),
    )
    .await;
    let by_field = db
        .support()
        .by_code(between(&by_field.body, "id=\"sent-code\">"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_field.agency_name, "Sở Tư pháp");
    assert_eq!(by_field.procedure_code, None);

    let case = db.support().by_code(&code).await.unwrap().unwrap();
    assert_eq!(
        case.agency_name, "Sở Tư pháp",
        "the procedure's agency answers"
    );
    let hidden = db.support().by_code(&private_code).await.unwrap().unwrap();

    // Tracking: a wrong secret finds nothing; the right one shows the state.
    let wrong = get_page(&app, &format!("/hoi-dap/theo-doi?ma={code}&k=SAI"), None).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let tracked = get_page(
        &app,
        &format!("/hoi-dap/theo-doi?ma={code}&k={secret}"),
        None,
    )
    .await;
    assert!(tracked.body.contains("Chờ phân loại"), "{}", tracked.body);

    // Only the Department of Justice's officers see it.
    let finance = staff_session(&app, "u.cvtc").await;
    let cv = staff_session(&app, "u.cv").await;
    let tp = staff_session(&app, "u.tp").await;
    let other = get_page(&app, &format!("/can-bo/ho-tro/{}", case.id), Some(&finance)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let their_queue = get_page(&app, "/can-bo/ho-tro", Some(&finance)).await;
    assert!(!their_queue.body.contains(&code));
    let queue = get_page(&app, "/can-bo/ho-tro", Some(&cv)).await;
    assert!(queue.body.contains(&code), "{}", queue.body);
    assert!(queue.body.contains("light ok"), "{}", queue.body);

    let accepted = step(
        &app,
        case.id,
        &cv,
        "action=accept&category=procedure&assignee=",
    )
    .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let answered = step(
        &app,
        case.id,
        &cv,
        &format!(
            "action=answer&answer={}",
            encode("Lệ phí là 800.000 đồng; hồ sơ gồm đơn và bằng cử nhân luật.")
        ),
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    // Waiting for a leader: nowhere public yet.
    assert!(!get_page(&app, "/hoi-dap", None).await.body.contains(&code));
    assert_eq!(
        get_page(&app, &format!("/hoi-dap/{code}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The specialist is not offered the approval, and a forged one is refused.
    let own = get_page(&app, &format!("/can-bo/ho-tro/{}", case.id), Some(&cv)).await;
    assert!(!own.body.contains("id=\"act-approve\""), "{}", own.body);
    let now = db.support().case(case.id).await.unwrap().unwrap();
    let refused = post_form(
        &app,
        &format!("/can-bo/ho-tro/{}", case.id),
        Some(&cv),
        &format!(
            "csrf={}&version={}&action=approve",
            csrf_of(&own.body),
            now.version
        ),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("không có quyền"), "{}", refused.body);
    // A form shown before the answer is stale now.
    let stale = post_form(
        &app,
        &format!("/can-bo/ho-tro/{}", case.id),
        Some(&tp),
        &format!(
            "csrf={}&version={}&action=approve",
            csrf_of(&get_page(&app, "/can-bo/ho-tro", Some(&tp)).await.body),
            case.version
        ),
    )
    .await;
    assert!(stale.body.contains("xung đột"), "{}", stale.body);
    let approved = step(&app, case.id, &tp, "action=approve").await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);

    // The private one, answered and approved too.
    for (who, fields) in [
        (
            &cv,
            "action=accept&category=procedure&assignee=".to_string(),
        ),
        (
            &cv,
            format!(
                "action=answer&answer={}",
                encode("Hồ sơ của ông đang được thẩm định.")
            ),
        ),
        (&tp, "action=approve&publish=1".to_string()),
    ] {
        let r = step(&app, hidden.id, who, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    // Public: the list, the search with or without marks, its page, the procedure's page.
    for path in [
        "/hoi-dap".to_string(),
        format!("/hoi-dap?q={}", encode("lệ phí")),
        "/hoi-dap?q=le+phi+luat+su".to_string(),
        format!("/hoi-dap/{code}"),
        "/thu-tuc/1.000828".to_string(),
        "/hoi-dap?thu-tuc=1.000828".to_string(),
    ] {
        let page = get_page(&app, &path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("800.000 đồng"), "{path}: {}", page.body);
        assert!(
            !page.body.contains("Hỏi riêng"),
            "{path} shows the private question"
        );
        assert!(!page.body.contains("đang được thẩm định"), "{path}");
        assert!(
            !page.body.contains("0912345678"),
            "{path} shows a phone number"
        );
    }
    assert_eq!(
        get_page(&app, &format!("/hoi-dap/{private_code}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let search = get_page(&app, "/hoi-dap?q=tham+dinh", None).await;
    assert!(search.body.contains("id=\"no-answers\""), "{}", search.body);
    // The submitter of the private one reads the answer with their secret.
    let mine = get_page(
        &app,
        &format!("/hoi-dap/theo-doi?ma={private_code}&k={private_secret}"),
        None,
    )
    .await;
    assert!(mine.body.contains("đang được thẩm định"), "{}", mine.body);
    // Each step was a message to the submitter.
    let events: Vec<String> = db
        .support()
        .messages(&code)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.event)
        .collect();
    assert_eq!(
        events,
        ["support_received", "support_accepted", "support_answered"]
    );
}

#[tokio::test]
async fn the_hotline_logs_calls_and_the_statistics_count_them() {
    let app = TestApp::new().await;
    let tn = staff_session(&app, "u.tn").await;
    let page = get_page(&app, "/can-bo/tong-dai?thu-tuc=1.000828", Some(&tn)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"facts\""), "{}", page.body);
    assert!(page.body.contains("Thời hạn giải quyết"), "{}", page.body);
    let csrf = csrf_of(&page.body);
    let centre = app
        .state
        .db
        .agencies()
        .agency_by_code(CENTRE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let call = |outcome: &str, extra: &str| {
        format!(
            "csrf={csrf}&agency={centre}&channel=phone&thu-tuc=1.000828&caller_name={}&caller_phone=0987654321&topic={}&question={}&answer={}&minutes=3,5&outcome={outcome}&feedback_kind=conduct{extra}",
            encode("Lê Thị Hoa"),
            encode("Hỏi thủ tục luật sư"),
            encode("Cán bộ hẹn trả chậm mà không báo trước"),
            encode("Đã hướng dẫn")
        )
    };
    let saved = post_form(&app, "/can-bo/tong-dai", Some(&tn), &call("answered", "")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let log = get_page(&app, &saved.location, Some(&tn)).await;
    assert!(log.body.contains("id=\"saved\""));
    assert!(log.body.contains("3:30"), "{}", log.body);
    // A conduct feedback by phone needs the caller's address.
    let missing = post_form(&app, "/can-bo/tong-dai", Some(&tn), &call("feedback", "")).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("địa chỉ"), "{}", missing.body);
    let became = post_form(
        &app,
        "/can-bo/tong-dai",
        Some(&tn),
        &call(
            "feedback",
            &format!("&caller_address={}", encode("12 Lê Lợi, Thanh Hóa")),
        ),
    )
    .await;
    assert_eq!(became.status, StatusCode::SEE_OTHER, "{}", became.body);
    let case = get_page(&app, &became.location, Some(&tn)).await;
    assert!(case.body.contains("Phản ánh về hành vi"), "{}", case.body);
    assert!(case.body.contains("id=\"act-accept\""), "{}", case.body);

    // Counted: two calls, one feedback received and open, on time.
    let stats = get_page(&app, "/can-bo/ho-tro/thong-ke", Some(&tn)).await;
    assert_eq!(stats.status, StatusCode::OK);
    assert!(
        stats.body.contains("id=\"indicator-8\">2,0 / 2"),
        "{}",
        stats.body
    );
    let xlsx = get_page(&app, "/can-bo/ho-tro/thong-ke/excel", Some(&tn)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
    let (status, report) = app.get("/api/v1/statistics/support", Some("tok-ct")).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["calls"], 2);
    assert_eq!(report["feedback"]["received"], 1);
    assert_eq!(report["feedback"]["open"], 1);
    assert_eq!(report["indicator_8"], 2.0);
    // A department's officer may not read the centre's.
    let (status, _) = app
        .get(
            &format!("/api/v1/statistics/support?agency={centre}"),
            Some("tok-cvtc"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The evaluation's indicator 8 is computed now.
    let (_, overall) = app.get("/api/v1/statistics", Some("tok-ct")).await;
    assert_eq!(overall["evaluation"]["indicators"][7], 2.0, "{overall}");
}

#[tokio::test]
async fn administrators_set_the_desks_deadlines() {
    let app = TestApp::new().await;
    let cv = staff_session(&app, "u.cv").await;
    let qt = staff_session(&app, "u.qt").await;
    assert_eq!(
        get_page(&app, "/can-bo/ho-tro/cai-dat", Some(&cv))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = get_page(&app, "/can-bo/ho-tro/cai-dat", Some(&qt)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("name=\"question_days\" value=\"5\""),
        "{}",
        page.body
    );
    let csrf = csrf_of(&page.body);
    let wrong = post_form(
        &app,
        "/can-bo/ho-tro/cai-dat",
        Some(&qt),
        &format!("csrf={csrf}&question_days=3&feedback_days=4&classify_days=10&review=1"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("thời hạn phân loại không được dài hơn"),
        "{}",
        wrong.body
    );
    let saved = post_form(
        &app,
        "/can-bo/ho-tro/cai-dat",
        Some(&qt),
        &format!("csrf={csrf}&question_days=3&feedback_days=10&classify_days=2"),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let policy = app.state.db.support().policy().await.unwrap();
    assert_eq!(
        (
            policy.question_days,
            policy.feedback_days,
            policy.classify_days,
            policy.review
        ),
        (3, 10, 2, false)
    );
    // A question received now is due in three working days, and its answer goes out
    // without a leader's approval.
    let sent = ask(
        &app,
        &format!(
            "kind=question&procedure=1.000828&title={}&content={}&visibility=public&name={}&phone=0912345678",
            encode("Hỏi về thời hạn mới"),
            encode("Xin hỏi thủ tục này mất bao lâu?"),
            encode("Trần Văn Bình")
        ),
    )
    .await;
    let code = between(&sent.body, "id=\"sent-code\">").to_string();
    let case = app
        .state
        .db
        .support()
        .by_code(&code)
        .await
        .unwrap()
        .unwrap();
    let cal = app.state.calendar();
    assert_eq!(
        cal.working_seconds_between(case.received_at, case.due_at)
            .unwrap(),
        3 * cal.day_seconds()
    );
}
