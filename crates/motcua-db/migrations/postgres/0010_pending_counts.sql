-- Counter rows not yet added to stat_days. Only SQLite's writer keeps records here (see
-- statistics/pending.rs); PostgreSQL writes its counter rows in each transaction, and the
-- table stays empty, so that both engines share one schema.
CREATE TABLE stat_pending (
    id    BIGSERIAL PRIMARY KEY,
    rows  BYTEA NOT NULL
);
