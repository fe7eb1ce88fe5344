-- Minute-taking (MeetBot style) and action items.
--
-- A minuted meeting runs in one channel (Slack channel or thread, Discord
-- channel, console, e-mail thread); at most one runs per channel at a time.
-- `scheduled_ref` names the scheduled meeting it belongs to, as text, so this
-- table does not depend on the scheduling tables' shape.

CREATE TABLE minuted_meetings (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,
    title       TEXT NOT NULL,
    series      TEXT NOT NULL,                -- meetings of one series carry actions over
    scheduled_ref TEXT,                       -- id of the scheduled meeting, when linked
    scheduled_minutes INTEGER,                -- its planned length
    started_by  INTEGER NOT NULL REFERENCES people (id),
    started_at  TEXT NOT NULL,
    ended_by    INTEGER REFERENCES people (id),
    ended_at    TEXT
);
CREATE UNIQUE INDEX minuted_meetings_running ON minuted_meetings (channel) WHERE ended_at IS NULL;
CREATE INDEX minuted_meetings_series ON minuted_meetings (series, started_at);

CREATE TABLE meeting_chairs (
    meeting_id  INTEGER NOT NULL REFERENCES minuted_meetings (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    PRIMARY KEY (meeting_id, person_id)
);

-- Every line said in a running meeting, items and ordinary lines alike.
CREATE TABLE meeting_lines (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES minuted_meetings (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    author      TEXT NOT NULL,                -- display name when said
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('line', 'topic', 'info', 'agreed', 'action',
                                              'link', 'idea', 'undo', 'chair')),
    text        TEXT NOT NULL,
    action_id   INTEGER,
    undone      INTEGER NOT NULL DEFAULT 0,
    message_key TEXT UNIQUE                   -- channel + platform message id: said once
);
CREATE INDEX meeting_lines_meeting ON meeting_lines (meeting_id, id);

CREATE TABLE actions (
    id          INTEGER PRIMARY KEY,          -- shown as A<id>, anchor #action-<id>
    text        TEXT NOT NULL,
    due_date    TEXT,                         -- YYYY-MM-DD
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    meeting_id  INTEGER REFERENCES minuted_meetings (id) ON DELETE SET NULL,
    platform    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    message_key TEXT UNIQUE,
    created_by  INTEGER NOT NULL REFERENCES people (id),
    created_at  TEXT NOT NULL,
    closed_by   INTEGER REFERENCES people (id),
    closed_at   TEXT,
    note        TEXT
);
CREATE INDEX actions_status ON actions (status, due_date);
CREATE INDEX actions_meeting ON actions (meeting_id);

-- Who an action is for: a known person, a group the ISCG names ("secretariat",
-- "TSAG representatives", "the chair"), or a name nobody could be matched to,
-- kept as written and flagged.
CREATE TABLE action_owners (
    action_id   INTEGER NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL,                -- as written, or the person's name
    person_id   INTEGER REFERENCES people (id),
    group_key   TEXT,                         -- secretariat, chair, RAG, TSAG, TDAG
    PRIMARY KEY (action_id, position)
);
CREATE INDEX action_owners_person ON action_owners (person_id);
