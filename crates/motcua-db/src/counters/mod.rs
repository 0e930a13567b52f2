//! Đếm — the counter rows every intake and transition adds to `stat_days` in its own
//! transaction (the statistics store reads them): what a dossier counts for, by day
//! (`counts.rs`), and on SQLite the writer's pending records (`pending.rs`). Below the
//! dossier store, which writes through it; the statistics store reads above both.

#[macro_use]
pub(crate) mod counts;
pub(crate) mod pending;

use crate::DbError;
use crate::engine::{Owned, Tx};
use counts::UPSERT;
use std::collections::BTreeMap;

use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{DossierState, ReceivedComponent, ReturnMethod};

use counts::{Facts, StatRow, contribution, delta, flatten, key};

/// The rows an intake adds.
#[allow(clippy::too_many_arguments)]
pub(crate) fn intake_rows(
    state: &DossierState,
    procedure_code: &str,
    field_code: &str,
    channel: Channel,
    components: &[ReceivedComponent],
    return_method: ReturnMethod,
    fee_vnd: i64,
    reused: bool,
) -> Vec<StatRow> {
    let new = contribution(Facts {
        state,
        components,
        return_method,
        synced: false,
        fee_vnd,
        paid_online: false,
        reused,
    });
    flatten([(
        key(state, procedure_code, field_code, channel),
        delta(None, Some(&new)),
    )])
}

/// What stays the same of a dossier through a transition, as the counters see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counted<'a> {
    pub procedure_code: &'a str,
    pub channel: Channel,
    pub components: &'a [ReceivedComponent],
    pub return_method: ReturnMethod,
    /// Acknowledged by the national portal at least once.
    pub synced: bool,
    /// The case's fees fixed at receipt.
    pub fee_vnd: i64,
    /// Paid online through a gateway.
    pub paid_online: bool,
    /// Received reusing a document of the owner's data store.
    pub reused: bool,
}

impl Counted<'_> {
    fn facts<'s>(&'s self, state: &'s DossierState) -> Facts<'s> {
        Facts {
            state,
            components: self.components,
            return_method: self.return_method,
            synced: self.synced,
            fee_vnd: self.fee_vnd,
            paid_online: self.paid_online,
            reused: self.reused,
        }
    }
}

/// The rows a transition of `old` (in `old_state`) to `new_state` adds (none when nothing
/// counted changed); `paid_online` when the transition also settles an online payment.
pub(crate) fn transition_rows(
    old: Counted<'_>,
    old_state: &DossierState,
    new_state: &DossierState,
    field_code: &str,
    paid_online: bool,
) -> Vec<StatRow> {
    let before = contribution(old.facts(old_state));
    let now = Counted {
        paid_online: old.paid_online || paid_online,
        ..old
    };
    let after = contribution(now.facts(new_state));
    let old_key = key(old_state, old.procedure_code, field_code, old.channel);
    let new_key = key(new_state, old.procedure_code, field_code, old.channel);
    if old_key == new_key {
        flatten([(new_key, delta(Some(&before), Some(&after)))])
    } else {
        flatten([
            (old_key, delta(Some(&before), None)),
            (new_key, delta(None, Some(&after))),
        ])
    }
}

/// The rows the national portal's first acknowledgement of a dossier adds: what it counts
/// for, synced, minus what it counted for before.
pub(crate) fn synced_rows(
    dossier: Counted<'_>,
    state: &DossierState,
    field_code: &str,
) -> Vec<StatRow> {
    marked_rows(
        dossier,
        Counted {
            synced: true,
            ..dossier
        },
        state,
        field_code,
    )
}

/// The rows a dossier's first online payment adds: what it counts for, paid online, minus
/// what it counted for before.
pub(crate) fn paid_rows(
    dossier: Counted<'_>,
    state: &DossierState,
    field_code: &str,
) -> Vec<StatRow> {
    marked_rows(
        dossier,
        Counted {
            paid_online: true,
            ..dossier
        },
        state,
        field_code,
    )
}

/// What a dossier counts for as `after` minus what it counted for as `before`.
fn marked_rows(
    before: Counted<'_>,
    after: Counted<'_>,
    state: &DossierState,
    field_code: &str,
) -> Vec<StatRow> {
    flatten([(
        key(state, before.procedure_code, field_code, before.channel),
        delta(
            Some(&contribution(before.facts(state))),
            Some(&contribution(after.facts(state))),
        ),
    )])
}

/// Accumulates many dossiers' contributions (bulk loading, rebuilding).
#[derive(Debug, Default)]
pub(crate) struct Tally(std::collections::HashMap<counts::StatKey, BTreeMap<i64, counts::Counts>>);

impl Tally {
    pub(crate) fn add(&mut self, state: &DossierState, dossier: Counted<'_>, field_code: &str) {
        let rows = contribution(dossier.facts(state));
        let entry = self
            .0
            .entry(key(
                state,
                dossier.procedure_code,
                field_code,
                dossier.channel,
            ))
            .or_default();
        counts::merge(entry, &rows, 1);
    }

    pub(crate) fn rows(self) -> Vec<StatRow> {
        flatten(
            self.0
                .into_iter()
                .map(|(k, rows)| (k, counts::with_totals(rows))),
        )
    }
}

/// Adds `rows` (key, day, counts) to the counters in the open transaction. An in-memory
/// SQLite database upserts them into `stat_days` (in (key, day) order); the SQLite writer
/// stages the rows and writes the sum of its whole batch as one pending record before the
/// commit; PostgreSQL writes them as one pending record of this transaction — no counter
/// row is locked, so concurrent writes counted under the same key do not wait on one
/// another — and [`Db::settle_counters`](crate::Db) adds the records up.
pub(crate) async fn upsert(tx: &mut Tx<'_>, rows: &[StatRow]) -> Result<(), DbError> {
    match tx {
        Tx::Lite(lite) => pending::stage(lite, rows)?,
        Tx::Sqlx(conn) => {
            for chunk in rows.chunks(1000) {
                multi_row_upsert!(chunk)
                    .build()
                    .execute(&mut **conn)
                    .await?;
            }
        }
        Tx::Pg(_) | Tx::PgHeld(..) => {
            if !rows.is_empty() {
                tx.write_owned(
                    "INSERT INTO stat_pending (rows) VALUES ($1)",
                    vec![Owned::Bytes(pending::encode(rows))],
                )
                .await?;
            }
        }
    }
    Ok(())
}

/// Adds `rows` straight to `stat_days` in the open transaction, in (key, day) order, on any
/// connection: for the bulk loads and the rebuild, which own the counters while they run.
pub(crate) async fn upsert_now(tx: &mut Tx<'_>, rows: &[StatRow]) -> Result<(), DbError> {
    match tx {
        Tx::Lite(lite) => counts::upsert_direct(lite, rows)?,
        Tx::Sqlx(conn) => {
            for chunk in rows.chunks(1000) {
                multi_row_upsert!(chunk)
                    .build()
                    .execute(&mut **conn)
                    .await?;
            }
        }
        Tx::Pg(_) | Tx::PgHeld(..) => {
            if let Some(conn) = tx.postgres().await? {
                for chunk in rows.chunks(1000) {
                    multi_row_upsert!(chunk).build().execute(&mut *conn).await?;
                }
            }
        }
    }
    Ok(())
}
