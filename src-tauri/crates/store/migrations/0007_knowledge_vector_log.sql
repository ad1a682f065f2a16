-- Every change to a stored vector, in order, written by triggers in the same transaction as the
-- change itself: the vector index kept beside the database catches up from it (after a crash,
-- or after another process changed the knowledge base) instead of being rebuilt.
CREATE TABLE knowledge_vector_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id  INTEGER NOT NULL
);

CREATE TRIGGER knowledge_vector_added AFTER INSERT ON knowledge_base
WHEN NEW.embedding IS NOT NULL
BEGIN
    INSERT INTO knowledge_vector_log (item_id) VALUES (NEW.id);
END;

CREATE TRIGGER knowledge_vector_changed AFTER UPDATE OF embedding, embedding_model ON knowledge_base
BEGIN
    INSERT INTO knowledge_vector_log (item_id) VALUES (NEW.id);
END;

CREATE TRIGGER knowledge_vector_removed AFTER DELETE ON knowledge_base
WHEN OLD.embedding IS NOT NULL
BEGIN
    INSERT INTO knowledge_vector_log (item_id) VALUES (OLD.id);
END;

-- How far the log has been cut: an index that covers less than this must start again from a
-- saved index that covers more, or be rebuilt from the rows.
CREATE TABLE knowledge_vector_log_trim (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    through  INTEGER NOT NULL
);
INSERT INTO knowledge_vector_log_trim (id, through) VALUES (1, 0);
