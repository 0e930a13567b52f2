-- Statistics that a closed period never changes: the counters now record when each dossier
-- became and stopped being overdue (read from the appointments it had over time, not from
-- its appointment today), and when it was accepted, apart from when it was submitted; an
-- apology letter issued later than the law asks is counted apart. The columns of the old
-- appointment-day counts take the new names, and every counter row is recomputed from the
-- stored dossiers right after this migration.

ALTER TABLE stat_days RENAME COLUMN due TO accepted;
ALTER TABLE stat_days RENAME COLUMN due_met TO overdue_in;
ALTER TABLE stat_days RENAME COLUMN due_missed TO overdue_out;
ALTER TABLE stat_days ADD COLUMN apologies_late INTEGER NOT NULL DEFAULT 0;
DELETE FROM stat_pending;
UPDATE stat_backfill SET done = 0 WHERE id = 1;

-- Each agency's steps against their own deadlines (liên thông included), counted from the
-- history rows that close a step: a covering index over those rows by time.
CREATE INDEX dossier_history_steps ON dossier_history(at, agency_id, step_outcome)
    WHERE step_outcome IS NOT NULL;
