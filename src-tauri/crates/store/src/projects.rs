//! Projects DARK8 created or was pointed at.

use serde_json::Value;
use sqlx::SqlitePool;

pub use dark8_protocol::Project;

use crate::canonical::canonical_json;
use crate::error::{QueryContext, StoreError, StoreResult};
use crate::time::now_rfc3339;

/// A project to register.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProject {
    /// Its name, e.g. `sklep-internetowy`.
    pub name: String,
    /// Its directory, absolute.
    pub path: String,
    /// Framework, template, anything else as JSON.
    pub metadata: Value,
}

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    name: String,
    path: String,
    created_at: String,
    metadata: String,
}

impl TryFrom<ProjectRow> for Project {
    type Error = StoreError;

    fn try_from(row: ProjectRow) -> StoreResult<Project> {
        let metadata = serde_json::from_str(&row.metadata).map_err(|e| StoreError::Corrupt {
            context: "reading projects",
            detail: format!("row {}: metadata is not JSON: {e}", row.id),
        })?;
        Ok(Project {
            id: row.id,
            name: row.name,
            path: row.path,
            created_at: row.created_at,
            metadata,
        })
    }
}

/// Repository of projects.
pub struct Projects<'a> {
    pool: &'a SqlitePool,
}

impl<'a> Projects<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> Projects<'a> {
        Projects { pool }
    }

    /// Registers a project; a project already registered at the same path is updated
    /// (name and metadata) and keeps its id and creation time.
    pub async fn upsert(&self, project: &NewProject) -> StoreResult<Project> {
        let row: ProjectRow = sqlx::query_as(
            "INSERT INTO projects (name, path, created_at, metadata) VALUES (?, ?, ?, ?) \
             ON CONFLICT (path) DO UPDATE SET name = excluded.name, metadata = excluded.metadata \
             RETURNING id, name, path, created_at, metadata",
        )
        .bind(&project.name)
        .bind(&project.path)
        .bind(now_rfc3339())
        .bind(canonical_json(&project.metadata))
        .fetch_one(self.pool)
        .await
        .context("registering a project")?;
        Project::try_from(row)
    }

    /// The project registered at `path`, if any.
    pub async fn by_path(&self, path: &str) -> StoreResult<Option<Project>> {
        let row: Option<ProjectRow> = sqlx::query_as(
            "SELECT id, name, path, created_at, metadata FROM projects WHERE path = ?",
        )
        .bind(path)
        .fetch_optional(self.pool)
        .await
        .context("looking up a project")?;
        row.map(Project::try_from).transpose()
    }

    /// Every project, newest first.
    pub async fn list(&self) -> StoreResult<Vec<Project>> {
        let rows: Vec<ProjectRow> = sqlx::query_as(
            "SELECT id, name, path, created_at, metadata FROM projects ORDER BY id DESC",
        )
        .fetch_all(self.pool)
        .await
        .context("listing projects")?;
        rows.into_iter().map(Project::try_from).collect()
    }
}
