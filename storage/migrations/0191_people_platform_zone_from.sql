-- Where the platform zone came from, in the words of the platform's handler ("your
-- Slack profile"): /timezone names it wherever the person asks from, and the commands
-- know no platform. Every zone kept so far came from Slack's users.info.
ALTER TABLE people ADD COLUMN platform_zone_from TEXT;
UPDATE people SET platform_zone_from = 'your Slack profile' WHERE platform_zone IS NOT NULL;
