-- Digests: the periods already covered, who asked for a personal digest, and
-- the lease that lets only one bot process send at a time.

-- A lease: held by one process until it expires (taken in a transaction).
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);

-- Each digest covers [period_from, period_to); the row commits with its outbox
-- rows, so a restart re-sends nothing. `audience` is 'group' or 'person:<id>'.
CREATE TABLE digest_periods (
    id          INTEGER PRIMARY KEY,
    audience    TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'empty', 'unreachable')),
    trigger     TEXT NOT NULL,               -- 'schedule' or the identity of /digest now
    UNIQUE (audience, period_to)
);
CREATE INDEX digest_periods_audience ON digest_periods (audience, period_to);

-- Personal digests and nudges; nobody is subscribed without asking (no row: no
-- personal digest, nudges on).
CREATE TABLE digest_subscriptions (
    person_id   INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    frequency   TEXT NOT NULL DEFAULT 'off' CHECK (frequency IN ('daily', 'weekly', 'off')),
    nudges      INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL
);
