-- Meeting lines are written in the order they are said, many meetings at once,
-- and read back a whole meeting at a time, rarely. An index by meeting (or by
-- the channel-scoped message key) takes each batch of lines at one place per
-- meeting running, so every commit rewrote as many index pages as meetings ran.
-- Instead a meeting records the range of line ids it spans: ids only grow
-- (AUTOINCREMENT), so its lines are the ones of that range with its id, found
-- by a rowid range scan. Repeated deliveries of one message are recognised by
-- the minute-taking writer, which holds the keys of each running meeting
-- (loaded from this table), so `message_key` needs no unique index either.
-- The table is rebuilt for AUTOINCREMENT (and a cheaper CHECK on kind).

ALTER TABLE minuted_meetings ADD COLUMN first_line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE minuted_meetings ADD COLUMN last_line INTEGER;  -- set when the meeting ends

CREATE TABLE meeting_lines_ranged (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id  INTEGER NOT NULL REFERENCES minuted_meetings (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    author      TEXT NOT NULL,                -- display name when said
    at          TEXT NOT NULL,
    -- Spelled as ORs: SQLite checks `kind IN (...)` by building a temporary index
    -- for every row inserted, which doubled the cost of writing a line.
    kind        TEXT NOT NULL CHECK (kind = 'line' OR kind = 'topic' OR kind = 'info'
                                     OR kind = 'agreed' OR kind = 'action' OR kind = 'link'
                                     OR kind = 'idea' OR kind = 'undo' OR kind = 'chair'),
    text        TEXT NOT NULL,
    action_id   INTEGER,
    undone      INTEGER NOT NULL DEFAULT 0,
    message_key TEXT                          -- channel + platform message id: said once
);
INSERT INTO meeting_lines_ranged
    (id, meeting_id, person_id, author, at, kind, text, action_id, undone, message_key)
    SELECT id, meeting_id, person_id, author, at, kind, text, action_id, undone, message_key
    FROM meeting_lines ORDER BY id;
DROP TABLE meeting_lines;
ALTER TABLE meeting_lines_ranged RENAME TO meeting_lines;

UPDATE minuted_meetings SET
    first_line = coalesce(
        (SELECT min(l.id) FROM meeting_lines l WHERE l.meeting_id = minuted_meetings.id),
        (SELECT coalesce(max(l.id), 0) + 1 FROM meeting_lines l)
    ),
    last_line = CASE WHEN ended_at IS NULL THEN NULL ELSE
        (SELECT coalesce(max(l.id), 0) FROM meeting_lines l WHERE l.meeting_id = minuted_meetings.id)
    END;
