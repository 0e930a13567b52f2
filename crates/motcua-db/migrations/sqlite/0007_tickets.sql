-- Queue tickets, with two additions to earlier tables: an index of each officer's dossiers and
-- the SQLite trigger that keeps the audit chain's head.

-- Số thứ tự: queue tickets taken at a centre's kiosk for a field's counters, called by the
-- counter officers, with the times that make the waiting and service statistics.

CREATE TABLE ticket_counters (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    day        INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (agency_id, day)
);

CREATE TABLE tickets (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    day          INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    field_code   TEXT NOT NULL,
    field_name   TEXT NOT NULL,
    status       TEXT NOT NULL,
    issued_at    INTEGER NOT NULL,
    called_at    INTEGER,
    counter      TEXT,
    called_by    INTEGER REFERENCES staff(id),
    recalls      INTEGER NOT NULL DEFAULT 0,
    finished_at  INTEGER,
    UNIQUE (agency_id, day, number)
);
CREATE INDEX tickets_waiting ON tickets(agency_id, day, status, id);
CREATE INDEX tickets_called ON tickets(agency_id, day, called_at);

-- Each officer's dossiers, for the officer's evaluation (TT 01/2018).
CREATE INDEX dossier_history_actor ON dossier_history(actor_staff_id, dossier_id);

-- The audit chain's head follows each appended entry (the single writer serializes appends;
-- see audit.rs), so an append is one read and one insert.
CREATE TRIGGER audit_head_follows AFTER INSERT ON audit_log
BEGIN
    UPDATE audit_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;
END;
