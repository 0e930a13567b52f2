//! Tìm hồ sơ — the officers' search: each dossier's terms ([`search_terms`]) written with
//! the dossier, the terms of dossiers stored before the index existed filled once, and a
//! query answered by prefix ranges of the terms' primary key, newest dossiers first.

use motcua_domain::dossier::{Applicant, prefix_end, query_prefixes, search_terms};

use crate::engine::{Arg, Tx};
use crate::rows::RowExt;
use crate::{DbError, DossierRecord};

/// The most terms one dossier writes (a very long name's shortest tails are left out).
const MAX_TERMS: usize = 16;

/// The most candidates one query prefix reads.
const CANDIDATES: i64 = 200;

/// The multi-row insert of `n` terms: `$1`…`$n` the terms, `$n+1` the dossier.
static INSERTS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    (0..=MAX_TERMS)
        .map(|n| {
            let rows: Vec<String> = (1..=n).map(|i| format!("(${i}, ${})", n + 1)).collect();
            format!(
                "INSERT INTO dossier_terms (term, dossier_id) VALUES {} ON CONFLICT DO NOTHING",
                rows.join(", ")
            )
        })
        .collect()
});

/// Writes a new dossier's search terms in the open transaction.
pub(crate) async fn write_terms(
    tx: &mut Tx<'_>,
    dossier_id: i64,
    code: &str,
    applicant: &Applicant,
) -> Result<(), DbError> {
    let mut terms = search_terms(code, applicant);
    terms.truncate(MAX_TERMS);
    if terms.is_empty() {
        return Ok(());
    }
    let mut args: Vec<Arg<'_>> = terms.iter().map(|t| Arg::from(t.as_str())).collect();
    args.push(dossier_id.into());
    let sql = INSERTS
        .get(terms.len())
        .ok_or_else(|| DbError::Internal("số từ khóa tìm kiếm".into()))?;
    tx.write(sql, &args).await?;
    Ok(())
}

const PAGE: &str = "SELECT id, code, applicant FROM dossiers WHERE id > $1 ORDER BY id LIMIT 2000";
const MATCHING: &str =
    "SELECT dossier_id FROM dossier_terms WHERE term >= $1 AND term < $2 LIMIT $3";

impl super::Dossiers<'_> {
    /// Writes the search terms of the dossiers stored before the index existed, once.
    pub(crate) async fn fill_search_terms(self) -> Result<(), DbError> {
        let done: i64 = on_write!(self.db, pool => {
            sqlx::query_scalar("SELECT done FROM search_backfill WHERE id = 1")
                .fetch_optional(pool)
                .await?
                .unwrap_or(1)
        });
        if done != 0 {
            return Ok(());
        }
        let mut last = 0i64;
        let mut filled = 0u64;
        loop {
            let page: Vec<(i64, String, String)> = on_write!(self.db, pool => {
                let rows = sqlx::query(PAGE).bind(last).fetch_all(pool).await?;
                rows.iter()
                    .map(|r| Ok((r.int("id")?, r.text("code")?, r.text("applicant")?)))
                    .collect::<Result<Vec<_>, DbError>>()?
            });
            let Some(end) = page.last().map(|p| p.0) else {
                break;
            };
            let mut rows: Vec<(i64, String, Applicant)> = Vec::with_capacity(page.len());
            for (id, code, applicant) in page {
                rows.push((id, code, serde_json::from_str(&applicant)?));
            }
            on_write!(self.db, pool => {
                let mut tx = pool.begin().await?;
                for (id, code, applicant) in &rows {
                    write_terms(&mut Tx::from(&mut *tx), *id, code, applicant).await?;
                }
                tx.commit().await?;
            });
            filled += rows.len() as u64;
            last = end;
        }
        on_write!(self.db, pool => {
            sqlx::query("UPDATE search_backfill SET done = 1 WHERE id = 1")
                .execute(pool)
                .await?;
        });
        if filled > 0 {
            tracing::info!(dossiers = filled, "search terms written");
        }
        Ok(())
    }

    /// The dossiers a typed query finds (by code, ID number, phone or name; diacritics
    /// optional), newest first, at most `limit`; `None` when the query is too short. The
    /// caller keeps only those its reader may see.
    pub async fn search_dossiers(
        self,
        query: &str,
        limit: usize,
    ) -> Result<Option<Vec<DossierRecord>>, DbError> {
        let Some(prefixes) = query_prefixes(query) else {
            return Ok(None);
        };
        let mut ids: Vec<i64> = Vec::new();
        for prefix in &prefixes {
            let end = prefix_end(prefix);
            let found: Vec<i64> = on_read!(self.db, pool => {
                sqlx::query_scalar(MATCHING)
                    .bind(prefix.as_str())
                    .bind(end.as_str())
                    .bind(CANDIDATES)
                    .fetch_all(pool)
                    .await?
            });
            ids.extend(found);
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        let mut out = Vec::new();
        for id in ids.into_iter().take(limit.clamp(1, CANDIDATES as usize)) {
            if let Some(d) = self.dossier(id).await? {
                out.push(d);
            }
        }
        Ok(Some(out))
    }
}
