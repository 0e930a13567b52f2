-- Core schema: agencies, staff, catalogue versions, dossiers, history, audit, outbox, calendar.
-- Instants are Unix seconds (INTEGER); booleans are 0/1; structured values are JSON text.

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_id   INTEGER REFERENCES agencies(id),
    path        TEXT NOT NULL,
    phone       TEXT,
    address     TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX agencies_parent ON agencies(parent_id);

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    full_name      TEXT NOT NULL,
    title          TEXT,
    phone          TEXT,
    email          TEXT,
    password_hash  TEXT,
    token_hash     TEXT UNIQUE,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);

CREATE TABLE staff_roles (
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    role       TEXT NOT NULL,
    PRIMARY KEY (staff_id, agency_id, role)
);
CREATE INDEX staff_roles_agency ON staff_roles(agency_id, role);

CREATE TABLE procedures (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    search_key       TEXT NOT NULL,
    field_code       TEXT NOT NULL,
    field_name       TEXT NOT NULL,
    current_version  INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE procedure_versions (
    id            INTEGER PRIMARY KEY,
    procedure_id  INTEGER NOT NULL REFERENCES procedures(id),
    version       INTEGER NOT NULL,
    body          TEXT NOT NULL,
    published_at  INTEGER NOT NULL,
    published_by  INTEGER REFERENCES staff(id),
    UNIQUE (procedure_id, version)
);

CREATE TABLE procedure_agencies (
    procedure_id  INTEGER NOT NULL REFERENCES procedures(id),
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (procedure_id, agency_id)
);
CREATE INDEX procedure_agencies_agency ON procedure_agencies(agency_id);

CREATE TABLE code_counters (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    day        INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (agency_id, day)
);

CREATE TABLE dossiers (
    id                    INTEGER PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    lookup_secret         TEXT NOT NULL,
    procedure_version_id  INTEGER NOT NULL REFERENCES procedure_versions(id),
    procedure_code        TEXT NOT NULL,
    case_code             TEXT NOT NULL,
    receiving_agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    current_agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    channel               TEXT NOT NULL,
    status                INTEGER NOT NULL,
    step                  INTEGER NOT NULL,
    assignee_id           INTEGER REFERENCES staff(id),
    applicant_name        TEXT NOT NULL,
    applicant             TEXT NOT NULL,
    components            TEXT NOT NULL,
    return_method         TEXT NOT NULL,
    fee_vnd               INTEGER NOT NULL,
    summary               TEXT NOT NULL,
    received_at           INTEGER NOT NULL,
    due_at                INTEGER,
    sort_due              INTEGER NOT NULL,
    step_due_at           INTEGER,
    finished_at           INTEGER,
    outcome               TEXT,
    apologised            INTEGER NOT NULL DEFAULT 0,
    state                 TEXT NOT NULL,
    version               INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX dossiers_queue ON dossiers(current_agency_id, status, sort_due, id);
CREATE INDEX dossiers_assignee ON dossiers(assignee_id, status, sort_due, id);
CREATE INDEX dossiers_agency_due ON dossiers(current_agency_id, sort_due, id);
CREATE INDEX dossiers_assignee_due ON dossiers(assignee_id, sort_due, id);
CREATE INDEX dossiers_received ON dossiers(receiving_agency_id, received_at);

CREATE TABLE dossier_history (
    id              INTEGER PRIMARY KEY,
    dossier_id      INTEGER NOT NULL REFERENCES dossiers(id),
    action          TEXT NOT NULL,
    actor_staff_id  INTEGER REFERENCES staff(id),
    actor_kind      TEXT NOT NULL,
    from_status     INTEGER,
    to_status       INTEGER NOT NULL,
    from_step       INTEGER,
    to_step         INTEGER NOT NULL,
    agency_id       INTEGER NOT NULL,
    note            TEXT,
    step_due_at     INTEGER,
    step_outcome    TEXT,
    at              INTEGER NOT NULL
);
CREATE INDEX dossier_history_dossier ON dossier_history(dossier_id, id);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '');

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    dossier_id       INTEGER REFERENCES dossiers(id),
    event            TEXT NOT NULL,
    channel          TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    last_error       TEXT
);
CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);
CREATE INDEX outbox_dossier ON outbox(dossier_id);

CREATE TABLE calendar_days (
    date     TEXT PRIMARY KEY,
    working  INTEGER NOT NULL,
    name     TEXT NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
