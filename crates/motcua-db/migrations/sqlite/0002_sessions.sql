-- Sign-in: server-side sessions (only the token's hash is stored) and failed attempts
-- for the lock-out.

CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_staff ON sessions(staff_id);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);
