//! Chữ ký của người nộp — the applicant's signature drawn at the counter on the receipt,
//! kept with the dossier (one per dossier, an audit entry each time it is taken).

use motcua_domain::calendar::Instant;
use motcua_domain::dossier::Drawing;

use crate::DbError;
use crate::audit::AuditInput;
use crate::rows::RowExt;

const KEEP: &str = "INSERT INTO applicant_signatures (dossier_id, strokes, signed_at, taken_by)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (dossier_id) DO UPDATE SET strokes = excluded.strokes,
        signed_at = excluded.signed_at, taken_by = excluded.taken_by";
const READ: &str = "SELECT strokes FROM applicant_signatures WHERE dossier_id = $1";

impl super::Dossiers<'_> {
    /// Keeps the applicant's signature drawn on the receipt of dossier `dossier_id` (code
    /// `code`), replacing an earlier one, with its audit entry, in one transaction.
    pub async fn keep_applicant_signature(
        self,
        dossier_id: i64,
        code: &str,
        drawing: &Drawing,
        actor: String,
        now: Instant,
    ) -> Result<(), DbError> {
        let at = now.timestamp();
        let strokes = drawing.to_compact();
        let audit = AuditInput {
            at,
            actor: actor.clone(),
            action: "applicant_signed".into(),
            entity: "dossier",
            entity_id: code.to_string(),
            detail: serde_json::json!({
                "strokes": drawing.strokes().len(),
                "sha256": crate::hash_bytes(strokes.as_bytes()),
            }),
        };
        grouped_write!(self.db, conn => {
            conn.execute(KEEP, args![dossier_id, &strokes, at, &actor]).await?;
            crate::audit::append(conn, audit).await?;
            Ok(())
        })
    }

    /// The dossier officer `staff_id` took in (received at the counter or accepted) most
    /// recently since `since` whose applicant has not signed the receipt yet: what the
    /// counter's second screen (a tablet facing the citizen) offers to sign.
    pub async fn awaiting_applicant_signature(
        self,
        staff_id: i64,
        since: Instant,
    ) -> Result<Option<i64>, DbError> {
        let since = since.timestamp();
        on_read!(self.db, pool => {
            Ok(sqlx::query_scalar(
                "SELECT h.dossier_id FROM dossier_history h
                 LEFT JOIN applicant_signatures s ON s.dossier_id = h.dossier_id
                 WHERE h.actor_staff_id = $1 AND h.action IN ('receive', 'accept')
                   AND h.at >= $2 AND s.dossier_id IS NULL
                 ORDER BY h.at DESC, h.id DESC LIMIT 1",
            )
            .bind(staff_id)
            .bind(since)
            .fetch_optional(pool)
            .await?)
        })
    }

    /// The applicant's signature on the receipt of dossier `dossier_id`, if one was taken.
    pub async fn applicant_signature(self, dossier_id: i64) -> Result<Option<Drawing>, DbError> {
        let text: Option<String> = on_read!(self.db, pool => {
            let row = sqlx::query(READ).bind(dossier_id).fetch_optional(pool).await?;
            row.as_ref().map(|r| r.text("strokes")).transpose()?
        });
        text.map(|t| Drawing::from_compact(&t).map_err(DbError::Corrupt))
            .transpose()
    }
}
