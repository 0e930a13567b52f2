-- Delivery: leases on outbox rows, the log of every attempt, editable message templates.
-- A row is claimed by setting status 'leased' with an owner and an expiry; an expired lease
-- is claimable again, so a crashed worker never loses a message.

ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
ALTER TABLE outbox ADD COLUMN last_answer TEXT;

CREATE TABLE delivery_log (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES outbox(id),
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    answer      TEXT NOT NULL
);
CREATE INDEX delivery_log_message ON delivery_log(message_id);

CREATE TABLE message_templates (
    event       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (event, channel)
);
