-- The SEQUENCE and DTSTAMP of the answer an attendee's PARTSTAT came from: mail
-- does not arrive in the order it was written (an Accept held by a slow server
-- lands after the Decline sent an hour later), and iTIP orders an attendee's
-- answers by these (RFC 5546 2.1.5), not by arrival.
ALTER TABLE meeting_attendees ADD COLUMN answer_sequence INTEGER;
ALTER TABLE meeting_attendees ADD COLUMN answer_stamp TEXT;
