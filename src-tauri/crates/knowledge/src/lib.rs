//! DARK8's knowledge by meaning: the embedded Polish-capable embedding model
//! (multilingual-e5-small, 384 dimensions) read and run by DARK8's own Rust code
//! ([`embed`]), nearest neighbours and their fusion with full-text results ([`search`]), and the
//! retrieval evaluation that measures them ([`eval`]).

pub mod cache;
pub mod chunk;
pub mod embed;
pub mod eval;
pub mod index;
pub mod search;

pub use embed::{E5Embedder, EmbedError, Embedder, Role, E5_MODEL_NAME};
