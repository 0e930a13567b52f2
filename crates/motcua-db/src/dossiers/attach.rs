//! Tệp mới — files attached to a dossier outside any transition (a scan added later, the
//! result document): a dossier write, since the first scan of a paper component makes the
//! dossier digitised and moves its counters in the same transaction.

use motcua_domain::calendar::Instant;

use crate::DbError;
use crate::files::{NewAttachment, Purpose};

impl super::Dossiers<'_> {
    /// Attaches stored files to a dossier outside any transition (a scan added later, the
    /// result document), with an audit entry, in one transaction. The first scan of a paper
    /// component makes the dossier digitised: its state notes it and its counters move in
    /// the same transaction (a concurrent transition makes this answer a conflict).
    pub async fn attach_files(
        self,
        dossier_id: i64,
        code: &str,
        files: Vec<NewAttachment>,
        actor: String,
        now: Instant,
    ) -> Result<(), DbError> {
        let at = now.timestamp();
        let audit = crate::audit::AuditInput {
            at,
            actor: actor.clone(),
            action: "attach_files".into(),
            entity: "dossier",
            entity_id: code.to_string(),
            detail: serde_json::json!({
                "files": files.iter().map(|f| serde_json::json!({
                    "name": f.name, "sha256": f.sha256, "purpose": f.purpose.as_str(),
                })).collect::<Vec<_>>(),
            }),
        };
        let mut files = files;
        if let Some(d) = self.dossier(dossier_id).await?
            && let Some(v) = self
                .db
                .catalogue()
                .procedure_version(d.procedure_version_id)
                .await?
        {
            super::documents::describe(&mut files, &d.applicant, &v.procedure, &d.case_code);
        }
        let scanned = match files.iter().any(|f| f.purpose == Purpose::Scan) {
            true => self.scanned_state(dossier_id, now).await?,
            false => None,
        };
        let code = code.to_string();
        let written: Result<(), DbError> = grouped_write!(self.db, conn => {
            if let Some((state_json, version, rows)) = &scanned {
                let updated = conn
                    .execute(
                        "UPDATE dossiers SET state = $1, version = version + 1, updated_at = $4
                         WHERE id = $2 AND version = $3",
                        args![state_json, dossier_id, *version, at],
                    )
                    .await?;
                if updated != 1 {
                    return Err(DbError::Conflict { current: *version });
                }
                crate::views::changed(conn, &code)?;
                crate::counters::upsert(conn, rows).await?;
            }
            for file in &files {
                crate::files::attach(conn, dossier_id, file, &actor, at).await?;
            }
            crate::audit::append(conn, audit).await?;
            Ok(())
        });
        if let Err(DbError::Conflict { .. }) = written {
            let current = self
                .db
                .dossiers()
                .dossier(dossier_id)
                .await?
                .map_or(0, |d| d.version);
            return Err(DbError::Conflict { current });
        }
        written
    }

    /// The state a first scan gives the dossier (with the version it was read at and the
    /// counter rows it moves), or `None` when it was digitised already.
    async fn scanned_state(
        self,
        dossier_id: i64,
        now: Instant,
    ) -> Result<Option<(String, i64, Vec<crate::counters::counts::StatRow>)>, DbError> {
        let dossier = self
            .dossier(dossier_id)
            .await?
            .ok_or(DbError::NotFound("hồ sơ"))?;
        let mut state = dossier.state.clone();
        if !state.note_scanned(now) {
            return Ok(None);
        }
        let field_code = self
            .db
            .catalogue()
            .procedure_version(dossier.procedure_version_id)
            .await?
            .map(|p| p.procedure.field.code.clone())
            .unwrap_or_default();
        let rows = crate::counters::transition_rows(
            dossier.counted(),
            &dossier.state,
            &state,
            &field_code,
            false,
        );
        Ok(Some((
            serde_json::to_string(&state)?,
            dossier.version,
            rows,
        )))
    }
}
