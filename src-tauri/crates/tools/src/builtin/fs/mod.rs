//! File tools: read, write, list, delete, copy, move, make a directory, diff, merge, search
//! and rename a symbol. Every change
//! is written atomically (temp file + rename) and journalled with the previous version, so
//! that `dark8 undo` restores the exact bytes.

mod changes;
mod copy;
mod delete;
mod diff;
mod journal;
mod list;
mod merge;
mod mkdir;
mod moving;
mod placement;
mod read;
mod rename_symbol;
mod search;
mod text;
mod write;

pub use changes::{changes_of_calls, MAX_DIFF_BYTES};
pub use copy::FsCopy;
pub use delete::FsDelete;
pub use diff::FsDiff;
pub use journal::{undo_batch, undo_last, write_atomically, Journal, UndoReport};
pub use list::FsList;
pub use merge::FsMerge;
pub use mkdir::FsMkdir;
pub use moving::FsMove;
pub use read::FsRead;
pub use rename_symbol::FsRenameSymbol;
pub use search::FsSearch;
pub use text::human_size;
pub use write::FsWrite;

use crate::tool::ToolError;

/// Refuses to act on a workspace root itself; `action` is the Polish first-person verb
/// ("usunę", "przeniosę").
fn refuse_workspace_root(
    ctx: &crate::tool::ToolContext,
    path: &std::path::Path,
    action: &str,
) -> Result<(), ToolError> {
    if ctx.roots.iter().any(|root| root == path) {
        return Err(ToolError::new(
            format!("Nie {action} całego obszaru roboczego."),
            "Podaj plik albo podkatalog.",
        ));
    }
    Ok(())
}

/// An I/O error told in Polish, with the path.
fn io_error(action: &str, path: &std::path::Path, err: &std::io::Error) -> ToolError {
    let what = match err.kind() {
        std::io::ErrorKind::NotFound => "nie istnieje".to_owned(),
        std::io::ErrorKind::PermissionDenied => "brak uprawnień".to_owned(),
        std::io::ErrorKind::AlreadyExists => "już istnieje".to_owned(),
        _ => err.to_string(),
    };
    ToolError::new(
        format!("Nie można {action} {}: {what}.", path.display()),
        "Sprawdź ścieżkę (`dark8 tools call fs_list`) i uprawnienia.",
    )
}
