//! The public pages as a browser gets them: home, catalogue search, procedure page,
//! dossier lookup, language switch and friendly errors.

use crate::common::*;
use axum::body::Body;
use axum::http::{Request, StatusCode};

async fn page(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, axum::http::HeaderMap) {
    let mut request = Request::builder().uri(path);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response =
        tower::ServiceExt::oneshot(app.router.clone(), request.body(Body::empty()).unwrap())
            .await
            .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), headers)
}

#[tokio::test]
async fn home_and_catalogue_search_without_diacritics() {
    let app = TestApp::new().await;
    let (status, html, headers) = page(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.contains("Tra cứu tiến độ hồ sơ"), "{html}");
    assert!(
        html.contains("Luật sư") || html.contains("luật sư") || html.contains("Lý lịch"),
        "fields listed"
    );

    let (status, html, _) = page(&app, "/thu-tuc?q=chung+chi+hanh+nghe+luat+su", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("/thu-tuc/1.000828"), "{html}");
    let (_, html, _) = page(&app, "/thu-tuc?q=khong+co+thu+tuc+nay", None).await;
    assert!(html.contains("Không tìm thấy thủ tục nào"));
    // Input is escaped, never executed.
    let (_, html, _) = page(&app, "/thu-tuc?q=%3Cscript%3Ealert(1)%3C/script%3E", None).await;
    assert!(!html.contains("<script>alert"));
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "escaped"
    );
}

#[tokio::test]
async fn procedure_page_shows_what_a_citizen_needs() {
    let app = TestApp::new().await;
    let (status, html, _) = page(&app, "/thu-tuc/1.000828", None).await;
    assert_eq!(status, StatusCode::OK);
    for text in [
        "Thành phần hồ sơ",
        "Thời hạn giải quyết",
        "10 ngày làm việc",
        "15 ngày làm việc",
        "Sở Tư pháp",
        "Trình tự thực hiện",
    ] {
        assert!(html.contains(text), "missing {text}");
    }
    let (status, html, _) = page(&app, "/thu-tuc/9.999999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"));
    let (status, html, _) = page(&app, "/khong-co-trang-nay", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Về trang chủ"));
}

#[tokio::test]
async fn lookup_shows_progress_without_personal_data() {
    let app = TestApp::new().await;
    let (status, d) = app
        .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let code = d["code"].as_str().unwrap();
    let secret = d["lookup_secret"].as_str().unwrap();
    let (status, html, _) =
        page(&app, &format!("/tra-cuu?code={code}&secret={secret}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(code));
    assert!(html.contains("Được tiếp nhận"));
    assert!(html.contains("Ngày hẹn trả kết quả"));
    assert!(!html.contains("Nguyễn Thị Thu Hà") && !html.contains("038190012345"));
    let (_, html, _) = page(&app, &format!("/tra-cuu?code={code}&secret=SAI12345"), None).await;
    assert!(html.contains("Không tìm thấy hồ sơ"));
    assert!(!html.contains("Được tiếp nhận"));
}

#[tokio::test]
async fn english_is_one_click_away_and_redirects_stay_on_the_site() {
    let app = TestApp::new().await;
    let (status, _, headers) = page(&app, "/ngon-ngu?to=en&back=/thu-tuc", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/thu-tuc");
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=en")
    );
    let (_, html, _) = page(&app, "/", Some("lang=en")).await;
    assert!(html.contains("Track your dossier"));
    assert!(html.contains("lang=\"en\""));
    let (_, _, headers) = page(&app, "/ngon-ngu?to=vi&back=//evil.example", None).await;
    assert_eq!(headers["location"], "/");
}

#[tokio::test]
async fn the_stylesheet_is_served_locally() {
    let app = TestApp::new().await;
    let (status, css, headers) = page(&app, "/static/app.css", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.contains("--brand"));
}
