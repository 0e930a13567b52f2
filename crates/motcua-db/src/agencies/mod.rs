//! Cơ quan — the agency tree, stored with a materialized path for sub-tree queries.

pub(crate) mod calendar;

use motcua_domain::agency::{AgencyCode, AgencyLevel, SignWith};
use serde::{Deserialize, Serialize};

use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::{Db, DbError};

/// An agency as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: AgencyLevel,
    pub parent_id: Option<i64>,
    /// `/1/4/9/`: the ids from the root down to this agency.
    pub path: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Whose certificate signs its papers and results.
    #[serde(default)]
    pub sign_with: SignWith,
}

impl Agency {
    /// The ids from the root down to this agency, read from `path`.
    pub fn path_ids(&self) -> Vec<i64> {
        self.path
            .split('/')
            .filter_map(|part| part.parse().ok())
            .collect()
    }
}

/// An agency to create, under `parent_code` (none for a root).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAgency {
    pub code: String,
    pub name: String,
    pub level: AgencyLevel,
    #[serde(default)]
    pub parent_code: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
}

fn level_text(level: AgencyLevel) -> &'static str {
    match level {
        AgencyLevel::Ministry => "ministry",
        AgencyLevel::Province => "province",
        AgencyLevel::District => "district",
        AgencyLevel::Commune => "commune",
    }
}

fn level_of(text: &str) -> Result<AgencyLevel, DbError> {
    Ok(match text {
        "ministry" => AgencyLevel::Ministry,
        "province" => AgencyLevel::Province,
        "district" => AgencyLevel::District,
        "commune" => AgencyLevel::Commune,
        other => return Err(DbError::Corrupt(format!("cấp cơ quan “{other}”"))),
    })
}

pub(crate) fn agency(row: &impl RowExt) -> Result<Agency, DbError> {
    Ok(Agency {
        id: row.int("id")?,
        code: row.text("code")?,
        name: row.text("name")?,
        level: level_of(&row.text("level")?)?,
        parent_id: row.opt_int("parent_id")?,
        path: row.text("path")?,
        phone: row.opt_text("phone")?,
        address: row.opt_text("address")?,
        sign_with: SignWith::parse(&row.text("sign_with")?)
            .ok_or_else(|| DbError::Corrupt("lựa chọn chứng thư ký của cơ quan".into()))?,
    })
}

macro_rules! columns {
    () => {
        "SELECT id, code, name, level, parent_id, path, phone, address, sign_with FROM agencies"
    };
}

/// Cơ quan — the agencies and the working calendar (days off and worked, office hours).
#[derive(Debug, Clone, Copy)]
pub struct Agencies<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Cơ quan: see [`Agencies`].
    pub fn agencies(&self) -> Agencies<'_> {
        Agencies { db: self }
    }
}

impl Agencies<'_> {
    /// Creates an agency under its parent, with an audit entry, in one transaction.
    pub async fn create_agency(self, new: &NewAgency, actor: &str) -> Result<Agency, DbError> {
        let code = AgencyCode::parse(&new.code).map_err(|e| DbError::Invalid(vec![e]))?;
        let name = motcua_domain::text::nfc(new.name.trim());
        if name.is_empty() {
            return Err(DbError::invalid("name", "tên cơ quan không được để trống"));
        }
        let parent = match &new.parent_code {
            Some(p) => Some(self.agency_by_code(p).await?.ok_or_else(|| {
                DbError::invalid("parent_code", format!("không có cơ quan cấp trên mã “{p}”"))
            })?),
            None => None,
        };
        if self.agency_by_code(code.as_str()).await?.is_some() {
            return Err(DbError::invalid(
                "code",
                format!("đã có cơ quan mã “{code}”"),
            ));
        }
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO agencies (code, name, level, parent_id, path, phone, address, created_at)
                 VALUES ($1, $2, $3, $4, '', $5, $6, $7) RETURNING id",
            )
            .bind(code.as_str())
            .bind(&name)
            .bind(level_text(new.level))
            .bind(parent.as_ref().map(|p| p.id))
            .bind(&new.phone)
            .bind(&new.address)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let path = format!("{}{id}/", parent.as_ref().map_or("/", |p| p.path.as_str()));
            sqlx::query("UPDATE agencies SET path = $1 WHERE id = $2")
                .bind(&path)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: "create_agency".into(),
                entity: "agency",
                entity_id: code.to_string(),
                detail: serde_json::json!({"name": name, "parent": new.parent_code}),
            }).await?;
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(Agency {
                id,
                code: code.to_string(),
                name,
                level: new.level,
                parent_id: parent.map(|p| p.id),
                path,
                phone: new.phone.clone(),
                address: new.address.clone(),
                sign_with: SignWith::Agency,
            })
        })
    }

    /// Chooses whose certificate signs the agency's papers and results, with an audit entry.
    pub async fn set_sign_with(
        self,
        agency_id: i64,
        with: SignWith,
        actor: &str,
    ) -> Result<(), DbError> {
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE agencies SET sign_with = $1 WHERE id = $2")
                .bind(with.as_str())
                .bind(agency_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(DbError::NotFound("cơ quan"));
            }
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                at: now,
                actor: actor.to_string(),
                action: "set_sign_with".into(),
                entity: "agency",
                entity_id: agency_id.to_string(),
                detail: serde_json::json!({"sign_with": with.as_str()}),
            }).await?;
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(())
        })
    }

    pub async fn agency_by_code(self, code: &str) -> Result<Option<Agency>, DbError> {
        let code = code.trim();
        Ok(self
            .agencies_shared()
            .await?
            .iter()
            .find(|a| a.code == code)
            .cloned())
    }

    pub async fn agency(self, id: i64) -> Result<Option<Agency>, DbError> {
        Ok(self
            .agencies_shared()
            .await?
            .iter()
            .find(|a| a.id == id)
            .cloned())
    }

    /// Every agency, in tree order (by path).
    /// The agencies with a one-stop counter (some staff member is a counter officer there):
    /// where dossiers can be received.
    pub async fn counter_agencies(self) -> Result<Vec<Agency>, DbError> {
        let ids: Vec<i64> = on_read!(self.db, pool => {
            sqlx::query_scalar("SELECT DISTINCT r.agency_id FROM staff_roles r JOIN staff s ON s.id = r.staff_id WHERE r.role = $1 AND s.active = 1")
                .bind(motcua_domain::agency::Role::CounterOfficer.as_str())
                .fetch_all(pool)
                .await?
        });
        let all = self.agencies_shared().await?;
        Ok(all
            .iter()
            .filter(|a| ids.contains(&a.id))
            .cloned()
            .collect())
    }

    pub async fn all(self) -> Result<Vec<Agency>, DbError> {
        Ok(self.agencies_shared().await?.as_ref().clone())
    }

    async fn agencies_shared(self) -> Result<std::sync::Arc<Vec<Agency>>, DbError> {
        let since = self.db.shared::<AgencyList>().0.generation();
        if let Some(list) = self.db.shared::<AgencyList>().0.get(&()) {
            return Ok(list);
        }
        let list: Vec<Agency> = on_read!(self.db, pool => {
            let rows = sqlx::query(concat!(columns!(), " ORDER BY path")).fetch_all(pool).await?;
            rows.iter().map(agency).collect::<Result<Vec<_>, _>>()?
        });
        let list = std::sync::Arc::new(list);
        self.db
            .shared::<AgencyList>()
            .0
            .put(since, (), std::sync::Arc::clone(&list));
        Ok(list)
    }
}

/// The agencies, kept for a few seconds.
#[derive(Debug)]
pub(crate) struct AgencyList(pub(crate) crate::cache::Cache<(), std::sync::Arc<Vec<Agency>>>);

impl Default for AgencyList {
    fn default() -> Self {
        Self(crate::cache::Cache::new(crate::cache::SHORT, 1))
    }
}
