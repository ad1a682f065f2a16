//! DARK8's offline Polish NLP engine (contract: `shared/nlp-contract.md`).
//!
//! Text -> [`tokenizer`] -> [`normalize`] and [`lexicon`] (lemmas) -> [`features`] ->
//! [`model`] (intent, calibrated confidence) + [`entities`] -> an [`Understanding`]. A
//! [`Session`] merges follow-ups with the previous understanding.

pub mod corpus;
mod engine;
pub mod entities;
pub mod eval;
pub mod features;
pub mod lexicon;
pub mod model;
pub mod normalize;
pub mod objects;
pub mod ood;
mod session;
pub mod tokenizer;

pub use engine::{Engine, NlpError, Understanding};
pub use ood::ACT_CONFIDENCE;
pub use session::Session;
