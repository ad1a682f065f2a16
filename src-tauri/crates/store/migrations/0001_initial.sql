-- DARK8 initial schema: projects, conversations, knowledge base, tamper-evident audit log.

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    path        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    metadata    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata))
);

CREATE TABLE conversations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    timestamp    TEXT NOT NULL,
    user_input   TEXT NOT NULL,
    ai_response  TEXT NOT NULL DEFAULT '',
    intent       TEXT,
    context      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context))
);
CREATE INDEX conversations_by_time ON conversations (timestamp);

CREATE TABLE knowledge_base (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL CHECK (type IN ('code_snippet', 'pattern', 'template', 'fact')),
    content     TEXT NOT NULL,
    embedding   BLOB,
    tags        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
    created_at  TEXT NOT NULL
);
CREATE INDEX knowledge_base_by_type ON knowledge_base (type);

-- Append-only: every row carries the SHA-256 of its canonical encoding, which includes the
-- previous row's hash. `audit_head` keeps the last id and hash so a cut tail is noticed too.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    timestamp   TEXT NOT NULL,
    action      TEXT NOT NULL,
    parameters  TEXT NOT NULL CHECK (json_valid(parameters)),
    result      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('success', 'error', 'denied')),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TABLE audit_head (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id     INTEGER NOT NULL,
    last_hash   TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
