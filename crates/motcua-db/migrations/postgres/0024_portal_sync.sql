-- Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia: one row per dossier the portal must hear
-- of. Every intake and transition marks its dossier pending in its own transaction (so a
-- change is never lost), bumping the generation; the sync worker leases pending rows, sends
-- the record (new, or an update once the portal knows it) and the history rows after
-- history_sent, in order, and clears pending only if no change came meanwhile. A failure
-- keeps the row pending with a later next attempt and the portal's answer.
CREATE TABLE portal_sync (
    dossier_id       BIGINT PRIMARY KEY REFERENCES dossiers(id),
    pending          BIGINT NOT NULL,
    generation       BIGINT NOT NULL,
    known            BIGINT NOT NULL DEFAULT 0,
    history_sent     BIGINT NOT NULL DEFAULT 0,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_until      BIGINT,
    synced_at        BIGINT,
    last_error       TEXT
);
CREATE INDEX portal_sync_due ON portal_sync(next_attempt_at) WHERE pending = 1;
