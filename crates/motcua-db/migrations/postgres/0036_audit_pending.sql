-- Audit entries written by a transaction and not yet chained (PostgreSQL): each write adds
-- its entry here instead of locking the chain's head, and the chainer moves the committed
-- entries into `audit_log` in batches, hashing each onto the one before. SQLite chains at
-- once (its single writer serializes appends anyway) and leaves this table empty.
CREATE TABLE audit_pending (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    detail     TEXT NOT NULL
);
