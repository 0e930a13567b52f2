-- Each agency chooses which certificate signs its papers and results: its own (as before) or
-- the personal certificate of the person who signs (a leader's token). Personal keys are
-- kept like the agencies' ones: a key file's path or a token's URI, never the key itself,
-- and a generated demo secret only for trials.
ALTER TABLE agencies ADD COLUMN sign_with TEXT NOT NULL DEFAULT 'agency'
    CHECK (sign_with IN ('agency', 'person'));
CREATE TABLE staff_signing_keys (
    staff_id            INTEGER PRIMARY KEY REFERENCES staff(id),
    certificate         TEXT NOT NULL,
    certificate_sha256  TEXT NOT NULL,
    subject             TEXT NOT NULL,
    storage             TEXT NOT NULL CHECK (storage IN ('file', 'demo', 'token')),
    key_file            TEXT,
    demo_secret         TEXT,
    created_at          INTEGER NOT NULL,
    created_by          TEXT NOT NULL,
    CHECK ((storage IN ('file', 'token') AND key_file IS NOT NULL AND demo_secret IS NULL)
        OR (storage = 'demo' AND demo_secret IS NOT NULL AND key_file IS NULL))
);
