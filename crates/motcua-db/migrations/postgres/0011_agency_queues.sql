-- An agency's queues from partial indexes instead of three full ones: its dossiers not yet
-- ended, in appointment order, carrying the status and step role the queues filter on (a
-- new dossier or a step forward changes one entry here instead of three); its ended
-- dossiers in appointment order, and per status (a rare status must not scan an agency's
-- whole history), both written once when a dossier ends. The queries name the same status
-- lists, so that they can use these indexes (dossiers/mod.rs).
DROP INDEX dossiers_queue;
DROP INDEX dossiers_agency_due;
DROP INDEX dossiers_step_role;
CREATE INDEX dossiers_agency_open ON dossiers(current_agency_id, sort_due, id, status, step_role)
    WHERE status IN (1, 2, 4, 5, 6, 9);
CREATE INDEX dossiers_agency_ended ON dossiers(current_agency_id, sort_due, id, status)
    WHERE status IN (3, 7, 8, 10);
CREATE INDEX dossiers_agency_ended_status ON dossiers(current_agency_id, status, sort_due, id)
    WHERE status IN (3, 7, 8, 10);
