//! Snapshot and undo around a sandboxed run: Landlock cannot deny a path beneath a directory it
//! grants, so a run that may write the workspace may also write `.git/hooks/` and
//! `.git/config`. Before the run the hooks and the code-running config entries of every
//! repository in the workspace are remembered; after it, a hook the run added or changed is
//! removed or put back and a code-running config entry it added is dropped (benign edits such
//! as `git remote add` stay). Each undone change is reported.

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::git_config::{ConfigText, Entry};

/// Directories never searched for repositories (dependency and build trees).
const SKIPPED_DIRS: [&str; 9] = [
    "node_modules",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    "dist",
    "build",
    ".cache",
    ".tox",
];
/// How deep below the workspace repositories are looked for.
const MAX_DEPTH: usize = 4;
/// How many directory entries one search reads at most.
const MAX_ENTRIES: usize = 20_000;
/// Hooks larger than this are not kept in memory (they are still removed when new).
const MAX_HOOK_BYTES: u64 = 1024 * 1024;
/// The config files of a git directory.
const CONFIG_FILES: [&str; 2] = ["config", "config.worktree"];

/// A hook file as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HookFile {
    bytes: Option<Vec<u8>>,
    len: u64,
    mode: u32,
}

/// One git directory as it was before the run.
#[derive(Debug, Default)]
struct GitDirState {
    hooks: Option<BTreeMap<OsString, HookFile>>,
    configs: BTreeMap<&'static str, Option<Vec<u8>>>,
}

/// The repositories' control files in a workspace before a run.
#[derive(Debug)]
pub struct RepositorySnapshot {
    workspace: PathBuf,
    dirs: BTreeMap<PathBuf, GitDirState>,
}

impl RepositorySnapshot {
    /// Remembers the hooks and configs of every repository under `workspace`.
    pub fn take(workspace: &Path) -> RepositorySnapshot {
        let dirs = git_dirs(workspace)
            .into_iter()
            .map(|dir| {
                let state = GitDirState {
                    hooks: read_hooks(&dir.join("hooks")),
                    configs: CONFIG_FILES
                        .iter()
                        .map(|name| (*name, read_regular(&dir.join(name))))
                        .collect(),
                };
                (dir, state)
            })
            .collect();
        RepositorySnapshot {
            workspace: workspace.to_path_buf(),
            dirs,
        }
    }

    /// Undoes what the run planted; one Polish line per undone change, paths relative to
    /// the workspace.
    pub fn undo_planted(&self) -> Vec<String> {
        let mut report = Vec::new();
        let empty = GitDirState::default();
        let mut all: Vec<PathBuf> = self.dirs.keys().cloned().collect();
        for dir in git_dirs(&self.workspace) {
            if !self.dirs.contains_key(&dir) {
                all.push(dir);
            }
        }
        for dir in all {
            let before = self.dirs.get(&dir).unwrap_or(&empty);
            self.undo_hooks(&dir.join("hooks"), before.hooks.as_ref(), &mut report);
            for name in CONFIG_FILES {
                let old = before.configs.get(name).cloned().flatten();
                self.undo_config(&dir.join(name), old.as_deref(), &mut report);
            }
        }
        report
    }

    fn show(&self, path: &Path) -> String {
        path.strip_prefix(&self.workspace)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    fn undo_hooks(
        &self,
        hooks: &Path,
        before: Option<&BTreeMap<OsString, HookFile>>,
        report: &mut Vec<String>,
    ) {
        let Ok(meta) = std::fs::symlink_metadata(hooks) else {
            return;
        };
        if !meta.is_dir() {
            // Replaced by a link or a file: put the directory back as it was.
            if remove_any(hooks).is_ok() {
                report.push(format!(
                    "{}: usunięto podmieniony katalog haków",
                    self.show(hooks)
                ));
                if let Some(before) = before {
                    let _ = std::fs::create_dir(hooks);
                    for (name, file) in before {
                        restore_hook(&hooks.join(name), file);
                    }
                }
            }
            return;
        }
        let Ok(entries) = std::fs::read_dir(hooks) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if Path::new(&name).extension().is_some_and(|e| e == "sample") {
                continue;
            }
            let path = entry.path();
            let was = before.and_then(|b| b.get(&name));
            match (was, read_hook(&path)) {
                (Some(was), Some(now)) if *was == now => {}
                (Some(was), _) if was.bytes.is_some() => {
                    let _ = remove_any(&path);
                    restore_hook(&path, was);
                    report.push(format!(
                        "{}: przywrócono poprzednią treść",
                        self.show(&path)
                    ));
                }
                _ => {
                    if remove_any(&path).is_ok() {
                        report.push(format!("{}: usunięto nowy hak", self.show(&path)));
                    }
                }
            }
        }
    }

    fn undo_config(&self, path: &Path, before: Option<&[u8]>, report: &mut Vec<String>) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        if !meta.is_file() {
            if remove_any(path).is_ok() {
                if let Some(before) = before {
                    let _ = write_replacing(path, before);
                }
                report.push(format!("{}: usunięto podmieniony plik", self.show(path)));
            }
            return;
        }
        let Ok(after) = std::fs::read(path) else {
            return;
        };
        if Some(after.as_slice()) == before {
            return;
        }
        let kept: HashSet<Entry> = before
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(|text| ConfigText::parse(text).code_entries())
            .unwrap_or_default();
        let Ok(text) = std::str::from_utf8(&after) else {
            // Not text git would write: back to what it was.
            if let Some(before) = before {
                if write_replacing(path, before).is_ok() {
                    report.push(format!("{}: przywrócono poprzednią treść", self.show(path)));
                }
            }
            return;
        };
        let (cleaned, dropped) = ConfigText::parse(text).without_new_code(&kept);
        if dropped.is_empty() {
            return;
        }
        if write_replacing(path, cleaned.as_bytes()).is_ok() {
            let names: Vec<String> = dropped.iter().map(Entry::name).collect();
            report.push(format!(
                "{}: usunięto wpisy uruchamiające programy: {}",
                self.show(path),
                names.join(", ")
            ));
        }
    }
}

/// The git directories under `workspace`: every `.git` directory found within
/// [`MAX_DEPTH`] levels (dependency trees skipped) and the submodules' directories in them.
fn git_dirs(workspace: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![(workspace.to_path_buf(), 0usize)];
    let mut seen = 0usize;
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_ENTRIES {
                return found;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if !kind.is_dir() {
                continue;
            }
            let name = entry.file_name();
            let path = entry.path();
            if name == ".git" {
                modules(&path, &mut found);
                found.push(path);
            } else if depth < MAX_DEPTH && !SKIPPED_DIRS.iter().any(|s| name == *s) {
                stack.push((path, depth + 1));
            }
        }
    }
    found.sort();
    found
}

/// The submodules' git directories under `git_dir/modules`.
fn modules(git_dir: &Path, found: &mut Vec<PathBuf>) {
    let mut stack = vec![(git_dir.join("modules"), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|k| k.is_dir()) {
                continue;
            }
            let path = entry.path();
            if path.join("HEAD").is_file() {
                found.push(path.clone());
                stack.push((path.join("modules"), depth + 1));
            } else if depth < MAX_DEPTH {
                stack.push((path, depth + 1));
            }
        }
    }
}

fn read_hooks(hooks: &Path) -> Option<BTreeMap<OsString, HookFile>> {
    let meta = std::fs::symlink_metadata(hooks).ok()?;
    if !meta.is_dir() {
        return None;
    }
    let entries = std::fs::read_dir(hooks).ok()?;
    Some(
        entries
            .flatten()
            .filter_map(|e| read_hook(&e.path()).map(|file| (e.file_name(), file)))
            .collect(),
    )
}

fn read_hook(path: &Path) -> Option<HookFile> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let bytes = if meta.len() <= MAX_HOOK_BYTES {
        Some(std::fs::read(path).ok()?)
    } else {
        None
    };
    Some(HookFile {
        bytes,
        len: meta.len(),
        mode: mode_of(&meta),
    })
}

fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    meta.is_file().then(|| std::fs::read(path).ok()).flatten()
}

fn restore_hook(path: &Path, file: &HookFile) {
    if let Some(bytes) = &file.bytes {
        if write_replacing(path, bytes).is_ok() {
            set_mode(path, file.mode);
        }
    }
}

/// Writes `bytes` to a new file beside `path` and renames it over `path`.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn remove_any(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(err) => Err(err),
    }
}

#[cfg(unix)]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    std::os::unix::fs::PermissionsExt::mode(&meta.permissions())
}

#[cfg(not(unix))]
fn mode_of(meta: &std::fs::Metadata) -> u32 {
    u32::from(meta.permissions().readonly())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) {}
