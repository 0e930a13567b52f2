-- Indexes that only some dossiers need hold only those dossiers, so that a new dossier (no
-- assignee, no citizen account when filed at the counter, no apology) and most transitions
-- write fewer index pages. Every query that reads them names the same condition.

DROP INDEX dossiers_assignee;
DROP INDEX dossiers_assignee_due;
CREATE INDEX dossiers_assignee ON dossiers(assignee_id, status, sort_due, id)
    WHERE assignee_id IS NOT NULL;
CREATE INDEX dossiers_assignee_due ON dossiers(assignee_id, sort_due, id)
    WHERE assignee_id IS NOT NULL;

DROP INDEX dossiers_citizen;
CREATE INDEX dossiers_citizen ON dossiers(citizen_id, id) WHERE citizen_id IS NOT NULL;

DROP INDEX dossiers_apologised;
CREATE INDEX dossiers_apologised ON dossiers(updated_at, id) WHERE apologised = 1;

DROP INDEX dossiers_open_due;
CREATE INDEX dossiers_open_due ON dossiers(sort_due, id) WHERE status IN (1, 2, 4);
