//! Đồng bộ xong — the national portal's acknowledgement of a dossier, written with what it
//! changes in the counters: its first acknowledgement marks the dossier synced and counts it
//! (QĐ 766's synced share) on the day it was received, in the same transaction.

use crate::DbError;
use crate::portal::SyncClaim;

impl super::Dossiers<'_> {
    /// The portal has everything of `claim` up to history row `history_sent` (a send by
    /// `owner`, whose lease it must still be). A dossier changed since it was read here is
    /// marked at its next acknowledgement instead.
    pub async fn portal_acknowledged(
        self,
        owner: &str,
        claim: &SyncClaim,
        history_sent: i64,
        at: i64,
    ) -> Result<(), DbError> {
        let rows = match self.dossier(claim.dossier_id).await? {
            Some(d) if !d.portal_synced => {
                let field = self
                    .db
                    .catalogue()
                    .procedure_version(d.procedure_version_id)
                    .await?
                    .map(|v| v.procedure.field.code.clone())
                    .unwrap_or_default();
                Some((
                    d.version,
                    crate::counters::synced_rows(d.counted(), &d.state, &field),
                ))
            }
            _ => None,
        };
        let (owner, claim) = (owner.to_string(), *claim);
        grouped_write!(self.db, conn => {
            let ours = crate::portal::finish(conn, &owner, &claim, history_sent, at).await?;
            if let (true, Some((version, rows))) = (ours, &rows) {
                let marked = conn
                    .execute(
                        "UPDATE dossiers SET portal_synced = 1
                         WHERE id = $1 AND portal_synced = 0 AND version = $2",
                        args![claim.dossier_id, *version],
                    )
                    .await?;
                if marked == 1 {
                    crate::counters::upsert(conn, rows).await?;
                }
            }
            Ok(())
        })
    }
}
