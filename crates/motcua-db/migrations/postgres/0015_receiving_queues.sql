-- The receiving counter's queues: the dossiers it received that now wait on the citizen
-- (a supplement, a payment) or are ready to hand back, wherever they are held. Only those
-- three statuses are indexed, so an intake or an ordinary step writes no entry here.
CREATE INDEX dossiers_receiving_waiting ON dossiers(receiving_agency_id, status, sort_due, id)
    WHERE status IN (5, 6, 9);
