//! The knowledge base: code snippets, patterns, templates and facts, with optional embeddings.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreError, StoreResult};
use crate::time::now_rfc3339;

/// What kind of knowledge an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KnowledgeKind {
    /// A piece of code worth reusing.
    CodeSnippet,
    /// A design or coding pattern.
    Pattern,
    /// A template.
    Template,
    /// A fact the user asked DARK8 to remember.
    Fact,
}

impl KnowledgeKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            KnowledgeKind::CodeSnippet => "code_snippet",
            KnowledgeKind::Pattern => "pattern",
            KnowledgeKind::Template => "template",
            KnowledgeKind::Fact => "fact",
        }
    }
}

impl fmt::Display for KnowledgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for KnowledgeKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "code_snippet" => Ok(KnowledgeKind::CodeSnippet),
            "pattern" => Ok(KnowledgeKind::Pattern),
            "template" => Ok(KnowledgeKind::Template),
            "fact" => Ok(KnowledgeKind::Fact),
            other => Err(format!("unknown knowledge type `{other}`")),
        }
    }
}

/// An item to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewKnowledgeItem {
    /// Its kind.
    pub kind: KnowledgeKind,
    /// Its text.
    pub content: String,
    /// Its embedding vector, if one was computed.
    pub embedding: Option<Vec<f32>>,
    /// The model that computed it.
    pub embedding_model: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The file it was taken from, when it was (see [`KnowledgeSourceRef`]).
    pub source: Option<KnowledgeSourceRef>,
}

/// Where an item was taken from: a file and its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnowledgeSourceRef {
    /// The file's absolute path.
    pub path: String,
    /// The first line, counted from 1.
    pub line_start: i64,
    /// The last line (inclusive).
    pub line_end: i64,
}

/// A stored item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnowledgeItem {
    /// Row id.
    pub id: i64,
    /// Its kind.
    pub kind: KnowledgeKind,
    /// Its text.
    pub content: String,
    /// Its embedding vector.
    pub embedding: Option<Vec<f32>>,
    /// The model that computed it.
    pub embedding_model: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// When it was stored, RFC 3339 UTC.
    pub created_at: String,
    /// The file it was taken from, when it was.
    pub source: Option<KnowledgeSourceRef>,
}

#[derive(sqlx::FromRow)]
struct KnowledgeRow {
    id: i64,
    #[sqlx(rename = "type")]
    kind: String,
    content: String,
    embedding: Option<Vec<u8>>,
    embedding_model: Option<String>,
    tags: String,
    created_at: String,
    source: Option<String>,
    line_start: Option<i64>,
    line_end: Option<i64>,
}

impl TryFrom<KnowledgeRow> for KnowledgeItem {
    type Error = StoreError;

    fn try_from(row: KnowledgeRow) -> StoreResult<KnowledgeItem> {
        let corrupt = |detail: String| StoreError::Corrupt {
            context: "reading the knowledge base",
            detail: format!("row {}: {detail}", row.id),
        };
        let kind = row.kind.parse().map_err(corrupt)?;
        let tags = serde_json::from_str(&row.tags)
            .map_err(|e| corrupt(format!("tags are not a JSON list: {e}")))?;
        let embedding = row
            .embedding
            .as_deref()
            .map(decode_embedding)
            .transpose()
            .map_err(corrupt)?;
        Ok(KnowledgeItem {
            id: row.id,
            kind,
            content: row.content,
            embedding,
            embedding_model: row.embedding_model,
            tags,
            created_at: row.created_at,
            source: row.source.map(|path| KnowledgeSourceRef {
                path,
                line_start: row.line_start.unwrap_or(1),
                line_end: row.line_end.or(row.line_start).unwrap_or(1),
            }),
        })
    }
}

/// What is embedded for an item: its text, after the file it came from (so a question
/// naming the module or the file finds it too).
pub fn embedded_text(content: &str, source: Option<&str>) -> String {
    match source {
        Some(path) => format!("{path}\n{content}"),
        None => content.to_owned(),
    }
}

/// Embeddings are stored as little-endian f32s.
fn encode_embedding(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub(crate) fn decode_embedding(bytes: &[u8]) -> Result<Vec<f32>, String> {
    if bytes.len() % 4 != 0 {
        return Err(format!("embedding of {} bytes is not f32s", bytes.len()));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// Inserts `item` through `executor` (the pool or an open transaction); the row as stored.
pub(crate) async fn insert_item<'e, E>(
    executor: E,
    item: &NewKnowledgeItem,
) -> StoreResult<KnowledgeItem>
where
    E: sqlx::SqliteExecutor<'e>,
{
    let tags = serde_json::to_string(&item.tags).map_err(|e| StoreError::Corrupt {
        context: "storing knowledge",
        detail: e.to_string(),
    })?;
    let row: KnowledgeRow = sqlx::query_as(&format!(
        "INSERT INTO knowledge_base (type, content, embedding, embedding_model, tags, \
         created_at, source, line_start, line_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         RETURNING {COLUMNS}"
    ))
    .bind(item.kind.as_str())
    .bind(&item.content)
    .bind(item.embedding.as_deref().map(encode_embedding))
    .bind(item.embedding.as_ref().and(item.embedding_model.as_deref()))
    .bind(tags)
    .bind(now_rfc3339())
    .bind(item.source.as_ref().map(|s| s.path.as_str()))
    .bind(item.source.as_ref().map(|s| s.line_start))
    .bind(item.source.as_ref().map(|s| s.line_end))
    .fetch_one(executor)
    .await
    .context("storing knowledge")?;
    KnowledgeItem::try_from(row)
}

/// Removes every item taken from the file `path` and their entries in the memory index,
/// inside the open transaction `tx`.
pub(crate) async fn delete_source_in(
    tx: &mut sqlx::SqliteConnection,
    path: &str,
) -> StoreResult<()> {
    sqlx::query(
        "DELETE FROM memory_index WHERE source = 'knowledge' AND ref_id IN \
         (SELECT id FROM knowledge_base WHERE source = ?)",
    )
    .bind(path)
    .execute(&mut *tx)
    .await
    .context("forgetting a file's knowledge")?;
    sqlx::query("DELETE FROM knowledge_base WHERE source = ?")
        .bind(path)
        .execute(&mut *tx)
        .await
        .context("forgetting a file's knowledge")?;
    Ok(())
}

/// Repository of the knowledge base.
pub struct Knowledge<'a> {
    pool: &'a SqlitePool,
}

const COLUMNS: &str = "id, type, content, embedding, embedding_model, tags, created_at, source, \
                       line_start, line_end";

const SELECT_ITEMS: &str = "SELECT id, type, content, embedding, embedding_model, tags, \
                            created_at, source, line_start, line_end FROM knowledge_base";

impl<'a> Knowledge<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> Knowledge<'a> {
        Knowledge { pool }
    }

    /// Stores an item and returns it as stored.
    pub async fn add(&self, item: &NewKnowledgeItem) -> StoreResult<KnowledgeItem> {
        insert_item(self.pool, item).await
    }

    /// The item with `id`, if any.
    pub async fn get(&self, id: i64) -> StoreResult<Option<KnowledgeItem>> {
        let row: Option<KnowledgeRow> = sqlx::query_as(&format!("{SELECT_ITEMS} WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool)
            .await
            .context("reading knowledge")?;
        row.map(KnowledgeItem::try_from).transpose()
    }

    /// Removes the item with `id` and its entries in the memory index, in one transaction;
    /// the item as it was, or `None` when there is none.
    pub async fn delete(&self, id: i64) -> StoreResult<Option<KnowledgeItem>> {
        let mut tx = self.pool.begin().await.context("forgetting knowledge")?;
        let row: Option<KnowledgeRow> = sqlx::query_as(&format!(
            "DELETE FROM knowledge_base WHERE id = ? RETURNING {COLUMNS}"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .context("forgetting knowledge")?;
        sqlx::query("DELETE FROM memory_index WHERE source = 'knowledge' AND ref_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("forgetting knowledge")?;
        tx.commit().await.context("forgetting knowledge")?;
        row.map(KnowledgeItem::try_from).transpose()
    }

    /// Every vector `model` made, with its row id (what search by meaning compares with).
    pub async fn embeddings(&self, model: &str) -> StoreResult<Vec<(i64, Vec<f32>)>> {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT id, embedding FROM knowledge_base \
             WHERE embedding_model = ? AND embedding IS NOT NULL ORDER BY id",
        )
        .bind(model)
        .fetch_all(self.pool)
        .await
        .context("reading stored vectors")?;
        rows.into_iter()
            .map(|(id, bytes)| {
                decode_embedding(&bytes)
                    .map(|vector| (id, vector))
                    .map_err(|detail| StoreError::Corrupt {
                        context: "reading stored vectors",
                        detail: format!("row {id}: {detail}"),
                    })
            })
            .collect()
    }

    /// The ids and texts to embed (see [`embedded_text`]) of items that have no vector from
    /// `model` (never embedded, or by another model), oldest first, at most `limit`.
    pub async fn missing_embeddings(
        &self,
        model: &str,
        limit: u32,
    ) -> StoreResult<Vec<(i64, String)>> {
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT id, content, source FROM knowledge_base \
             WHERE embedding IS NULL OR embedding_model IS NOT ? ORDER BY id LIMIT ?",
        )
        .bind(model)
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("finding items to embed")?;
        Ok(rows
            .into_iter()
            .map(|(id, content, source)| (id, embedded_text(&content, source.as_deref())))
            .collect())
    }

    /// Stores `vector` from `model` as the embedding of item `id`.
    pub async fn set_embedding(&self, id: i64, model: &str, vector: &[f32]) -> StoreResult<()> {
        sqlx::query("UPDATE knowledge_base SET embedding = ?, embedding_model = ? WHERE id = ?")
            .bind(encode_embedding(vector))
            .bind(model)
            .bind(id)
            .execute(self.pool)
            .await
            .context("storing a vector")?;
        Ok(())
    }

    /// The newest `limit` items of `kind` (every kind when `None`), newest first.
    pub async fn recent(
        &self,
        kind: Option<KnowledgeKind>,
        limit: u32,
    ) -> StoreResult<Vec<KnowledgeItem>> {
        let rows: Vec<KnowledgeRow> = sqlx::query_as(&format!(
            "{SELECT_ITEMS} WHERE (?1 IS NULL OR type = ?1) ORDER BY id DESC LIMIT ?2"
        ))
        .bind(kind.map(KnowledgeKind::as_str))
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("listing knowledge")?;
        rows.into_iter().map(KnowledgeItem::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_round_trip_and_reject_odd_lengths() {
        let vector = vec![0.5f32, -1.25, 3.0e-7];
        assert_eq!(
            decode_embedding(&encode_embedding(&vector)).unwrap(),
            vector
        );
        assert!(decode_embedding(&[1, 2, 3]).is_err());
    }
}
