-- Whose invitation a delegate took (their address): the attendee who passed it on
-- reads "delegated to Carol Tan <carol.tan@example.sg>", not a bare "delegated".
ALTER TABLE meeting_attendees ADD COLUMN delegated_from TEXT COLLATE NOCASE;
