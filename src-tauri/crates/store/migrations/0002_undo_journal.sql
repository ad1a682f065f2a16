-- What file tools changed, so that `dark8 undo` can put it back. One row per file; the rows
-- of one tool call share a batch and are undone together.
CREATE TABLE undo_journal (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch       TEXT NOT NULL,
    timestamp   TEXT NOT NULL,
    tool        TEXT NOT NULL,
    path        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('created', 'changed', 'deleted')),
    backup      TEXT,
    undone_at   TEXT
);
CREATE INDEX undo_journal_pending ON undo_journal (undone_at, id);
