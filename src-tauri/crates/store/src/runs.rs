//! Runs: one command handed to the core's run service, its state and its outcome.

use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreResult};
use crate::time::now_rfc3339;

/// A run to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    /// Its id.
    pub id: String,
    /// The session it belongs to.
    pub session: String,
    /// The command as typed.
    pub command: String,
    /// The workspace it acts in.
    pub workspace: String,
    /// The front end it came from (`cli`, `desktop`, `api`).
    pub source: String,
}

/// A stored run.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredRun {
    /// Its id.
    pub id: String,
    /// The session it belongs to.
    pub session: String,
    /// The command as typed.
    pub command: String,
    /// The workspace it acts in.
    pub workspace: String,
    /// The front end it came from.
    pub source: String,
    /// `running`, or how it ended.
    pub status: String,
    /// When it started, RFC 3339 UTC.
    pub started_at: String,
    /// When it ended.
    pub finished_at: Option<String>,
    /// Its outcome as JSON, once it ended.
    pub outcome: Option<String>,
}

/// Repository of runs.
pub struct Runs<'a> {
    pool: &'a SqlitePool,
}

const COLUMNS: &str =
    "id, session, command, workspace, source, status, started_at, finished_at, outcome";

impl<'a> Runs<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> Runs<'a> {
        Runs { pool }
    }

    /// Records a run that starts now, with status `running`.
    pub async fn start(&self, run: &NewRun) -> StoreResult<StoredRun> {
        sqlx::query_as(&format!(
            "INSERT INTO runs (id, session, command, workspace, source, status, started_at) \
             VALUES (?, ?, ?, ?, ?, 'running', ?) RETURNING {COLUMNS}"
        ))
        .bind(&run.id)
        .bind(&run.session)
        .bind(&run.command)
        .bind(&run.workspace)
        .bind(&run.source)
        .bind(now_rfc3339())
        .fetch_one(self.pool)
        .await
        .context("recording a run")
    }

    /// Records how run `id` ended.
    pub async fn finish(&self, id: &str, status: &str, outcome: &str) -> StoreResult<()> {
        sqlx::query("UPDATE runs SET status = ?, finished_at = ?, outcome = ? WHERE id = ?")
            .bind(status)
            .bind(now_rfc3339())
            .bind(outcome)
            .bind(id)
            .execute(self.pool)
            .await
            .context("recording a run's end")?;
        Ok(())
    }

    /// Run `id`, if recorded.
    pub async fn get(&self, id: &str) -> StoreResult<Option<StoredRun>> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM runs WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool)
            .await
            .context("reading a run")
    }

    /// The newest `limit` runs, newest first.
    pub async fn recent(&self, limit: u32) -> StoreResult<Vec<StoredRun>> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?"
        ))
        .bind(i64::from(limit))
        .fetch_all(self.pool)
        .await
        .context("listing runs")
    }

    /// Marks runs still `running` (from a process that ended without finishing them) as
    /// `interrupted`; returns how many.
    pub async fn interrupt_leftovers(&self) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'",
        )
        .bind(now_rfc3339())
        .execute(self.pool)
        .await
        .context("closing interrupted runs")?;
        Ok(done.rows_affected())
    }
}
