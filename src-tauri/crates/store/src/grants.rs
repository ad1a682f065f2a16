//! Approval grants: "always allow this tool for this scope", given by the user, revocable.

use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreResult};
use crate::time::now_rfc3339;

/// A stored grant.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredGrant {
    /// Row id.
    pub id: i64,
    /// The tool it allows.
    pub tool: String,
    /// The scope within the tool (a program, a directory, a host), as the core derives it.
    pub target: String,
    /// When it was given.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// Repository of grants.
pub struct Grants<'a> {
    pool: &'a SqlitePool,
}

impl<'a> Grants<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> Grants<'a> {
        Grants { pool }
    }

    /// Stores a grant for (`tool`, `target`); an active one for the same pair is returned
    /// instead of a duplicate.
    pub async fn add(&self, tool: &str, target: &str) -> StoreResult<StoredGrant> {
        if let Some(existing) = self.active(tool, target).await? {
            return Ok(existing);
        }
        sqlx::query_as(
            "INSERT INTO approval_grants (tool, target, created_at) VALUES (?, ?, ?) \
             RETURNING id, tool, target, created_at, revoked_at",
        )
        .bind(tool)
        .bind(target)
        .bind(now_rfc3339())
        .fetch_one(self.pool)
        .await
        .context("storing a grant")
    }

    /// The active grant for (`tool`, `target`), if any.
    pub async fn active(&self, tool: &str, target: &str) -> StoreResult<Option<StoredGrant>> {
        sqlx::query_as(
            "SELECT id, tool, target, created_at, revoked_at FROM approval_grants \
             WHERE tool = ? AND target = ? AND revoked_at IS NULL",
        )
        .bind(tool)
        .bind(target)
        .fetch_optional(self.pool)
        .await
        .context("looking up a grant")
    }

    /// Every grant, active and revoked, newest first.
    pub async fn list(&self) -> StoreResult<Vec<StoredGrant>> {
        sqlx::query_as(
            "SELECT id, tool, target, created_at, revoked_at FROM approval_grants ORDER BY id DESC",
        )
        .fetch_all(self.pool)
        .await
        .context("listing grants")
    }

    /// Revokes grant `id`; `false` when there is no active grant with that id.
    pub async fn revoke(&self, id: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE approval_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        )
        .bind(now_rfc3339())
        .bind(id)
        .execute(self.pool)
        .await
        .context("revoking a grant")?;
        Ok(done.rows_affected() == 1)
    }
}
