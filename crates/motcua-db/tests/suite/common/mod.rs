//! Test fixtures: a fresh database per test on each engine, a small province and procedure.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use motcua_db::{Db, NewAgency, NewStaff};
use motcua_domain::agency::{AgencyCode, AgencyLevel, Role};
use motcua_domain::calendar::{
    CalendarConfig, SuspensionPolicy, TimeLimit, WorkCalendar, shipped_overrides,
};
use motcua_domain::catalogue::{
    Case, Channel, ChannelTime, Component, DeadlineRules, Field, OnlineLevel, Procedure,
    ProcedureCode, StepAgency, WorkflowStep,
};
use motcua_domain::dossier::{
    Applicant, ApplicantKind, ComponentForm, Intake, NotifyChannel, ReceivedComponent, ReturnMethod,
};
use std::sync::LazyLock;

pub static CALENDAR: LazyLock<WorkCalendar> = LazyLock::new(|| {
    WorkCalendar::new(CalendarConfig {
        overrides: shipped_overrides().unwrap(),
        ..CalendarConfig::default()
    })
    .unwrap()
});

/// A fresh, migrated database on the named engine, or `None` (with a note) when the
/// PostgreSQL half cannot run here. With MOTCUA_REQUIRE_POSTGRES=1 it must run.
pub async fn fresh(engine: &str) -> Option<(Db, String)> {
    let url = empty(engine).await?;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    Some((db, url))
}

/// The URL of a fresh database on the named engine with nothing in it (not migrated), or
/// `None` as [`fresh`].
pub async fn empty(engine: &str) -> Option<String> {
    let url = match engine {
        "sqlite" => {
            let dir = std::env::temp_dir().join(format!(
                "motcua-test-{}-{}",
                std::process::id(),
                motcua_db::random_token(8).unwrap()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}", dir.join("motcua.db").display())
        }
        _ => {
            let Ok(base) = std::env::var("MOTCUA_TEST_POSTGRES_URL") else {
                if std::env::var("MOTCUA_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                    panic!("MOTCUA_REQUIRE_POSTGRES=1 but MOTCUA_TEST_POSTGRES_URL is not set");
                }
                eprintln!("PostgreSQL half SKIPPED: set MOTCUA_TEST_POSTGRES_URL to run it");
                return None;
            };
            let name = format!(
                "motcua_t_{}",
                motcua_db::random_token(10).unwrap().to_lowercase()
            );
            let admin = Db::connect(&base)
                .await
                .expect("connect to MOTCUA_TEST_POSTGRES_URL");
            admin.create_database_for_tests(&name).await.unwrap();
            admin.close().await;
            let (prefix, _) = base.rsplit_once('/').unwrap();
            format!("{prefix}/{name}")
        }
    };
    Some(url)
}

pub const PROVINCE: &str = "000.00.00.H56";
pub const CENTRE: &str = "000.01.01.H56";
pub const JUSTICE: &str = "000.00.03.H56";
pub const FINANCE: &str = "000.00.12.H56";
pub const COMMUNE: &str = "000.30.01.H56";

pub struct Province {
    pub counter: i64,
    pub specialist: i64,
    pub unit_leader: i64,
    pub director: i64,
    pub finance_specialist: i64,
}

pub async fn province(db: &Db) -> Province {
    let agency = |code: &str, name: &str, level, parent: Option<&str>| NewAgency {
        code: code.into(),
        name: name.into(),
        level,
        parent_code: parent.map(str::to_string),
        phone: None,
        address: None,
    };
    for a in [
        agency(
            PROVINCE,
            "Ủy ban nhân dân tỉnh Thanh Hóa",
            AgencyLevel::Province,
            None,
        ),
        agency(
            CENTRE,
            "Trung tâm Phục vụ hành chính công tỉnh",
            AgencyLevel::Province,
            Some(PROVINCE),
        ),
        agency(JUSTICE, "Sở Tư pháp", AgencyLevel::Province, Some(PROVINCE)),
        agency(
            FINANCE,
            "Sở Tài chính",
            AgencyLevel::Province,
            Some(PROVINCE),
        ),
        agency(
            COMMUNE,
            "Ủy ban nhân dân phường Hạc Thành",
            AgencyLevel::Commune,
            Some(PROVINCE),
        ),
    ] {
        db.agencies().create_agency(&a, "test").await.unwrap();
    }
    let mut ids = Vec::new();
    for (username, agency_code, role) in [
        ("motcua.tn", CENTRE, Role::CounterOfficer),
        ("tp.chuyenvien", JUSTICE, Role::Specialist),
        ("tp.truongphong", JUSTICE, Role::UnitLeader),
        ("tp.giamdoc", JUSTICE, Role::AgencyLeader),
        ("tc.chuyenvien", FINANCE, Role::Specialist),
    ] {
        let s = db
            .people()
            .create_staff(
                &NewStaff {
                    username: username.into(),
                    full_name: format!("Cán bộ {username}"),
                    token: Some(format!("token-{username}")),
                    ..NewStaff::default()
                },
                "test",
            )
            .await
            .unwrap();
        db.people()
            .grant(s.id, agency_code, role, "test")
            .await
            .unwrap();
        ids.push(s.id);
    }
    db.catalogue()
        .publish_procedures(
            &[procedure("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam")],
            "test",
            None,
        )
        .await
        .unwrap();
    Province {
        counter: ids[0],
        specialist: ids[1],
        unit_leader: ids[2],
        director: ids[3],
        finance_specialist: ids[4],
    }
}

fn step(name: &str, role: Role, agency: StepAgency, hours: u32) -> WorkflowStep {
    WorkflowStep {
        name: name.into(),
        role,
        agency,
        hours,
    }
}

pub fn procedure(name: &str) -> Procedure {
    let time = |channel| ChannelTime {
        channel,
        statutory: TimeLimit::WorkingDays(10),
        committed: Some(TimeLimit::WorkingDays(7)),
    };
    Procedure {
        result_document_type: None,
        code: ProcedureCode::parse("2.000488").unwrap(),
        name: name.into(),
        field: Field {
            code: "ly-lich-tu-phap".into(),
            name: "Lý lịch tư pháp".into(),
        },
        levels: vec![AgencyLevel::Province],
        agencies: vec![AgencyCode::parse(JUSTICE).unwrap()],
        coordinating: vec![],
        online_level: OnlineLevel::Full,
        channels: vec![Channel::Counter, Channel::Online, Channel::Post],
        cases: vec![Case {
            code: "chung".into(),
            name: "Trường hợp chung".into(),
            components: vec![
                Component {
                    document_type: None,
                    code: "tk-03".into(),
                    name: "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp".into(),
                    originals: 1,
                    copies: 0,
                    required: true,
                    form: None,
                    only_if: None,
                    channels: vec![],
                },
                Component {
                    document_type: None,
                    code: "cccd".into(),
                    name: "Bản chụp thẻ Căn cước".into(),
                    originals: 0,
                    copies: 1,
                    required: false,
                    form: None,
                    only_if: None,
                    channels: vec![],
                },
            ],
            times: vec![
                time(Channel::Counter),
                time(Channel::Online),
                time(Channel::Post),
            ],
            fees: vec![],
            conditions: vec![],
        }],
        workflow: vec![
            step(
                "Tiếp nhận hồ sơ",
                Role::CounterOfficer,
                StepAgency::Receiving,
                4,
            ),
            step("Thẩm định", Role::Specialist, StepAgency::Competent, 24),
            step(
                "Xem xét, trình ký",
                Role::UnitLeader,
                StepAgency::Competent,
                8,
            ),
            step("Phê duyệt", Role::AgencyLeader, StepAgency::Competent, 8),
            step(
                "Trả kết quả",
                Role::CounterOfficer,
                StepAgency::Receiving,
                4,
            ),
        ],
        deadline: DeadlineRules {
            cutoff: None,
            suspension: SuspensionPolicy::Restart,
            apology_cap: None,
        },
        results: vec!["Phiếu lý lịch tư pháp".into()],
        legal_basis: vec![],
        decision: None,
        description: None,
    }
}

pub fn intake(name: &str) -> Intake {
    Intake {
        procedure_code: "2.000488".into(),
        case_code: "chung".into(),
        channel: Channel::Counter,
        applicant: Applicant {
            kind: ApplicantKind::Person,
            name: name.into(),
            id_number: Some("038090001234".into()),
            tax_code: None,
            phone: Some("0912345678".into()),
            email: Some("dan@example.vn".into()),
            address: Some("Phường Hạc Thành, Thanh Hóa".into()),
            notify: vec![NotifyChannel::Sms, NotifyChannel::Email],
        },
        components: vec![ReceivedComponent {
            code: "tk-03".into(),
            form: ComponentForm::Original,
            count: 1,
        }],
        return_method: ReturnMethod::InPerson,
        summary: None,
        conditions: Vec::new(),
    }
}

/// The one number `sql` reads, on a connection of its own.
pub async fn number(url: &str, sql: &'static str) -> i64 {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    }
}

/// The one text `sql` reads, on a connection of its own.
#[allow(dead_code)]
pub async fn text(url: &str, sql: &'static str) -> String {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let t = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        t
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let t = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
        pool.close().await;
        t
    }
}

/// Edits the database behind the application's back, as an intruder would.
pub async fn tamper(url: &str, sql: &'static str) {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
        pool.close().await;
    }
}

/// Runs each named `async fn(engine: &str)` as two tests, one per engine.
#[allow(unused_macros)]
macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name("sqlite").await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name("postgres").await } )*
        }
    };
}

/// A Vietnam local time written without its offset ("2026-03-02T08:00:00").
pub fn at(text: &str) -> motcua_domain::calendar::Instant {
    chrono::DateTime::parse_from_rfc3339(&format!("{text}+07:00")).unwrap()
}

/// A dossier received at the centre's counter at `when` (local time).
pub async fn receive(db: &Db, p: &Province, when: &str) -> motcua_db::DossierRecord {
    let actor = motcua_domain::dossier::Actor::Staff {
        id: p.counter,
        roles: vec![Role::CounterOfficer],
    };
    db.dossiers()
        .intake(intake("Lê Thị Hoa"), CENTRE, &actor, &CALENDAR, at(when))
        .await
        .unwrap()
}

/// `action` by staff `who` on `d` at `when` (local time), which must succeed.
pub async fn act(
    db: &Db,
    d: motcua_db::DossierRecord,
    who: i64,
    action: motcua_domain::dossier::Action,
    when: &str,
) -> motcua_db::DossierRecord {
    act_result(db, d, who, action, when).await.unwrap()
}

/// `action` by staff `who` on `d` at `when` (local time), as the store answers it.
pub async fn act_result(
    db: &Db,
    d: motcua_db::DossierRecord,
    who: i64,
    action: motcua_domain::dossier::Action,
    when: &str,
) -> Result<motcua_db::DossierRecord, motcua_db::DbError> {
    db.dossiers()
        .transition(
            &motcua_db::TransitionRequest {
                dossier_id: d.id,
                expected_version: d.version,
                action,
            },
            motcua_db::ActorRef::Staff(who),
            &CALENDAR,
            at(when),
        )
        .await
}
