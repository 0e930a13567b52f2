//! The benchmark's synthetic province: the demo's agencies, staff and catalogue, and N
//! dossiers prepared with the domain functions (intake checks, initial state, transitions
//! applied in memory) and bulk-inserted.

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use motcua_db::{BulkDossier, BulkHistory, Db, DbError};
use motcua_domain::agency::{AgencyCode, Role};
use motcua_domain::calendar::{Instant, WorkCalendar, vietnam_offset};
use motcua_domain::catalogue::{Channel, Procedure, StepAgency};
use motcua_domain::dossier::{
    Action, Actor, Applicant, ApplicantKind, ComponentForm, DossierCode, Intake, NotifyChannel,
    ReceivedComponent, ReturnMethod, Status, apply, check_intake, initial_state,
};
use std::collections::HashMap;
use std::io::Write;

/// A procedure the load can file, with where it is received.
#[derive(Debug, Clone)]
pub struct Filing {
    pub procedure: Procedure,
    pub version_id: i64,
    pub receiving_code: String,
    pub receiving_id: i64,
    pub competent_id: i64,
    pub step_ids: HashMap<String, i64>,
}

/// Deterministic pseudo-random numbers (splitmix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const MIDDLE: [&str; 6] = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu"];
const GIVEN: [&str; 10] = [
    "An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Quân",
];

/// One of the applicants' names, by number.
pub fn name_of(n: u64) -> String {
    format!(
        "{} {} {}",
        FAMILY[(n % 8) as usize],
        MIDDLE[(n / 8 % 6) as usize],
        GIVEN[(n / 48 % 10) as usize]
    )
}

/// A valid counter intake for `filing` by applicant number `n`.
pub fn intake_for(filing: &Filing, n: u64, rng: &mut Rng) -> Intake {
    let case = filing.procedure.cases.first();
    let components = case
        .map(|c| {
            c.components
                .iter()
                .filter(|x| x.required_for(Channel::Counter, &[]))
                .map(|x| ReceivedComponent {
                    code: x.code.clone(),
                    form: ComponentForm::Original,
                    count: 1,
                })
                .collect()
        })
        .unwrap_or_default();
    let name = format!(
        "{} {} {}",
        FAMILY[rng.below(8) as usize],
        MIDDLE[rng.below(6) as usize],
        GIVEN[rng.below(10) as usize]
    );
    Intake {
        procedure_code: filing.procedure.code.as_str().to_string(),
        case_code: case.map(|c| c.code.clone()).unwrap_or_default(),
        channel: Channel::Counter,
        applicant: Applicant {
            kind: ApplicantKind::Person,
            name,
            id_number: Some(format!("038{:09}", n % 1_000_000_000)),
            tax_code: None,
            phone: Some(format!("09{:08}", n % 100_000_000)),
            email: None,
            address: Some("Thanh Hóa".into()),
            notify: vec![NotifyChannel::Sms],
        },
        components,
        return_method: ReturnMethod::InPerson,
        summary: None,
        conditions: Vec::new(),
    }
}

/// The procedures the counter of each receiving agency can file, ready for the load.
pub async fn filings(db: &Db) -> anyhow::Result<Vec<Filing>> {
    let agencies: HashMap<String, i64> = db
        .agencies()
        .all()
        .await?
        .into_iter()
        .map(|a| (a.code, a.id))
        .collect();
    let centre = "000.01.01.H56";
    let mut out = Vec::new();
    for summary in db.catalogue().procedures(None, None, None).await? {
        let Some(stored) = db.catalogue().procedure(&summary.code).await? else {
            continue;
        };
        let p = stored.procedure.clone();
        if !p.channels.contains(&Channel::Counter) || p.cases.is_empty() {
            continue;
        }
        let Some(competent) = p.agencies.first() else {
            continue;
        };
        let receiving_code = if competent.as_str().starts_with("000.30.") {
            competent.as_str()
        } else {
            centre
        };
        let (Some(receiving_id), Some(competent_id)) = (
            agencies.get(receiving_code),
            agencies.get(competent.as_str()),
        ) else {
            continue;
        };
        let step_ids = p
            .workflow
            .iter()
            .filter_map(|s| match &s.agency {
                StepAgency::Agency(c) => agencies
                    .get(c.as_str())
                    .map(|id| (c.as_str().to_string(), *id)),
                _ => None,
            })
            .collect();
        out.push(Filing {
            receiving_code: receiving_code.to_string(),
            receiving_id: *receiving_id,
            competent_id: *competent_id,
            version_id: stored.version_id,
            step_ids,
            procedure: p,
        });
    }
    anyhow::ensure!(!out.is_empty(), "danh mục không có thủ tục nhận trực tiếp");
    Ok(out)
}

fn all_roles() -> Actor {
    Actor::Staff {
        id: 1,
        roles: Role::ALL.to_vec(),
    }
}

/// Prepares one dossier received at `received` and moved along until `now`.
fn prepare(
    filing: &Filing,
    calendar: &WorkCalendar,
    received: Instant,
    now: Instant,
    n: u64,
    rng: &mut Rng,
    counters: &mut Counters,
) -> anyhow::Result<BulkDossier> {
    let checked = check_intake(intake_for(filing, n, rng), &filing.procedure)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut state = initial_state(&checked, &filing.procedure, received, calendar, |a| {
        Ok(match a {
            StepAgency::Receiving => filing.receiving_id,
            StepAgency::Competent => filing.competent_id,
            StepAgency::Agency(c) => filing
                .step_ids
                .get(c.as_str())
                .copied()
                .unwrap_or(filing.competent_id),
        })
    })
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut history = vec![BulkHistory {
        action: "receive",
        actor_staff_id: Some(1),
        from_status: None,
        to_status: state.status,
        from_step: 0,
        to_step: 0,
        agency_id: state.current_agency,
        at: received,
    }];
    // Where this dossier ends: most are returned; some stop on the way.
    let fate = rng.below(100);
    let mut at = received;
    let actor = all_roles();
    loop {
        let action = match (state.status, fate) {
            (Status::ResultReady, f) if f < 92 => Action::Return {
                method: ReturnMethod::InPerson,
                tracking: None,
            },
            (Status::ResultReady, _) => break,
            (Status::Processing, 92..=94) if state.step == 1 => Action::Stop {
                reason: "Dừng theo đề nghị".into(),
            },
            (Status::Processing | Status::Accepted, _) if state.step == state.approval_step() => {
                Action::Approve { note: None }
            }
            (Status::Processing | Status::Accepted, _) => Action::Forward { note: None },
            _ => break,
        };
        let hours = state.current_step().map_or(4, |s| s.hours.max(1));
        let spent = i64::from(hours) * 3600 * (60 + rng.below(70) as i64) / 100;
        let next = calendar.add_working_seconds(at, spent)?;
        if next > now {
            break;
        }
        let effect = apply(&state, &actor, &action, next, calendar)?;
        history.push(BulkHistory {
            action: action.name(),
            actor_staff_id: Some(1),
            from_status: Some(state.status),
            to_status: effect.state.status,
            from_step: i64::try_from(state.step)?,
            to_step: i64::try_from(effect.state.step)?,
            agency_id: effect.state.current_agency,
            at: next,
        });
        state = effect.state;
        at = next;
    }
    let day = received.with_timezone(&vietnam_offset()).date_naive();
    let seq = counters.entry((filing.receiving_id, day)).or_insert(0);
    *seq += 1;
    let code = DossierCode::new(
        &AgencyCode::parse(&filing.receiving_code)?,
        day,
        u32::try_from(*seq)?,
    )?;
    Ok(BulkDossier {
        code: code.to_string(),
        lookup_secret: format!("B{:07}", n % 10_000_000),
        procedure_version_id: filing.version_id,
        receiving_agency_id: filing.receiving_id,
        checked,
        state,
        history,
    })
}

/// Loads `count` dossiers spread over the year before `now`, with a progress bar; the code
/// sequences it used.
pub async fn load(
    db: &Db,
    calendar: &WorkCalendar,
    filings: &[Filing],
    count: u64,
    now: Instant,
) -> anyhow::Result<Counters> {
    let mut rng = Rng::new(0x6D6F_7463_7561);
    let mut counters = HashMap::new();
    let start_day = now.date_naive() - Duration::days(365);
    let vn = vietnam_offset();
    let batch_size = 2_000;
    let mut batch = Vec::with_capacity(batch_size);
    let started = std::time::Instant::now();
    for n in 0..count {
        // Received on a working day between 07:30 and 16:30, in date order.
        let mut day = start_day + Duration::days(i64::try_from(n * 365 / count.max(1))?);
        while !calendar.is_working_day(day)? {
            day += Duration::days(1);
        }
        let minute = 450 + rng.below(540) as i64;
        let local = day.and_hms_opt(0, 0, 0).context("midnight")? + Duration::minutes(minute);
        let received = vn.from_local_datetime(&local).single().context("instant")?;
        if received > now {
            continue;
        }
        let filing = &filings[rng.below(filings.len() as u64) as usize];
        batch.push(prepare(
            filing,
            calendar,
            received,
            now,
            n,
            &mut rng,
            &mut counters,
        )?);
        if batch.len() == batch_size || n + 1 == count {
            insert(db, &batch).await?;
            batch.clear();
            progress(n + 1, count, started);
        }
    }
    if !batch.is_empty() {
        insert(db, &batch).await?;
    }
    db.bulk().bulk_counters(&counter_rows(&counters)).await?;
    eprintln!();
    Ok(counters)
}

/// The last code sequence used per (receiving agency, day).
pub type Counters = HashMap<(i64, NaiveDate), i64>;

/// (agency id, day as YYYYMMDD, last sequence used).
pub type CounterRow = (i64, i64, i64);

fn counter_rows(counters: &Counters) -> Vec<CounterRow> {
    counters
        .iter()
        .map(|(&(agency, day), &last)| {
            (
                agency,
                i64::from(day.year()) * 10_000
                    + i64::from(day.month()) * 100
                    + i64::from(day.day()),
                last,
            )
        })
        .collect()
}

/// Dossiers received today at the counters, for the raw write limit, with the code
/// counters to store after them (so that later intakes continue the sequence). Their codes
/// continue `counters`, the sequences the loaded dossiers used (the load may have reached
/// this morning).
pub fn prepare_raw(
    calendar: &WorkCalendar,
    filings: &[Filing],
    now: Instant,
    count: u64,
    mut counters: Counters,
) -> anyhow::Result<(Vec<BulkDossier>, Vec<CounterRow>)> {
    let mut rng = Rng::new(0x7261_7721);
    let mut out = Vec::with_capacity(usize::try_from(count)?);
    for n in 0..count {
        let filing = &filings[rng.below(filings.len() as u64) as usize];
        out.push(prepare(
            filing,
            calendar,
            now,
            now,
            900_000_000 + n,
            &mut rng,
            &mut counters,
        )?);
    }
    Ok((out, counter_rows(&counters)))
}

async fn insert(db: &Db, batch: &[BulkDossier]) -> Result<(), DbError> {
    db.bulk().bulk_insert(batch).await
}

fn progress(done: u64, total: u64, started: std::time::Instant) {
    let width = 40u64;
    let filled = (done * width / total.max(1)) as usize;
    let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
    eprint!(
        "\r  nạp hồ sơ [{}{}] {done}/{total} ({rate:.0}/s)",
        "#".repeat(filled),
        ".".repeat(width as usize - filled)
    );
    let _ = std::io::stderr().flush();
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use motcua_domain::calendar::{CalendarConfig, shipped_overrides};

    /// The raw limit's dossiers, received today, continue the code sequences the load used
    /// (a load run after the first intakes of the morning used some of today's codes).
    #[tokio::test]
    async fn raw_codes_continue_the_loaded_sequences() {
        let dir = std::env::temp_dir().join(format!(
            "motcua-bench-codes-{}",
            motcua_db::random_token(6).unwrap()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/bench.db", dir.display());
        let db = Db::connect_with(&url, motcua_db::Durability::Bulk)
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let calendar = WorkCalendar::new(CalendarConfig {
            overrides: shipped_overrides().unwrap(),
            ..CalendarConfig::default()
        })
        .unwrap();
        let now = vietnam_offset()
            .with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .single()
            .unwrap();
        motcua::demo::seed(&db, &calendar, now.date_naive(), 0)
            .await
            .unwrap();
        let filings = filings(&db).await.unwrap();
        let mut loaded = Counters::new();
        for f in &filings {
            loaded.insert((f.receiving_id, now.date_naive()), 40);
        }
        let (raw, counters) = prepare_raw(&calendar, &filings, now, 300, loaded).unwrap();
        for d in &raw {
            let seq: u32 = d.code.rsplit('-').next().unwrap().parse().unwrap();
            assert!(seq > 40, "{}", d.code);
        }
        assert!(counters.iter().all(|(_, _, last)| *last > 40));
        db.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
