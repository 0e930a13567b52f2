//! Queue tickets in the browser's terms: the kiosk and the printable ticket, the officer's
//! caller (only for counter officers, with the form token), and the hall's display and its
//! data.

use crate::common::*;
use axum::http::{Method, StatusCode};

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    form: &str,
) -> (StatusCode, String, Option<String>) {
    let r = if method == Method::POST {
        post_form(app, path, cookie, form).await
    } else {
        get_page(app, path, cookie).await
    };
    let location = Some(r.location).filter(|l| !l.is_empty());
    (r.status, r.body, location)
}

#[tokio::test]
async fn take_a_number_call_it_and_see_it_on_the_display() {
    let app = TestApp::new().await;
    let centre = app
        .state
        .db
        .agencies()
        .agency_by_code(CENTRE)
        .await
        .unwrap()
        .unwrap()
        .id;
    // The only centre with a counter is chosen at once; its fields are the catalogue's.
    let (status, html, _) = call(&app, Method::GET, "/lay-so", None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Trung tâm Phục vụ hành chính công tỉnh"),
        "{html}"
    );
    let fields = app.state.db.tickets().fields().await.unwrap();
    let (field, name) = fields.first().unwrap().clone();
    assert!(html.contains(&name));
    let (status, _, to) = call(
        &app,
        Method::POST,
        "/lay-so",
        None,
        &format!("agency={centre}&field={field}"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let to = to.unwrap();
    let (status, ticket, _) = call(&app, Method::GET, &to, None, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        ticket.contains("0001") && ticket.contains(&name),
        "{ticket}"
    );
    assert!(ticket.contains("Số người đang chờ trước"));
    // A field or a place that does not exist takes no number.
    let (status, _, _) = call(
        &app,
        Method::POST,
        "/lay-so",
        None,
        &format!("agency={centre}&field=khong-co"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(
        &app,
        Method::POST,
        "/lay-so",
        None,
        &format!("agency=999&field={field}"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Only counter officers call numbers; the form needs the session's token.
    let specialist = staff_session(&app, "u.cv").await;
    let (status, _, _) = call(&app, Method::GET, "/can-bo/goi-so", Some(&specialist), "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let counter = staff_session(&app, "u.tn").await;
    let (status, html, _) = call(&app, Method::GET, "/can-bo/goi-so", Some(&counter), "").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&html);
    let (status, _, _) = call(
        &app,
        Method::POST,
        "/can-bo/goi-so",
        Some(&counter),
        &format!("csrf=x&agency={centre}&quay=Qu%E1%BA%A7y+3&fields=&action=next"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, to) = call(
        &app,
        Method::POST,
        "/can-bo/goi-so",
        Some(&counter),
        &format!("csrf={csrf}&agency={centre}&quay=Qu%E1%BA%A7y+3&fields={field}&action=next"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = call(&app, Method::GET, &to.unwrap(), Some(&counter), "").await;
    assert!(html.contains("Đang gọi số 0001 tới Quầy 3"), "{html}");
    assert!(html.contains("class=\"number\">0001"), "now serving");

    // The display shows it, as a page and as data.
    let (status, html, _) = call(
        &app,
        Method::GET,
        &format!("/man-hinh-so?co-quan={centre}"),
        None,
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("0001") && html.contains("Quầy 3") && html.contains("data-display"));
    let (status, json, _) = call(
        &app,
        Method::GET,
        &format!("/man-hinh-so/du-lieu?co-quan={centre}"),
        None,
        "",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(data["calls"][0]["number"], "0001");
    assert_eq!(data["calls"][0]["counter"], "Quầy 3");
    assert_eq!(data["waiting"], 0);

    // Called again, then done: today's figures count it.
    for action in ["recall", "served"] {
        let (status, _, _) = call(
            &app,
            Method::POST,
            "/can-bo/goi-so",
            Some(&counter),
            &format!("csrf={csrf}&agency={centre}&quay=Qu%E1%BA%A7y+3&fields=&action={action}"),
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (_, json, _) = call(
        &app,
        Method::GET,
        &format!("/man-hinh-so/du-lieu?co-quan={centre}"),
        None,
        "",
    )
    .await;
    assert!(json.contains("\"recalls\":1"), "{json}");
    let (_, html, _) = call(&app, Method::GET, "/can-bo/goi-so", Some(&counter), "").await;
    assert!(
        html.contains("Đã phục vụ") && html.contains(&name),
        "{html}"
    );
    // And the statistics of the period show them.
    let leader = staff_session(&app, "u.ct").await;
    let (status, html, _) = call(&app, Method::GET, "/can-bo/thong-ke", Some(&leader), "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Lấy số thứ tự: thời gian chờ và phục vụ"),
        "{html}"
    );
    assert!(html.contains(&name), "the field's row");
}

#[tokio::test]
async fn the_directory_lists_leaders_and_officers_but_not_administrators() {
    let app = TestApp::new().await;
    let (status, html, _) = call(&app, Method::GET, "/danh-ba", None, "").await;
    assert_eq!(status, StatusCode::OK);
    for name in [
        "Cán bộ tn",
        "Cán bộ cv",
        "Cán bộ gd",
        "Sở Tư pháp",
        "Công chức một cửa",
    ] {
        assert!(html.contains(name), "{name} missing");
    }
    assert!(
        !html.contains("Cán bộ qt"),
        "the administrator is not a public contact"
    );
}

#[tokio::test]
async fn the_kiosk_and_the_hall_screens_show_no_way_out() {
    let app = TestApp::new().await;
    let (_, kiosk, _) = call(&app, Method::GET, "/lay-so", None, "").await;
    let centre = app
        .state
        .db
        .agencies()
        .agency_by_code(CENTRE)
        .await
        .unwrap()
        .unwrap()
        .id;
    let field = app.state.db.tickets().fields().await.unwrap()[0].0.clone();
    let (_, _, to) = call(
        &app,
        Method::POST,
        "/lay-so",
        None,
        &format!("agency={centre}&field={field}"),
    )
    .await;
    let (_, ticket, _) = call(&app, Method::GET, &to.unwrap(), None, "").await;
    let (_, display, _) = call(&app, Method::GET, "/man-hinh-so", None, "").await;
    let (_, screen, _) = call(&app, Method::GET, "/bang-cong-khai?man-hinh=1", None, "").await;
    for (page, html) in [
        ("kiosk", &kiosk),
        ("ticket", &ticket),
        ("display", &display),
        ("board screen", &screen),
    ] {
        assert!(html.contains("class=\"hall\""), "{page}: the whole screen");
        for way_out in [
            "href=\"/can-bo",
            "href=\"/cong-dan",
            "href=\"/thu-tuc\"",
            "<nav",
        ] {
            assert!(!html.contains(way_out), "{page} offers {way_out}");
        }
    }
    // The ticket still leads back to the kiosk; the board on the website keeps the menu.
    assert!(ticket.contains("href=\"/lay-so"));
    let (_, board, _) = call(&app, Method::GET, "/bang-cong-khai", None, "").await;
    assert!(board.contains("<nav") && !board.contains("class=\"hall\""));
}
