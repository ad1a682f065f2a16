//! The vector index kept in step with the store: opened from its saved generation and caught
//! up from the store's vector log, or built from the rows when nothing usable was saved; saved
//! again when it moved on, after which the log it no longer needs is cut.

use std::path::PathBuf;

use dark8_store::{SinceAnswer, Store};

use super::files::IndexFiles;
use super::graph::Graph;
use super::IndexError;
use crate::search::Scored;

/// The share of dead slots from which a save rebuilds the graph first (searches skip dead
/// slots, but they still cost a walk through them).
pub const REBUILD_DEAD_SHARE: f64 = 0.25;

/// How an index came to be when it was opened.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// Nothing was saved: built from the rows.
    Built {
        /// Rows in it.
        rows: usize,
    },
    /// The saved generation, caught up with what changed after it.
    Loaded {
        /// Rows in it.
        rows: usize,
        /// Rows added, replaced or removed since it was saved.
        caught_up: usize,
    },
    /// The saved generation could not be used: rebuilt from the rows.
    Rebuilt {
        /// Rows in it.
        rows: usize,
        /// Why the saved one was not used.
        reason: String,
    },
}

/// The vectors of one model, searchable by similarity.
#[derive(Debug)]
pub struct VectorIndex {
    files: IndexFiles,
    model: String,
    graph: Graph,
    /// The vector log position the graph is current at.
    covered: i64,
    /// The position of the generation on disk, when the graph was loaded or saved.
    saved: Option<i64>,
}

impl VectorIndex {
    /// The index of `model`'s vectors (of `dimension`) in `store`, kept in `dir`.
    pub async fn open(
        store: &Store,
        dir: PathBuf,
        model: &str,
        dimension: usize,
    ) -> Result<(VectorIndex, Opened), IndexError> {
        let files = IndexFiles::new(dir, model);
        let loaded = {
            let files = files.clone();
            blocking(move || files.load(dimension)).await?
        };
        let mut index = VectorIndex {
            files,
            model: model.to_owned(),
            graph: Graph::new(dimension, 0),
            covered: 0,
            saved: None,
        };
        let opened = match loaded {
            Ok(Some(loaded)) => {
                index.graph = loaded.graph;
                index.covered = loaded.covered;
                index.saved = Some(loaded.covered);
                match index.catch_up(store).await {
                    Ok(caught_up) => Opened::Loaded {
                        rows: index.len(),
                        caught_up,
                    },
                    Err(IndexError::Store(e)) => return Err(IndexError::Store(e)),
                    Err(e) => {
                        index.rebuild(store).await?;
                        Opened::Rebuilt {
                            rows: index.len(),
                            reason: e.to_string(),
                        }
                    }
                }
            }
            Ok(None) => {
                index.rebuild(store).await?;
                Opened::Built { rows: index.len() }
            }
            Err(reason) => {
                index.rebuild(store).await?;
                Opened::Rebuilt {
                    rows: index.len(),
                    reason: reason.to_string(),
                }
            }
        };
        Ok((index, opened))
    }

    /// Applies what changed in the store since the index was current (another process's
    /// rows, or this one's); how many rows changed. When the log was cut beyond what the
    /// index covers, it starts again from the saved generation, or from the rows.
    pub async fn catch_up(&mut self, store: &Store) -> Result<usize, IndexError> {
        match store.vector_log().since(self.covered, &self.model).await? {
            SinceAnswer::Changes(changes) => {
                let count = changes.changed.len();
                for (row, vector) in changes.changed {
                    match vector {
                        Some(vector) => self.graph.upsert(row, &vector)?,
                        None => {
                            self.graph.remove(row);
                        }
                    }
                }
                self.covered = changes.head;
                Ok(count)
            }
            SinceAnswer::Trimmed { .. } => {
                let dimension = self.graph.dimension();
                let files = self.files.clone();
                if let Ok(Some(loaded)) = blocking(move || files.load(dimension)).await? {
                    self.graph = loaded.graph;
                    self.covered = loaded.covered;
                    self.saved = Some(loaded.covered);
                    if let SinceAnswer::Changes(_) =
                        store.vector_log().since(self.covered, &self.model).await?
                    {
                        return Box::pin(self.catch_up(store)).await;
                    }
                }
                self.rebuild(store).await?;
                Ok(self.len())
            }
        }
    }

    /// Builds the graph again from every row of the model.
    pub async fn rebuild(&mut self, store: &Store) -> Result<(), IndexError> {
        let snapshot = store.vector_log().snapshot(&self.model).await?;
        let dimension = self.graph.dimension();
        let vectors = snapshot.vectors;
        self.graph = blocking(move || Graph::build(dimension, &vectors)).await??;
        self.covered = snapshot.head;
        Ok(())
    }

    /// Saves the index when it moved on since it was loaded or saved (rebuilding it first
    /// when too many of its slots are dead), then cuts the log it no longer needs.
    pub async fn save(&mut self, store: &Store) -> Result<(), IndexError> {
        if self.saved.is_some_and(|saved| saved >= self.covered) {
            return Ok(());
        }
        if self.graph.dead_share() > REBUILD_DEAD_SHARE {
            self.rebuild(store).await?;
        }
        let dimension = self.graph.dimension();
        let graph = std::mem::replace(&mut self.graph, Graph::new(dimension, 0));
        let files = self.files.clone();
        let covered = self.covered;
        let (graph, saved) = blocking(move || {
            let saved = files.save(&graph, covered);
            (graph, saved)
        })
        .await?;
        self.graph = graph;
        let current = saved?;
        self.saved = Some(current);
        store.vector_log().trim(current.min(self.covered)).await?;
        Ok(())
    }

    /// The `k` rows most similar to `query`, best first (call [`VectorIndex::catch_up`]
    /// first to see other processes' changes).
    pub fn search(&self, query: &[f32], k: usize) -> Vec<Scored> {
        self.graph.search(query, k)
    }

    /// How many rows are searchable.
    pub fn len(&self) -> usize {
        self.graph.len()
    }

    /// Whether no row is searchable.
    pub fn is_empty(&self) -> bool {
        self.graph.is_empty()
    }

    /// The searchable row ids, in no order.
    pub fn rows(&self) -> impl Iterator<Item = i64> + '_ {
        self.graph.rows()
    }

    /// How many log positions the index moved on since it was loaded or saved; `None` when
    /// it never was (built from the rows and not saved yet).
    pub fn unsaved(&self) -> Option<i64> {
        self.saved.map(|saved| self.covered - saved)
    }

    /// The vector log position the index is current at.
    pub fn covered(&self) -> i64 {
        self.covered
    }

    /// The model whose vectors it holds.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Where it is saved.
    pub fn dir(&self) -> &std::path::Path {
        self.files.dir()
    }
}

/// Runs CPU- or disk-bound work off the async runtime.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IndexError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| IndexError::Task(e.to_string()))
}
