//! DARK8's offline Polish NLP engine (contract: `shared/nlp-contract.md`).

pub mod normalize;
pub mod tokenizer;
