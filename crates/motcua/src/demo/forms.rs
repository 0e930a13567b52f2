//! Tờ khai mẫu — filling in a demo dossier's intake: the applicant, the components handed in
//! (every required one, some optional ones) and how the result goes back.

use anyhow::Context;
use motcua_domain::catalogue::{Case, Channel, Procedure};
use motcua_domain::dossier::{ComponentForm, Intake, ReceivedComponent, ReturnMethod};

use super::people;
use super::plan::Plan;
use super::rng::Rng;

fn return_method(channel: Channel, online_offered: bool, rng: &mut Rng) -> ReturnMethod {
    let roll = rng.below(100);
    match channel {
        Channel::Online if roll < 75 => ReturnMethod::Online,
        Channel::Online => ReturnMethod::InPerson,
        Channel::Post if roll < 85 => ReturnMethod::Post,
        Channel::Post => ReturnMethod::InPerson,
        Channel::Counter if roll < 12 => ReturnMethod::Post,
        Channel::Counter if roll < 20 && online_offered => ReturnMethod::Online,
        Channel::Counter => ReturnMethod::InPerson,
    }
}

/// The situations that hold for a demo dossier: each of the case's, now and then (about one
/// dossier in four is filed on someone's behalf, and the like).
fn conditions(case: &Case, rng: &mut Rng) -> Vec<String> {
    case.conditions
        .iter()
        .filter(|_| rng.chance(25))
        .map(|k| k.code.clone())
        .collect()
}

/// What is handed in: every component required in these conditions through this channel,
/// some of the other ones that apply; never one that does not apply.
fn components(
    case: &Case,
    channel: Channel,
    conditions: &[String],
    rng: &mut Rng,
) -> Vec<ReceivedComponent> {
    case.components
        .iter()
        .filter(|c| c.applies(channel, conditions))
        .filter(|c| c.required_for(channel, conditions) || rng.chance(30))
        .map(|c| ReceivedComponent {
            code: c.code.clone(),
            form: match channel {
                Channel::Online => ComponentForm::Electronic,
                _ if c.originals > 0 => ComponentForm::Original,
                _ => ComponentForm::Copy,
            },
            count: c.originals.max(c.copies).max(1),
        })
        .collect()
}

/// The intake for `plan`, under `procedure`.
pub(crate) fn intake(plan: &Plan, procedure: &Procedure, rng: &mut Rng) -> anyhow::Result<Intake> {
    let case = procedure.case(&plan.case).with_context(|| {
        format!(
            "thủ tục {} không có trường hợp {}",
            procedure.code, plan.case
        )
    })?;
    let conditions = conditions(case, rng);
    Ok(Intake {
        procedure_code: procedure.code.as_str().to_string(),
        case_code: case.code.clone(),
        channel: plan.channel,
        applicant: people::applicant(plan.organisation, plan.commune, rng),
        components: components(case, plan.channel, &conditions, rng),
        return_method: return_method(plan.channel, procedure.offers(Channel::Online), rng),
        summary: None,
        conditions,
    })
}

/// What a supplement request asks for: one of the case's documents, optional ones first
/// (those are the ones people forget).
pub(crate) fn missing_document(procedure: &Procedure, case_code: &str, rng: &mut Rng) -> String {
    let Some(case) = procedure.case(case_code) else {
        return "Giấy tờ chứng minh theo quy định".into();
    };
    let optional: Vec<&str> = case
        .components
        .iter()
        .filter(|c| !c.required)
        .map(|c| c.name.as_str())
        .collect();
    let all: Vec<&str> = case.components.iter().map(|c| c.name.as_str()).collect();
    let pool = if optional.is_empty() { all } else { optional };
    if pool.is_empty() {
        return "Giấy tờ chứng minh theo quy định".into();
    }
    pool[rng.index(pool.len())].to_string()
}

/// The fee or charge asked for during processing: the case's own fees when it has any,
/// otherwise a plausible charge for the field.
pub(crate) fn charge(procedure: &Procedure, case_code: &str, rng: &mut Rng) -> i64 {
    let fee = procedure.total_fee_vnd(case_code).unwrap_or(0);
    if fee > 0 {
        return fee;
    }
    let amounts: &[i64] = match procedure.field.code.as_str() {
        "dat-dai" => &[1_250_000, 3_600_000, 12_800_000, 45_500_000],
        "hoat-dong-xay-dung" => &[150_000, 500_000, 1_500_000],
        _ => &[100_000, 300_000, 500_000, 1_000_000, 2_500_000],
    };
    rng.pick(amounts)
}
