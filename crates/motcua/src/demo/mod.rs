//! Tỉnh mẫu — the deterministic demo province: Thanh Hóa's agencies, staff for every role,
//! the demo catalogue, and a year of dossiers in every national status, all loaded through
//! the same storage calls the application itself uses (so every rule is checked).
//!
//! The same `(today, dossiers)` always gives the same province. Dossiers are planned first
//! (`plan`, `choose`), then received and driven one by one (`drive`, `process`); nothing is
//! dated after 17:00 on `today`, so recent dossiers are still being worked on.

mod agencies;
mod choose;
mod drive;
mod forms;
mod people;
mod plan;
mod process;
mod results;
mod reuse;
mod rng;
mod staff;
mod support;
mod texts;

pub use results::sign_results;
pub use reuse::reuse_results;
pub use support::support_desk;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use motcua_db::Db;
use motcua_domain::agency::Role;
use motcua_domain::calendar::{WorkCalendar, vietnam_offset};
use motcua_domain::catalogue::parse_catalogue;
use motcua_domain::dossier::Status;

/// The password printed for the demo's web logins (nothing is stored with it yet).
pub const DEMO_PASSWORD: &str = "motcua-demo";
/// The demo citizen's account (phone, name); it signs in with [`DEMO_PASSWORD`].
pub const DEMO_CITIZEN_PHONE: &str = "0912000001";
pub const DEMO_CITIZEN_NAME: &str = "Nguyễn Văn Dân";
/// The demo citizen's identification number, as their (demo) VNeID sign-in vouched for it.
pub const DEMO_CITIZEN_ID: &str = "038088012345";

/// The demo catalogue shipped with the project.
const CATALOGUE: &str = include_str!("../../../../data/demo/catalogue.json");

/// What [`seed`] loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub agencies: usize,
    pub staff: usize,
    pub procedures: usize,
    pub dossiers: usize,
    /// How many dossiers ended in each national status (codes 1–10, all present).
    pub by_status: BTreeMap<u8, usize>,
    pub logins: Vec<DemoLogin>,
}

/// A demo staff account: who it is, the role it holds and where, and its API bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// The name of the agency the role is held over.
    pub agency: String,
    /// `demo-<username>`, the API bearer token.
    pub token: String,
}

/// Loads the demo province into an empty, migrated database. `today` is the date the demo
/// is generated for (dossiers are spread over the year before it); `dossiers` how many to
/// create (2000 for the demo). Deterministic for the same `(today, dossiers)`. Errors if
/// the database already has agencies.
pub async fn seed(
    db: &Db,
    calendar: &WorkCalendar,
    today: NaiveDate,
    dossiers: usize,
) -> anyhow::Result<DemoSummary> {
    if !db.agencies().all().await?.is_empty() {
        bail!(
            "cơ sở dữ liệu đã có cơ quan: dữ liệu mẫu chỉ được nạp vào một cơ sở dữ liệu \
             trống (vừa tạo và migrate)"
        );
    }
    let now_limit = today
        .and_hms_opt(17, 0, 0)
        .and_then(|t| t.and_local_timezone(vietnam_offset()).single())
        .with_context(|| format!("ngày {today} không dùng được cho dữ liệu mẫu"))?;
    let procedures = parse_catalogue(CATALOGUE).map_err(|errors| {
        let listing: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow!("danh mục mẫu có lỗi:\n{}", listing.join("\n"))
    })?;
    let mut rng = rng::Rng::for_date(today);
    let plans = plan::make(&procedures, calendar, today, dossiers, &mut rng)?;

    let agencies = agencies::create(db, now_limit.timestamp()).await?;
    let (logins, directory) = staff::create(db, &agencies).await?;
    let mut ids = Vec::with_capacity(logins.len());
    for login in &logins {
        if let Some(s) = db.people().staff_by_username(&login.username).await? {
            ids.push(s.id);
        }
    }
    db.people()
        .set_same_password(&ids, DEMO_PASSWORD, "demo")
        .await?;
    let published = db
        .catalogue()
        .publish_procedures(&procedures, "demo", None)
        .await
        .context("công bố danh mục thủ tục mẫu")?;

    let citizen = db
        .people()
        .register_citizen(
            motcua_db::NewCitizen {
                full_name: DEMO_CITIZEN_NAME.into(),
                phone: Some(DEMO_CITIZEN_PHONE.into()),
                email: Some("congdan.demo@example.vn".into()),
                id_number: Some(DEMO_CITIZEN_ID.into()),
                password: DEMO_PASSWORD.into(),
            },
            now_limit.timestamp(),
        )
        .await
        .context("tạo tài khoản công dân mẫu")?;
    // As if they had signed in once with VNeID at level 2: their number is vouched for, so
    // their data store opens.
    db.people()
        .sign_in_with_identity(
            &motcua_domain::identity::NationalIdentity {
                provider: "vneid".into(),
                subject: format!("demo-{DEMO_CITIZEN_ID}"),
                id_number: Some(DEMO_CITIZEN_ID.into()),
                full_name: DEMO_CITIZEN_NAME.into(),
                birth_date: None,
                phone: Some(DEMO_CITIZEN_PHONE.into()),
                email: None,
                kind: motcua_domain::identity::AccountKind::Citizen,
                assurance: Some(2),
                logout_uri: None,
                tech_id: None,
            },
            now_limit.timestamp(),
        )
        .await
        .context("xác thực định danh của công dân mẫu")
        .and_then(|(linked, _)| {
            anyhow::ensure!(
                linked.id == citizen.id,
                "định danh mẫu gắn nhầm sang tài khoản khác"
            );
            Ok(())
        })?;
    let world = drive::World {
        db,
        calendar,
        directory: &directory,
        procedures: &procedures,
        now_limit,
        citizen: Some(citizen.id),
    };
    let mut by_status: BTreeMap<u8, usize> = Status::ALL.iter().map(|s| (s.code(), 0)).collect();
    for (i, plan) in plans.iter().enumerate() {
        let record = drive::run(&world, plan).await?;
        *by_status.entry(record.status.code()).or_insert(0) += 1;
        if (i + 1) % 500 == 0 {
            tracing::info!(done = i + 1, total = plans.len(), "demo dossiers");
        }
    }
    // The applicants are invented but their numbers look real: never contact them.
    db.outbox()
        .skip_pending_messages("dữ liệu mẫu: không gửi cho người nộp hư cấu")
        .await?;
    Ok(DemoSummary {
        agencies: agencies.len(),
        staff: logins.len(),
        procedures: published.len(),
        dossiers: plans.len(),
        by_status,
        logins,
    })
}

/// The demo accounts present in `db` whose demo token still works (empty for a database that
/// was not seeded with the demo), for printing at start-up.
pub async fn present_logins(db: &Db) -> anyhow::Result<Vec<DemoLogin>> {
    staff::present(db).await
}
