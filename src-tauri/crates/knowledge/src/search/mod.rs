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
pub use fusion::{reciprocal_rank_fusion, weighted_reciprocal_rank_fusion, RRF_K};

/// The fusion constant of hybrid search. Smaller than the usual 60: the lists fused are
/// short (10–20 rows), and the first ranks should decide. Chosen on the project's Polish set
/// (`dark8 kb eval`, 306 documents, 82 queries) from a grid of k in 2–60 and the words'
/// weight in 0.6–1.0: k = 5 with weight 0.8 gave recall@5 0.939 and MRR 0.816, against
/// 0.902 and 0.783 with k = 60 and equal weights.
pub const HYBRID_RRF_K: f64 = 5.0;

/// The weight of the full-text ranking against the meaning's (1.0) in hybrid search: on
/// equal ranks the meaning wins, and a row both rank well still beats either alone.
pub const LEXICAL_WEIGHT: f64 = 0.8;
