-- The applicant's signature drawn at the counter on a tablet or signature pad, kept as
-- strokes (motcua_domain::dossier::Drawing, its compact form), and printed in the
-- applicant's box of the receipt (Mẫu 01). One per dossier: signing again replaces it.
CREATE TABLE applicant_signatures (
    dossier_id  BIGINT PRIMARY KEY REFERENCES dossiers(id),
    strokes     TEXT NOT NULL,
    signed_at   BIGINT NOT NULL,
    taken_by    TEXT NOT NULL
);
