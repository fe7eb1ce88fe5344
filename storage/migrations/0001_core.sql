-- The foundation: people and their identities, the theme directory,
-- the knowledge base, and the durable outbox and job tables every later
-- capability writes its effects to.

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    email       TEXT UNIQUE COLLATE NOCASE,
    country     TEXT,
    title       TEXT,
    timezone    TEXT,
    role        TEXT NOT NULL DEFAULT 'member'
                CHECK (role IN ('member', 'coordinator', 'secretariat', 'chair')),
    position    TEXT,            -- as a document states it: "ISCG Chair", "RAG representative"
    advisory_group TEXT,         -- RAG, TSAG, TDAG where the person represents one
    current     INTEGER NOT NULL DEFAULT 1,
    source_file TEXT,
    source_section TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX people_name ON people (name COLLATE NOCASE);

CREATE TABLE identities (
    identity    TEXT PRIMARY KEY,           -- platform:id
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    display_name TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX identities_person ON identities (person_id);

CREATE TABLE documents (
    file        TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    symbol      TEXT,
    date        TEXT,
    summary     TEXT NOT NULL
);

CREATE TABLE themes (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    categories  TEXT NOT NULL DEFAULT '[]',  -- JSON array
    number      TEXT,
    parent_id   INTEGER REFERENCES themes (id),
    pilot       INTEGER NOT NULL DEFAULT 0,
    details     TEXT NOT NULL DEFAULT '{}',  -- JSON: study groups, events, partners...
    sources     TEXT NOT NULL DEFAULT '[]',  -- JSON array of {file, section, note}
    created_by  TEXT NOT NULL DEFAULT 'seed',
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Sub-topics of a theme (Climate change: e-waste, energy...).
CREATE TABLE subtopics (
    id          INTEGER PRIMARY KEY,
    theme_id    INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    study_groups TEXT NOT NULL DEFAULT '{}', -- JSON: sector -> [cells]
    source_file TEXT,
    source_section TEXT,
    UNIQUE (theme_id, name)
);

-- Every name a theme or sub-topic answers to, normalised for lookup.
CREATE TABLE theme_names (
    key         TEXT NOT NULL,               -- normalised form
    name        TEXT NOT NULL,               -- as written
    theme_id    INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    subtopic_id INTEGER REFERENCES subtopics (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('name', 'alias', 'subtopic')),
    PRIMARY KEY (key, theme_id)
);
CREATE INDEX theme_names_theme ON theme_names (theme_id);

-- Coordinators and focal points: seeded ones and the ones chairs record.
CREATE TABLE assignments (
    id          INTEGER PRIMARY KEY,
    theme_id    INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('coordinator', 'focal_point')),
    sector      TEXT NOT NULL DEFAULT '' CHECK (sector IN ('', 'ITU-R', 'ITU-T', 'ITU-D', 'GS')),
    advisory_group TEXT,
    recorded_by TEXT NOT NULL,                -- identity, or 'seed'
    recorded_at TEXT NOT NULL,
    UNIQUE (theme_id, person_id, kind, sector)
);
CREATE INDEX assignments_theme ON assignments (theme_id);

CREATE TABLE bodies (
    abbr        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    sector      TEXT,
    description TEXT NOT NULL,
    aliases     TEXT NOT NULL DEFAULT '[]',
    source_file TEXT,
    source_section TEXT
);

CREATE TABLE facts (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    source_file TEXT,
    source_section TEXT,
    note        TEXT
);

-- Effects on other people, written in the same transaction as their cause
-- and delivered later by the dispatcher for the destination's platform.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    destination TEXT NOT NULL,                -- email:addr, slack:C123, discord:123, console:main
    kind        TEXT NOT NULL,                -- invite, update, cancel, reminder, minutes, digest, reply
    payload     TEXT NOT NULL,                -- JSON, the message as its sender needs it
    dedupe_key  TEXT UNIQUE,                  -- the same effect is never queued twice
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Work due at a time (reminders, digests, nudges).
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    payload     TEXT NOT NULL DEFAULT '{}',
    dedupe_key  TEXT UNIQUE,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'done', 'dropped', 'failed')),
    not_after   TEXT,                         -- past this instant the job is dropped, not run late
    result      TEXT,
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_due ON jobs (status, due_at);

-- Messages already handled, per platform, so a redelivery does nothing twice.
CREATE TABLE seen_messages (
    platform_message_id TEXT PRIMARY KEY,
    seen_at     TEXT NOT NULL
);
