//! DARK8's knowledge by meaning. Today: the embedded Polish-capable embedding model
//! (multilingual-e5-small, 384 dimensions) read and run by DARK8's own Rust code
//! ([`embed`]).

pub mod embed;

pub use embed::{E5Embedder, EmbedError, Role};
