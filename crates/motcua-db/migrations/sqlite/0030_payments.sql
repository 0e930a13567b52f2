-- Payments of a dossier's fees and charges: one row per attempt through a gateway (its
-- reference is the gateway's order reference) or per payment taken at the counter. The
-- amount is split into the case's fees and the obligation asked for during processing; a
-- row is paid only on the gateway's verified proof (its server call or its query) or the
-- counter's receipt. Every call a gateway makes is kept, with what motcua answered.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    dossier_id      INTEGER NOT NULL REFERENCES dossiers(id),
    -- The agency collecting it: the one holding the dossier when the payment was made.
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    reference       TEXT NOT NULL UNIQUE,
    gateway         TEXT NOT NULL,
    method          TEXT NOT NULL,
    fees_vnd        INTEGER NOT NULL,
    obligation_vnd  INTEGER NOT NULL,
    amount_vnd      INTEGER NOT NULL,
    state           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    paid_at         INTEGER,
    gateway_txn     TEXT,
    bank_code       TEXT,
    receipt_no      TEXT,
    failure         TEXT
);
CREATE INDEX payments_dossier ON payments (dossier_id);
CREATE INDEX payments_pending ON payments (state, created_at);

CREATE TABLE payment_callbacks (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    gateway    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    reference  TEXT NOT NULL DEFAULT '',
    query      TEXT NOT NULL,
    answer     TEXT NOT NULL
);
CREATE INDEX payment_callbacks_reference ON payment_callbacks (reference);
