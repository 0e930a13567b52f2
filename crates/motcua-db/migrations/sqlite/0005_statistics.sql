-- Statistics counters: per (competent agency, procedure, channel, day) the number of dossiers
-- whose received, finished, due or pause instant falls on that day (Vietnam date as YYYYMMDD),
-- so that any period is a sum over day rows. Rows keyed YYYYMM and YYYY hold each month's and
-- year's sums and day 0 each key's all-time totals, so that a period or a state at a date
-- ("in progress at the period's end") is read from a few rows per key (see statistics/sql.rs).
-- Scope 1 rows are per procedure; scope 0 rows (procedure code '') sum an agency's procedures,
-- for the queries that need no field or procedure.
-- Kept in the same transaction as every intake and transition; rows of existing dossiers are
-- filled by motcua right after this migration (the same code that keeps them current).

CREATE TABLE stat_days (
    scope           INTEGER NOT NULL,
    agency_id       INTEGER NOT NULL,
    procedure_code  TEXT NOT NULL,
    channel         TEXT NOT NULL,
    day             INTEGER NOT NULL,
    received        INTEGER NOT NULL DEFAULT 0,
    digitised       INTEGER NOT NULL DEFAULT 0,
    finished        INTEGER NOT NULL DEFAULT 0,
    early           INTEGER NOT NULL DEFAULT 0,
    on_time         INTEGER NOT NULL DEFAULT 0,
    late            INTEGER NOT NULL DEFAULT 0,
    apologised      INTEGER NOT NULL DEFAULT 0,
    refused         INTEGER NOT NULL DEFAULT 0,
    withdrawn       INTEGER NOT NULL DEFAULT 0,
    stopped         INTEGER NOT NULL DEFAULT 0,
    e_result        INTEGER NOT NULL DEFAULT 0,
    due             INTEGER NOT NULL DEFAULT 0,
    due_met         INTEGER NOT NULL DEFAULT 0,
    due_missed      INTEGER NOT NULL DEFAULT 0,
    pause_in        INTEGER NOT NULL DEFAULT 0,
    pause_out       INTEGER NOT NULL DEFAULT 0,
    apologies       INTEGER NOT NULL DEFAULT 0,
    supplemented    INTEGER NOT NULL DEFAULT 0,
    steps_early     INTEGER NOT NULL DEFAULT 0,
    steps_late      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, day, agency_id, procedure_code, channel)
) WITHOUT ROWID;

CREATE TABLE stat_backfill (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    done  INTEGER NOT NULL
);
INSERT INTO stat_backfill (id, done) VALUES (1, 0);
