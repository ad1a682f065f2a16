//! One trait for every way DARK8 turns text into vectors: the embedded e5 model today;
//! Ollama's `/api/embed` and OpenAI-compatible `/v1/embeddings` next.

use super::{E5Embedder, EmbedError, Role};

/// Turns texts into L2-normalized vectors.
pub trait Embedder: Send + Sync + std::fmt::Debug {
    /// The model's name, recorded beside every stored vector (a changed model means
    /// re-embedding).
    fn model(&self) -> &str;

    /// The vectors' dimension.
    fn dimension(&self) -> usize;

    /// The vectors of `texts` as `role`, in order.
    fn embed(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError>;
}

/// The name the embedded model's vectors are recorded under.
pub const E5_MODEL_NAME: &str = "multilingual-e5-small-q4";

impl Embedder for E5Embedder {
    fn model(&self) -> &str {
        E5_MODEL_NAME
    }

    fn dimension(&self) -> usize {
        E5Embedder::dimension(self)
    }

    fn embed(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.embed_batch(texts, role)
    }
}

/// The embedded model, loaded from its file at the first text it embeds (a process that
/// never searches by meaning never pays for loading 69 MiB).
#[derive(Debug)]
pub struct LazyE5 {
    path: std::path::PathBuf,
    cell: std::sync::OnceLock<Result<E5Embedder, String>>,
}

/// The embedded model's dimension.
pub const E5_DIMENSION: usize = 384;

impl LazyE5 {
    /// The model at `path`, not loaded yet.
    pub fn new(path: std::path::PathBuf) -> LazyE5 {
        LazyE5 {
            path,
            cell: std::sync::OnceLock::new(),
        }
    }

    fn loaded(&self) -> Result<&E5Embedder, EmbedError> {
        self.cell
            .get_or_init(|| E5Embedder::load(&self.path).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| EmbedError::Invalid(e.clone()))
    }
}

impl Embedder for LazyE5 {
    fn model(&self) -> &str {
        E5_MODEL_NAME
    }

    fn dimension(&self) -> usize {
        E5_DIMENSION
    }

    fn embed(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        self.loaded()?.embed_batch(texts, role)
    }
}
