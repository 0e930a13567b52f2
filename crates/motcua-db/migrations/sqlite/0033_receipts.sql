-- E-receipts (biên lai thu phí, lệ phí điện tử). What each collecting agency registered with
-- its tax office: its tax code and the receipts' form symbol and symbol ({yy} is the year).
CREATE TABLE receipt_books (
    agency_id    INTEGER PRIMARY KEY REFERENCES agencies(id),
    tax_code     TEXT NOT NULL,
    form_symbol  TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT NOT NULL
);

-- The last number given in each agency's series of a year: numbers run from 1, with no gap
-- (taken in the settling transaction, so a rolled-back settlement gives its number back).
CREATE TABLE receipt_series (
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (agency_id, year)
);

-- One receipt per paid payment; what it prints besides its number and symbols is frozen in
-- `body` (JSON) when it is made.
CREATE TABLE receipts (
    id           INTEGER PRIMARY KEY,
    payment_id   INTEGER NOT NULL UNIQUE REFERENCES payments(id),
    dossier_id   INTEGER NOT NULL REFERENCES dossiers(id),
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    form_symbol  TEXT NOT NULL,
    symbol       TEXT NOT NULL,
    issued_at    INTEGER NOT NULL,
    body         TEXT NOT NULL,
    UNIQUE (agency_id, year, number)
);
CREATE INDEX receipts_dossier ON receipts (dossier_id);
