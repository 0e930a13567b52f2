-- Counter rows not yet added to stat_days. SQLite's writer stores each group commit's
-- counter rows as one record here, in the same transaction as the writes, and adds
-- the records to stat_days every so often and before any statistics read (see
-- statistics/pending.rs): a commit then writes one record instead of a few dozen counter
-- rows spread over the table.
CREATE TABLE stat_pending (
    id    INTEGER PRIMARY KEY,
    rows  BLOB NOT NULL
);
