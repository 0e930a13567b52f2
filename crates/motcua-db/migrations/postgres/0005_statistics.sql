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
    scope           BIGINT NOT NULL,
    agency_id       BIGINT NOT NULL,
    procedure_code  TEXT NOT NULL,
    channel         TEXT NOT NULL,
    day             BIGINT NOT NULL,
    received        BIGINT NOT NULL DEFAULT 0,
    digitised       BIGINT NOT NULL DEFAULT 0,
    finished        BIGINT NOT NULL DEFAULT 0,
    early           BIGINT NOT NULL DEFAULT 0,
    on_time         BIGINT NOT NULL DEFAULT 0,
    late            BIGINT NOT NULL DEFAULT 0,
    apologised      BIGINT NOT NULL DEFAULT 0,
    refused         BIGINT NOT NULL DEFAULT 0,
    withdrawn       BIGINT NOT NULL DEFAULT 0,
    stopped         BIGINT NOT NULL DEFAULT 0,
    e_result        BIGINT NOT NULL DEFAULT 0,
    due             BIGINT NOT NULL DEFAULT 0,
    due_met         BIGINT NOT NULL DEFAULT 0,
    due_missed      BIGINT NOT NULL DEFAULT 0,
    pause_in        BIGINT NOT NULL DEFAULT 0,
    pause_out       BIGINT NOT NULL DEFAULT 0,
    apologies       BIGINT NOT NULL DEFAULT 0,
    supplemented    BIGINT NOT NULL DEFAULT 0,
    steps_early     BIGINT NOT NULL DEFAULT 0,
    steps_late      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, day, agency_id, procedure_code, channel)
);

CREATE TABLE stat_backfill (
    id    BIGINT PRIMARY KEY CHECK (id = 1),
    done  BIGINT NOT NULL
);
INSERT INTO stat_backfill (id, done) VALUES (1, 0);
