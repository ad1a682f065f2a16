//! The embedded vector index: an HNSW graph in process ([`graph`]), saved beside the SQLite
//! store ([`files`]) and kept in step with the store's rows through its vector log
//! ([`VectorIndex`]): the rows are the truth, the index is always repairable from them.

mod cosine;
mod files;
mod graph;
mod shared;
mod synced;

use std::path::PathBuf;

pub use cosine::{dot, CosineDistance};
pub use files::{IndexFiles, Loaded};
pub use graph::{Graph, CONNECTIONS, EF_CONSTRUCTION, EF_SEARCH};
pub use shared::{SharedIndex, SAVE_AFTER_CHANGES};
pub use synced::{Opened, VectorIndex, REBUILD_DEAD_SHARE};

/// Why the vector index could not do something.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A vector of another length than the index's.
    #[error("row {row}: a vector of {found} dimensions in an index of {expected}")]
    Dimension {
        /// The row.
        row: i64,
        /// The index's dimension.
        expected: usize,
        /// The vector's.
        found: usize,
    },
    /// A file of the index could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A saved index that cannot be used as it is (rebuilt from the rows instead).
    #[error("the saved vector index cannot be used: {0}")]
    Corrupt(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] dark8_store::StoreError),
    /// A background task of the index did not finish.
    #[error("the vector index's task failed: {0}")]
    Task(String),
}
