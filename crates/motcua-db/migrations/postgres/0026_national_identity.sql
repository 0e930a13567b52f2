-- Citizens signed in through a national identity provider (VNeID, the DVCQG account): each
-- provider's account is linked to one citizen with the level of assurance it vouched for; an
-- account made this way has no password (an empty hash, which no password matches).
CREATE TABLE citizen_identities (
    provider      TEXT NOT NULL,
    subject       TEXT NOT NULL,
    citizen_id    BIGINT NOT NULL REFERENCES citizens(id),
    assurance     BIGINT,
    tech_id       TEXT,
    linked_at     BIGINT NOT NULL,
    signed_in_at  BIGINT NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE INDEX citizen_identities_citizen ON citizen_identities (citizen_id);
-- The highest level any linked identity vouched for at its last sign-in.
ALTER TABLE citizens ADD COLUMN assurance BIGINT;
CREATE INDEX citizens_id_number ON citizens (id_number);

-- Sign-ins under way: the state (kept as its hash), the nonce and the PKCE verifier, each
-- used once and for ten minutes at most.
CREATE TABLE identity_sign_ins (
    state_hash  TEXT PRIMARY KEY,
    provider    TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    next        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    used_at     BIGINT
);

-- A dossier filed from an account verified with the national identity
-- (`TaiKhoanDuocXacThucVoiVNeID` in the portal's record).
ALTER TABLE dossiers ADD COLUMN verified_identity BIGINT NOT NULL DEFAULT 0;
