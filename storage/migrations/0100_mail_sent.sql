-- Every Message-ID the bot made, with the scheduled meeting the mail was about
-- (an invitation, a list announcement), written with the outbox row that
-- carries it. The outbox may be pruned once a row is sent; a reply to an
-- announcement must still join the meeting's minutes, and the bot's own
-- mail coming back must still be recognised.

CREATE TABLE mail_sent_ids (
    message_id  TEXT PRIMARY KEY,
    meeting_id  INTEGER                      -- the scheduled meeting, if it was about one
);

INSERT OR IGNORE INTO mail_sent_ids (message_id, meeting_id)
    SELECT json_extract(payload, '$.message_id'), json_extract(payload, '$.meeting_id')
    FROM outbox WHERE json_extract(payload, '$.message_id') IS NOT NULL;

-- Nothing looks the outbox up by Message-ID any more.
DROP INDEX outbox_message_id;
