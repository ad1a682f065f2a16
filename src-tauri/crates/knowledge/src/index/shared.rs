//! One vector index per process, shared by everything that searches: opened at the first
//! search by meaning (a process that never searches never reads it), caught up before every
//! search, saved when enough changed that replaying the log would cost more than a save.

use std::path::PathBuf;
use std::sync::Arc;

use dark8_store::Store;

use super::synced::VectorIndex;
use super::IndexError;
use crate::search::Scored;

/// Changes after which a search saves the index again (fewer are replayed from the log
/// when it is next opened).
pub const SAVE_AFTER_CHANGES: i64 = 64;

/// The index of the vectors of whichever model searches, in a directory of its own per
/// model under one root; cheap to clone.
#[derive(Debug, Clone)]
pub struct SharedIndex {
    root: PathBuf,
    open: Arc<tokio::sync::Mutex<Option<VectorIndex>>>,
}

impl SharedIndex {
    /// Indexes kept under `root` (one directory per model).
    pub fn new(root: PathBuf) -> SharedIndex {
        SharedIndex {
            root,
            open: Arc::new(tokio::sync::Mutex::new(None)),
        }
    }

    /// The `k` rows of `store` whose vectors from `model` (of `dimension`) are most similar
    /// to `query`, best first.
    pub async fn nearest(
        &self,
        store: &Store,
        model: &str,
        dimension: usize,
        query: &[f32],
        k: usize,
    ) -> Result<Vec<Scored>, IndexError> {
        let mut open = self.open.lock().await;
        let index = match open.take() {
            Some(mut index) if index.model() == model => {
                index.catch_up(store).await?;
                index
            }
            _ => {
                let dir = self.root.join(directory_name(model));
                let (index, opened) = VectorIndex::open(store, dir, model, dimension).await?;
                tracing::debug!("vector index of {model}: {opened:?}");
                index
            }
        };
        let index = open.insert(index);
        if index
            .unsaved()
            .is_none_or(|changes| changes >= SAVE_AFTER_CHANGES)
        {
            if let Err(err) = index.save(store).await {
                // The rows are safe in the store; the next open replays or rebuilds.
                tracing::warn!("could not save the vector index: {err}");
            }
        }
        Ok(index.search(query, k))
    }

    /// Forgets the saved index of `model` and builds it again from every row's vector, then
    /// saves it; how many rows it holds.
    pub async fn rebuild(
        &self,
        store: &Store,
        model: &str,
        dimension: usize,
    ) -> Result<usize, IndexError> {
        let mut open = self.open.lock().await;
        *open = None;
        let dir = self.root.join(directory_name(model));
        super::files::IndexFiles::new(dir.clone(), model).clear()?;
        let (mut index, _) = VectorIndex::open(store, dir, model, dimension).await?;
        index.save(store).await?;
        let rows = index.len();
        *open = Some(index);
        Ok(rows)
    }
}

/// A model's name as one safe directory name.
fn directory_name(model: &str) -> String {
    if model.is_empty() || model.chars().all(|c| c == '.') {
        return format!("model-{}", model.len());
    }
    model
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_name_is_one_directory() {
        assert_eq!(
            directory_name("multilingual-e5-small-q4"),
            "multilingual-e5-small-q4"
        );
        assert_eq!(directory_name("nomic/embed:v1.5"), "nomic_embed_v1.5");
        assert_eq!(directory_name("../x"), ".._x");
        assert_eq!(directory_name(".."), "model-2");
    }
}
