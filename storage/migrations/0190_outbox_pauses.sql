-- A platform the dispatcher could not reach (no connection, a relay or a login
-- refused) is left alone until `until`, longer each time in a row (`times`).
-- Kept here, not in the bot's memory, so that `iscg-bot outbox retry`, run from
-- another process once the operator mended the cause, lifts it for the running bot.
CREATE TABLE outbox_pauses (
    platform    TEXT PRIMARY KEY,
    until       TEXT NOT NULL,
    times       INTEGER NOT NULL
);
