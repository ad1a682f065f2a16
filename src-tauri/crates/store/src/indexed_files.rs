//! The files of indexed projects: each one's SHA-256 when it was last read, so indexing a
//! project again re-reads only what changed and forgets what is gone.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreResult};
use crate::time::now_rfc3339;

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

    /// Records that `path` (under `root`, with `sha256`) became `chunks` items.
    pub async fn record(
        &self,
        path: &str,
        root: &str,
        sha256: &str,
        chunks: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO indexed_files (path, root, sha256, chunks, indexed_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET root = excluded.root, \
             sha256 = excluded.sha256, chunks = excluded.chunks, indexed_at = excluded.indexed_at",
        )
        .bind(path)
        .bind(root)
        .bind(sha256)
        .bind(chunks)
        .bind(now_rfc3339())
        .execute(self.pool)
        .await
        .context("recording an indexed file")?;
        Ok(())
    }

    /// Forgets the file at `path` (its items are removed by
    /// [`Knowledge::delete_by_source`](crate::Knowledge::delete_by_source)).
    pub async fn forget(&self, path: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM indexed_files WHERE path = ?")
            .bind(path)
            .execute(self.pool)
            .await
            .context("forgetting an indexed file")?;
        Ok(())
    }
}
