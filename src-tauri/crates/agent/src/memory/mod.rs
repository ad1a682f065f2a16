//! Conversation memory: facts the user asked to keep, past commands, and recall over both by
//! full-text search on normalized Polish (SQLite FTS5), or by day ("co robiliśmy wczoraj?").
//! With an embedder, facts are also found by meaning: each fact's vector is stored beside it
//! (facts saved before the model are embedded at the next search), and search fuses the
//! full-text and nearest-vector rankings (reciprocal rank fusion).

mod days;
mod normalize;
mod project_index;
mod tools;

use std::sync::Arc;

use dark8_knowledge::index::SharedIndex;
use dark8_knowledge::search::{
    nearest, weighted_reciprocal_rank_fusion, CONFIDENT_SIMILARITY, HYBRID_RRF_K, LEXICAL_WEIGHT,
    RELATED_SIMILARITY,
};
use dark8_knowledge::{Embedder, Role};

use dark8_protocol::{KnowledgeEntry, KnowledgeSource};
use dark8_store::{
    Conversation, KnowledgeItem, KnowledgeKind, MemorySource, NewConversation, NewKnowledgeItem,
    Store, StoreError,
};
use serde::Serialize;

pub use days::{day_range, DayRange};
pub use normalize::MemoryText;
pub use project_index::{ProjectIndexError, ProjectIndexReport, MAX_INDEXED_FILE_BYTES};
pub use tools::{MemoryForget, MemorySave, MemorySearch};

/// One thing recalled: a fact or a past command with its answer.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Recollection {
    /// `knowledge` or `conversation`.
    pub source: MemorySource,
    /// Row id in its table.
    pub id: i64,
    /// The fact, or "command → answer".
    pub text: String,
    /// When it was stored, RFC 3339 UTC.
    pub when: String,
    /// Relevance, higher is better (0 for recall by day).
    pub score: f64,
}

/// The memory over a store; cheap to clone.
#[derive(Clone)]
pub struct Memory {
    store: Store,
    text: Arc<MemoryText>,
    embedder: Option<Arc<dyn Embedder>>,
    index: Option<SharedIndex>,
}

/// Facts embedded per search at most (those saved before the model was there).
const EMBED_BACKLOG_PER_SEARCH: u32 = 256;

impl std::fmt::Debug for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memory").finish_non_exhaustive()
    }
}

impl Memory {
    /// Memory over `store`, normalizing with the embedded lexicon.
    pub fn new(store: Store) -> Result<Memory, String> {
        Ok(Memory {
            store,
            text: MemoryText::shared()?,
            embedder: None,
            index: None,
        })
    }

    /// The same memory, also finding facts by meaning with `embedder` (none: full text only).
    pub fn with_embedder(mut self, embedder: Option<Arc<dyn Embedder>>) -> Memory {
        self.embedder = embedder;
        self
    }

    /// The same memory, finding the nearest vectors through `index` (the process's shared
    /// vector index) instead of comparing the query with every stored vector.
    pub fn with_vector_index(mut self, index: Option<SharedIndex>) -> Memory {
        self.index = index;
        self
    }

    /// The `k` nearest vectors of `model` to `asked`: through the vector index when there is
    /// one (an index that fails is logged and the exact comparison answers instead).
    async fn nearest_vectors(
        &self,
        model: &str,
        asked: &[f32],
        k: usize,
    ) -> Result<Vec<dark8_knowledge::search::Scored>, StoreError> {
        if let Some(index) = &self.index {
            match index
                .nearest(&self.store, model, asked.len(), asked, k)
                .await
            {
                Ok(found) => return Ok(found),
                Err(err) => tracing::warn!("vector index failed, comparing every vector: {err}"),
            }
        }
        let rows = self.store.knowledge().embeddings(model).await?;
        Ok(nearest(asked, &rows, k))
    }

    /// The vectors of `texts` as `role` off the async threads; `None` without an embedder or
    /// when it fails (logged: search falls back to full text, never fails for it).
    async fn embed(&self, texts: Vec<String>, role: Role) -> Option<Vec<Vec<f32>>> {
        let embedder = self.embedder.clone()?;
        let done = tokio::task::spawn_blocking(move || {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            embedder.embed(&refs, role)
        })
        .await;
        match done {
            Ok(Ok(vectors)) => Some(vectors),
            Ok(Err(err)) => {
                tracing::warn!("embedding failed, full-text search only: {err}");
                None
            }
            Err(err) => {
                tracing::warn!("embedding task failed: {err}");
                None
            }
        }
    }

    /// Facts nearest in meaning to `query` with at least `floor` similarity, best first;
    /// facts not yet embedded by the current model are embedded first.
    async fn nearest_facts(
        &self,
        query: &str,
        k: usize,
        floor: f32,
    ) -> Result<Vec<(i64, f32)>, StoreError> {
        let Some(embedder) = self.embedder.clone() else {
            return Ok(Vec::new());
        };
        let model = embedder.model().to_owned();
        self.embed_backlog(EMBED_BACKLOG_PER_SEARCH).await?;
        let Some(asked) = self.embed(vec![query.to_owned()], Role::Query).await else {
            return Ok(Vec::new());
        };
        let Some(asked) = asked.into_iter().next() else {
            return Ok(Vec::new());
        };
        Ok(self
            .nearest_vectors(&model, &asked, k)
            .await?
            .into_iter()
            .filter(|hit| hit.similarity >= floor)
            .map(|hit| (hit.id, hit.similarity))
            .collect())
    }

    /// Embeds up to `limit` items that have no vector from the current model (saved before
    /// it, or by another one); how many were embedded, `None` without an embedder or when it
    /// failed (logged).
    pub async fn embed_backlog(&self, limit: u32) -> Result<Option<usize>, StoreError> {
        let Some(embedder) = self.embedder.clone() else {
            return Ok(None);
        };
        let model = embedder.model().to_owned();
        let knowledge = self.store.knowledge();
        let backlog = knowledge.missing_embeddings(&model, limit).await?;
        if backlog.is_empty() {
            return Ok(Some(0));
        }
        let texts = backlog.iter().map(|(_, text)| text.clone()).collect();
        let Some(vectors) = self.embed(texts, Role::Passage).await else {
            return Ok(None);
        };
        for ((id, _), vector) in backlog.iter().zip(&vectors) {
            knowledge.set_embedding(*id, &model, vector).await?;
        }
        Ok(Some(vectors.len()))
    }

    /// The embedder's model name, when there is one.
    pub fn embedding_model(&self) -> Option<String> {
        self.embedder.as_ref().map(|e| e.model().to_owned())
    }

    /// The normalizer.
    pub fn text(&self) -> &MemoryText {
        &self.text
    }

    /// Stores a fact in the knowledge base and indexes it.
    pub async fn save_fact(
        &self,
        content: &str,
        tags: Vec<String>,
    ) -> Result<KnowledgeItem, StoreError> {
        self.save(KnowledgeKind::Fact, content, tags).await
    }

    /// Stores `content` as knowledge of `kind` with `tags`, indexed by its words and, with an
    /// embedder, by its meaning.
    pub async fn save(
        &self,
        kind: KnowledgeKind,
        content: &str,
        tags: Vec<String>,
    ) -> Result<KnowledgeItem, StoreError> {
        let embedding = self
            .embed(vec![content.to_owned()], Role::Passage)
            .await
            .and_then(|vectors| vectors.into_iter().next());
        let item = self
            .store
            .knowledge()
            .add(&NewKnowledgeItem {
                kind,
                content: content.to_owned(),
                embedding_model: self.embedder.as_ref().map(|e| e.model().to_owned()),
                embedding,
                tags: tags.clone(),
                source: None,
            })
            .await?;
        let indexed = format!("{} {}", self.text.indexed(content), tags.join(" "));
        self.store
            .memory_index()
            .add(MemorySource::Knowledge, item.id, indexed.trim())
            .await?;
        Ok(item)
    }

    /// Forgets the fact `id` (the knowledge base row and its index entry); the fact as it
    /// was, or `None` when there is none.
    pub async fn forget_fact(&self, id: i64) -> Result<Option<KnowledgeItem>, StoreError> {
        self.store.knowledge().delete(id).await
    }

    /// What the knowledge screen lists: for a query, the best `limit` facts and past turns
    /// (as `memory_search` finds them, by day for "wczoraj" and the like); without one, the
    /// newest facts and then the newest turns.
    pub async fn entries(
        &self,
        query: Option<&str>,
        limit: u32,
    ) -> Result<Vec<KnowledgeEntry>, StoreError> {
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let found = match query {
            Some(query) => match day_range(query, chrono::Local::now().date_naive()) {
                Some(range) => self.on_days(&range, limit).await?,
                None => self.search(query, limit).await?,
            },
            None => {
                let mut found: Vec<Recollection> = self
                    .store
                    .knowledge()
                    .recent(Some(KnowledgeKind::Fact), limit)
                    .await?
                    .into_iter()
                    .map(|item| Recollection {
                        source: MemorySource::Knowledge,
                        id: item.id,
                        text: item.content,
                        when: item.created_at,
                        score: 0.0,
                    })
                    .collect();
                let left = limit.saturating_sub(u32::try_from(found.len()).unwrap_or(limit));
                if left > 0 {
                    let turns = self.store.conversations().recent(left).await?;
                    found.extend(turns.iter().rev().map(|turn| Recollection {
                        source: MemorySource::Conversation,
                        id: turn.id,
                        text: turn_text(turn),
                        when: turn.timestamp.clone(),
                        score: 0.0,
                    }));
                }
                found
            }
        };
        let mut entries = Vec::with_capacity(found.len());
        for recollection in found {
            let (source, tags) = match recollection.source {
                MemorySource::Knowledge => (
                    KnowledgeSource::Knowledge,
                    self.store
                        .knowledge()
                        .get(recollection.id)
                        .await?
                        .map(|item| item.tags)
                        .unwrap_or_default(),
                ),
                MemorySource::Conversation => (KnowledgeSource::Conversation, Vec::new()),
            };
            entries.push(KnowledgeEntry {
                source,
                id: recollection.id,
                text: recollection.text,
                tags,
                when: recollection.when,
                score: recollection.score,
            });
        }
        Ok(entries)
    }

    /// Records a command and its answer and indexes both.
    pub async fn record_turn(&self, turn: &NewConversation) -> Result<Conversation, StoreError> {
        let stored = self.store.conversations().record(turn).await?;
        let indexed = format!(
            "{} {}",
            self.text.indexed(&turn.user_input),
            self.text.indexed(&turn.ai_response)
        );
        self.store
            .memory_index()
            .add(MemorySource::Conversation, stored.id, indexed.trim())
            .await?;
        Ok(stored)
    }

    /// The `k` best facts and past turns for `query`, facts first on equal footing. A turn
    /// whose command is the query itself (a recall asked again) is left out.
    pub async fn search(&self, query: &str, k: u32) -> Result<Vec<Recollection>, StoreError> {
        let terms = self.text.terms(query);
        let hits = self
            .store
            .memory_index()
            .search(&terms, None, k.saturating_mul(2))
            .await?;
        let mut found = Vec::new();
        for hit in hits {
            let recollection = match hit.source {
                MemorySource::Knowledge => {
                    self.store
                        .knowledge()
                        .get(hit.ref_id)
                        .await?
                        .map(|item| Recollection {
                            source: hit.source,
                            id: item.id,
                            text: item.content,
                            when: item.created_at,
                            score: hit.score,
                        })
                }
                MemorySource::Conversation => self
                    .store
                    .conversations()
                    .get(hit.ref_id)
                    .await?
                    .filter(|turn| {
                        !matches!(
                            turn.intent.as_deref(),
                            Some("MEMORY_RECALL" | "MEMORY_SAVE")
                        )
                    })
                    .map(|turn| Recollection {
                        source: hit.source,
                        id: turn.id,
                        text: turn_text(&turn),
                        when: turn.timestamp,
                        score: hit.score,
                    }),
            };
            if let Some(recollection) = recollection {
                found.push(recollection);
            }
        }
        // Facts win ties: they are what the user asked to keep.
        found.sort_by(|a, b| {
            let boost = |r: &Recollection| {
                r.score
                    + if r.source == MemorySource::Knowledge {
                        0.5
                    } else {
                        0.0
                    }
            };
            boost(b).total_cmp(&boost(a))
        });
        let by_meaning = self
            .nearest_facts(
                query,
                usize::try_from(k).unwrap_or(8),
                meaning_floor(!found.is_empty()),
            )
            .await?;
        if !by_meaning.is_empty() {
            found = self.fuse(found, &by_meaning).await?;
        }
        found.truncate(usize::try_from(k).unwrap_or(usize::MAX));
        Ok(found)
    }

    /// The ids of the `k` knowledge items that best answer `query` as `mode` finds them, best
    /// first. [`SearchMode::Hybrid`] ranks them as [`Memory::search`] does.
    pub async fn rank_knowledge(
        &self,
        query: &str,
        k: u32,
        mode: SearchMode,
    ) -> Result<Vec<i64>, StoreError> {
        let wanted = usize::try_from(k).unwrap_or(usize::MAX);
        let lexical = || async {
            let terms = self.text.terms(query);
            let hits = self
                .store
                .memory_index()
                .search(&terms, Some(MemorySource::Knowledge), k.saturating_mul(2))
                .await?;
            Ok::<Vec<i64>, StoreError>(hits.into_iter().map(|hit| hit.ref_id).collect())
        };
        let mut ranked = match mode {
            SearchMode::Lexical => lexical().await?,
            SearchMode::Vector => self
                .nearest_facts(query, wanted, f32::MIN)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
            SearchMode::Hybrid => {
                let by_words = lexical().await?;
                let by_meaning: Vec<i64> = self
                    .nearest_facts(query, wanted, meaning_floor(!by_words.is_empty()))
                    .await?
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                fuse_rankings(&by_words, &by_meaning)
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect()
            }
        };
        ranked.truncate(wanted);
        Ok(ranked)
    }

    /// The full-text recollections and the facts found by meaning in one ranking (reciprocal
    /// rank fusion); the score becomes the fused one.
    async fn fuse(
        &self,
        lexical: Vec<Recollection>,
        by_meaning: &[(i64, f32)],
    ) -> Result<Vec<Recollection>, StoreError> {
        let lexical_keys: Vec<(MemorySource, i64)> =
            lexical.iter().map(|r| (r.source, r.id)).collect();
        let meaning_keys: Vec<(MemorySource, i64)> = by_meaning
            .iter()
            .map(|(id, _)| (MemorySource::Knowledge, *id))
            .collect();
        let mut fused = Vec::new();
        for ((source, id), score) in fuse_rankings(&lexical_keys, &meaning_keys) {
            let known = lexical
                .iter()
                .find(|r| r.source == source && r.id == id)
                .cloned();
            let recollection = match known {
                Some(found) => Some(found),
                None => self
                    .store
                    .knowledge()
                    .get(id)
                    .await?
                    .map(|item| Recollection {
                        source,
                        id: item.id,
                        text: item.content,
                        when: item.created_at,
                        score,
                    }),
            };
            if let Some(mut recollection) = recollection {
                recollection.score = score;
                fused.push(recollection);
            }
        }
        Ok(fused)
    }

    /// The remembered fact that best matches `question`, when it shares at least two of the
    /// question's content words (or its only one). Pieces of indexed projects are left out:
    /// this answers with what the user asked to keep.
    pub async fn best_fact(&self, question: &str) -> Result<Option<KnowledgeItem>, StoreError> {
        let terms = self.text.terms(question);
        if terms.is_empty() {
            return Ok(None);
        }
        let hits = self
            .store
            .memory_index()
            .search(&terms, Some(MemorySource::Knowledge), 3)
            .await?;
        let needed = terms.len().min(2);
        for hit in hits {
            if let Some(item) = self.store.knowledge().get(hit.ref_id).await? {
                if item.source.is_some() {
                    // A piece of an indexed project is not something the user said.
                    continue;
                }
                let fact_terms = self.text.terms(&item.content);
                let shared = terms.iter().filter(|t| fact_terms.contains(t)).count();
                if shared >= needed {
                    return Ok(Some(item));
                }
            }
        }
        // Nothing shares the question's words: a fact that means the answer will do.
        for (id, _) in self
            .nearest_facts(question, 1, CONFIDENT_SIMILARITY)
            .await?
        {
            if let Some(item) = self.store.knowledge().get(id).await? {
                if item.kind == KnowledgeKind::Fact && item.source.is_none() {
                    return Ok(Some(item));
                }
            }
        }
        Ok(None)
    }

    /// What was done in `range`, oldest first (at most `limit` turns).
    pub async fn on_days(
        &self,
        range: &DayRange,
        limit: u32,
    ) -> Result<Vec<Recollection>, StoreError> {
        let turns = self
            .store
            .conversations()
            .between(&range.from_utc, &range.to_utc, limit)
            .await?;
        Ok(turns
            .into_iter()
            .map(|turn| Recollection {
                source: MemorySource::Conversation,
                id: turn.id,
                text: turn_text(&turn),
                when: turn.timestamp,
                score: 0.0,
            })
            .collect())
    }
}

/// How knowledge is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    /// By words alone (FTS5 over normalized Polish).
    Lexical,
    /// By meaning alone (nearest vectors; nothing without an embedder).
    Vector,
    /// Both, fused by reciprocal rank (what memory search does).
    Hybrid,
}

/// The words' and the meaning's rankings in one (weighted reciprocal rank fusion, see
/// [`HYBRID_RRF_K`]).
fn fuse_rankings<T: Eq + std::hash::Hash + Clone>(
    by_words: &[T],
    by_meaning: &[T],
) -> Vec<(T, f64)> {
    weighted_reciprocal_rank_fusion(
        &[(by_meaning, 1.0), (by_words, LEXICAL_WEIGHT)],
        HYBRID_RRF_K,
    )
}

/// The least similarity at which a text found by meaning joins a ranking: beside full-text
/// hits a related one may; alone, only one that clearly means the answer.
fn meaning_floor(words_found_something: bool) -> f32 {
    if words_found_something {
        RELATED_SIMILARITY
    } else {
        CONFIDENT_SIMILARITY
    }
}

fn turn_text(turn: &Conversation) -> String {
    if turn.ai_response.is_empty() {
        turn.user_input.clone()
    } else {
        format!("{} → {}", turn.user_input, turn.ai_response)
    }
}
