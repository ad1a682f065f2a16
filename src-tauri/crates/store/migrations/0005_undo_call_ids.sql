-- Which tool call made each journalled change, so that a run's changes can be shown and
-- undone one call at a time (rows from before this migration have none).
ALTER TABLE undo_journal ADD COLUMN call_id TEXT;
CREATE INDEX undo_journal_call ON undo_journal (call_id);
