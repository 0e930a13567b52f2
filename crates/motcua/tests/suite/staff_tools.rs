//! The officer's daily tools: the search in the staff header (code, name without
//! diacritics, ID number, phone; only what the officer may see), the staff workspace's own
//! menu by role, and the counter's tab of dossiers overdue at other agencies.

use crate::common::*;
use axum::http::StatusCode;
use motcua_domain::agency::Role;
use motcua_domain::dossier::{Action, Actor, Intake};

/// The counter's queue tab whose address has `marker`, opened.
async fn tab(app: &TestApp, session: &str, marker: &str) -> Reply {
    let queue = get_page(app, "/can-bo", Some(session)).await;
    let href = queue
        .body
        .split("href=\"")
        .filter_map(|h| h.split('"').next())
        .find(|h| h.contains(marker))
        .unwrap_or_else(|| panic!("a tab with {marker}: {}", queue.body))
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    get_page(app, &href, Some(session)).await
}

/// A dossier received at the counter a month ago and forwarded to the Justice department,
/// which has not resolved it: overdue now.
async fn forwarded_a_month_ago(app: &TestApp) -> motcua_db::DossierRecord {
    let db = &app.state.db;
    let counter = db
        .people()
        .staff_by_username("u.tn")
        .await
        .unwrap()
        .unwrap();
    let mut body = lawyer_intake();
    body.as_object_mut().unwrap().remove("receiving_agency");
    let intake: Intake = serde_json::from_value(body).unwrap();
    let then = app.state.now() - chrono::Duration::days(30);
    let calendar = app.state.calendar();
    let d = db
        .dossiers()
        .intake(
            intake,
            CENTRE,
            &Actor::Staff {
                id: counter.id,
                roles: vec![Role::CounterOfficer],
            },
            &calendar,
            then,
        )
        .await
        .unwrap();
    db.dossiers()
        .transition(
            &motcua_db::TransitionRequest {
                dossier_id: d.id,
                expected_version: d.version,
                action: Action::Forward { note: None },
            },
            motcua_db::ActorRef::Staff(counter.id),
            &calendar,
            then + chrono::Duration::minutes(30),
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_staff_search_finds_what_the_officer_may_see() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let code = d["code"].as_str().unwrap().to_string();
    let tail = code.split_once('-').unwrap().1.to_string();
    let counter = staff_session(&app, "u.tn").await;
    for q in [
        code.as_str(),
        tail.as_str(),
        "nguyen thi thu ha",
        "Thu Hà",
        "HA",
        "038190012345",
        "0912 345 678",
        "+84912345678",
    ] {
        let page = get_page(
            &app,
            &format!("/can-bo/tim-kiem?q={}", encode(q)),
            Some(&counter),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        if q == "HA" {
            // Shorter than three characters: asked for more, nothing listed.
            assert!(page.body.contains("ít nhất 3 ký tự"), "{}", page.body);
            assert!(!page.body.contains(&code));
            continue;
        }
        assert!(page.body.contains(&code), "{q}: {}", page.body);
        // The box keeps what was typed.
        assert!(page.body.contains("id=\"staff-q\""));
    }
    // The Finance department's specialist holds no role over the dossier: not listed.
    let other = staff_session(&app, "u.cvtc").await;
    let page = get_page(&app, "/can-bo/tim-kiem?q=038190012345", Some(&other)).await;
    assert!(!page.body.contains(&code), "{}", page.body);
    assert!(
        page.body.contains("Không tìm thấy hồ sơ nào"),
        "{}",
        page.body
    );
    // Signed out: to the sign-in page.
    let page = get_page(&app, "/can-bo/tim-kiem?q=038190012345", None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_staff_workspace_has_its_own_menu_by_role() {
    let app = TestApp::new().await;
    let counter = staff_session(&app, "u.tn").await;
    let page = get_page(&app, "/can-bo", Some(&counter)).await;
    assert_eq!(page.status, StatusCode::OK);
    // The staff menu, not the public site's.
    assert!(page.body.contains("action=\"/can-bo/tim-kiem\""));
    assert!(page.body.contains("href=\"/can-bo/tiep-nhan\""));
    assert!(!page.body.contains("href=\"/tra-cuu\""), "{}", page.body);
    assert!(!page.body.contains("href=\"/can-bo/quan-tri\""));
    assert!(page.body.contains("Cán bộ tn"));
    // A specialist has no counter tools; an administrator has administration.
    let specialist = staff_session(&app, "u.cv").await;
    let page = get_page(&app, "/can-bo/thong-ke", Some(&specialist)).await;
    assert!(!page.body.contains("href=\"/can-bo/tiep-nhan\""));
    assert!(page.body.contains("action=\"/can-bo/tim-kiem\""));
    let admin = staff_session(&app, "u.qt").await;
    let page = get_page(&app, "/can-bo/quan-tri", Some(&admin)).await;
    assert!(page.body.contains("href=\"/can-bo/quan-tri\""));
}

/// Received at the counter two weeks ago and forwarded to the Justice department, which
/// has not resolved it: the counter's "overdue at other agencies" tab lists it, as the
/// public board does, by the one lateness rule.
#[tokio::test]
async fn the_counter_sees_what_is_overdue_elsewhere() {
    let app = TestApp::new().await;
    let d = forwarded_a_month_ago(&app).await;
    assert_ne!(d.current_agency_id, d.receiving_agency_id);
    assert!(d.state.overdue_at(app.state.now()));
    let session = staff_session(&app, "u.tn").await;
    let page = tab(&app, &session, "qua-han=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&d.code), "{}", page.body);
    assert!(page.body.contains("light overdue"), "{}", page.body);
    let board = app
        .state
        .db
        .dossiers()
        .public_board(app.state.now(), 100)
        .await
        .unwrap();
    assert!(board.overdue.iter().any(|e| e.code == d.code));
    // Not at the counter's own holdings.
    let own = get_page(&app, "/can-bo?status=processing", Some(&session)).await;
    assert!(!own.body.contains(&d.code));
}

/// The department proposes an apology and a new date: the receiving counter has it in its
/// "apologies" tab and, after the sweep, in its alerts.
#[tokio::test]
async fn the_counter_is_told_of_a_proposed_apology() {
    let app = TestApp::new().await;
    let d = forwarded_a_month_ago(&app).await;
    let db = &app.state.db;
    let specialist = db
        .people()
        .staff_by_username("u.cv")
        .await
        .unwrap()
        .unwrap();
    let now = app.state.now();
    db.dossiers()
        .transition(
            &motcua_db::TransitionRequest {
                dossier_id: d.id,
                expected_version: d.version,
                action: Action::ProposeApology {
                    reason: "Chờ kết quả xác minh của cơ quan công an".into(),
                    new_due: now + chrono::Duration::days(10),
                },
            },
            motcua_db::ActorRef::Staff(specialist.id),
            &app.state.calendar(),
            now,
        )
        .await
        .unwrap();
    let other = forwarded_a_month_ago(&app).await;
    let session = staff_session(&app, "u.tn").await;
    let page = tab(&app, &session, "xin-loi=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&d.code), "{}", page.body);
    assert!(!page.body.contains(&other.code), "{}", page.body);
    let calendar = app.state.calendar();
    db.alerts()
        .raise_alerts(app.state.now(), &calendar, calendar.day_seconds())
        .await
        .unwrap();
    let alerts = get_page(&app, "/can-bo/canh-bao", Some(&session)).await;
    assert!(
        alerts
            .body
            .contains("Cơ quan giải quyết đề xuất xin lỗi, hẹn lại ngày trả"),
        "{}",
        alerts.body
    );
    assert!(alerts.body.contains(&d.code));
}

/// An administrator edits a procedure's common fields in a form: a new version is
/// published; a mistake is named in Vietnamese and publishes nothing; others may not.
#[tokio::test]
async fn administrators_edit_a_procedures_common_fields_in_a_form() {
    let app = TestApp::new().await;
    let admin = staff_session(&app, "u.qt").await;
    let path = "/can-bo/quan-tri/thu-tuc/1.000828";
    let page = get_page(&app, path, Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Thông tin chung của thủ tục"));
    let csrf = csrf_of(&page.body);
    let before = app
        .state
        .db
        .catalogue()
        .procedure_versions("1.000828")
        .await
        .unwrap();
    let form = |name: &str, channels: &str| {
        format!(
            "csrf={csrf}&name={}&online_level=full{channels}&results={}&decision=&description=",
            encode(name),
            encode("Giấy chứng nhận hành nghề luật sư\nQuyết định cấp")
        )
    };
    let reply = post_form(
        &app,
        path,
        Some(&admin),
        &form(
            "Cấp Giấy chứng nhận hành nghề luật sư (sửa)",
            "&ch_counter=1&ch_online=1&ch_post=1",
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains("Đã công bố phiên bản mới"),
        "{}",
        reply.body
    );
    let after = app
        .state
        .db
        .catalogue()
        .procedure_versions("1.000828")
        .await
        .unwrap();
    assert_eq!(after.len(), before.len() + 1);
    let latest = &after.last().unwrap().procedure;
    assert_eq!(latest.name, "Cấp Giấy chứng nhận hành nghề luật sư (sửa)");
    assert_eq!(latest.results.len(), 2);
    assert_eq!(
        latest.online_level,
        motcua_domain::catalogue::OnlineLevel::Full
    );
    // The cases, workflow and the rest are kept from the version it started from.
    assert_eq!(latest.cases, before.last().unwrap().procedure.cases);
    // Nothing named and no channel: refused, named in Vietnamese, nothing published.
    let reply = post_form(&app, path, Some(&admin), &form("", "")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Tên thủ tục:"), "{}", reply.body);
    assert!(reply.body.contains("Kênh tiếp nhận:"), "{}", reply.body);
    assert_eq!(
        app.state
            .db
            .catalogue()
            .procedure_versions("1.000828")
            .await
            .unwrap()
            .len(),
        after.len()
    );
    // A counter officer may not.
    let counter = staff_session(&app, "u.tn").await;
    let page = get_page(&app, "/can-bo", Some(&counter)).await;
    let their_csrf = csrf_of(&page.body);
    let reply = post_form(
        &app,
        path,
        Some(&counter),
        &format!("csrf={their_csrf}&name=x&online_level=full&ch_counter=1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

/// A step past its deadline alerts the unit's head: the bell in the staff header counts it,
/// the alerts page lists it with the dossier, and it can be marked read.
#[tokio::test]
async fn a_late_step_rings_the_leaders_bell() {
    let app = TestApp::new().await;
    let d = forwarded_a_month_ago(&app).await;
    let calendar = app.state.calendar();
    let raised = app
        .state
        .db
        .alerts()
        .raise_alerts(app.state.now(), &calendar, calendar.day_seconds())
        .await
        .unwrap();
    assert!(raised >= 1, "{raised}");
    let leader = staff_session(&app, "u.tp").await;
    let queue = get_page(&app, "/can-bo", Some(&leader)).await;
    assert!(
        queue.body.contains("href=\"/can-bo/canh-bao\""),
        "{}",
        queue.body
    );
    assert!(
        queue.body.contains("<span class=\"badge\">1</span>"),
        "{}",
        queue.body
    );
    let page = get_page(&app, "/can-bo/canh-bao", Some(&leader)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bước xử lý đã quá hạn"), "{}", page.body);
    assert!(page.body.contains(&d.code));
    let csrf = csrf_of(&page.body);
    let reply = post_form(
        &app,
        "/can-bo/canh-bao",
        Some(&leader),
        &format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let queue = get_page(&app, "/can-bo", Some(&leader)).await;
    assert!(!queue.body.contains("<span class=\"badge\">"));
}

/// An alert offers the next actions the officer may take, each opening its form on the
/// dossier's page; the officer chooses e-mail for alerts only with an address on record;
/// a leader's morning list is on the same page.
#[tokio::test]
async fn alerts_offer_next_actions_channels_and_the_morning_list() {
    let app = TestApp::new().await;
    let d = forwarded_a_month_ago(&app).await;
    let calendar = app.state.calendar();
    app.state
        .db
        .alerts()
        .raise_alerts(app.state.now(), &calendar, calendar.day_seconds())
        .await
        .unwrap();
    let leader = staff_session(&app, "u.tp").await;
    let page = get_page(&app, "/can-bo/canh-bao", Some(&leader)).await;
    let marker = format!("/can-bo/ho-so/{}?lam=", d.id);
    let at = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("{}", page.body));
    let name: String = page.body[at + marker.len()..]
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_')
        .collect();
    assert!(
        ["forward", "request_supplement", "propose_apology"].contains(&name.as_str()),
        "{name}"
    );
    // Following it opens that action's form.
    let dossier = get_page(
        &app,
        &format!("/can-bo/ho-so/{}?lam={name}", d.id),
        Some(&leader),
    )
    .await;
    assert_eq!(dossier.status, StatusCode::OK);
    assert!(
        dossier
            .body
            .contains(&format!("class=\"primary-action\" id=\"lam-{name}\""))
            || dossier.body.contains(&format!("id=\"lam-{name}\" open")),
        "{}",
        dossier.body
    );
    // A crafted name opens nothing and breaks nothing.
    let odd = get_page(
        &app,
        &format!("/can-bo/ho-so/{}?lam=%22%3E%3Cscript%3E", d.id),
        Some(&leader),
    )
    .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(!odd.body.contains("<script>"));

    // E-mail chosen without an address: refused by name, nothing saved.
    let csrf = csrf_of(&page.body);
    let reply = post_form(
        &app,
        "/can-bo/canh-bao/kenh",
        Some(&leader),
        &format!("csrf={csrf}&email_address=&phone=&email=1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.contains("cần có địa chỉ e-mail"),
        "{}",
        reply.body
    );
    let me = app
        .state
        .db
        .people()
        .staff_by_username("u.tp")
        .await
        .unwrap()
        .unwrap();
    assert!(
        app.state
            .db
            .alerts()
            .alert_channels(me.id)
            .await
            .unwrap()
            .is_empty()
    );
    // A bad phone is named too.
    let reply = post_form(
        &app,
        "/can-bo/canh-bao/kenh",
        Some(&leader),
        &format!("csrf={csrf}&email_address=&phone=12ab&zalo=1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body.contains("12ab"), "{}", reply.body);
    let reply = post_form(
        &app,
        "/can-bo/canh-bao/kenh",
        Some(&leader),
        &format!("csrf={csrf}&email_address=tp%40tuphap.example.vn&phone=&email=1"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let page = get_page(&app, "/can-bo/canh-bao?luu=1", Some(&leader)).await;
    assert!(
        page.body.contains("Đã lưu kênh nhận cảnh báo"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "name=\"email\" value=\"1\" checked> E-mail <span class=\"muted\">(tp@tuphap.example.vn)"
        ),
        "{}",
        page.body
    );
    assert_eq!(
        app.state.db.alerts().alert_channels(me.id).await.unwrap(),
        vec![motcua_domain::dossier::NotifyChannel::Email]
    );

    // The morning list of a working Monday, shown to the leader.
    let monday = chrono::DateTime::parse_from_rfc3339("2026-11-30T07:30:00+07:00").unwrap();
    let made = app
        .state
        .db
        .alerts()
        .send_digests(monday, &calendar)
        .await
        .unwrap();
    assert!(made >= 1, "{made}");
    let page = get_page(&app, "/can-bo/canh-bao", Some(&leader)).await;
    assert!(
        page.body.contains("Bản tin đầu ngày 30/11/2026"),
        "{}",
        page.body
    );
}
