//! The files of indexed projects: each one's SHA-256 when it was last read, so indexing a
//! project again re-reads only what changed and forgets what is gone.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreResult};
use crate::knowledge::{delete_source_in, insert_item};
use crate::memory_index::{insert_entry, MemorySource};
use crate::time::now_rfc3339;
use crate::NewKnowledgeItem;

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct IndexedFile {
    /// Its absolute path.
    pub path: String,
    /// The project directory it was indexed under.
    pub root: String,
    /// The SHA-256 (hex) of its bytes when it was read.
    pub sha256: String,
    /// How many knowledge items it became.
    pub chunks: i64,
    /// When it was read, RFC 3339 UTC.
    pub indexed_at: String,
}

/// A file read anew: where it is and what its bytes hash to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersion<'a> {
    /// Its absolute path.
    pub path: &'a str,
    /// The project directory it is indexed under.
    pub root: &'a str,
    /// The SHA-256 (hex) of its bytes.
    pub sha256: &'a str,
}

/// One piece of a file to store: the knowledge item and its words for the memory index
/// (already normalized).
#[derive(Debug, Clone, PartialEq)]
pub struct FilePiece {
    /// The item (its `source` names the file and lines).
    pub item: NewKnowledgeItem,
    /// What the memory index holds for it.
    pub indexed_text: String,
}

/// Repository of the indexed files.
pub struct IndexedFiles<'a> {
    pool: &'a SqlitePool,
}

impl<'a> IndexedFiles<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> IndexedFiles<'a> {
        IndexedFiles { pool }
    }

    /// The file at `path`, when it was indexed.
    pub async fn get(&self, path: &str) -> StoreResult<Option<IndexedFile>> {
        sqlx::query_as(
            "SELECT path, root, sha256, chunks, indexed_at FROM indexed_files WHERE path = ?",
        )
        .bind(path)
        .fetch_optional(self.pool)
        .await
        .context("reading an indexed file")
    }

    /// Every file indexed under `root`, by path.
    pub async fn under(&self, root: &str) -> StoreResult<Vec<IndexedFile>> {
        sqlx::query_as(
            "SELECT path, root, sha256, chunks, indexed_at FROM indexed_files \
             WHERE root = ? ORDER BY path",
        )
        .bind(root)
        .fetch_all(self.pool)
        .await
        .context("listing indexed files")
    }

    /// Replaces the pieces stored for `file` with `pieces` and records its new hash, in one
    /// transaction: after a crash either the old pieces and hash are there or the new ones.
    pub async fn replace(&self, file: &FileVersion<'_>, pieces: &[FilePiece]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.context("indexing a file")?;
        delete_source_in(&mut tx, file.path).await?;
        for piece in pieces {
            let item = insert_item(&mut *tx, &piece.item).await?;
            insert_entry(
                &mut *tx,
                MemorySource::Knowledge,
                item.id,
                &piece.indexed_text,
            )
            .await?;
        }
        sqlx::query(
            "INSERT INTO indexed_files (path, root, sha256, chunks, indexed_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET root = excluded.root, \
             sha256 = excluded.sha256, chunks = excluded.chunks, indexed_at = excluded.indexed_at",
        )
        .bind(file.path)
        .bind(file.root)
        .bind(file.sha256)
        .bind(pieces.len() as i64)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await
        .context("recording an indexed file")?;
        tx.commit().await.context("indexing a file")?;
        Ok(())
    }

    /// Forgets the file at `path` and removes its pieces, in one transaction.
    pub async fn forget(&self, path: &str) -> StoreResult<()> {
        let mut tx = self
            .pool
            .begin()
            .await
            .context("forgetting an indexed file")?;
        delete_source_in(&mut tx, path).await?;
        sqlx::query("DELETE FROM indexed_files WHERE path = ?")
            .bind(path)
            .execute(&mut *tx)
            .await
            .context("forgetting an indexed file")?;
        tx.commit().await.context("forgetting an indexed file")?;
        Ok(())
    }
}
