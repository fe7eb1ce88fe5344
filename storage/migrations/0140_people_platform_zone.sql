-- The zone a platform's profile gives a person (Slack's users.info tz), kept apart
-- from the one they set with /timezone: nudges and digests go out while nobody is
-- talking, and a Slack member who never set one was reminded at Geneva's hours.
ALTER TABLE people ADD COLUMN platform_zone TEXT;
