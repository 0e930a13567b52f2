//! Dựng lại bảng đếm — recomputing `stat_days` from the dossiers, with the same function the
//! writes use: the backfill after migration 5, and a repair if the counters are ever doubted.

use crate::DbError;
use crate::counters::Tally;
use crate::rows::RowExt;

const PAGE: &str = "SELECT id, procedure_version_id, procedure_code, channel, components,
    return_method, state, portal_synced, fee_vnd, paid_online, reused
    FROM dossiers WHERE id > $1 ORDER BY id LIMIT 5000";

/// What the counters read of one stored dossier.
struct Stored {
    id: i64,
    version: i64,
    procedure_code: String,
    channel: motcua_domain::catalogue::Channel,
    components: Vec<motcua_domain::dossier::ReceivedComponent>,
    return_method: motcua_domain::dossier::ReturnMethod,
    state: motcua_domain::dossier::DossierState,
    synced: bool,
    fee_vnd: i64,
    paid_online: bool,
    reused: bool,
}

fn stored(r: &impl RowExt) -> Result<Stored, DbError> {
    let word = |column: &str| -> Result<serde_json::Value, DbError> {
        Ok(serde_json::Value::String(r.text(column)?))
    };
    Ok(Stored {
        id: r.int("id")?,
        version: r.int("procedure_version_id")?,
        procedure_code: r.text("procedure_code")?,
        channel: serde_json::from_value(word("channel")?)?,
        components: serde_json::from_str(&r.text("components")?)?,
        return_method: serde_json::from_value(word("return_method")?)?,
        state: serde_json::from_str(&r.text("state")?)?,
        synced: r.int("portal_synced")? != 0,
        fee_vnd: r.int("fee_vnd")?,
        paid_online: r.int("paid_online")? != 0,
        reused: r.int("reused")? != 0,
    })
}

impl super::Statistics<'_> {
    /// Whether the counters still wait for their first fill.
    pub(crate) async fn statistics_need_backfill(self) -> Result<bool, DbError> {
        on_write!(self.db, pool => {
            let done: Option<i64> = sqlx::query_scalar("SELECT done FROM stat_backfill WHERE id = 1")
                .fetch_optional(pool)
                .await?;
            Ok(done == Some(0))
        })
    }

    /// Recomputes every counter row from the stored dossiers, in one transaction. Run it on
    /// an idle database: writes made meanwhile would be counted twice or not at all.
    pub async fn rebuild_statistics(self) -> Result<u64, DbError> {
        let mut tally = Tally::default();
        let mut last = 0i64;
        let mut seen = 0u64;
        loop {
            let page: Vec<Stored> = on_write!(self.db, pool => {
                let rows = sqlx::query(PAGE).bind(last).fetch_all(pool).await?;
                rows.iter().map(stored).collect::<Result<Vec<_>, DbError>>()?
            });
            let Some(end) = page.last().map(|p| p.id) else {
                break;
            };
            for d in &page {
                let field = self
                    .db
                    .catalogue()
                    .procedure_version(d.version)
                    .await?
                    .map(|p| p.procedure.field.code.clone())
                    .unwrap_or_default();
                let counted = crate::counters::Counted {
                    procedure_code: &d.procedure_code,
                    channel: d.channel,
                    components: &d.components,
                    return_method: d.return_method,
                    synced: d.synced,
                    fee_vnd: d.fee_vnd,
                    paid_online: d.paid_online,
                    reused: d.reused,
                };
                tally.add(&d.state, counted, &field);
            }
            seen += page.len() as u64;
            last = end;
        }
        let rows = tally.rows();
        on_write!(self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM stat_days").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM stat_pending").execute(&mut *tx).await?;
            crate::counters::upsert_now(&mut crate::engine::Tx::from(&mut *tx), &rows).await?;
            sqlx::query("UPDATE stat_backfill SET done = 1 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        tracing::info!(
            dossiers = seen,
            rows = rows.len(),
            "statistics counters rebuilt"
        );
        Ok(seen)
    }
}
