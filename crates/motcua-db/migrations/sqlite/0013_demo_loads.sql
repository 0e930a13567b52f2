-- A demo load in progress: the row exists from before the first demo row is written until
-- the last one is, so a load cut short (a kill, a power cut) is seen at the next start and
-- redone from an empty database instead of served as if whole.
CREATE TABLE demo_loads (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    started_at  INTEGER NOT NULL
);
