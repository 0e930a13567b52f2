//! Đánh giá — citizens' ratings of their dossiers, one per dossier, stored with the agency
//! that resolved it so that units can be compared.

use motcua_domain::calendar::Instant;
use motcua_domain::rating::Rating;
use serde::Serialize;

use crate::audit::AuditInput;
use crate::dossiers::DossierRecord;
use crate::rows::RowExt;
use crate::{Db, DbError};

/// A rating as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRating {
    pub dossier_id: i64,
    pub agency_id: i64,
    pub rating: Rating,
    /// `account` (the owner, signed in) or `code` (with the receipt's code and secret).
    pub via: String,
    pub at: Instant,
}

/// Whether the dossier has come to an end the citizen can judge (result returned, or
/// refused, stopped or withdrawn).
pub fn can_be_rated(dossier: &DossierRecord) -> bool {
    dossier.finished_at.is_some()
}

/// The ratings of a period for an agency's sub-tree: how many, how many satisfied, and per
/// criterion the sum and count of scores (0–2), for the evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RatingSummary {
    pub count: i64,
    pub satisfied: i64,
    pub criteria: std::collections::BTreeMap<motcua_domain::rating::Criterion, (i64, i64)>,
}

/// Đánh giá — citizens' ratings of the service.
#[derive(Debug, Clone, Copy)]
pub struct Ratings<'a> {
    pub(crate) db: &'a Db,
}

impl Db {
    /// Đánh giá: see [`Ratings`].
    pub fn ratings(&self) -> Ratings<'_> {
        Ratings { db: self }
    }
}

impl Ratings<'_> {
    /// The ratings given in `[from, to)` (Unix seconds) to agencies under `agency_id` (all
    /// when none), optionally for one procedure.
    pub async fn rating_summary(
        self,
        agency_id: Option<i64>,
        procedure_code: Option<&str>,
        from: i64,
        to: i64,
    ) -> Result<RatingSummary, DbError> {
        let rows: Vec<(String, i64)> = on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT r.answers, r.overall FROM ratings r
                 JOIN agencies a ON a.id = r.agency_id
                 JOIN dossiers d ON d.id = r.dossier_id
                 WHERE r.at >= $1 AND r.at < $2
                   AND ($3 IS NULL OR a.path LIKE (SELECT path FROM agencies WHERE id = $3) || '%')
                   AND ($4 IS NULL OR d.procedure_code = $4)",
            )
            .bind(from)
            .bind(to)
            .bind(agency_id)
            .bind(procedure_code)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.text("answers")?, r.int("overall")?)))
                .collect::<Result<Vec<_>, DbError>>()?
        });
        let mut summary = RatingSummary::default();
        for (answers, overall) in rows {
            let answers: std::collections::BTreeMap<motcua_domain::rating::Criterion, u8> =
                serde_json::from_str(&answers)?;
            summary.count += 1;
            if overall >= i64::from(motcua_domain::rating::Satisfaction::Satisfied.value()) {
                summary.satisfied += 1;
            }
            for (criterion, score) in answers {
                let entry = summary.criteria.entry(criterion).or_default();
                entry.0 += i64::from(score);
                entry.1 += 1;
            }
        }
        Ok(summary)
    }

    /// The ratings given in [from, to) by the agency they were given to (the competent
    /// agency of the rated dossier): how many, and how many satisfied or very satisfied.
    pub async fn ratings_by_agency(
        self,
        from: i64,
        to: i64,
    ) -> Result<std::collections::BTreeMap<i64, (i64, i64)>, DbError> {
        let satisfied = i64::from(motcua_domain::rating::Satisfaction::Satisfied.value());
        let rows: Vec<(i64, i64, i64)> = on_read!(self.db, pool => {
            let rows = sqlx::query(
                "SELECT agency_id, COUNT(*) AS n,
                        CAST(SUM(CASE WHEN overall >= $3 THEN 1 ELSE 0 END) AS BIGINT) AS happy
                 FROM ratings WHERE at >= $1 AND at < $2 GROUP BY agency_id",
            )
            .bind(from)
            .bind(to)
            .bind(satisfied)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.int("agency_id")?, r.int("n")?, r.int("happy")?)))
                .collect::<Result<Vec<_>, DbError>>()?
        });
        Ok(rows.into_iter().map(|(a, n, h)| (a, (n, h))).collect())
    }

    /// Records the citizen's rating of `dossier`, once, with its audit entry.
    pub async fn rate(
        self,
        dossier: &DossierRecord,
        rating: &Rating,
        via: &'static str,
        now: Instant,
    ) -> Result<(), DbError> {
        if !can_be_rated(dossier) {
            return Err(DbError::invalid(
                "dossier",
                "chỉ đánh giá được khi hồ sơ đã có kết quả hoặc đã kết thúc",
            ));
        }
        let agency_id = dossier.state.competent_agency();
        let answers = serde_json::to_string(&rating.answers)?;
        let at = now.timestamp();
        let dossier_id = dossier.id;
        let overall = i64::from(rating.overall.value());
        let audit = AuditInput {
            at,
            actor: format!("citizen:{via}"),
            action: "rate".into(),
            entity: "dossier",
            entity_id: dossier.code.clone(),
            detail: serde_json::json!({ "overall": overall }),
        };
        let written: Result<(), DbError> = async {
            on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("INSERT INTO ratings (dossier_id, agency_id, answers, overall, comment, via, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(dossier_id)
                .bind(agency_id)
                .bind(&answers)
                .bind(overall)
                .bind(&rating.comment)
                .bind(via)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            crate::audit::append(&mut crate::engine::Tx::from(&mut *tx), audit).await?;
            tx.commit().await?;
            Ok(())
            })
        }
        .await;
        match written {
            Err(e) if e.is_unique_violation() => Err(DbError::invalid(
                "dossier",
                "hồ sơ này đã được đánh giá; mỗi hồ sơ đánh giá một lần",
            )),
            other => other,
        }
    }

    /// The rating given to a dossier, if any.
    pub async fn rating(self, dossier_id: i64) -> Result<Option<StoredRating>, DbError> {
        on_read!(self.db, pool => {
            let row = sqlx::query("SELECT dossier_id, agency_id, answers, overall, comment, via, at FROM ratings WHERE dossier_id = $1")
                .bind(dossier_id)
                .fetch_optional(pool)
                .await?;
            match row {
                Some(r) => {
                    let overall = r.int("overall")?;
                    let overall = motcua_domain::rating::Satisfaction::ALL
                        .into_iter()
                        .find(|s| i64::from(s.value()) == overall)
                        .ok_or_else(|| DbError::Corrupt(format!("mức hài lòng {overall}")))?;
                    Ok(Some(StoredRating {
                        dossier_id: r.int("dossier_id")?,
                        agency_id: r.int("agency_id")?,
                        rating: Rating {
                            answers: serde_json::from_str(&r.text("answers")?)?,
                            overall,
                            comment: r.opt_text("comment")?,
                        },
                        via: r.text("via")?,
                        at: crate::rows::instant(r.int("at")?)?,
                    }))
                }
                None => Ok(None),
            }
        })
    }
}
