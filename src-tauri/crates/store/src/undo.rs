//! The undo journal: what file tools changed and where the previous version is kept.

use serde::Serialize;
use sqlx::SqlitePool;

use crate::error::{QueryContext, StoreError, StoreResult};
use crate::time::now_rfc3339;

/// What a tool did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UndoKind {
    /// The file did not exist before: undo removes it.
    Created,
    /// The file had other bytes: undo puts the backup back.
    Changed,
    /// The file (or directory) was moved away, to the trash or (`fs_move`) to its new place:
    /// undo moves it back.
    Deleted,
}

impl UndoKind {
    /// The stored name: `created`, `changed` or `deleted`.
    pub fn as_str(self) -> &'static str {
        match self {
            UndoKind::Created => "created",
            UndoKind::Changed => "changed",
            UndoKind::Deleted => "deleted",
        }
    }

    fn parse(text: &str) -> Option<UndoKind> {
        match text {
            "created" => Some(UndoKind::Created),
            "changed" => Some(UndoKind::Changed),
            "deleted" => Some(UndoKind::Deleted),
            _ => None,
        }
    }
}

/// A change to journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUndoEntry {
    /// Groups the rows of one tool call.
    pub batch: String,
    /// The tool that made the change.
    pub tool: String,
    /// The changed file, absolute.
    pub path: String,
    /// What was done.
    pub kind: UndoKind,
    /// Where the previous version is kept (none for a created file).
    pub backup: Option<String>,
    /// The tool call that made it (empty outside an executor).
    pub call_id: String,
}

/// A journalled change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndoEntry {
    /// Row id.
    pub id: i64,
    /// The batch.
    pub batch: String,
    /// When, RFC 3339 UTC.
    pub timestamp: String,
    /// The tool.
    pub tool: String,
    /// The file.
    pub path: String,
    /// What was done.
    pub kind: UndoKind,
    /// The previous version's location.
    pub backup: Option<String>,
    /// The tool call that made it, when known.
    pub call_id: Option<String>,
    /// When it was undone, if it was.
    pub undone_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UndoRow {
    id: i64,
    batch: String,
    timestamp: String,
    tool: String,
    path: String,
    kind: String,
    backup: Option<String>,
    call_id: Option<String>,
    undone_at: Option<String>,
}

impl TryFrom<UndoRow> for UndoEntry {
    type Error = StoreError;

    fn try_from(row: UndoRow) -> StoreResult<UndoEntry> {
        let kind = UndoKind::parse(&row.kind).ok_or_else(|| StoreError::Corrupt {
            context: "reading the undo journal",
            detail: format!("row {}: unknown kind {}", row.id, row.kind),
        })?;
        Ok(UndoEntry {
            id: row.id,
            batch: row.batch,
            timestamp: row.timestamp,
            tool: row.tool,
            path: row.path,
            kind,
            backup: row.backup,
            call_id: row.call_id,
            undone_at: row.undone_at,
        })
    }
}

/// Repository of the undo journal.
pub struct UndoJournal<'a> {
    pool: &'a SqlitePool,
}

impl<'a> UndoJournal<'a> {
    pub(crate) fn new(pool: &'a SqlitePool) -> UndoJournal<'a> {
        UndoJournal { pool }
    }

    /// Journals a change.
    pub async fn record(&self, entry: &NewUndoEntry) -> StoreResult<UndoEntry> {
        let row: UndoRow = sqlx::query_as(
            "INSERT INTO undo_journal (batch, timestamp, tool, path, kind, backup, call_id) \
             VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, '')) \
             RETURNING id, batch, timestamp, tool, path, kind, backup, call_id, undone_at",
        )
        .bind(&entry.batch)
        .bind(now_rfc3339())
        .bind(&entry.tool)
        .bind(&entry.path)
        .bind(entry.kind.as_str())
        .bind(&entry.backup)
        .bind(&entry.call_id)
        .fetch_one(self.pool)
        .await
        .context("journalling a change")?;
        UndoEntry::try_from(row)
    }

    /// The newest batch not yet undone, its rows newest first.
    pub async fn last_batch(&self) -> StoreResult<Vec<UndoEntry>> {
        let rows: Vec<UndoRow> = sqlx::query_as(
            "SELECT id, batch, timestamp, tool, path, kind, backup, call_id, undone_at \
             FROM undo_journal WHERE undone_at IS NULL AND batch = (SELECT batch FROM undo_journal \
             WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1) ORDER BY id DESC",
        )
        .fetch_all(self.pool)
        .await
        .context("reading the undo journal")?;
        rows.into_iter().map(UndoEntry::try_from).collect()
    }

    /// The rows of `batch`, newest first.
    pub async fn batch(&self, batch: &str) -> StoreResult<Vec<UndoEntry>> {
        let rows: Vec<UndoRow> = sqlx::query_as(
            "SELECT id, batch, timestamp, tool, path, kind, backup, call_id, undone_at \
             FROM undo_journal WHERE batch = ? ORDER BY id DESC",
        )
        .bind(batch)
        .fetch_all(self.pool)
        .await
        .context("reading the undo journal")?;
        rows.into_iter().map(UndoEntry::try_from).collect()
    }

    /// The rows the tool calls `call_ids` made, oldest first.
    pub async fn of_calls(&self, call_ids: &[String]) -> StoreResult<Vec<UndoEntry>> {
        let ids = serde_json::to_string(call_ids).map_err(|e| StoreError::Corrupt {
            context: "reading the undo journal",
            detail: e.to_string(),
        })?;
        let rows: Vec<UndoRow> = sqlx::query_as(
            "SELECT id, batch, timestamp, tool, path, kind, backup, call_id, undone_at \
             FROM undo_journal WHERE call_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        )
        .bind(ids)
        .fetch_all(self.pool)
        .await
        .context("reading the undo journal")?;
        rows.into_iter().map(UndoEntry::try_from).collect()
    }

    /// Marks a batch as undone.
    pub async fn mark_undone(&self, batch: &str) -> StoreResult<()> {
        sqlx::query("UPDATE undo_journal SET undone_at = ? WHERE batch = ? AND undone_at IS NULL")
            .bind(now_rfc3339())
            .bind(batch)
            .execute(self.pool)
            .await
            .context("marking a change undone")?;
        Ok(())
    }
}
