-- Webhooks for integrators: a receiver's address, the secret its deliveries are signed with
-- (HMAC-SHA256; kept to sign, shown once when made), and the events it hears (names joined
-- by commas, `*` for all). Deliveries are outbox rows of channel `webhook` whose recipient
-- is the subscription's id, written in the transaction of the change they tell of.
CREATE TABLE webhooks (
    id           INTEGER PRIMARY KEY,
    url          TEXT NOT NULL,
    secret       TEXT NOT NULL,
    events       TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
