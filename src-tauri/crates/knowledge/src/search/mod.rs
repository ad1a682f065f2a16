//! Search by meaning over stored vectors and its fusion with full-text results.

mod exact;
mod fusion;

pub use exact::{nearest, Scored};

/// The cosine (multilingual-e5-small, query against passage) from which a stored text is
/// taken as an answer on meaning alone: questions and their answers written in other words
/// score 0.85–0.92 with it, unrelated pairs 0.77–0.83 (tests/e5_reference.rs measures it).
pub const CONFIDENT_SIMILARITY: f32 = 0.84;

/// The cosine from which a stored text may join a result list (ranked by fusion, so a weak
/// match only ever comes after the strong ones).
pub const RELATED_SIMILARITY: f32 = 0.82;
pub use fusion::{reciprocal_rank_fusion, RRF_K};
