//! Caches in process (moka): embeddings keyed by (model, role, SHA-256 of the text), so a text
//! embedded once is never embedded again while the process lives.

mod embeddings;

pub use embeddings::{CachedEmbedder, EMBEDDING_CACHE_BYTES};
