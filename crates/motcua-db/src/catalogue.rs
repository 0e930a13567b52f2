//! Danh mục thủ tục — procedures stored as immutable versions; publishing an edit adds a
//! version and every dossier keeps the version it was received under.

use motcua_domain::FieldError;
use motcua_domain::catalogue::{Procedure, StepAgency};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

use crate::audit::AuditInput;
use crate::rows::RowExt;
use crate::{Db, DbError};

/// One stored version of a procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredProcedure {
    pub version_id: i64,
    pub version: i64,
    pub published_at: i64,
    pub procedure: Procedure,
}

/// A line of the catalogue listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field_code: String,
    pub field_name: String,
    pub version: i64,
}

/// What publishing did to one procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub code: String,
    pub version: i64,
    /// False when the procedure was identical to its current version (nothing written).
    pub changed: bool,
}

fn stored(row: &impl RowExt) -> Result<StoredProcedure, DbError> {
    Ok(StoredProcedure {
        version_id: row.int("id")?,
        version: row.int("version")?,
        published_at: row.int("published_at")?,
        procedure: serde_json::from_str(&row.text("body")?)?,
    })
}

const CURRENT: &str = "SELECT v.id, v.version, v.published_at, v.body FROM procedures p
    JOIN procedure_versions v ON v.procedure_id = p.id AND v.version = p.current_version
    WHERE p.code = $1";
const BY_VERSION_ID: &str =
    "SELECT id, version, published_at, body FROM procedure_versions WHERE id = $1";
const VERSIONS: &str = "SELECT v.id, v.version, v.published_at, v.body FROM procedures p
    JOIN procedure_versions v ON v.procedure_id = p.id WHERE p.code = $1 ORDER BY v.version";

/// Danh mục — the procedure catalogue: published versions, each pinned by the dossiers filed
/// under it.
#[derive(Debug, Clone, Copy)]
pub struct Catalogue<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Danh mục: see [`Catalogue`].
    pub fn catalogue(&self) -> Catalogue<'_> {
        Catalogue { db: self }
    }
}

impl Catalogue<'_> {
    /// Publishes every procedure in one transaction: all or nothing. Each procedure is
    /// validated and its agencies must exist.
    pub async fn publish_procedures(
        self,
        procedures: &[Procedure],
        actor: &str,
        actor_staff: Option<i64>,
    ) -> Result<Vec<Published>, DbError> {
        let agencies: HashMap<String, i64> = self
            .db
            .agencies()
            .all()
            .await?
            .into_iter()
            .map(|a| (a.code, a.id))
            .collect();
        let mut errors = Vec::new();
        for (i, p) in procedures.iter().enumerate() {
            let prefix = format!("procedures[{i}]");
            if let Err(list) = p.validate() {
                errors.extend(list.into_iter().map(|e| e.within(&prefix)));
            }
            let step_agencies = p.workflow.iter().filter_map(|s| match &s.agency {
                StepAgency::Agency(code) => Some(code),
                _ => None,
            });
            let mut named = std::collections::BTreeSet::new();
            for code in p
                .agencies
                .iter()
                .chain(&p.coordinating)
                .chain(step_agencies)
            {
                if named.insert(code.as_str()) && !agencies.contains_key(code.as_str()) {
                    errors.push(FieldError::new(
                        format!("{prefix}.agencies"),
                        format!(
                            "thủ tục {} nêu cơ quan “{code}” chưa có trong hệ thống",
                            p.code.as_str()
                        ),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(DbError::Invalid(errors));
        }
        let now = crate::now_seconds();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut out = Vec::with_capacity(procedures.len());
            for p in procedures {
                let body = serde_json::to_string(p)?;
                let current = sqlx::query(
                    "SELECT p.id, p.current_version, v.body FROM procedures p
                     JOIN procedure_versions v ON v.procedure_id = p.id AND v.version = p.current_version
                     WHERE p.code = $1",
                )
                .bind(p.code.as_str())
                .fetch_optional(&mut *tx)
                .await?;
                let search = motcua_domain::text::fold(&format!("{} {} {}", p.code.as_str(), p.name, p.field.name));
                let (procedure_id, version) = match current {
                    Some(row) if row.text("body")? == body => {
                        out.push(Published { code: p.code.as_str().to_string(), version: row.int("current_version")?, changed: false });
                        continue;
                    }
                    Some(row) => {
                        let id = row.int("id")?;
                        let version = row.int("current_version")? + 1;
                        sqlx::query(
                            "UPDATE procedures SET name = $1, search_key = $2, field_code = $3, field_name = $4,
                             current_version = $5, updated_at = $6 WHERE id = $7",
                        )
                        .bind(&p.name)
                        .bind(&search)
                        .bind(&p.field.code)
                        .bind(&p.field.name)
                        .bind(version)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        (id, version)
                    }
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO procedures (code, name, search_key, field_code, field_name, current_version, updated_at)
                             VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
                        )
                        .bind(p.code.as_str())
                        .bind(&p.name)
                        .bind(&search)
                        .bind(&p.field.code)
                        .bind(&p.field.name)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?;
                        (id, 1)
                    }
                };
                sqlx::query(
                    "INSERT INTO procedure_versions (procedure_id, version, body, published_at, published_by)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(procedure_id)
                .bind(version)
                .bind(&body)
                .bind(now)
                .bind(actor_staff)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM procedure_agencies WHERE procedure_id = $1")
                    .bind(procedure_id)
                    .execute(&mut *tx)
                    .await?;
                for code in &p.agencies {
                    sqlx::query("INSERT INTO procedure_agencies (procedure_id, agency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(procedure_id)
                        .bind(agencies.get(code.as_str()).copied().unwrap_or_default())
                        .execute(&mut *tx)
                        .await?;
                }
                crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), AuditInput {
                    at: now,
                    actor: actor.to_string(),
                    action: "publish_procedure".into(),
                    entity: "procedure",
                    entity_id: p.code.as_str().to_string(),
                    detail: serde_json::json!({"version": version}),
                }).await?;
                out.push(Published { code: p.code.as_str().to_string(), version, changed: true });
            }
            tx.commit().await?;
            self.db.kept_changed().await;
            Ok(out)
        })
    }

    /// The version in force of the procedure `code`.
    pub async fn procedure(self, code: &str) -> Result<Option<Arc<StoredProcedure>>, DbError> {
        let since = self.db.shared::<Versions>().current.generation();
        if let Some(found) = self.db.shared::<Versions>().current.get(&code.to_string()) {
            return Ok(Some(found));
        }
        let found = on_read!(self.db, pool => {
            let row = sqlx::query(CURRENT).bind(code).fetch_optional(pool).await?;
            row.as_ref().map(stored).transpose()?
        });
        Ok(found.map(|p| {
            let p = Arc::new(p);
            self.db
                .shared::<Versions>()
                .current
                .put(since, code.to_string(), Arc::clone(&p));
            // A version never changes: it is kept whatever was dropped.
            let versions = &self.db.shared::<Versions>().versions;
            versions.put(versions.generation(), p.version_id, Arc::clone(&p));
            p
        }))
    }

    /// One exact version (the one a dossier was received under); versions never change.
    pub async fn procedure_version(
        self,
        version_id: i64,
    ) -> Result<Option<Arc<StoredProcedure>>, DbError> {
        if let Some(found) = self.db.shared::<Versions>().versions.get(&version_id) {
            return Ok(Some(found));
        }
        let found = on_read!(self.db, pool => {
            let row = sqlx::query(BY_VERSION_ID).bind(version_id).fetch_optional(pool).await?;
            row.as_ref().map(stored).transpose()?
        });
        Ok(found.map(|p| {
            let p = Arc::new(p);
            let versions = &self.db.shared::<Versions>().versions;
            versions.put(versions.generation(), version_id, Arc::clone(&p));
            p
        }))
    }

    /// Every version of a procedure, oldest first.
    pub async fn procedure_versions(self, code: &str) -> Result<Vec<StoredProcedure>, DbError> {
        on_read!(self.db, pool => {
            let rows = sqlx::query(VERSIONS).bind(code).fetch_all(pool).await?;
            rows.iter().map(stored).collect()
        })
    }

    /// The catalogue, optionally filtered by a search text (diacritics optional), a field
    /// code and an agency code.
    pub async fn procedures(
        self,
        search: Option<&str>,
        field: Option<&str>,
        agency: Option<&str>,
    ) -> Result<Vec<ProcedureSummary>, DbError> {
        let pattern = search.map(|s| format!("%{}%", motcua_domain::text::fold(s)));
        on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT p.code, p.name, p.field_code, p.field_name, p.current_version FROM procedures p
                 WHERE ($1 IS NULL OR p.search_key LIKE $1)
                   AND ($2 IS NULL OR p.field_code = $2)
                   AND ($3 IS NULL OR EXISTS (SELECT 1 FROM procedure_agencies pa JOIN agencies a ON a.id = pa.agency_id
                                              WHERE pa.procedure_id = p.id AND a.code = $3))
                 ORDER BY p.field_name, p.name",
            )
            .bind(&pattern)
            .bind(field)
            .bind(agency)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(ProcedureSummary {
                        code: row.text("code")?,
                        name: row.text("name")?,
                        field_code: row.text("field_code")?,
                        field_name: row.text("field_name")?,
                        version: row.int("current_version")?,
                    })
                })
                .collect()
        })
    }

    /// The current version of every procedure, for export.
    pub async fn all_procedures(self) -> Result<Vec<Procedure>, DbError> {
        let mut out = Vec::new();
        for summary in self.procedures(None, None, None).await? {
            if let Some(p) = self.procedure(&summary.code).await? {
                out.push(p.procedure.clone());
            }
        }
        out.sort_by(|a, b| a.code.as_str().cmp(b.code.as_str()));
        Ok(out)
    }
}

/// Procedure versions kept in memory: by id (immutable, kept until evicted by size), and
/// the current one by procedure code (for a few seconds).
#[derive(Debug)]
pub(crate) struct Versions {
    versions: crate::cache::Cache<i64, Arc<StoredProcedure>>,
    pub(crate) current: crate::cache::Cache<String, Arc<StoredProcedure>>,
}

impl Default for Versions {
    fn default() -> Self {
        Self {
            versions: crate::cache::Cache::new(None, 10_000),
            current: crate::cache::Cache::new(crate::cache::SHORT, 10_000),
        }
    }
}
