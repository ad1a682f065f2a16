//! `dark8 kb eval`: how well the knowledge base finds answers, measured on a retrieval set
//! loaded into a throw-away store (the user's own store is never touched) and searched by
//! words, by meaning and by both, exactly as memory search ranks them.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Instant;

use dark8_agent::memory::{Memory, SearchMode};
use dark8_knowledge::eval::{score, EvalSet, RetrievalScore};
use dark8_store::{KnowledgeKind, Store};

use crate::error::CoreError;
use crate::service::Dark8;

/// How deep each ranking goes (MRR is MRR@10: an answer below it counts as not found).
pub const RANKING_DEPTH: u32 = 10;

/// Items embedded per batch while loading the set.
const EMBED_BATCH: u32 = 64;

/// What an evaluation measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvalReport {
    /// Documents loaded.
    pub documents: usize,
    /// Queries asked.
    pub queries: usize,
    /// The embedding model, when there is one.
    pub model: Option<String>,
    /// By words alone.
    pub lexical: RetrievalScore,
    /// By meaning alone (`None` without an embedding model).
    pub vector: Option<RetrievalScore>,
    /// Both fused: what memory search answers with.
    pub hybrid: RetrievalScore,
    /// Seconds spent embedding the documents (0 without a model).
    pub embed_seconds: f64,
    /// Seconds spent answering every query in every mode.
    pub search_seconds: f64,
}

/// Loads `set` into a fresh store in a temporary directory and scores the three kinds of
/// search on its queries with recall@`k` and MRR@[`RANKING_DEPTH`].
pub async fn evaluate(dark8: &Dark8, set: &EvalSet, k: usize) -> Result<EvalReport, CoreError> {
    let dir = tempfile::tempdir()
        .map_err(|e| CoreError::Tools(format!("a temporary directory for the evaluation: {e}")))?;
    let store = Store::open(&dir.path().join("eval.db")).await?;
    let embedder = dark8.embedder();
    let by_words = Memory::new(store.clone()).map_err(CoreError::Tools)?;
    let mut set_id_of: HashMap<i64, &str> = HashMap::new();
    for document in &set.documents {
        let kind = KnowledgeKind::from_str(&document.kind).map_err(CoreError::Tools)?;
        let item = by_words.save(kind, &document.text, Vec::new()).await?;
        set_id_of.insert(item.id, &document.id);
    }
    let memory = by_words.with_embedder(embedder.clone());
    let started = Instant::now();
    if embedder.is_some() {
        while let Some(embedded) = memory.embed_backlog(EMBED_BATCH).await? {
            if embedded == 0 {
                break;
            }
        }
    }
    let embed_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let rankings = |mode| {
        let memory = memory.clone();
        let set_id_of = &set_id_of;
        async move {
            let mut all = Vec::with_capacity(set.queries.len());
            for query in &set.queries {
                let ids = memory
                    .rank_knowledge(&query.text, RANKING_DEPTH, mode)
                    .await?;
                all.push(
                    ids.iter()
                        .filter_map(|id| set_id_of.get(id).map(|s| (*s).to_owned()))
                        .collect::<Vec<String>>(),
                );
            }
            Ok::<Vec<Vec<String>>, CoreError>(all)
        }
    };
    let lexical = score(&set.queries, &rankings(SearchMode::Lexical).await?, k);
    let vector = match &embedder {
        Some(_) => Some(score(&set.queries, &rankings(SearchMode::Vector).await?, k)),
        None => None,
    };
    let hybrid = score(&set.queries, &rankings(SearchMode::Hybrid).await?, k);
    let search_seconds = started.elapsed().as_secs_f64();
    store.close().await;
    Ok(EvalReport {
        documents: set.documents.len(),
        queries: set.queries.len(),
        model: embedder.map(|e| e.model().to_owned()),
        lexical,
        vector,
        hybrid,
        embed_seconds,
        search_seconds,
    })
}
