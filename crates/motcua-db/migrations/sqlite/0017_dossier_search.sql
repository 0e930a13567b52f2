-- The officers' search: each dossier's terms (code, ID number, phone, name words, folded
-- without diacritics; see motcua-domain dossier/search.rs), written with the dossier in
-- the same transaction, and read by prefix ranges of the primary key. Compared byte by
-- byte, so a prefix range is exactly the terms that start with it. Terms of dossiers stored
-- before this migration are filled by motcua right after it.

CREATE TABLE dossier_terms (
    term        TEXT NOT NULL,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    PRIMARY KEY (term, dossier_id)
) WITHOUT ROWID;

CREATE TABLE search_backfill (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    done  INTEGER NOT NULL
);
INSERT INTO search_backfill (id, done) VALUES (1, 0);
