//! Embeddings from a model server, behind the same trait as the embedded e5 model: Ollama's
//! `/api/embed` and OpenAI-compatible `/v1/embeddings`. Texts go in batches, each vector
//! comes back L2-normalized, and the model's own instruction prefixes are added where the
//! model family is known to need them (e5: "query: " / "passage: "; nomic-embed:
//! "search_query: " / "search_document: ").

use std::sync::OnceLock;

use dark8_knowledge::{EmbedError, Embedder, Role};

use super::http_model::{HttpModel, WireFormat};

/// Texts per request.
pub const EMBED_BATCH: usize = 64;

/// A model server's embedding model.
pub struct HttpEmbedder<W> {
    model: HttpModel<W>,
    /// The name its vectors are recorded under: `<server kind>:<model>`.
    recorded: String,
    dimension: OnceLock<usize>,
}

impl<W> std::fmt::Debug for HttpEmbedder<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpEmbedder")
            .field("model", &self.recorded)
            .finish_non_exhaustive()
    }
}

impl<W: WireFormat> HttpEmbedder<W> {
    /// The embedding model served at `model`'s endpoint.
    pub fn new(model: HttpModel<W>) -> HttpEmbedder<W> {
        let recorded = format!("{}:{}", W::NAME, model.endpoint().model);
        HttpEmbedder {
            model,
            recorded,
            dimension: OnceLock::new(),
        }
    }

    fn prefixed(&self, text: &str, role: Role) -> String {
        let name = self.model.endpoint().model.to_lowercase();
        let prefix = if name.contains("e5") {
            match role {
                Role::Query => "query: ",
                Role::Passage => "passage: ",
            }
        } else if name.contains("nomic-embed") {
            match role {
                Role::Query => "search_query: ",
                Role::Passage => "search_document: ",
            }
        } else {
            ""
        };
        format!("{prefix}{text}")
    }

    async fn embed_all(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(EMBED_BATCH) {
            let got = self
                .model
                .embed(batch)
                .await
                .map_err(|e| EmbedError::Server(format!("{}: {e}", self.recorded)))?;
            if got.len() != batch.len() {
                return Err(EmbedError::Server(format!(
                    "{}: {} vectors for {} texts",
                    self.recorded,
                    got.len(),
                    batch.len()
                )));
            }
            vectors.extend(got);
        }
        Ok(vectors)
    }
}

impl<W: WireFormat> Embedder for HttpEmbedder<W> {
    fn model(&self) -> &str {
        &self.recorded
    }

    /// Known after the first answer (0 before it).
    fn dimension(&self) -> usize {
        self.dimension.get().copied().unwrap_or(0)
    }

    /// Blocks on the server's answer: call it off the async threads (from `spawn_blocking`,
    /// as the memory does), or outside any runtime.
    fn embed(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        let texts: Vec<String> = texts.iter().map(|t| self.prefixed(t, role)).collect();
        let vectors = match tokio::runtime::Handle::try_current() {
            Ok(handle) => handle.block_on(self.embed_all(texts))?,
            Err(_) => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| EmbedError::Server(format!("no async runtime: {e}")))?
                .block_on(self.embed_all(texts))?,
        };
        let mut normalized = Vec::with_capacity(vectors.len());
        for vector in vectors {
            let dimension = *self.dimension.get_or_init(|| vector.len());
            if vector.is_empty() || vector.len() != dimension {
                return Err(EmbedError::Server(format!(
                    "{}: a vector of {} dimensions after {dimension}",
                    self.recorded,
                    vector.len()
                )));
            }
            normalized.push(l2_normalized(vector));
        }
        Ok(normalized)
    }
}

fn l2_normalized(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 && norm.is_finite() {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
    vector
}
