//! Every page route against every kind of visitor: nobody, a citizen, the dossier's owner,
//! staff of an unrelated agency, staff of the agency, an administrator. What is not theirs
//! answers a sign-in redirect, "forbidden" or "not found", never the data and never an
//! internal error; forms without the session's token are refused.

use crate::common::*;
use axum::http::{Method, StatusCode};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    form: &str,
) -> (StatusCode, String) {
    let r = if method == Method::POST {
        post_form(app, path, cookie, form).await
    } else {
        get_page(app, path, cookie).await
    };
    (r.status, r.body)
}

async fn citizen_cookie(app: &TestApp, phone: &str) -> (i64, String) {
    let c = app
        .state
        .db
        .people()
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: format!("Công dân {phone}"),
                phone: Some(phone.into()),
                password: "mat-khau-cong-dan".into(),
                ..motcua_db::NewCitizen::default()
            },
            app.state.now().timestamp(),
        )
        .await
        .unwrap();
    let token = app
        .state
        .db
        .people()
        .create_citizen_session(c.id, app.state.now().timestamp())
        .await
        .unwrap();
    (c.id, format!("motcua_citizen={token}"))
}

#[tokio::test]
async fn no_route_shows_or_accepts_what_is_not_yours() {
    let app = TestApp::new().await;
    // A Justice dossier received at the centre, with a file.
    let (status, body) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    let d = app.state.db.dossiers().dossier(id).await.unwrap().unwrap();
    let file = app
        .state
        .files
        .store(
            motcua_db::Upload {
                name: "scan.pdf".into(),
                bytes: b"%PDF-1.4 scan".to_vec(),
                component: Some(0),
                purpose: motcua_db::Purpose::Scan,
            },
            "files",
        )
        .await
        .unwrap();
    app.state
        .db
        .dossiers()
        .attach_files(
            id,
            &d.code,
            vec![file],
            "staff:test".into(),
            app.state.now(),
        )
        .await
        .unwrap();
    // The scan made the dossier digitised: a new version.
    let d = app.state.db.dossiers().dossier(id).await.unwrap().unwrap();
    let file_id = app.state.db.files().attachments(id).await.unwrap()[0].id;

    let (_, citizen) = citizen_cookie(&app, "0911000111").await;
    let finance = staff_session(&app, "u.cvtc").await;
    let counter = staff_session(&app, "u.tn").await;
    let admin = staff_session(&app, "u.qt").await;

    let staff_get = [
        "/can-bo".to_string(),
        format!("/can-bo/ho-so/{id}"),
        format!("/can-bo/ho-so/{id}/giay-hen"),
        format!("/can-bo/ho-so/{id}/tep/{file_id}"),
        "/can-bo/tiep-nhan".into(),
        "/can-bo/tiep-nhan/goi-y?q=luat".into(),
        "/can-bo/doi-mat-khau".into(),
        "/can-bo/ban-ky".into(),
        "/can-bo/quan-tri".into(),
        "/can-bo/quan-tri/lich".into(),
        "/can-bo/quan-tri/thu-tuc/1.000828".into(),
    ];
    let staff_post = [
        format!("/can-bo/ho-so/{id}"),
        format!("/can-bo/ho-so/{id}/tep"),
        "/can-bo/tiep-nhan".into(),
        "/can-bo/doi-mat-khau".into(),
        "/can-bo/quan-tri".into(),
        "/can-bo/quan-tri/lich".into(),
        "/can-bo/dang-xuat".into(),
        format!("/can-bo/ho-so/{id}/ky"),
        "/can-bo/dan-cu".into(),
    ];
    let citizen_get = [
        "/cong-dan".to_string(),
        "/cong-dan/nop/1.000828".into(),
        format!("/cong-dan/ho-so/{id}"),
        format!("/cong-dan/ho-so/{id}/tep/{file_id}"),
    ];
    let citizen_post = [
        "/cong-dan/nop/1.000828".to_string(),
        format!("/cong-dan/ho-so/{id}/bo-sung"),
        format!("/cong-dan/ho-so/{id}/rut"),
        format!("/cong-dan/ho-so/{id}/danh-gia"),
        "/cong-dan/dang-xuat".into(),
    ];

    // Nobody, and the other side's session, are sent to sign in.
    for (who, cookie) in [("nobody", None), ("citizen", Some(citizen.as_str()))] {
        for path in &staff_get {
            let (status, body) = call(&app, Method::GET, path, cookie, "").await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{who} GET {path}: {body}");
        }
        for path in &staff_post {
            let (status, _) = call(&app, Method::POST, path, cookie, "csrf=x").await;
            assert!(
                matches!(status, StatusCode::SEE_OTHER | StatusCode::FORBIDDEN),
                "{who} POST {path}: {status}"
            );
        }
    }
    for (who, cookie) in [("nobody", None), ("staff", Some(counter.as_str()))] {
        for path in citizen_get.iter() {
            let (status, _) = call(&app, Method::GET, path, cookie, "").await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{who} GET {path}");
        }
        for path in &citizen_post {
            let (status, _) = call(&app, Method::POST, path, cookie, "csrf=x").await;
            assert!(
                matches!(status, StatusCode::SEE_OTHER | StatusCode::FORBIDDEN),
                "{who} POST {path}: {status}"
            );
        }
    }

    // A citizen who does not own the dossier sees nothing of it (counter dossiers have no owner).
    for path in &citizen_get[2..] {
        let (status, body) = call(&app, Method::GET, path, Some(&citizen), "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(!body.contains("Nguyễn Thị Thu Hà"));
    }

    // Staff of an unrelated agency: the dossier's pages do not exist for them.
    for path in &staff_get[1..4] {
        let (status, body) = call(&app, Method::GET, path, Some(&finance), "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "finance GET {path}");
        assert!(!body.contains("Nguyễn Thị Thu Hà"));
    }
    // Nor do ids that do not exist, or that are not numbers.
    for path in [
        "/can-bo/ho-so/999999",
        "/can-bo/ho-so/abc",
        "/can-bo/ho-so/1/tep/999",
        "/can-bo/ho-so/1/tep/..%2Fx",
    ] {
        let (status, _) = call(&app, Method::GET, path, Some(&counter), "").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // Not an administrator: the administration is forbidden.
    for path in &staff_get[8..] {
        let (status, _) = call(&app, Method::GET, path, Some(&counter), "").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "counter GET {path}");
        let (status, _) = call(&app, Method::GET, path, Some(&admin), "").await;
        assert_eq!(status, StatusCode::OK, "admin GET {path}");
    }
    // A counter at the centre, not a receiving counter of Finance, cannot intake elsewhere;
    // and the finance specialist has no counter at all.
    let (status, _) = call(&app, Method::GET, "/can-bo/tiep-nhan", Some(&finance), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Signed in, but without the session's form token: refused, nothing changes.
    for path in &staff_post[..6] {
        let (status, body) = call(
            &app,
            Method::POST,
            path,
            Some(&admin),
            "csrf=forged&version=1&action=accept",
        )
        .await;
        assert!(
            matches!(
                status,
                StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST
            ),
            "admin POST {path} without token: {status} {body}"
        );
    }
    assert_eq!(
        app.state
            .db
            .dossiers()
            .dossier(id)
            .await
            .unwrap()
            .unwrap()
            .version,
        d.version
    );

    // The public pages answer everyone, and never with an internal error.
    for path in [
        "/",
        "/thu-tuc",
        "/thu-tuc/1.000828",
        "/tra-cuu",
        "/bang-cong-khai",
        "/static/app.css",
        "/static/app.js",
        "/thu-tuc/khong-co",
        "/khong-co-trang",
        "/xac-thuc/ZZZZZZZZZZZZZZZZZZZZ",
        "/xac-thuc/ZZZZZZZZZZZZZZZZZZZZ/chu-ky.p7s",
    ] {
        let (status, body) = call(&app, Method::GET, path, None, "").await;
        assert!(
            status == StatusCode::OK || status == StatusCode::NOT_FOUND,
            "{path}: {status}"
        );
        assert!(
            !body.contains("panicked") && !body.contains("RUST_BACKTRACE"),
            "{path}"
        );
    }
    // Guessing the secret of the counter dossier shows nothing.
    let (_, body) = call(
        &app,
        Method::GET,
        &format!("/tra-cuu?code={}&secret=AAAAAAAA", d.code),
        None,
        "",
    )
    .await;
    assert!(!body.contains("class=\"card result\""), "{body}");
}

#[tokio::test]
async fn queues_per_role_show_what_waits_for_each() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let id = d["id"].as_i64().unwrap();
    let act = |token: &'static str, d: serde_json::Value, action: serde_json::Value| {
        let app = &app;
        async move {
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
    };
    let d = act("tok-tn", d, serde_json::json!({"action": "forward"})).await;
    let d = act("tok-cv", d, serde_json::json!({"action": "forward"})).await;
    // Now at the unit leader's step in the Justice department.
    let justice = app
        .state
        .db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let leader = staff_session(&app, "u.tp").await;
    let (status, html) = call(
        &app,
        Method::GET,
        &format!("/can-bo?agency={justice}&hang=phe-duyet"),
        Some(&leader),
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/can-bo/ho-so/{id}")), "{html}");
    assert!(html.contains("Chờ phê duyệt") && html.contains("aria-current=\"page\""));
    // The agency leader's approval queue does not have it yet; the specialist has no such tab.
    let director = staff_session(&app, "u.gd").await;
    let (_, html) = call(
        &app,
        Method::GET,
        &format!("/can-bo?agency={justice}&hang=phe-duyet"),
        Some(&director),
        "",
    )
    .await;
    assert!(!html.contains(&format!("/can-bo/ho-so/{id}")), "{html}");
    let specialist = staff_session(&app, "u.cv").await;
    let (_, html) = call(
        &app,
        Method::GET,
        &format!("/can-bo?agency={justice}"),
        Some(&specialist),
        "",
    )
    .await;
    assert!(!html.contains("hang=phe-duyet"));
    assert!(html.contains("Của đơn vị"));
    let d = act("tok-tp", d, serde_json::json!({"action": "forward"})).await;
    let (_, html) = call(
        &app,
        Method::GET,
        &format!("/can-bo?agency={justice}&hang=phe-duyet"),
        Some(&director),
        "",
    )
    .await;
    assert!(html.contains(&format!("/can-bo/ho-so/{id}")), "{html}");
    let (_, html) = call(
        &app,
        Method::GET,
        &format!("/can-bo?agency={justice}&hang=phe-duyet"),
        Some(&leader),
        "",
    )
    .await;
    assert!(!html.contains(&format!("/can-bo/ho-so/{id}")), "moved on");
    assert_eq!(d["status"], "processing");
    // The counter's tabs.
    let counter = staff_session(&app, "u.tn").await;
    let (_, html) = call(&app, Method::GET, "/can-bo", Some(&counter), "").await;
    for tab in ["Chờ tiếp nhận", "Chờ trả kết quả", "Chờ bổ sung"] {
        assert!(html.contains(tab), "{tab}");
    }
}
