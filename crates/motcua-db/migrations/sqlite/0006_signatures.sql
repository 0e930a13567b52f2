-- Signed results: each agency's signing key and the results signed with it.
-- A key's private half is stored only as configured: a file path the administrator gives
-- (the file itself stays outside the database), or, for the demo only, the generated secret
-- in the row, marked storage = 'demo'. Never both.

CREATE TABLE signing_keys (
    agency_id           INTEGER PRIMARY KEY REFERENCES agencies(id),
    certificate         TEXT NOT NULL,       -- DER, hex-encoded
    certificate_sha256  TEXT NOT NULL,
    subject             TEXT NOT NULL,
    storage             TEXT NOT NULL CHECK (storage IN ('file', 'demo')),
    key_file            TEXT,
    demo_secret         TEXT,
    created_at          INTEGER NOT NULL,
    created_by          TEXT NOT NULL,
    CHECK ((storage = 'file' AND key_file IS NOT NULL AND demo_secret IS NULL)
        OR (storage = 'demo' AND demo_secret IS NOT NULL AND key_file IS NULL))
);

-- The id is a random public identifier (the verification page's address), never the row
-- order, so signed results cannot be enumerated.
CREATE TABLE signed_results (
    id                  TEXT PRIMARY KEY,
    dossier_id          INTEGER NOT NULL REFERENCES dossiers(id),
    file_id             INTEGER NOT NULL UNIQUE REFERENCES dossier_files(id),
    file_sha256         TEXT NOT NULL,
    signature_sha256    TEXT NOT NULL,
    agency_id           INTEGER NOT NULL REFERENCES agencies(id),
    signer              TEXT NOT NULL,
    certificate_sha256  TEXT NOT NULL,
    signed_at           INTEGER NOT NULL,
    signed_by           TEXT NOT NULL
);
CREATE INDEX signed_results_dossier ON signed_results(dossier_id);
