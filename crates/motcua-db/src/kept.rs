//! What every process keeps for a few seconds (agencies, roles, API tokens' holders, the
//! current procedure versions, webhook subscribers) and how a change reaches the others:
//! the process that changed something drops its own at once and, on PostgreSQL, says so on
//! the `motcua_kept` channel (`NOTIFY`); every serving process listens and drops its own on
//! each notice and whenever its listening connection comes back, so a notice lost while it
//! was away costs nothing. Should the listener be down altogether, the ten-second life of
//! each entry still bounds how stale a read may be.

use std::time::Duration;

use crate::engine::Engine;
use crate::{Db, DbError};

/// The channel the processes on one database tell each other on.
const CHANNEL: &str = "motcua_kept";

impl Db {
    /// Drops every short-lived entry this process keeps.
    fn drop_kept(&self) {
        self.shared::<crate::agencies::AgencyList>().0.clear();
        self.shared::<crate::people::staff::RoleCache>().0.clear();
        self.shared::<crate::people::staff::TokenHolders>()
            .0
            .clear();
        self.shared::<crate::catalogue::Versions>().current.clear();
        self.shared::<crate::outbox::webhooks::Kept>().0.clear();
    }

    /// After a committed change to what the processes keep: drops it here and tells the
    /// others. A failed notice is logged; the others then see the change within the
    /// entries' life.
    pub(crate) async fn kept_changed(&self) {
        self.drop_kept();
        if let Engine::Postgres(pool) = &self.engine
            && let Err(e) = sqlx::query("SELECT pg_notify($1, '')")
                .bind(CHANNEL)
                .execute(pool)
                .await
        {
            tracing::warn!(error = %e, "could not tell the other processes of a change");
        }
    }

    /// Listens for the other processes' changes until the database closes (PostgreSQL;
    /// returns at once on SQLite, where one process serves). Dropping on every notice and
    /// on every reconnection; a failed connection is tried again every second.
    pub async fn follow_changes(&self) -> Result<(), DbError> {
        let Engine::Postgres(pool) = &self.engine else {
            return Ok(());
        };
        loop {
            if pool.is_closed() {
                return Ok(());
            }
            let mut listener = match sqlx::postgres::PgListener::connect_with(pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "listening for changes failed; trying again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::warn!(error = %e, "listening for changes failed; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            // Whatever changed before the listener was in place.
            self.drop_kept();
            loop {
                match listener.try_recv().await {
                    Ok(Some(_)) => self.drop_kept(),
                    // The connection was lost; the next call reconnects and listens again.
                    Ok(None) => self.drop_kept(),
                    Err(_) if pool.is_closed() => return Ok(()),
                    Err(e) => {
                        tracing::warn!(error = %e, "listening for changes failed; trying again");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        break;
                    }
                }
            }
        }
    }
}
