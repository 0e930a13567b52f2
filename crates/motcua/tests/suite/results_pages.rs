//! The province's public results page and its open data: the staff statistics' figures for
//! the same period, by agency, without personal data; the period checked.

use crate::common::*;
use axum::http::StatusCode;
use chrono::Datelike;

/// The staff statistics of the year so far, for the province or one agency.
async fn year_report(
    app: &TestApp,
    year: i32,
    agency_id: Option<i64>,
) -> motcua_db::StatisticsReport {
    app.state
        .db
        .statistics()
        .statistics_report(
            &motcua_db::StatsFilter {
                from: chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
                to: app.state.now().date_naive(),
                agency_id,
                field_code: None,
                procedure_code: None,
                level: None,
                channel: None,
            },
            true,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_public_results_are_the_staff_statistics() {
    let app = TestApp::new().await;
    let mut last = serde_json::Value::Null;
    for _ in 0..3 {
        let (status, d) = app
            .post("/api/v1/dossiers", Some("tok-tn"), lawyer_intake())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        last = app
            .act("tok-tn", &d, serde_json::json!({"action": "forward"}))
            .await;
    }
    // One withdrawn and rated "satisfied": counted for the agency it was given to.
    let withdrawn = app
        .act(
            "tok-tn",
            &last,
            serde_json::json!({"action": "withdraw", "reason": "Không có nhu cầu"}),
        )
        .await;
    let record = app
        .state
        .db
        .dossiers()
        .dossier(withdrawn["id"].as_i64().unwrap())
        .await
        .unwrap()
        .unwrap();
    app.state
        .db
        .ratings()
        .rate(
            &record,
            &motcua_domain::rating::Rating {
                answers: Default::default(),
                overall: motcua_domain::rating::Satisfaction::Satisfied,
                comment: None,
            },
            "web",
            app.state.now(),
        )
        .await
        .unwrap();
    let rated_agency = app
        .state
        .db
        .agencies()
        .agency(record.state.competent_agency())
        .await
        .unwrap()
        .unwrap()
        .name;
    let today = app.state.now().date_naive();
    let year = today.year();

    let page = get_page(&app, &format!("/ket-qua?nam={year}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kết quả giải quyết thủ tục hành chính"));
    assert!(page.body.contains("Sở Tư pháp"), "{}", page.body);
    // No person: the applicant's name, ID number and phone never appear.
    for private in ["Nguyễn Thị Thu Hà", "038190012345", "0912"] {
        assert!(!page.body.contains(private), "{private} on the public page");
    }

    let (status, data) = app
        .get(&format!("/ket-qua/du-lieu.json?nam={year}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let report = year_report(&app, year, None).await;
    let agencies = data["agencies"].as_array().unwrap();
    assert_eq!(agencies.len(), report.by_agency.len());
    for row in &report.by_agency {
        let public = agencies
            .iter()
            .find(|a| a["agency"] == row.name.as_str())
            .unwrap_or_else(|| panic!("{} not published", row.name));
        assert_eq!(public["received"], row.summary.figures.received);
        assert_eq!(public["accepted"], row.summary.figures.accepted);
        assert_eq!(public["resolved"], row.summary.resolved);
        assert_eq!(public["overdue_at_end"], row.summary.figures.overdue_at_end);
    }
    let rated = agencies
        .iter()
        .find(|a| a["agency"] == rated_agency.as_str())
        .unwrap();
    assert_eq!(
        (
            rated["ratings"].as_i64(),
            rated["ratings_satisfied"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(data["province"]["ratings"], 1);
    assert_eq!(data["province"]["received"], report.total.figures.received);
    assert_eq!(data["province"]["received"], 3);
    assert_eq!(data["groups_766"].as_array().unwrap().len(), 6);

    // The CSV: a header, one line per agency and the province, the same counts.
    let csv = get_page(&app, &format!("/ket-qua/du-lieu.csv?nam={year}"), None).await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("ma_co_quan,ten_co_quan,tu_ngay,den_ngay,tiep_nhan"));
    assert_eq!(lines.len(), 1 + agencies.len() + 1);
    let province = lines.last().unwrap();
    assert!(province.starts_with(",Toàn tỉnh,"), "{province}");
    assert_eq!(province.split(',').nth(4), Some("3"));

    // Two agencies side by side, each with its own Decision 766 groups: the staff
    // statistics of that agency for the same period.
    let (justice, finance) = (JUSTICE, FINANCE);
    let page = get_page(
        &app,
        &format!("/ket-qua?nam={year}&so-sanh={justice}&so-sanh={finance}"),
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let table = page
        .body
        .split("<table class=\"list compare\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_else(|| panic!("a comparison table: {}", page.body));
    assert!(
        table.contains("<th scope=\"col\">Sở Tư pháp</th><th scope=\"col\">Sở Tài chính</th>"),
        "{table}"
    );
    let (status, compared) = app
        .get(
            &format!("/ket-qua/du-lieu.json?nam={year}&so-sanh={justice},{finance}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let compared = compared["compared"].as_array().unwrap();
    assert_eq!(compared.len(), 2);
    let justice_id = app
        .state
        .db
        .agencies()
        .agency_by_code(justice)
        .await
        .unwrap()
        .unwrap()
        .id;
    let own = year_report(&app, year, Some(justice_id)).await;
    assert_eq!(compared[0]["line"]["agency"], "Sở Tư pháp");
    assert_eq!(compared[0]["line"]["received"], own.total.figures.received);
    for (i, g) in own.evaluation.groups_766.iter().enumerate() {
        assert_eq!(
            compared[0]["groups_766"][i]["score"].as_f64(),
            g.score,
            "{}",
            g.group.code()
        );
    }
    // A code that is no agency, and too many at once, are named.
    let unknown = get_page(
        &app,
        &format!("/ket-qua?nam={year}&so-sanh=000.99.99.H56"),
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.body.contains("000.99.99.H56"), "{}", unknown.body);
    let many = get_page(
        &app,
        &format!("/ket-qua?nam={year}&so-sanh=A,B,C,D,E"),
        None,
    )
    .await;
    assert_eq!(many.status, StatusCode::BAD_REQUEST);
    assert!(many.body.contains("tối đa 4"), "{}", many.body);

    // A period that makes no sense is named, not served.
    let bad = get_page(&app, "/ket-qua?nam=2026&thang=13", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("tháng 13 không hợp lệ"), "{}", bad.body);
    let future = get_page(&app, &format!("/ket-qua?nam={}", year + 1), None).await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
}
