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

-- The sweep reads only the deadlines near now: open dossiers by step deadline (by
-- appointment: dossiers_open_due), and the apologies proposed lately; it asks whether a
-- dossier raised an alert already by dossier.
CREATE INDEX dossiers_open_step_due ON dossiers(step_due_at, id) WHERE status IN (1, 2, 4);
CREATE INDEX dossier_history_apologies ON dossier_history(at, dossier_id)
    WHERE action = 'propose_apology';
CREATE INDEX alerts_dossier ON alerts(dossier_id, alert_key);
