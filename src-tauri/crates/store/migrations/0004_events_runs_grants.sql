-- What front ends follow and replay: every bus event (its envelope as JSON) by sequence number;
-- the runs of commands started through the core's run service; the approval grants a user
-- gave "always" for a scope (revocable: a revoked grant keeps its row).
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    timestamp TEXT NOT NULL,
    session TEXT,
    run TEXT,
    envelope TEXT NOT NULL
);
CREATE INDEX events_by_run ON events (run, seq);

CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    session TEXT NOT NULL,
    command TEXT NOT NULL,
    workspace TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT
);
CREATE INDEX runs_by_start ON runs (started_at);

CREATE TABLE approval_grants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tool TEXT NOT NULL,
    target TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX approval_grants_by_tool ON approval_grants (tool, target);
