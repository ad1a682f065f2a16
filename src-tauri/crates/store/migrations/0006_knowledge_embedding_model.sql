-- Which model made each stored vector (and so its dimension): vectors of different models
-- are never compared, and a changed model means re-embedding.
ALTER TABLE knowledge_base ADD COLUMN embedding_model TEXT;
