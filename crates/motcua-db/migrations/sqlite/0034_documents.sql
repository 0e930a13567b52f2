-- The citizen's electronic data store (kho dữ liệu điện tử của tổ chức, cá nhân). A file that
-- answers a component (scanned at the counter, uploaded online) and a returned result become a
-- document of their owner (`cn:<identification number>` or `tc:<tax code>`), with its kind and
-- what identifies it; `file_id` is the dossier file that carries its bytes.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    owner_key   TEXT NOT NULL,
    owner_name  TEXT NOT NULL,
    doc_type    TEXT NOT NULL,
    type_name   TEXT NOT NULL,
    number      TEXT NOT NULL DEFAULT '',
    issuer      TEXT NOT NULL DEFAULT '',
    issued_on   TEXT,
    expires_on  TEXT,
    checked     INTEGER NOT NULL DEFAULT 0,
    source      TEXT NOT NULL,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    file_id     INTEGER NOT NULL REFERENCES dossier_files(id),
    hidden      INTEGER NOT NULL DEFAULT 0,
    -- Its words (folded: lowercase, no marks), read from its text layer or by OCR; NULL until
    -- read.
    words       TEXT,
    created_at  INTEGER NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_key, doc_type);
-- The documents still to read, for the background reader.
CREATE INDEX documents_unread ON documents (id) WHERE words IS NULL;

-- Every use of a document by someone other than the store itself: downloaded, reused in a
-- dossier (the new dossier's file then names it in `reuses_document`), hidden or shown by
-- its owner. The owner reads this log.
CREATE TABLE document_access (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    owner_key    TEXT NOT NULL,
    at           INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    dossier_id   INTEGER REFERENCES dossiers(id),
    kind         TEXT NOT NULL
);
CREATE INDEX document_access_owner ON document_access (owner_key, at);
CREATE INDEX document_access_document ON document_access (document_id);

ALTER TABLE dossier_files ADD COLUMN reuses_document INTEGER REFERENCES documents(id);

-- A dossier received reusing a document of the store, and its count by day (QĐ 766's reuse).
ALTER TABLE dossiers ADD COLUMN reused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_days ADD COLUMN reused INTEGER NOT NULL DEFAULT 0;
