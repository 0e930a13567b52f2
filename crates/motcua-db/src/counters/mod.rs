//! Đếm — the counter rows every intake and transition adds to `stat_days` in its own
//! transaction (the statistics store reads them): what a dossier counts for, by day
//! (`counts.rs`), and on SQLite the writer's pending records (`pending.rs`). Below the
//! dossier store, which writes through it; the statistics store reads above both.

#[macro_use]
pub(crate) mod counts;
pub(crate) mod pending;

use crate::DbError;
use crate::engine::Tx;
use counts::UPSERT;
use std::collections::BTreeMap;

use motcua_domain::catalogue::Channel;
use motcua_domain::dossier::{DossierState, ReceivedComponent, ReturnMethod};

use counts::{Facts, StatRow, contribution, delta, flatten, key};

/// The rows an intake adds.
pub(crate) fn intake_rows(
    state: &DossierState,
    procedure_code: &str,
    field_code: &str,
    channel: Channel,
    components: &[ReceivedComponent],
    return_method: ReturnMethod,
) -> Vec<StatRow> {
    let new = contribution(Facts {
        state,
        components,
        return_method,
        synced: false,
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
}

/// The rows a transition of `old` (in `old_state`) to `new_state` adds (none when nothing
/// counted changed).
pub(crate) fn transition_rows(
    old: Counted<'_>,
    old_state: &DossierState,
    new_state: &DossierState,
    field_code: &str,
) -> Vec<StatRow> {
    let facts = |state| Facts {
        state,
        components: old.components,
        return_method: old.return_method,
        synced: old.synced,
    };
    let before = contribution(facts(old_state));
    let after = contribution(facts(new_state));
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
    let facts = |synced| Facts {
        state,
        components: dossier.components,
        return_method: dossier.return_method,
        synced,
    };
    flatten([(
        key(state, dossier.procedure_code, field_code, dossier.channel),
        delta(
            Some(&contribution(facts(false))),
            Some(&contribution(facts(true))),
        ),
    )])
}

/// Accumulates many dossiers' contributions (bulk loading, rebuilding).
#[derive(Debug, Default)]
pub(crate) struct Tally(std::collections::HashMap<counts::StatKey, BTreeMap<i64, counts::Counts>>);

impl Tally {
    pub(crate) fn add(&mut self, state: &DossierState, dossier: Counted<'_>, field_code: &str) {
        let rows = contribution(Facts {
            state,
            components: dossier.components,
            return_method: dossier.return_method,
            synced: dossier.synced,
        });
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

/// Adds `rows` (key, day, counts) to `stat_days` in the open transaction, in (key, day)
/// order, so concurrent writers take row locks in one order. sqlx connections send
/// multi-row upserts; the SQLite writer stages the rows and writes the sum of its whole
/// batch before the commit ([`upsert_direct`]).
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
        Tx::Pg(conn) => {
            for chunk in rows.chunks(1000) {
                multi_row_upsert!(chunk)
                    .build()
                    .execute(&mut **conn)
                    .await?;
            }
        }
    }
    Ok(())
}
