-- Mail: every inbound message handled (by Message-ID, so a redelivery or a
-- restart does nothing twice), the bot's answers per sender (rate limit),
-- and where reading a mailbox got to.

CREATE TABLE mail_messages (
    message_id  TEXT PRIMARY KEY,
    thread_root TEXT NOT NULL,               -- first message of the thread it belongs to
    sender      TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,               -- imap, smtp
    outcome     TEXT NOT NULL,               -- answered, recorded, ignored: <why>, limited
    received_at TEXT NOT NULL
);
CREATE INDEX mail_messages_root ON mail_messages (thread_root);

CREATE TABLE mail_answers (
    id          INTEGER PRIMARY KEY,
    sender      TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    notice      INTEGER NOT NULL DEFAULT 0   -- 1: the "limit reached" notice
);
CREATE INDEX mail_answers_sender ON mail_answers (sender, sent_at);

CREATE TABLE mail_imap_state (
    mailbox     TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL
);

-- The bot recognises its own mail coming back by the Message-ID it queued.
CREATE INDEX outbox_message_id ON outbox (json_extract(payload, '$.message_id'));
