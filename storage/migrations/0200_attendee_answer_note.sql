-- The note an attendee typed with their answer (the REPLY's or COUNTER's COMMENT:
-- "I am at the TDAG session that week, Paul replaces me"): /meetings shows it.
ALTER TABLE meeting_attendees ADD COLUMN answer_note TEXT;
