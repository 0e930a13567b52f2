-- A key may also be held in a PKCS #11 token or HSM (storage = 'token'): key_file then holds
-- the key's PKCS #11 URI (RFC 7512), which names the token, the key and where its PIN is
-- read from, never the PIN itself.
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_storage_check;
ALTER TABLE signing_keys DROP CONSTRAINT signing_keys_check;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_storage_check
    CHECK (storage IN ('file', 'demo', 'token'));
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_check
    CHECK ((storage IN ('file', 'token') AND key_file IS NOT NULL AND demo_secret IS NULL)
        OR (storage = 'demo' AND demo_secret IS NOT NULL AND key_file IS NULL));
