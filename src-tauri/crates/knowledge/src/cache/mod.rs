//! Caches of embeddings keyed by (model, role, SHA-256 of the text): in process (moka), so a
//! text embedded once is never embedded again while the process lives, and in Redis when
//! `[cache] url` names one, shared by every process; a dead Redis leaves the in-process tier.

mod embeddings;
mod redis_tier;

pub use embeddings::{CachedEmbedder, EMBEDDING_CACHE_BYTES};
pub use redis_tier::{redis_key, RedisTier};
