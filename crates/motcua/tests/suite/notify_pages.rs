//! Notifications in the staff pages: administrators edit message templates (checked
//! before saving), and the dossier page shows each message's delivery.

use crate::common::*;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use motcua_db::{FallbackRanks, Outcome};

const PASSWORD: &str = "mat-khau-demo";

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    form: Option<&str>,
) -> (StatusCode, String, HeaderMap) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("cookie", cookie);
    let request = match form {
        Some(f) => request
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(f.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), headers)
}

async fn sign_in(app: &TestApp, username: &str) -> String {
    let s = app
        .state
        .db
        .people()
        .staff_by_username(username)
        .await
        .unwrap()
        .unwrap();
    app.state
        .db
        .people()
        .set_password(s.id, PASSWORD, "test", None)
        .await
        .unwrap();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/can-bo/dang-nhap")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", FORM_COOKIE)
        .body(Body::from(format!(
            "username={username}&password={PASSWORD}&csrf={FORM_TOKEN}"
        )))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_string()
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn administrators_edit_templates_that_render() {
    let app = TestApp::new().await;
    let counter = sign_in(&app, "u.tn").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/mau-tin",
        &counter,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = sign_in(&app, "u.qt").await;
    let (status, html, _) = send(&app, Method::GET, "/can-bo/quan-tri/mau-tin", &admin, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mẫu tin nhắn gửi công dân"));
    assert!(html.contains("Xin lỗi và hẹn lại ngày trả"));
    assert!(
        html.contains("Đã tiếp nhận hồ sơ {{ code }}"),
        "defaults are offered"
    );
    assert!(
        html.contains("Kính gửi Nguyễn Thị Hoà"),
        "a preview with sample data"
    );
    let csrf = csrf_of(&html);

    // A template that does not render is refused, kept in the form, and not stored.
    let bad = format!(
        "csrf={csrf}&event=received&channel=sms&subject=&body={}",
        encode("Kính gửi {{ ho_ten }}")
    );
    let (status, html, _) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/mau-tin",
        &admin,
        Some(&bad),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Mẫu chưa được lưu"), "{html}");
    assert!(html.contains("Kính gửi {{ ho_ten }}"));
    assert!(
        app.state
            .db
            .outbox()
            .message_template("received", "sms")
            .await
            .unwrap()
            .is_none()
    );

    // Without the form's token nothing is saved.
    let forged = format!("csrf=x&event=received&channel=sms&body={}", encode("x"));
    let (status, _, _) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/mau-tin",
        &admin,
        Some(&forged),
    )
    .await;
    assert!(status.is_client_error(), "{status}");

    let good = format!(
        "csrf={csrf}&event=received&channel=sms&subject=&body={}",
        encode("Hồ sơ {{ code }} đã được tiếp nhận{% if due %}, hẹn {{ due }}{% endif %}.")
    );
    let (status, _, headers) = send(
        &app,
        Method::POST,
        "/can-bo/quan-tri/mau-tin",
        &admin,
        Some(&good),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers["location"],
        "/can-bo/quan-tri/mau-tin?saved=1#received-sms"
    );
    let stored = app
        .state
        .db
        .outbox()
        .message_template("received", "sms")
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored
            .body
            .starts_with("Hồ sơ {{ code }} đã được tiếp nhận")
    );
    assert!(stored.updated_by.starts_with("staff:"));
    let (_, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/mau-tin?saved=1",
        &admin,
        None,
    )
    .await;
    assert!(html.contains("Đã lưu mẫu tin."));

    // The English page has its own texts.
    let english = format!("{admin}; lang=en");
    let (_, html, _) = send(
        &app,
        Method::GET,
        "/can-bo/quan-tri/mau-tin",
        &english,
        None,
    )
    .await;
    assert!(html.contains("Message templates for citizens"), "{html}");
}

#[tokio::test]
async fn the_dossier_page_shows_each_delivery() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    let db = &app.state.db;
    let now = motcua_db::now_seconds();
    let claimed = db
        .outbox()
        .claim_messages("w", now, now + 60, 10, FallbackRanks::default())
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    db.outbox()
        .finish_attempt(
            &claimed[0],
            "w",
            now,
            Outcome::Failed,
            "400 {\"error\":\"số thuê bao không tồn tại\"}",
            FallbackRanks::default(),
        )
        .await
        .unwrap();

    let counter = sign_in(&app, "u.tn").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/ho-so/{}", d["id"]),
        &counter,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Tiếp nhận hồ sơ"));
    assert!(html.contains("Tin nhắn SMS"));
    assert!(html.contains("091****678"), "masked recipient");
    assert!(html.contains("Gửi không được"));
    assert!(html.contains("số thuê bao không tồn tại"), "{html}");
}
