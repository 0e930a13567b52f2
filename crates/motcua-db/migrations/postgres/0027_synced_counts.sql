-- QĐ 766's share of dossiers synced to the national portal: a dossier the portal has
-- acknowledged at least once is marked, and counted on the day it was received (a counter
-- column like the others, moved along with its dossier). Every counter row is recomputed from
-- the stored dossiers right after this migration.
ALTER TABLE dossiers ADD COLUMN portal_synced BIGINT NOT NULL DEFAULT 0;
UPDATE dossiers SET portal_synced = 1
    WHERE id IN (SELECT dossier_id FROM portal_sync WHERE synced_at IS NOT NULL);
ALTER TABLE stat_days ADD COLUMN synced BIGINT NOT NULL DEFAULT 0;
DELETE FROM stat_pending;
UPDATE stat_backfill SET done = 0 WHERE id = 1;
