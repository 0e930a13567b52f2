-- A signed result's signature is either detached (a `.p7s` in the file store, as results
-- were first signed) or inside a signed copy of the PDF (PAdES). The signed copy is a result
-- file of the dossier of its own, named here; signature_sha256 is then its digest.
ALTER TABLE signed_results ADD COLUMN signed_file_id BIGINT REFERENCES dossier_files(id);
