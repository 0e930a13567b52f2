-- Alerts delivered beyond the bell, and the leaders' morning list (motcua-domain
-- dossier/digest.rs).

-- The channels an officer chose for alerts and the morning list ("email", "zalo"; empty:
-- in the application only).
ALTER TABLE staff ADD COLUMN alert_channels TEXT NOT NULL DEFAULT '';

-- One morning list per leader and working day: the key keeps a second sweep, a restart or
-- another node from sending it twice. The lines are kept as they were sent.
CREATE TABLE digests (
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    day         TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    content     TEXT NOT NULL,
    read_at     INTEGER,
    PRIMARY KEY (staff_id, day)
);

-- Each alert a dossier owed, once, whether or not anyone held the role to be told: the
-- sweep skips what is here (by dossier, kind and the instant the key names: a deadline, or
-- when an apology was proposed), and a second node finds the key taken and raises nothing.
CREATE TABLE alert_keys (
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    alert_key   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    about       INTEGER NOT NULL,
    raised_at   INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, alert_key)
);
CREATE INDEX alert_keys_about ON alert_keys(dossier_id, kind, about);
INSERT INTO alert_keys (dossier_id, alert_key, kind, about, raised_at)
    SELECT dossier_id, alert_key, MIN(kind),
           CASE WHEN MIN(kind) = 'apology_proposed'
                THEN CAST(substr(alert_key, 18) AS INTEGER) ELSE MIN(deadline) END,
           MIN(created_at)
    FROM alerts GROUP BY dossier_id, alert_key;

-- The sweep reads only the deadlines near now: open dossiers by step deadline (by
-- appointment: dossiers_open_due), and the apologies proposed lately; it asks whether a
-- dossier raised an alert already in alert_keys.
CREATE INDEX dossiers_open_step_due ON dossiers(step_due_at, id) WHERE status IN (1, 2, 4);
CREATE INDEX dossier_history_apologies ON dossier_history(at, dossier_id)
    WHERE action = 'propose_apology';
