-- Credentials: the lock-out counts failures per account in one row (bumped atomically, so
-- concurrent guesses cannot all slip past the limit), and API tokens are rows of their own
-- (named, with an expiry, revocable; only the hash is stored).
DROP TABLE login_failures;
CREATE TABLE login_guards (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    window_start  INTEGER NOT NULL
);
CREATE INDEX login_guards_window ON login_guards(window_start);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    created_by   TEXT NOT NULL,
    expires_at   INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_staff ON api_tokens(staff_id);
INSERT INTO api_tokens (staff_id, name, token_hash, created_at, created_by)
    SELECT id, 'API', token_hash, created_at, 'migration' FROM staff WHERE token_hash IS NOT NULL;
UPDATE staff SET token_hash = NULL;
