//! What tool calls changed, as the dashboard's changes screen shows it: every journalled file
//! of the calls with a unified diff from before to now.

use std::path::Path;

use dark8_protocol::FileChange;
use dark8_store::{Store, UndoEntry, UndoKind};

use super::diff::unified;
use super::journal::journal_error;
use crate::tool::ToolError;

/// Files larger than this are listed without a diff.
pub const MAX_DIFF_BYTES: u64 = 1024 * 1024;

/// The changes the tool calls `call_ids` made, oldest first, each with its diff.
pub async fn changes_of_calls(
    store: &Store,
    call_ids: &[String],
) -> Result<Vec<FileChange>, ToolError> {
    let rows = store
        .undo()
        .of_calls(call_ids)
        .await
        .map_err(journal_error)?;
    let trash = store.path().parent().map(|p| p.join("undo"));
    Ok(rows
        .iter()
        .map(|row| change_of(row, trash.as_deref()))
        .collect())
}

fn change_of(row: &UndoEntry, trash: Option<&Path>) -> FileChange {
    let path = Path::new(&row.path);
    let moved = row.kind == UndoKind::Deleted
        && row
            .backup
            .as_deref()
            .is_some_and(|b| trash.is_none_or(|t| !Path::new(b).starts_with(t)));
    let (before, after) = match (row.kind, row.backup.as_deref()) {
        (UndoKind::Changed, Some(backup)) => (text_of(Path::new(backup)), text_of(path)),
        (UndoKind::Created, _) => (Some(String::new()), text_of(path)),
        (UndoKind::Deleted, Some(backup)) if !moved => {
            (text_of(Path::new(backup)), Some(String::new()))
        }
        _ => (None, None),
    };
    let diff = match (before, after) {
        (Some(before), Some(after)) => {
            let name = row.path.as_str();
            unified(&before, &after, name, name).0
        }
        _ => String::new(),
    };
    FileChange {
        id: row.id,
        batch: row.batch.clone(),
        call_id: row.call_id.clone(),
        tool: row.tool.clone(),
        path: row.path.clone(),
        kind: if moved { "moved" } else { row.kind.as_str() }.to_owned(),
        when: row.timestamp.clone(),
        diff,
        undone: row.undone_at.is_some(),
    }
}

/// The text of a regular file small enough to show; `None` for directories, binary files,
/// large files and files that are gone.
fn text_of(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_DIFF_BYTES {
        return None;
    }
    String::from_utf8(std::fs::read(path).ok()?).ok()
}
