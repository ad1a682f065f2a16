//! Indexing a project's code and docs into the knowledge base: files walked as git sees them
//! (.gitignore, .ignore and hidden files honoured, also outside a repository), split by
//! syntax ([`dark8_knowledge::chunk`]), each piece stored with its file and lines. A file
//! whose SHA-256 has not changed since the last run is not read again; a file gone from the
//! project is forgotten. Pieces are stored first and embedded after, in batches.

use std::path::{Path, PathBuf};

use dark8_knowledge::chunk::{chunk, kind_of, FileKind};
use dark8_store::{FilePiece, FileVersion, KnowledgeKind, KnowledgeSourceRef, NewKnowledgeItem};
use sha2::{Digest, Sha256};

use super::Memory;

/// Files larger than this are not indexed (generated or data files, as a rule).
pub const MAX_INDEXED_FILE_BYTES: u64 = 1024 * 1024;

/// Items embedded per batch after the files are read.
const EMBED_BATCH: u32 = 64;

/// What indexing a project did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProjectIndexReport {
    /// The project directory, absolute.
    pub root: String,
    /// Files of a kind worth indexing that the walk found.
    pub files_seen: usize,
    /// Files read and split (new or changed).
    pub files_indexed: usize,
    /// Files whose SHA-256 had not changed.
    pub files_unchanged: usize,
    /// Files indexed before and gone now (their pieces were removed).
    pub files_removed: usize,
    /// Files left out: larger than [`MAX_INDEXED_FILE_BYTES`] or not UTF-8 text.
    pub files_skipped: usize,
    /// Pieces stored by this run.
    pub chunks_added: usize,
    /// Pieces embedded by this run (`None` without an embedding model).
    pub embedded: Option<usize>,
}

/// Why a project could not be indexed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectIndexError {
    /// The directory is not there or cannot be read.
    #[error("{path}: {source}")]
    Root {
        /// The directory as given.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The path is a file, not a directory.
    #[error("{0} is not a directory")]
    NotADirectory(PathBuf),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] dark8_store::StoreError),
}

impl Memory {
    /// Indexes the code and docs under `root` (see the module's description).
    pub async fn index_project(
        &self,
        root: &Path,
    ) -> Result<ProjectIndexReport, ProjectIndexError> {
        let root = std::fs::canonicalize(root).map_err(|source| ProjectIndexError::Root {
            path: root.to_owned(),
            source,
        })?;
        if !root.is_dir() {
            return Err(ProjectIndexError::NotADirectory(root));
        }
        let root_name = root.to_string_lossy().into_owned();
        let mut report = ProjectIndexReport {
            root: root_name.clone(),
            ..ProjectIndexReport::default()
        };
        let files = project_files(&root).await;
        // What the last run recorded under this root, read once.
        let mut known: std::collections::HashMap<String, String> = self
            .store
            .indexed_files()
            .under(&root_name)
            .await?
            .into_iter()
            .map(|file| (file.path, file.sha256))
            .collect();
        for (path, kind) in files {
            report.files_seen += 1;
            let path_name = path.to_string_lossy().into_owned();
            let known_sha256 = known.remove(&path_name);
            let Some(text) = read_text(&path).await else {
                report.files_skipped += 1;
                continue;
            };
            let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
            if known_sha256.as_deref() == Some(sha256.as_str()) {
                report.files_unchanged += 1;
                continue;
            }
            let shown = path.strip_prefix(&root).unwrap_or(&path).to_string_lossy();
            let pieces = self.file_pieces(&path_name, &shown, kind, &text, &root);
            let version = FileVersion {
                path: &path_name,
                root: &root_name,
                sha256: &sha256,
            };
            self.store
                .indexed_files()
                .replace(&version, &pieces)
                .await?;
            let added = pieces.len();
            report.files_indexed += 1;
            report.chunks_added += added;
        }
        // Recorded before and not walked now: gone from the project.
        for gone in known.keys() {
            self.store.indexed_files().forget(gone).await?;
            report.files_removed += 1;
        }
        if self.embedder.is_some() {
            let mut embedded = 0;
            while let Some(n) = self.embed_backlog(EMBED_BATCH).await? {
                if n == 0 {
                    break;
                }
                embedded += n;
            }
            report.embedded = Some(embedded);
        }
        Ok(report)
    }

    /// The pieces of the file `path` (shown as `shown`), with their words for the memory
    /// index; vectors are computed after.
    fn file_pieces(
        &self,
        path: &str,
        shown: &str,
        kind: FileKind,
        text: &str,
        root: &Path,
    ) -> Vec<FilePiece> {
        let project = root
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let item_kind = match kind {
            FileKind::Markdown | FileKind::Text => KnowledgeKind::Fact,
            FileKind::Rust | FileKind::Python | FileKind::JavaScript => KnowledgeKind::CodeSnippet,
        };
        let path_words = self
            .text
            .indexed(&shown.replace(['/', '\\', '_', '.', '-'], " "));
        chunk(kind, text)
            .into_iter()
            .map(|piece| {
                let indexed_text =
                    format!("{path_words} {} {project}", self.text.indexed(&piece.text))
                        .trim()
                        .to_owned();
                FilePiece {
                    item: NewKnowledgeItem {
                        kind: item_kind,
                        content: piece.text,
                        embedding: None,
                        embedding_model: None,
                        tags: vec![project.clone()],
                        source: Some(KnowledgeSourceRef {
                            path: path.to_owned(),
                            line_start: piece.start_line as i64,
                            line_end: piece.end_line as i64,
                        }),
                    },
                    indexed_text,
                }
            })
            .collect()
    }
}

/// The files under `root` worth indexing, sorted, walked off the async threads.
async fn project_files(root: &Path) -> Vec<(PathBuf, FileKind)> {
    let root = root.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut files: Vec<(PathBuf, FileKind)> = ignore::WalkBuilder::new(&root)
            .require_git(false)
            .build()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
            .filter_map(|entry| {
                let path = entry.into_path();
                kind_of(&path).map(|kind| (path, kind))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    })
    .await
    .unwrap_or_default()
}

/// The file's text, or `None` when it is too large, not UTF-8 or cannot be read.
async fn read_text(path: &Path) -> Option<String> {
    let metadata = tokio::fs::metadata(path).await.ok()?;
    if metadata.len() > MAX_INDEXED_FILE_BYTES {
        return None;
    }
    let bytes = tokio::fs::read(path).await.ok()?;
    String::from_utf8(bytes).ok()
}
