-- Dossiers filed on the national portal and pushed here: the portal's own code, written in
-- the intake's transaction, so a dossier sent twice is created once.
CREATE TABLE portal_inbound (
    portal_code  TEXT PRIMARY KEY,
    dossier_id   BIGINT NOT NULL REFERENCES dossiers(id),
    received_at  BIGINT NOT NULL
);
