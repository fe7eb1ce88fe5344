-- Past this instant a pending row is dropped, not sent late: a meeting's
-- reminder still waiting (mail down, a platform paused) when the meeting
-- starts would tell people it "starts in 10 minutes" while it runs.
ALTER TABLE outbox ADD COLUMN not_after TEXT;
