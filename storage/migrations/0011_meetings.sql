-- ISCG meetings, their attendees (with each one's iTIP answer) and the slot
-- proposals a chair picks from. A meeting keeps one UID for its whole life;
-- `sequence` is the iCalendar SEQUENCE, raised by every change sent out.

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    code        TEXT UNIQUE,                 -- short readable id shown to people: m7
    uid         TEXT NOT NULL UNIQUE,        -- iCalendar UID
    title       TEXT NOT NULL,
    start_at    TEXT NOT NULL,               -- UTC
    end_at      TEXT NOT NULL,               -- UTC
    sequence    INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    organizer_id INTEGER REFERENCES people (id),
    organizer_name TEXT NOT NULL,
    channel     TEXT NOT NULL,               -- where it was scheduled; reminders go there
    theme_id    INTEGER REFERENCES themes (id),
    agenda      TEXT NOT NULL DEFAULT '',
    join_url    TEXT,
    list_invited INTEGER NOT NULL DEFAULT 0, -- announced on the mailing list
    cancel_reason TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX meetings_start ON meetings (status, start_at);

CREATE TABLE meeting_attendees (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES people (id),
    email       TEXT COLLATE NOCASE,
    name        TEXT NOT NULL,
    timezone    TEXT,
    role        TEXT NOT NULL DEFAULT 'REQ-PARTICIPANT',
    partstat    TEXT NOT NULL DEFAULT 'NEEDS-ACTION'
                CHECK (partstat IN ('NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE', 'DELEGATED')),
    replied_at  TEXT,
    UNIQUE (meeting_id, person_id),
    UNIQUE (meeting_id, email)
);
CREATE INDEX meeting_attendees_person ON meeting_attendees (person_id);

-- Slots proposed for a window, waiting for `/schedule pick <n>` by the same person
-- in the same channel; one open proposal per person and channel.
CREATE TABLE meeting_proposals (
    identity    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    payload     TEXT NOT NULL,               -- JSON: title, duration, attendees, slots
    created_at  TEXT NOT NULL,
    PRIMARY KEY (identity, channel)
);
