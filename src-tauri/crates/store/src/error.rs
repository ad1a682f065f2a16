//! Errors of the store.

use std::path::PathBuf;

/// Everything that can go wrong in the store; each variant says what was being done.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be created or opened.
    #[error("cannot open the database {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// The database directory could not be created.
    #[error("cannot create the directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A migration failed.
    #[error("cannot migrate the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error while {context}: {source}")]
    Query {
        /// What the store was doing.
        context: &'static str,
        /// The cause.
        #[source]
        source: sqlx::Error,
    },
    /// A stored value could not be decoded.
    #[error("invalid stored data while {context}: {detail}")]
    Corrupt {
        /// What the store was doing.
        context: &'static str,
        /// What was wrong.
        detail: String,
    },
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Adds the "while doing what" context to sqlx errors.
pub(crate) trait QueryContext<T> {
    /// Wraps the error with `context`.
    fn context(self, context: &'static str) -> StoreResult<T>;
}

impl<T> QueryContext<T> for Result<T, sqlx::Error> {
    fn context(self, context: &'static str) -> StoreResult<T> {
        self.map_err(|source| StoreError::Query { context, source })
    }
}
