//! The full-text memory index (SQLite FTS5) over facts and past conversations.
//!
//! The caller indexes text it has already normalized (lemmas, no diacritics) and searches
//! with terms normalized the same way; this module only stores and ranks (BM25).

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreResult};

/// Where an indexed text comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MemorySource {
    /// A row of the knowledge base.
    Knowledge,
    /// A row of the conversations table.
    Conversation,
}

impl MemorySource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MemorySource::Knowledge => "knowledge",
            MemorySource::Conversation => "conversation",
        }
    }

    fn parse(value: &str) -> Option<MemorySource> {
        match value {
            "knowledge" => Some(MemorySource::Knowledge),
            "conversation" => Some(MemorySource::Conversation),
            _ => None,
        }
    }
}

/// One search hit: which row, and how well it matched (higher is better).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemoryHit {
    /// The table the row lives in.
    pub source: MemorySource,
    /// The row's id in that table.
    pub ref_id: i64,
    /// BM25 relevance, negated so that higher is better.
    pub score: f64,
}

/// Indexes `text` for the row `ref_id` of `source` through `executor` (the pool or an open
/// transaction).
pub(crate) async fn insert_entry<'e, E>(
    executor: E,
    source: MemorySource,
    ref_id: i64,
    text: &str,
) -> StoreResult<()>
where
    E: sqlx::SqliteExecutor<'e>,
{
    sqlx::query("INSERT INTO memory_index (text, source, ref_id) VALUES (?, ?, ?)")
        .bind(text)
        .bind(source.as_str())
        .bind(ref_id)
        .execute(executor)
        .await
        .context("indexing memory")?;
    Ok(())
}

/// Repository of the memory index.
pub struct MemoryIndex<'a> {
    pool: &'a SqlitePool,
}

impl<'a> MemoryIndex<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> MemoryIndex<'a> {
        MemoryIndex { pool }
    }

    /// Indexes `text` (already normalized) for the row `ref_id` of `source`.
    pub async fn add(&self, source: MemorySource, ref_id: i64, text: &str) -> StoreResult<()> {
        insert_entry(self.pool, source, ref_id, text).await
    }

    /// The best `limit` rows containing any of `terms` (already normalized), best first,
    /// only from `source` when given. Terms are quoted, so no FTS syntax reaches SQLite.
    pub async fn search(
        &self,
        terms: &[String],
        source: Option<MemorySource>,
        limit: u32,
    ) -> StoreResult<Vec<MemoryHit>> {
        let query = terms
            .iter()
            .map(|term| term.replace('"', ""))
            .filter(|term| !term.trim().is_empty())
            .map(|term| format!("\"{term}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(String, i64, f64)> = sqlx::query_as(
            "SELECT source, ref_id, bm25(memory_index) AS rank FROM memory_index \
             WHERE memory_index MATCH ?1 AND (?2 IS NULL OR source = ?2) \
             ORDER BY rank LIMIT ?3",
        )
        .bind(query)
        .bind(source.map(MemorySource::as_str))
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("searching memory")?;
        Ok(rows
            .into_iter()
            .filter_map(|(source, ref_id, rank)| {
                Some(MemoryHit {
                    source: MemorySource::parse(&source)?,
                    ref_id,
                    score: -rank,
                })
            })
            .collect())
    }
}
