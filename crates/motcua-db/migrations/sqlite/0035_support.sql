-- The support desk: questions and answers (hỏi đáp) and feedback and petitions (phản ánh,
-- kiến nghị), each a case with its submitter, the agency holding it, its state and its two
-- appointments (classification and answer); `words` is its title, content and answer folded
-- (lowercase, no marks) for search.
CREATE TABLE support_cases (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    secret           TEXT NOT NULL,
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    category         TEXT NOT NULL DEFAULT '',
    visibility       TEXT NOT NULL,
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    procedure_code   TEXT,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    answer           TEXT,
    note             TEXT,
    words            TEXT NOT NULL,
    submitter_name   TEXT NOT NULL,
    submitter_phone  TEXT NOT NULL DEFAULT '',
    submitter_email  TEXT NOT NULL DEFAULT '',
    submitter_address TEXT NOT NULL DEFAULT '',
    citizen_id       INTEGER REFERENCES citizens(id),
    state            TEXT NOT NULL,
    assignee_id      INTEGER REFERENCES staff(id),
    received_at      INTEGER NOT NULL,
    classify_due_at  INTEGER NOT NULL,
    due_at           INTEGER NOT NULL,
    ended_at         INTEGER,
    published_at     INTEGER,
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       TEXT NOT NULL
);
CREATE INDEX support_cases_agency ON support_cases (agency_id, state, due_at);
CREATE INDEX support_cases_published ON support_cases (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX support_cases_citizen ON support_cases (citizen_id) WHERE citizen_id IS NOT NULL;
CREATE INDEX support_cases_received ON support_cases (received_at);

-- Every step a case took: who, when, from which state to which, at which agency, and the
-- reason, the body forwarded to or the leader's note.
CREATE TABLE support_steps (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES support_cases(id),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT NOT NULL,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    note        TEXT
);
CREATE INDEX support_steps_case ON support_steps (case_id, id);

-- Sổ tổng đài: each call to the hotline or question at the counter, and the case it became.
CREATE TABLE support_calls (
    id                INTEGER PRIMARY KEY,
    at                INTEGER NOT NULL,
    staff_id          INTEGER NOT NULL REFERENCES staff(id),
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    channel           TEXT NOT NULL,
    caller_name       TEXT NOT NULL DEFAULT '',
    caller_phone      TEXT NOT NULL DEFAULT '',
    topic             TEXT NOT NULL,
    procedure_code    TEXT,
    question          TEXT NOT NULL,
    answer            TEXT NOT NULL DEFAULT '',
    duration_seconds  INTEGER NOT NULL,
    outcome           TEXT NOT NULL,
    case_id           INTEGER REFERENCES support_cases(id)
);
CREATE INDEX support_calls_agency ON support_calls (agency_id, at);

-- The last number given per code prefix (HD, PA) and year.
CREATE TABLE support_series (
    prefix       TEXT NOT NULL,
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);
