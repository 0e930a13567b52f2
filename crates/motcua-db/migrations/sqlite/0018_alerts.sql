-- Alerts to officers before a dossier is late (which ones: motcua-domain dossier/alerts.rs).
-- One row per officer, dossier and alert key (the kind, step and deadline it is about): the
-- unique index makes raising idempotent, so a sweep run again, after a restart or on several
-- nodes, never raises one twice.

CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    kind        TEXT NOT NULL,
    alert_key   TEXT NOT NULL,
    deadline    INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE UNIQUE INDEX alerts_once ON alerts(staff_id, dossier_id, alert_key);
CREATE INDEX alerts_unread ON alerts(staff_id, id) WHERE read_at IS NULL;
