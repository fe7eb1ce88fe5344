-- A counter per kind of record the bot keeps an in-memory view of: the view is
-- good while its counter stands still. Triggers move the counters on every
-- change, whoever makes it, so no code path can forget to.
-- people: people and their identities (who an action item names);
-- sessions: advisory-group sessions (due dates such as "before TDAG").

CREATE TABLE revisions (
    name        TEXT PRIMARY KEY,
    n           INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO revisions (name) VALUES ('people'), ('sessions');

CREATE TRIGGER people_inserted AFTER INSERT ON people
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER people_updated AFTER UPDATE ON people
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER people_deleted AFTER DELETE ON people
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER identities_inserted AFTER INSERT ON identities
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER identities_updated AFTER UPDATE ON identities
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER identities_deleted AFTER DELETE ON identities
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'people'; END;
CREATE TRIGGER sessions_inserted AFTER INSERT ON sessions
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'sessions'; END;
CREATE TRIGGER sessions_updated AFTER UPDATE ON sessions
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'sessions'; END;
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
BEGIN UPDATE revisions SET n = n + 1 WHERE name = 'sessions'; END;
