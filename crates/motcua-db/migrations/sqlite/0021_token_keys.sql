-- A key may also be held in a PKCS #11 token or HSM (storage = 'token'): key_file then holds
-- the key's PKCS #11 URI (RFC 7512), which names the token, the key and where its PIN is
-- read from, never the PIN itself. SQLite cannot change a CHECK constraint: the table is
-- made again with the wider one.
CREATE TABLE signing_keys_new (
    agency_id           INTEGER PRIMARY KEY REFERENCES agencies(id),
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
INSERT INTO signing_keys_new (agency_id, certificate, certificate_sha256, subject, storage,
    key_file, demo_secret, created_at, created_by)
    SELECT agency_id, certificate, certificate_sha256, subject, storage, key_file,
        demo_secret, created_at, created_by FROM signing_keys;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_new RENAME TO signing_keys;
