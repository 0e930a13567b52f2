//! Tests of the procedure rules: each breaks one rule of a valid procedure and expects the
//! error under the right field path.

use rstest::rstest;

use super::super::sample::procedure;
use super::super::*;
use crate::agency::{AgencyCode, Role};
use crate::calendar::TimeLimit;

fn fields(p: &Procedure) -> Vec<String> {
    match p.validate() {
        Ok(()) => vec![],
        Err(errors) => errors.into_iter().map(|e| e.field).collect(),
    }
}

#[test]
fn sample_is_valid() {
    assert_eq!(procedure().validate(), Ok(()));
}

type Breaker = fn(&mut Procedure);

#[rstest]
#[case::empty_name(|p: &mut Procedure| p.name = "  ".into(), "name")]
#[case::no_levels(|p: &mut Procedure| p.levels.clear(), "levels")]
#[case::no_agency(|p: &mut Procedure| p.agencies.clear(), "agencies")]
#[case::duplicate_agency(|p: &mut Procedure| p.agencies[1] = p.agencies[0].clone(), "agencies[1]")]
#[case::no_cases(|p: &mut Procedure| p.cases.clear(), "cases")]
#[case::no_channels(|p: &mut Procedure| { p.channels.clear(); p.cases[0].times.clear(); }, "channels")]
#[case::online_at_information_level(
    |p: &mut Procedure| p.online_level = OnlineLevel::Information, "channels[1]")]
#[case::empty_component_name(|p: &mut Procedure| p.cases[0].components[1].name.clear(),
    "cases[0].components[1].name")]
#[case::no_copies(|p: &mut Procedure| p.cases[0].components[1].originals = 0,
    "cases[0].components[1].originals")]
#[case::duplicate_component(|p: &mut Procedure| p.cases[0].components[1].code = "tk-01".into(),
    "cases[0].components[1].code")]
#[case::missing_channel_time(|p: &mut Procedure| { p.cases[0].times.pop(); }, "cases[0].times")]
#[case::time_for_unoffered_channel(|p: &mut Procedure| p.cases[0].times[1].channel = Channel::Post,
    "cases[0].times[1].channel; cases[0].times")]
#[case::zero_limit(|p: &mut Procedure| p.cases[0].times[0].statutory = TimeLimit::WorkingDays(0),
    "cases[0].times[0].statutory")]
#[case::committed_longer(|p: &mut Procedure| p.cases[0].times[1].committed = Some(TimeLimit::WorkingDays(4)),
    "cases[0].times[1].committed")]
#[case::negative_fee(|p: &mut Procedure| p.cases[0].fees[0].amount_vnd = -1, "cases[0].fees[0].amount_vnd")]
#[case::no_workflow(|p: &mut Procedure| p.workflow.clear(), "workflow")]
#[case::zero_hours(|p: &mut Procedure| p.workflow[1].hours = 0, "workflow[1].hours")]
#[case::first_not_counter(|p: &mut Procedure| p.workflow[0].role = Role::Specialist, "workflow[0].role")]
#[case::first_not_receiving(|p: &mut Procedure| p.workflow[0].agency = StepAgency::Competent,
    "workflow[0].agency")]
#[case::last_not_counter(|p: &mut Procedure| p.workflow[3].role = Role::AgencyLeader, "workflow[3].role")]
#[case::over_budget(|p: &mut Procedure| p.workflow[1].hours = 9, "workflow")]
#[case::empty_legal_title(|p: &mut Procedure| p.legal_basis[0].title.clear(), "legal_basis[0].title")]
fn one_broken_rule(#[case] breaker: Breaker, #[case] expected: &str) {
    let mut p = procedure();
    breaker(&mut p);
    assert_eq!(fields(&p), expected.split("; ").collect::<Vec<_>>());
}

#[test]
fn budget_uses_the_committed_online_time() {
    // 2 committed days online = 16 h; the steps take 16 h: fits exactly.
    let mut p = procedure();
    assert_eq!(p.workflow.iter().map(|s| s.hours).sum::<u32>(), 16);
    assert_eq!(p.validate(), Ok(()));
    // Without the commitment the limit is 3 days = 24 h.
    p.cases[0].times[1].committed = None;
    p.workflow[1].hours = 16;
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn calendar_day_limits_set_no_budget() {
    let mut p = procedure();
    for t in &mut p.cases[0].times {
        t.statutory = TimeLimit::CalendarDays(1);
        t.committed = None;
    }
    p.workflow[1].hours = 100;
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn committed_in_another_unit_is_not_compared() {
    let mut p = procedure();
    p.cases[0].times[1].committed = Some(TimeLimit::WorkingHours(40));
    p.workflow[1].hours = 4;
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn duplicate_case_codes() {
    let mut p = procedure();
    let mut second = p.cases[0].clone();
    second.name = "Trường hợp thứ hai".into();
    p.cases.push(second);
    assert_eq!(fields(&p), vec!["cases[1].code"]);
}

#[test]
fn all_problems_are_reported_with_vietnamese_messages() {
    let mut p = procedure();
    p.name.clear();
    p.cases[0].components[0].copies = 0;
    p.cases[0].components[0].originals = 0;
    p.cases[0].fees[0].amount_vnd = -5;
    p.workflow[0].agency = StepAgency::Agency(AgencyCode::parse("000.00.12.H56").unwrap());
    let errors = p.validate().unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        paths,
        [
            "name",
            "cases[0].components[0].originals",
            "cases[0].fees[0].amount_vnd",
            "workflow[0].agency",
        ]
    );
    assert_eq!(errors[0].message, "tên thủ tục không được để trống");
    assert_eq!(errors[2].message, "số tiền không được âm");
}

#[test]
fn over_budget_message_names_the_limit() {
    let mut p = procedure();
    p.workflow[1].hours = 20;
    let errors = p.validate().unwrap_err();
    assert_eq!(
        errors[0].message,
        "tổng thời gian các bước là 28 giờ làm việc, vượt thời hạn ngắn nhất 16 giờ \
         (trường hợp “chung”, kênh “Trực tuyến”)"
    );
}
