-- QĐ 766's online payment group: a dossier with fees to pay (its case's fees, or an
-- obligation asked for) and one paid online through a gateway are counted on the day they
-- were received, in two counter columns like the others. Every counter row is recomputed
-- from the stored dossiers right after this migration.
ALTER TABLE dossiers ADD COLUMN paid_online INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_days ADD COLUMN fee_bearing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stat_days ADD COLUMN paid_online INTEGER NOT NULL DEFAULT 0;
DELETE FROM stat_pending;
UPDATE stat_backfill SET done = 0 WHERE id = 1;
