//! DARK8 persistence: one SQLite file (WAL, foreign keys, busy timeout) through sqlx, with
//! numbered migrations and a typed repository per table. No SQL lives outside this crate.
//!
//! ```no_run
//! # async fn demo() -> Result<(), dark8_store::StoreError> {
//! let store = dark8_store::Store::open(std::path::Path::new("/tmp/dark8.db")).await?;
//! let entry = store
//!     .audit()
//!     .append(&dark8_store::NewAuditEntry::new(
//!         "fs_read",
//!         serde_json::json!({"path": "README.md"}),
//!         "read 120 bytes",
//!         dark8_protocol::ToolStatus::Success,
//!     ))
//!     .await?;
//! assert!(store.audit().verify().await?.is_intact());
//! # let _ = entry; Ok(()) }
//! ```

mod audit;
mod canonical;
mod conversations;
mod error;
mod events;
mod grants;
mod indexed_files;
mod knowledge;
mod memory_index;
mod projects;
mod runs;
mod time;
mod undo;
mod vector_log;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use audit::{
    AuditEntry, AuditFilter, AuditKey, AuditLog, AuditProblem, AuditVerification, NewAuditEntry,
    AUDIT_CHECKPOINT,
};
/// Canonical JSON (keys sorted at every depth): what the audit chain hashes.
pub use canonical::canonical_json;
pub use conversations::{Conversation, Conversations, NewConversation};
pub use error::{StoreError, StoreResult};
pub use events::{Events, StoredEvent};
pub use grants::{Grants, StoredGrant};
pub use indexed_files::{FilePiece, FileVersion, IndexedFile, IndexedFiles};
pub use knowledge::{
    embedded_text, Knowledge, KnowledgeItem, KnowledgeKind, KnowledgeSourceRef, NewKnowledgeItem,
};
pub use memory_index::{MemoryHit, MemoryIndex, MemorySource};
pub use projects::{NewProject, Project, Projects};
pub use runs::{NewRun, Runs, StoredRun};
pub use time::now_rfc3339;
pub use undo::{NewUndoEntry, UndoEntry, UndoJournal, UndoKind};
pub use vector_log::{SinceAnswer, VectorChanges, VectorLog, VectorSnapshot};

use error::QueryContext;

/// How long a connection waits for another writer before it gives up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Handle to the DARK8 database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    audit_writer: Arc<tokio::sync::Mutex<()>>,
    audit_key: Arc<std::sync::OnceLock<AuditKey>>,
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> StoreResult<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store {
            pool,
            path: path.to_path_buf(),
            audit_writer: Arc::new(tokio::sync::Mutex::new(())),
            audit_key: Arc::new(std::sync::OnceLock::new()),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tamper-evident audit log.
    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog::new(&self.pool, &self.audit_writer, self.audit_key.get())
    }

    /// Keys the audit chain with `key` from now on (kept outside the database by the caller):
    /// a log not keyed yet gets a keyed checkpoint row that seals its unkeyed rows, and
    /// every later row is linked with HMAC-SHA256 under the key. A store takes one key for
    /// its lifetime; a second call with another key is refused.
    pub async fn use_audit_key(&self, key: AuditKey) -> StoreResult<()> {
        let same = self.audit_key.get_or_init(|| key.clone()) == &key;
        if !same {
            return Err(StoreError::Corrupt {
                context: "keying the audit log",
                detail: "the store already has another audit key".to_owned(),
            });
        }
        self.audit().append_batch(&[]).await.map(|_| ())
    }

    /// Past commands and answers.
    pub fn conversations(&self) -> Conversations<'_> {
        Conversations::new(&self.pool)
    }

    /// Projects DARK8 created or knows.
    pub fn projects(&self) -> Projects<'_> {
        Projects::new(&self.pool)
    }

    /// The undo journal of file tools.
    pub fn undo(&self) -> UndoJournal<'_> {
        UndoJournal::new(&self.pool)
    }

    /// Snippets, patterns, templates and facts.
    pub fn knowledge(&self) -> Knowledge<'_> {
        Knowledge::new(&self.pool)
    }

    /// The log of changes to stored vectors (what a vector index has not seen yet).
    pub fn vector_log(&self) -> VectorLog<'_> {
        VectorLog::new(&self.pool)
    }

    /// The files of indexed projects and their hashes.
    pub fn indexed_files(&self) -> IndexedFiles<'_> {
        IndexedFiles::new(&self.pool)
    }

    /// The full-text memory index.
    pub fn memory_index(&self) -> MemoryIndex<'_> {
        MemoryIndex::new(&self.pool)
    }

    /// The persisted event stream.
    pub fn events(&self) -> Events<'_> {
        Events::new(&self.pool)
    }

    /// Runs of commands started through the core's run service.
    pub fn runs(&self) -> Runs<'_> {
        Runs::new(&self.pool)
    }

    /// Approval grants given "always" for a scope.
    pub fn grants(&self) -> Grants<'_> {
        Grants::new(&self.pool)
    }

    /// Runs `PRAGMA integrity_check`; `Ok(())` when SQLite answers `ok`.
    pub async fn integrity_check(&self) -> StoreResult<()> {
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await
            .context("checking database integrity")?;
        match rows.as_slice() {
            [(answer,)] if answer == "ok" => Ok(()),
            _ => Err(StoreError::Corrupt {
                context: "checking database integrity",
                detail: rows
                    .into_iter()
                    .map(|(line,)| line)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }

    /// The number of applied migrations (the schema version).
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let (version,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await
                .context("reading the schema version")?;
        Ok(version)
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
