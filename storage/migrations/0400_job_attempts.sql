-- How many times a job has failed: a passing error (a locked database, a full disk
-- freed a minute later) is tried again a few times before the job is given up, so a
-- reminder or a digest is not lost to it.
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
