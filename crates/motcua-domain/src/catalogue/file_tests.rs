//! Tests of the catalogue file: round trips, and that each problem is reported at the line
//! and column of the value a person has to fix.

use proptest::prelude::*;
use rstest::rstest;

use super::super::sample::procedure;
use super::*;

/// Two valid procedures; the second has its own code and a second component `tp-02`.
fn two() -> Vec<Procedure> {
    let first = procedure();
    let mut second = procedure();
    second.code = ProcedureCode::parse("1.001193").unwrap();
    second.name = "Thủ tục đăng ký khai sinh".into();
    second.cases[0].components[1].code = "tp-02".into();
    vec![first, second]
}

fn text_of(procs: &[Procedure]) -> String {
    export_catalogue(procs).unwrap()
}

/// (line, column) of the first `needle` at or after the first `after`.
fn find(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let from = text.find(after).unwrap();
    let at = from + text[from..].find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    (line, column)
}

fn errors(text: &str) -> Vec<ImportError> {
    parse_catalogue(text).unwrap_err()
}

#[test]
fn round_trip() {
    let procs = two();
    let text = text_of(&procs);
    assert!(text.starts_with("{\n  \"format\": \"motcua-catalogue\",\n  \"version\": 1,"));
    assert_eq!(parse_catalogue(&text).unwrap(), procs);
    assert_eq!(parse_catalogue(&text_of(&[])).unwrap(), vec![]);
}

#[test]
fn negative_originals_in_procedure_two_is_reported_at_its_line() {
    let mut text = text_of(&two());
    let from = text.find("tp-02").unwrap();
    let at = from + text[from..].find("\"originals\": 1").unwrap();
    text.replace_range(at..at + "\"originals\": 1".len(), "\"originals\": -1");
    let (line, column) = find(&text, "tp-02", "-1");
    assert_eq!(
        errors(&text),
        vec![ImportError {
            line,
            column,
            path: "/procedures/1/cases/0/components/1/originals".into(),
            message: "giá trị số nguyên -1 không hợp lệ, cần số nguyên từ 0 đến 255".into(),
        }]
    );
}

#[test]
fn validation_errors_are_located_and_all_reported() {
    let mut procs = two();
    procs[0].workflow[0].role = crate::agency::Role::Specialist;
    procs[1].cases[0].fees[0].amount_vnd = -8_000;
    procs[1].cases[0].components[0].originals = 0;
    let text = text_of(&procs);
    let found = errors(&text);
    let paths: Vec<&str> = found.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/procedures/0/workflow/0/role",
            "/procedures/1/cases/0/components/0/originals",
            "/procedures/1/cases/0/fees/0/amount_vnd",
        ]
    );
    assert_eq!(
        (found[0].line, found[0].column),
        find(&text, "Tiếp nhận hồ sơ", "\"specialist\"")
    );
    assert_eq!(
        (found[2].line, found[2].column),
        find(&text, "-8000", "-8000")
    );
    assert_eq!(found[2].message, "số tiền không được âm");
}

#[test]
fn a_missing_list_is_reported_at_its_object() {
    let mut procs = two();
    procs[1].workflow.clear();
    let text = text_of(&procs);
    let found = errors(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "/procedures/1/workflow");
    assert_eq!(found[0].message, "quy trình xử lý cần ít nhất một bước");

    let text = text_of(&two()).replacen("\"workflow\": [", "\"steps\": [", 1);
    let found = errors(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, "/procedures/0/steps");
    assert_eq!(
        (found[0].line, found[0].column),
        find(&text, "\"steps\"", "[")
    );
    assert!(
        found[0].message.starts_with("trường “steps” không có"),
        "{}",
        found[0].message
    );
}

#[test]
fn missing_field_points_at_the_object() {
    let text = text_of(&two()).replacen("\"required\": true,\n", "", 1);
    let found = errors(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path, "/procedures/0/cases/0/components/0");
    assert_eq!(found[0].message, "thiếu trường “required”");
    assert_eq!(
        (found[0].line, found[0].column),
        find(&text, "\"components\"", "{")
    );
}

#[test]
fn bad_codes_and_duplicates() {
    let mut procs = two();
    procs.push(procs[0].clone());
    let text = text_of(&procs).replacen("\"1.001193\"", "\"1.1193\"", 1);
    let found = errors(&text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].path, "/procedures/1/code");
    assert_eq!(
        found[0].message,
        "mã thủ tục “1.1193” không đúng dạng d.dddddd (ví dụ 1.001193)"
    );
    assert_eq!(found[1].path, "/procedures/2/code");
    assert_eq!(
        found[1].message,
        "mã thủ tục 2.000635 bị lặp: đã có ở /procedures/0 (dòng 5)"
    );
}

#[rstest]
#[case::wrong_format(r#"{"format":"excel","version":1,"procedures":[]}"#, "/format", 1, 11)]
#[case::wrong_version(
    "{\"format\":\"motcua-catalogue\",\n\"version\":2,\"procedures\":[]}",
    "/version",
    2,
    11
)]
#[case::missing_version(r#"{"format":"motcua-catalogue","procedures":[]}"#, "", 1, 1)]
#[case::extra_key(
    r#"{"format":"motcua-catalogue","version":1,"procedures":[],"x":0}"#,
    "/x",
    1,
    62
)]
#[case::not_object("[]", "", 1, 1)]
#[case::procedures_not_list(
    r#"{"format":"motcua-catalogue","version":1,"procedures":{}}"#,
    "/procedures",
    1,
    55
)]
#[case::procedure_not_object(
    r#"{"format":"motcua-catalogue","version":1,"procedures":[7]}"#,
    "/procedures/0",
    1,
    56
)]
fn envelope_problems(
    #[case] text: &str,
    #[case] path: &str,
    #[case] line: usize,
    #[case] column: usize,
) {
    let found = errors(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].path.as_str(), found[0].line, found[0].column),
        (path, line, column)
    );
}

#[test]
fn a_syntax_error_is_the_only_error() {
    let text = "{\n  \"format\": \"motcua-catalogue\",\n  \"version\": 1\n  \"procedures\": []\n}";
    let found = errors(text);
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].line, found[0].column), (4, 3));
    assert_eq!(found[0].message, "thiếu dấu phẩy “,” hoặc dấu đóng “}”");
    assert_eq!(
        found[0].to_string(),
        "dòng 4, cột 3 (): thiếu dấu phẩy “,” hoặc dấu đóng “}”"
    );
}

#[test]
fn syntax_error_columns_count_characters() {
    let text = "{\"format\": \"Động\" x}";
    let found = errors(text);
    assert_eq!((found[0].line, found[0].column), (1, 19));
}

#[rstest]
#[case("")]
#[case("   ")]
#[case("null")]
#[case("\u{feff}{}")]
#[case("{\"format\":")]
#[case("{\"procedures\":[{\"code\":")]
#[case("{\"format\":\"motcua-catalogue\",\"version\":1,\"procedures\":[{}, [], null, \"x\", 1.5]}")]
#[case("{\"format\":\"motcua-catalogue\",\"version\":1e400,\"procedures\":[]}")]
#[case(
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
)]
#[case("\"\\ud800\"")]
#[case("{\"a\":\"\u{1}\"}")]
fn garbage_is_reported_not_panicked_on(#[case] text: &str) {
    let found = errors(text);
    assert!(!found.is_empty());
    for e in &found {
        assert!(e.line >= 1 && e.column >= 1, "{e}");
        assert!(!e.message.is_empty());
    }
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(errors(&text)[0].message, "dữ liệu lồng nhau quá sâu");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_is_answered(text in any::<String>()) {
        let _ = parse_catalogue(&text);
    }

    #[test]
    fn any_cut_of_a_valid_file_is_answered(cut in 0usize..4_000) {
        let text = text_of(&two());
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut < text.len() - 1 {
            let found = parse_catalogue(&text[..cut]).unwrap_err();
            prop_assert_eq!(found.len(), 1);
        }
    }

    #[test]
    fn any_one_character_change_is_answered(at in 0usize..4_000, c in any::<char>()) {
        let text = text_of(&two());
        let mut at = at.min(text.len() - 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut changed = text.clone();
        let old = changed[at..].chars().next().unwrap();
        changed.replace_range(at..at + old.len_utf8(), c.encode_utf8(&mut [0; 4]));
        if let Err(found) = parse_catalogue(&changed) {
            for e in found {
                prop_assert!(e.line >= 1 && e.line <= changed.lines().count() + 1);
            }
        }
    }
}
