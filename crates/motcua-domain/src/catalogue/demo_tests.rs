//! The demo catalogue shipped in `data/demo/catalogue.json` must always import cleanly.

use std::collections::HashSet;

use super::*;
use crate::agency::AgencyCode;

const DEMO: &str = include_str!("../../../../data/demo/catalogue.json");

fn demo() -> Vec<Procedure> {
    match parse_catalogue(DEMO) {
        Ok(procs) => procs,
        Err(errors) => {
            let listing: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("demo catalogue has problems:\n{}", listing.join("\n"))
        }
    }
}

#[test]
fn demo_catalogue_is_valid_and_broad() {
    let procs = demo();
    assert!(procs.len() >= 40, "{} procedures", procs.len());
    let fields: HashSet<&str> = procs.iter().map(|p| p.field.code.as_str()).collect();
    assert!(fields.len() >= 8, "{} fields", fields.len());
}

#[test]
fn demo_catalogue_shows_the_features() {
    let procs = demo();
    let inter_agency = procs
        .iter()
        .filter(|p| {
            p.workflow
                .iter()
                .any(|s| matches!(s.agency, StepAgency::Agency(_)))
        })
        .count();
    assert!(
        inter_agency >= 4,
        "{inter_agency} with an inter-agency step"
    );
    let committed = procs
        .iter()
        .filter(|p| {
            p.cases
                .iter()
                .flat_map(|c| &c.times)
                .any(|t| t.committed.is_some())
        })
        .count();
    assert!(committed >= 5, "{committed} with a committed time");
    let communes =
        ["000.30.01.H56", "000.30.02.H56", "000.30.03.H56"].map(|c| AgencyCode::parse(c).unwrap());
    assert!(
        procs
            .iter()
            .filter(|p| p.levels == [crate::agency::AgencyLevel::Commune])
            .all(|p| communes.iter().all(|c| p.performed_by(c)))
    );
}

#[test]
fn demo_catalogue_round_trips() {
    let procs = demo();
    let text = export_catalogue(&procs).unwrap();
    assert_eq!(parse_catalogue(&text).unwrap(), procs);
    assert_eq!(text, DEMO, "the demo file is kept in export form");
}

#[test]
fn the_format_document_example_imports() {
    let doc = include_str!("../../../../docs/CATALOGUE-FORMAT.md");
    let example = doc.find("## Example").unwrap();
    let start = example + doc[example..].find("```json\n").unwrap() + "```json\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let procs = parse_catalogue(&doc[start..end]).unwrap();
    assert_eq!(procs.len(), 1);
    let p = &procs[0];
    assert_eq!(p.workflow.iter().map(|s| s.hours).sum::<u32>(), 40);
    let policy = p.deadline_policy("chung", Channel::Online).unwrap();
    assert_eq!(policy.limit, crate::calendar::TimeLimit::WorkingDays(5));

    let over = doc[start..end].replacen("\"hours\": 14", "\"hours\": 15", 1);
    let errors = parse_catalogue(&over).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "/procedures/0/workflow");
    assert!(
        errors[0]
            .message
            .starts_with("tổng thời gian các bước là 41 giờ làm việc")
    );
}
