//! The `motcua calendar` commands as a user runs them: output shapes and bad input.

use crate::process::*;

#[test]
fn holidays_json_lists_the_year() {
    let (ok, out, _) = motcua(&["calendar", "holidays", "--year", "2026", "--json"]);
    assert!(ok);
    assert!(
        out.starts_with(
            r#"{"year":2026,"days":[{"date":"2026-01-01","working":false,"name":"Tết Dương lịch"}"#
        ),
        "{out}"
    );
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let days = value["days"].as_array().unwrap();
    assert_eq!(days.len(), 14);
    assert!(
        days.iter()
            .any(|d| d["date"] == "2026-08-22" && d["working"] == true)
    );
    let dates: Vec<&str> = days.iter().map(|d| d["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
}

#[test]
fn deadline_json() {
    let (ok, out, _) = motcua(&[
        "calendar",
        "deadline",
        "--received",
        "2026-02-13T10:00:00+07:00",
        "--working-days",
        "5",
        "--json",
    ]);
    assert!(ok);
    assert_eq!(
        out.trim(),
        r#"{"received":"2026-02-13T10:00:00+07:00","start":"2026-02-13T10:00:00+07:00","due":"2026-02-27T10:00:00+07:00"}"#
    );
    let (ok, out, _) = motcua(&[
        "calendar",
        "deadline",
        "--received",
        "2026-03-02T15:30:00+07:00",
        "--working-hours",
        "2",
        "--cutoff",
        "15:00",
        "--json",
    ]);
    assert!(ok);
    assert!(
        out.contains(r#""start":"2026-03-03T07:00:00+07:00","due":"2026-03-03T09:00:00+07:00""#),
        "{out}"
    );
    let (ok, out, _) = motcua(&[
        "calendar",
        "deadline",
        "--received",
        "2026-03-06T10:00:00+07:00",
        "--calendar-days",
        "3",
        "--json",
    ]);
    assert!(ok);
    assert!(
        out.contains(r#""due":"2026-03-09T10:00:00+07:00""#),
        "{out}"
    );
}

#[test]
fn lunar_and_back() {
    let (ok, out, _) = motcua(&["calendar", "lunar", "2026-02-17", "--json"]);
    assert!(ok);
    assert_eq!(
        out.trim(),
        r#"{"solar":"2026-02-17","lunar":{"year":2026,"month":1,"day":1,"leap":false}}"#
    );
    let (ok, out, _) = motcua(&[
        "calendar",
        "solar",
        "--lunar",
        "2023-02-01",
        "--leap",
        "--json",
    ]);
    assert!(ok);
    assert!(out.contains(r#""solar":"2023-03-22""#), "{out}");
}

#[test]
fn bad_input_is_one_line_and_non_zero() {
    for args in [
        &["calendar", "lunar", "2026-02-31"][..],
        &["calendar", "lunar", "1800-01-01"],
        &["calendar", "holidays", "--year", "1800"],
        &[
            "calendar",
            "deadline",
            "--received",
            "2026-13-01T10:00:00+07:00",
            "--working-days",
            "1",
        ],
        &[
            "calendar",
            "deadline",
            "--received",
            "2026-02-13T10:00:00+07:00",
            "--working-days",
            "-5",
        ],
        &[
            "calendar",
            "deadline",
            "--received",
            "garbled",
            "--working-days",
            "1",
        ],
        &[
            "calendar",
            "deadline",
            "--received",
            "2026-02-13T10:00:00+07:00",
            "--cutoff",
            "25:00",
            "--working-days",
            "1",
        ],
        &["calendar", "solar", "--lunar", "2025-12-30"],
        &["calendar", "solar", "--lunar", "2026-03-01", "--leap"],
    ] {
        let (ok, out, err) = motcua(args);
        assert!(!ok, "{args:?} should fail");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("motcua: "), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
