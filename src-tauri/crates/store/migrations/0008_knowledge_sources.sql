-- Where a knowledge item comes from: a file of an indexed project (its path and lines) or
-- nothing (typed in by the user). `indexed_files` remembers each indexed file's SHA-256, so a
-- new `kb index` re-reads only what changed.
ALTER TABLE knowledge_base ADD COLUMN source TEXT;
ALTER TABLE knowledge_base ADD COLUMN line_start INTEGER;
ALTER TABLE knowledge_base ADD COLUMN line_end INTEGER;
CREATE INDEX knowledge_base_by_source ON knowledge_base (source);

CREATE TABLE indexed_files (
    path        TEXT PRIMARY KEY,   -- absolute
    root        TEXT NOT NULL,      -- the project directory it was indexed under
    sha256      TEXT NOT NULL,
    chunks      INTEGER NOT NULL,
    indexed_at  TEXT NOT NULL
);
CREATE INDEX indexed_files_by_root ON indexed_files (root);
