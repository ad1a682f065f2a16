//! Changes with a way back: each write keeps the previous bytes and each delete moves the file
//! to DARK8's trash, both under the data directory, and the store's undo journal remembers
//! them; [`undo_last`] reverses the newest tool call.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use dark8_store::{NewUndoEntry, Store, UndoKind};
use serde::Serialize;

use super::io_error;
use crate::tool::ToolError;

static NEXT_BATCH: AtomicU64 = AtomicU64::new(0);

/// Where previous versions and deleted files go, and the journal that lists them.
#[derive(Debug, Clone)]
pub struct Journal {
    store: Store,
    dir: PathBuf,
}

/// The changes of one tool call, undone together.
#[derive(Debug)]
pub struct Batch<'a> {
    journal: &'a Journal,
    id: String,
    tool: &'static str,
    call_id: String,
    files: AtomicU64,
}

impl Journal {
    /// A journal keeping its files under `data_dir/undo`.
    pub fn new(store: Store, data_dir: &Path) -> Journal {
        Journal {
            store,
            dir: data_dir.join("undo"),
        }
    }

    /// Starts the batch of the call `call_id` of `tool`.
    pub fn batch(&self, tool: &'static str, call_id: &str) -> Batch<'_> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        Batch {
            journal: self,
            id: format!(
                "{nanos}-{}-{}",
                std::process::id(),
                NEXT_BATCH.fetch_add(1, Ordering::Relaxed)
            ),
            tool,
            call_id: call_id.to_owned(),
            files: AtomicU64::new(0),
        }
    }
}

impl Batch<'_> {
    fn keep_path(&self, name: &str) -> PathBuf {
        let n = self.files.fetch_add(1, Ordering::Relaxed);
        self.journal.dir.join(format!("{}-{n}-{name}", self.id))
    }

    async fn record(
        &self,
        path: &Path,
        kind: UndoKind,
        backup: Option<&Path>,
    ) -> Result<(), ToolError> {
        self.journal
            .store
            .undo()
            .record(&NewUndoEntry {
                batch: self.id.clone(),
                tool: self.tool.to_owned(),
                path: path.display().to_string(),
                kind,
                backup: backup.map(|b| b.display().to_string()),
                call_id: self.call_id.clone(),
            })
            .await
            .map(|_| ())
            .map_err(|err| {
                ToolError::new(
                    format!("Nie zapisano dziennika cofania: {err}. Niczego nie zmieniono."),
                    "Sprawdź bazę danych (`dark8 doctor`).",
                )
            })
    }

    /// Replaces `path` with `bytes` atomically, keeping the previous version; says whether the
    /// file was created or changed.
    pub async fn write(&self, path: &Path, bytes: &[u8]) -> Result<UndoKind, ToolError> {
        let existed = path.exists();
        let backup = if existed {
            let backup = self.keep_path(&file_name(path));
            create_dir(&self.journal.dir)?;
            std::fs::copy(path, &backup).map_err(|e| io_error("zachować kopii", path, &e))?;
            Some(backup)
        } else {
            None
        };
        let kind = if existed {
            UndoKind::Changed
        } else {
            UndoKind::Created
        };
        self.record(path, kind, backup.as_deref()).await?;
        write_atomically(path, bytes)?;
        Ok(kind)
    }

    /// Moves `path` (a file or a directory) to the trash.
    pub async fn delete(&self, path: &Path) -> Result<PathBuf, ToolError> {
        let trash = self.keep_path(&file_name(path));
        create_dir(&self.journal.dir)?;
        move_path(path, &trash)?;
        if let Err(err) = self.record(path, UndoKind::Deleted, Some(&trash)).await {
            // Put it back: a deletion nobody can undo is not one DARK8 makes.
            let _ = move_path(&trash, path);
            return Err(err);
        }
        Ok(trash)
    }

    /// Records that `path` is about to be made (a new directory or copy): undo moves it to
    /// the trash. Record first, make second: a change nobody can undo is not one DARK8 makes.
    pub async fn create(&self, path: &Path) -> Result<(), ToolError> {
        self.record(path, UndoKind::Created, None).await
    }

    /// Moves (renames) `from` to `to`; undo moves it back.
    pub async fn relocate(&self, from: &Path, to: &Path) -> Result<(), ToolError> {
        move_path(from, to)?;
        if let Err(err) = self.record(from, UndoKind::Deleted, Some(to)).await {
            let _ = move_path(to, from);
            return Err(err);
        }
        Ok(())
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plik".to_owned())
}

fn create_dir(dir: &Path) -> Result<(), ToolError> {
    std::fs::create_dir_all(dir).map_err(|e| io_error("utworzyć katalogu", dir, &e))
}

/// Writes `bytes` to a temp file beside `path` (keeping `path`'s permissions), syncs it and
/// renames it over `path`; parent directories are created.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ToolError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_dir(dir)?;
    let err = |e: std::io::Error| io_error("zapisać", path, &e);
    let mut temp = tempfile::Builder::new()
        .prefix(".dark8-")
        .tempfile_in(dir)
        .map_err(err)?;
    if let Ok(meta) = std::fs::metadata(path) {
        temp.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
    }
    temp.write_all(bytes).map_err(err)?;
    temp.as_file().sync_all().map_err(err)?;
    temp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Renames `from` to `to`, copying across file systems when a rename cannot.
fn move_path(from: &Path, to: &Path) -> Result<(), ToolError> {
    match std::fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {
            copy_tree(from, to).map_err(|e| io_error("przenieść", from, &e))?;
            if from.is_dir() {
                std::fs::remove_dir_all(from)
            } else {
                std::fs::remove_file(from)
            }
            .map_err(|e| io_error("usunąć", from, &e))
        }
        Err(e) => Err(io_error("przenieść", from, &e)),
    }
}

/// Copies a file, or a directory with everything in it.
pub(super) fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            copy_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ())
    }
}

/// What `dark8 undo` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndoReport {
    /// The tool whose call was undone.
    pub tool: String,
    /// Each file and what was done to it, in Polish.
    pub files: Vec<(String, String)>,
}

pub(super) fn journal_error(err: impl std::fmt::Display) -> ToolError {
    ToolError::new(
        format!("Nie można odczytać dziennika cofania: {err}."),
        "Sprawdź bazę danych (`dark8 doctor`).",
    )
}

/// Reverses the newest tool call still in the journal; `Ok(None)` when there is none.
pub async fn undo_last(store: &Store) -> Result<Option<UndoReport>, ToolError> {
    let batch = store.undo().last_batch().await.map_err(journal_error)?;
    undo_entries(store, &batch).await
}

/// Reverses the tool call whose changes form `batch`; `Ok(None)` when the journal has no
/// such batch or it was undone already.
pub async fn undo_batch(store: &Store, batch: &str) -> Result<Option<UndoReport>, ToolError> {
    let rows = store.undo().batch(batch).await.map_err(journal_error)?;
    if rows.iter().any(|row| row.undone_at.is_some()) {
        return Ok(None);
    }
    undo_entries(store, &rows).await
}

/// Puts back what the rows of one batch (newest first) changed and marks the batch undone.
async fn undo_entries(
    store: &Store,
    batch: &[dark8_store::UndoEntry],
) -> Result<Option<UndoReport>, ToolError> {
    let Some(first) = batch.first() else {
        return Ok(None);
    };
    let undo_dir = store_trash_dir(store);
    let mut report = UndoReport {
        tool: first.tool.clone(),
        files: Vec::new(),
    };
    for entry in batch {
        let path = PathBuf::from(&entry.path);
        let done = match (entry.kind, entry.backup.as_deref()) {
            (UndoKind::Changed, Some(backup)) => {
                let bytes = std::fs::read(backup)
                    .map_err(|e| io_error("odczytać kopii", Path::new(backup), &e))?;
                write_atomically(&path, &bytes)?;
                "przywrócono poprzednią wersję"
            }
            (UndoKind::Deleted, Some(trash)) => {
                if path.exists() {
                    return Err(ToolError::new(
                        format!(
                            "Nie przywrócę {}: w tym miejscu jest już inny plik.",
                            path.display()
                        ),
                        "Przenieś albo usuń ten plik i uruchom `dark8 undo` ponownie.",
                    ));
                }
                if let Some(parent) = path.parent() {
                    create_dir(parent)?;
                }
                move_path(Path::new(trash), &path)?;
                if Path::new(trash).starts_with(&undo_dir) {
                    "przywrócono z kosza"
                } else {
                    // fs_move: the "trash" is the place it was moved to.
                    "przeniesiono z powrotem"
                }
            }
            (UndoKind::Created, _) if path.exists() => {
                // Undoing a creation is itself undoable by hand: the file goes to the trash.
                let trash = PathBuf::from(format!("{}.cofniete-{}", entry.path, entry.id));
                let kept = store_trash_path(store, &trash);
                move_path(&path, &kept)?;
                "usunięto (utworzony przez DARK8; kopia w koszu)"
            }
            _ => "bez zmian (nie było czego cofać)",
        };
        report.files.push((entry.path.clone(), done.to_owned()));
    }
    store
        .undo()
        .mark_undone(&first.batch)
        .await
        .map_err(|err| {
            ToolError::new(
                format!("Cofnięto zmiany, ale nie zapisano tego w dzienniku: {err}."),
                "Nie uruchamiaj `dark8 undo` ponownie dla tej zmiany.",
            )
        })?;
    Ok(Some(report))
}

/// Where an undone creation goes: the undo directory beside the database.
fn store_trash_path(store: &Store, original: &Path) -> PathBuf {
    let dir = store_trash_dir(store);
    let _ = std::fs::create_dir_all(&dir);
    dir.join(file_name(original))
}

/// The undo directory beside the database (where [`Journal`] keeps what it moves away).
fn store_trash_dir(store: &Store) -> PathBuf {
    store
        .path()
        .parent()
        .map(|p| p.join("undo"))
        .unwrap_or_else(|| PathBuf::from("undo"))
}
