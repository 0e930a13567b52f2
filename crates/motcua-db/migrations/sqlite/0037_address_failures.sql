-- Failed sign-ins per client address (an IPv4 address or an IPv6 /64) and five-minute
-- window, staff and citizens apart: kept in the database so the limit holds across every
-- node serving it. Windows older than the last are dropped by the server's sweep.
CREATE TABLE address_failures (
    kind          TEXT NOT NULL,
    address       TEXT NOT NULL,
    window_start  INTEGER NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (kind, address, window_start)
);
