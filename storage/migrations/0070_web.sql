-- Values this installation generates once and keeps across restarts
-- (the web access key when ISCG_WEB_KEY is not set).
CREATE TABLE instance_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

