-- Advisory-group (and other ITU) sessions: the anchors meetings are scheduled
-- around ("during TSAG", "between RAG and TDAG") and due dates point at
-- ("before TDAG"). One row per group and first day, so re-importing the same
-- calendar or re-seeding adds nothing.

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,               -- RAG, TSAG, TDAG, Council, WTSA, WTDC, RA, WRC, PP
    first_day   TEXT NOT NULL,               -- YYYY-MM-DD, local to the place
    last_day    TEXT NOT NULL CHECK (last_day >= first_day),
    place       TEXT,
    title       TEXT,                        -- as the source names it ("TSAG-7", a calendar summary)
    source      TEXT NOT NULL,               -- "seed: <file>, <section>", "added by <identity>", "import: <file>"
    created_at  TEXT NOT NULL,
    UNIQUE (body, first_day)
);
CREATE INDEX sessions_days ON sessions (last_day, first_day);
