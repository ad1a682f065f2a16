-- Full-text index of what DARK8 remembers: facts of the knowledge base and past conversation
-- turns. The text is indexed as the agent normalizes it (Polish lemmas without diacritics),
-- so "porcie" finds "port"; the original rows stay where they are.
CREATE VIRTUAL TABLE memory_index USING fts5(
    text,
    source UNINDEXED,
    ref_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
