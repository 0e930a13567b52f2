//! Dùng lại kết quả mẫu — a few demo people whose returned result (a land-use certificate, a
//! birth certificate) is kept in their data store and reused at the counter in a later
//! dossier of another procedure that asks for that paper, instead of a new scan: what the
//! store, the reuse log and Decision 766's reuse share show in the demo.

use std::collections::BTreeMap;

use anyhow::Context;
use motcua_db::{Db, DossierFilter, FileStore, NewAttachment, Purpose, Upload};
use motcua_domain::agency::Role;
use motcua_domain::calendar::{Instant, WorkCalendar};
use motcua_domain::catalogue::{Channel, Procedure};
use motcua_domain::digitised::{Owner, Source, component_type, result_type};
use motcua_domain::dossier::{
    Actor, ComponentForm, Intake, ReceivedComponent, ReturnMethod, Status, signing_agency,
};

/// Where a paper of one kind is asked for: procedure, case and component code.
type Wanted = BTreeMap<String, Vec<(Procedure, String, String)>>;

/// Every kind of paper some procedure's case asks for at the counter.
async fn wanted(db: &Db) -> anyhow::Result<Wanted> {
    let mut out: Wanted = BTreeMap::new();
    for summary in db.catalogue().procedures(None, None, None).await? {
        let Some(stored) = db.catalogue().procedure(&summary.code).await? else {
            continue;
        };
        let p = &stored.procedure;
        if !p.offers(Channel::Counter) {
            continue;
        }
        for case in &p.cases {
            for c in &case.components {
                if c.applies(Channel::Counter, &[]) {
                    out.entry(component_type(c)).or_default().push((
                        p.clone(),
                        case.code.clone(),
                        c.code.clone(),
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// The counter that takes `procedure` in: a performing agency with a counter, else a
/// centre at one of its levels.
async fn counter_for(db: &Db, procedure: &Procedure) -> anyhow::Result<Option<(String, i64)>> {
    let counters = db.agencies().counter_agencies().await?;
    let found = counters
        .iter()
        .find(|a| procedure.agencies.iter().any(|c| c.as_str() == a.code))
        .or_else(|| {
            counters
                .iter()
                .find(|a| procedure.levels.contains(&a.level))
        });
    let Some(agency) = found else {
        return Ok(None);
    };
    let mut officer = None;
    for s in db.people().staff_over(agency.id).await? {
        if db
            .people()
            .roles_over(s.id, agency.id)
            .await?
            .contains(&Role::CounterOfficer)
        {
            officer = Some(s.id);
            break;
        }
    }
    Ok(officer.map(|id| (agency.code.clone(), id)))
}

/// The result of returned dossier `d` as a document of its owner's store: kept now (its
/// result attached, as the agency issued it) unless it is already.
async fn keep_result(
    db: &Db,
    files: &FileStore,
    d: &motcua_db::DossierRecord,
    owner: &Owner,
    now: Instant,
) -> anyhow::Result<Option<motcua_db::StoredDocument>> {
    let kept = |docs: Vec<motcua_db::StoredDocument>| {
        docs.into_iter()
            .find(|x| x.dossier_id == d.id && x.source == Source::Result)
    };
    if let Some(doc) = kept(db.documents().of_owner(&owner.key()).await?) {
        return Ok(Some(doc));
    }
    let pdf = super::results::result_pdf(db, d, signing_agency(&d.state)).await?;
    let stored = files
        .store(
            Upload {
                name: format!("ket-qua-{}.pdf", d.code),
                bytes: pdf,
                component: None,
                purpose: Purpose::Result,
            },
            "files",
        )
        .await?;
    db.dossiers()
        .attach_files(
            d.id,
            &d.code,
            vec![stored],
            "demo".into(),
            d.finished_at.unwrap_or(now),
        )
        .await?;
    Ok(kept(db.documents().of_owner(&owner.key()).await?))
}

/// Keeps the results of the demo citizen's returned dossiers (so their store has them), and
/// of up to `count` returned dossiers whose result another procedure asks for, and takes in,
/// at `now`, a dossier of that procedure for the same person reusing it (the demo citizen's
/// first). Returns how many were reused.
pub async fn reuse_results(
    db: &Db,
    files: &FileStore,
    calendar: &WorkCalendar,
    now: Instant,
    count: usize,
) -> anyhow::Result<usize> {
    let wanted = wanted(db).await?;
    let mut returned = db
        .dossiers()
        .list_dossiers(&DossierFilter {
            status: Some(Status::Returned),
            limit: Some(500),
            ..DossierFilter::default()
        })
        .await?
        .items;
    let demo = |d: &motcua_db::DossierRecord| {
        d.applicant.id_number.as_deref() == Some(super::DEMO_CITIZEN_ID)
    };
    returned.sort_by_key(|d| !demo(d));
    let mut reused = 0;
    for d in returned {
        let Some(owner) = Owner::of(&d.applicant) else {
            continue;
        };
        if demo(&d) {
            keep_result(db, files, &d, &owner, now).await?;
        }
        if reused == count {
            if demo(&d) {
                continue;
            }
            break;
        }
        let Some(version) = db
            .catalogue()
            .procedure_version(d.procedure_version_id)
            .await?
        else {
            continue;
        };
        let Some((kind, _)) = result_type(&version.procedure) else {
            continue;
        };
        let Some((target, case_code, component)) = wanted
            .get(&kind)
            .and_then(|places| {
                places
                    .iter()
                    .find(|(p, _, _)| p.code != version.procedure.code)
            })
            .cloned()
        else {
            continue;
        };
        let Some((receiving, officer)) = counter_for(db, &target).await? else {
            continue;
        };
        let Some(doc) = keep_result(db, files, &d, &owner, now).await? else {
            continue;
        };
        let Some(case) = target.case(&case_code) else {
            continue;
        };
        let Some(index) = case.components.iter().position(|c| c.code == component) else {
            continue;
        };
        let mut components: Vec<ReceivedComponent> = case
            .components
            .iter()
            .filter(|c| c.required_for(Channel::Counter, &[]) && c.code != component)
            .map(|c| ReceivedComponent {
                code: c.code.clone(),
                form: ComponentForm::Original,
                count: 1,
            })
            .collect();
        components.push(ReceivedComponent {
            code: component.clone(),
            form: ComponentForm::Electronic,
            count: 1,
        });
        let intake = Intake {
            procedure_code: target.code.as_str().to_string(),
            case_code: case_code.clone(),
            channel: Channel::Counter,
            applicant: d.applicant.clone(),
            components,
            return_method: ReturnMethod::InPerson,
            summary: None,
            conditions: Vec::new(),
        };
        let file = NewAttachment::reusing(&doc, i64::try_from(index).ok(), Purpose::Scan)?;
        db.dossiers()
            .intake_with(
                intake,
                &receiving,
                &Actor::Staff {
                    id: officer,
                    roles: vec![Role::CounterOfficer],
                },
                calendar,
                now,
                motcua_db::IntakeExtras {
                    files: vec![file],
                    ..motcua_db::IntakeExtras::default()
                },
            )
            .await
            .with_context(|| {
                format!(
                    "tiếp nhận hồ sơ {} dùng lại kết quả của hồ sơ {}",
                    target.code, d.code
                )
            })?;
        reused += 1;
    }
    Ok(reused)
}
