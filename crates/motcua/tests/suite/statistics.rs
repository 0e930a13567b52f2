//! Statistics over HTTP: the JSON API with its scope rules, the staff pages with their charts
//! and lists, and the Excel export read back from its sheets.

use crate::common::*;

use axum::http::{Method, StatusCode};
use std::io::Read;

const PASSWORD: &str = "mat-khau-demo";

use crate::common::send_raw as send;

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
    cookie.split(';').next().unwrap().to_string()
}

fn sheet_text(xlsx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_pages_and_excel_show_the_same_numbers() {
    let app = TestApp::new().await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        let (status, d) = app
            .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        codes.push(d["code"].as_str().unwrap().to_string());
    }
    let today = app.state.now().date_naive();
    let q = format!("from={today}&to={today}");

    // The province's leader sees the province; the Justice department its own dossiers.
    for token in ["tok-ct", "tok-cv"] {
        let (status, r) = app
            .get(&format!("/api/v1/statistics?{q}"), Some(token))
            .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["total"]["received"], 3, "{token}");
        assert_eq!(r["total"]["received_counter"], 3);
        assert_eq!(r["total"]["open_at_end"], 3);
        assert_eq!(r["by_agency"][0]["name"], "Sở Tư pháp");
        assert_eq!(r["evaluation"]["groups_766"].as_array().unwrap().len(), 6);
    }
    // Without the per-procedure detail: the same totals and cuts.
    let (_, full) = app
        .get(&format!("/api/v1/statistics?{q}"), Some("tok-ct"))
        .await;
    let (_, lean) = app
        .get(&format!("/api/v1/statistics?{q}&detail=0"), Some("tok-ct"))
        .await;
    assert_eq!(full["total"], lean["total"]);
    assert_eq!(full["by_agency"], lean["by_agency"]);
    assert_eq!(full["by_field"].as_array().unwrap().len(), 1);
    assert_eq!(full["by_field"], lean["by_field"]);
    assert_eq!(full["by_month"], lean["by_month"]);
    // Finance sees its own sub-tree (nothing), and may not look at Justice.
    let justice = app
        .state
        .db
        .agencies()
        .agency_by_code(JUSTICE)
        .await
        .unwrap()
        .unwrap();
    let (status, r) = app
        .get(&format!("/api/v1/statistics?{q}"), Some("tok-cvtc"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["total"]["received"], 0);
    let (status, _) = app
        .get(
            &format!("/api/v1/statistics?{q}&agency={}", justice.id),
            Some("tok-cvtc"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, e) = app
        .get("/api/v1/statistics?from=2026-13-01", Some("tok-ct"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(e["error"]["fields"][0]["field"], "from", "{e}");
    let (status, _) = app.get("/api/v1/statistics", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The pages: figures, charts, and each figure's list of dossiers.
    let cv = sign_in(&app, "u.cv").await;
    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/thong-ke?{q}"),
        Some(&cv),
        None,
    )
    .await;
    let html = String::from_utf8(html).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<svg") && html.contains("Tiếp nhận trong kỳ") && html.contains(">Q4/"),
        "{html}"
    );
    assert!(
        html.contains("/can-bo/thong-ke/ho-so?metric=received&#38;from="),
        "figures link to their lists: {html}"
    );
    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/thong-ke/ho-so?metric=received&{q}"),
        Some(&cv),
        None,
    )
    .await;
    let html = String::from_utf8(html).unwrap();
    assert_eq!(status, StatusCode::OK);
    for code in &codes {
        assert!(html.contains(code.as_str()), "{code} listed");
    }
    let (status, html, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/thong-ke/ho-so?metric=late&{q}"),
        Some(&cv),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!String::from_utf8(html).unwrap().contains(codes[0].as_str()));
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/can-bo/thong-ke/ho-so?metric=nonsense",
        Some(&cv),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(&app, Method::GET, "/can-bo/thong-ke", None, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "sign in first");

    let cvtc = sign_in(&app, "u.cvtc").await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        &format!("/can-bo/thong-ke/co-quan/{}?{q}", justice.id),
        Some(&cvtc),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = send(
        &app,
        Method::GET,
        &format!(
            "/can-bo/thong-ke/ho-so?metric=received&agency={}&{q}",
            justice.id
        ),
        Some(&cvtc),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The spreadsheet: one sheet per cut, Vietnamese headers, the same numbers.
    let (status, xlsx, headers) = send(
        &app,
        Method::GET,
        &format!("/can-bo/thong-ke/excel?{q}"),
        Some(&cv),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let book = sheet_text(&xlsx, "xl/workbook.xml");
    for name in [
        "Tổng hợp",
        "Theo cơ quan",
        "Theo lĩnh vực",
        "Theo kênh",
        "Theo tháng",
        "Đánh giá",
    ] {
        assert!(book.contains(name), "sheet {name}");
    }
    let strings = sheet_text(&xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("Tiếp nhận trong kỳ") && strings.contains("Sở Tư pháp"));
    // Sheet 2 (by agency), row 2: Sở Tư pháp; column C (received) holds 3.
    let by_agency = sheet_text(&xlsx, "xl/worksheets/sheet2.xml");
    assert_eq!(cell(&by_agency, "C2").as_deref(), Some("3"), "{by_agency}");
    // Shares are fractions shown as percentages with one decimal (85,1 % in a Vietnamese
    // Excel), never text with a decimal point.
    let styles = sheet_text(&xlsx, "xl/styles.xml");
    assert!(styles.contains(r#"formatCode="0.0%""#), "{styles}");
    // The monthly sheet carries each month's own end states: the three dossiers are in
    // progress at the month's end, as on the total sheet.
    let months = sheet_text(&xlsx, "xl/worksheets/sheet5.xml");
    let total = sheet_text(&xlsx, "xl/worksheets/sheet1.xml");
    assert_eq!(cell(&months, "O2"), cell(&total, "O2"), "{months}");
    assert_eq!(cell(&months, "O2").as_deref(), Some("3"), "{months}");
}

/// The value of cell `name` in a worksheet's XML.
fn cell(sheet: &str, name: &str) -> Option<String> {
    let start = sheet.find(&format!(r#"<c r="{name}""#))?;
    let rest = &sheet[start..];
    let end = rest.find("</c>")?;
    let v = rest[..end].split("<v>").nth(1)?;
    Some(v.trim_end_matches("</v>").to_string())
}
