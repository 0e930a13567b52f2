-- Citizen side, and the queues per role: accounts and their sessions, the dossier's owner, attached files
-- (content-addressed blobs on disk, rows here) and the citizens' ratings.

CREATE TABLE citizens (
    id             INTEGER PRIMARY KEY,
    full_name      TEXT NOT NULL,
    phone          TEXT UNIQUE,
    email          TEXT UNIQUE,
    id_number      TEXT,
    password_hash  TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);

CREATE TABLE citizen_sessions (
    id_hash     TEXT PRIMARY KEY,
    citizen_id  INTEGER NOT NULL REFERENCES citizens(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX citizen_sessions_citizen ON citizen_sessions(citizen_id);

-- The role that has the dossier in hand (its current step's), for the queues per role
-- (e.g. awaiting a leader's approval); NULL while it waits for the citizen or has ended.
ALTER TABLE dossiers ADD COLUMN step_role TEXT;
CREATE INDEX dossiers_step_role ON dossiers(current_agency_id, step_role, sort_due, id);
ALTER TABLE dossiers ADD COLUMN citizen_id INTEGER REFERENCES citizens(id);
CREATE INDEX dossiers_citizen ON dossiers(citizen_id, id);
CREATE INDEX dossiers_open_due ON dossiers(status, sort_due);

CREATE TABLE dossier_files (
    id           INTEGER PRIMARY KEY,
    dossier_id   INTEGER NOT NULL REFERENCES dossiers(id),
    component    INTEGER,
    purpose      TEXT NOT NULL,
    name         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    media_type   TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX dossier_files_dossier ON dossier_files(dossier_id, id);

CREATE TABLE ratings (
    dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers(id),
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    answers     TEXT NOT NULL,
    overall     INTEGER NOT NULL,
    comment     TEXT,
    via         TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX ratings_agency ON ratings(agency_id, at);
CREATE INDEX dossiers_apologised ON dossiers(apologised, updated_at);
