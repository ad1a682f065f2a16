//! An embedder in front of another: vectors already computed come from the cache, the rest
//! are embedded in one batch and remembered. Bounded by the bytes the vectors take.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::embed::{EmbedError, Embedder, Role};

/// What the cached vectors may take at most (about 43,000 vectors of 384 dimensions).
pub const EMBEDDING_CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    model: Arc<str>,
    query: bool,
    text_sha256: [u8; 32],
}

/// Embeddings remembered by (model, role, text hash).
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    model: Arc<str>,
    cache: moka::sync::Cache<Key, Arc<Vec<f32>>>,
}

impl std::fmt::Debug for CachedEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedEmbedder")
            .field("model", &self.model)
            .field("entries", &self.cache.entry_count())
            .finish()
    }
}

impl CachedEmbedder {
    /// `inner` with a cache of at most `max_bytes` of vectors.
    pub fn new(inner: Arc<dyn Embedder>, max_bytes: u64) -> CachedEmbedder {
        let model: Arc<str> = Arc::from(inner.model());
        let cache = moka::sync::Cache::builder()
            .weigher(|_key: &Key, vector: &Arc<Vec<f32>>| {
                u32::try_from(vector.len() * 4 + 64).unwrap_or(u32::MAX)
            })
            .max_capacity(max_bytes)
            .build();
        CachedEmbedder {
            inner,
            model,
            cache,
        }
    }

    fn key(&self, text: &str, role: Role) -> Key {
        Key {
            model: self.model.clone(),
            query: role == Role::Query,
            text_sha256: Sha256::digest(text.as_bytes()).into(),
        }
    }
}

impl Embedder for CachedEmbedder {
    fn model(&self) -> &str {
        &self.model
    }

    fn dimension(&self) -> usize {
        self.inner.dimension()
    }

    fn embed(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        let keys: Vec<Key> = texts.iter().map(|text| self.key(text, role)).collect();
        let mut found: Vec<Option<Vec<f32>>> = keys
            .iter()
            .map(|key| self.cache.get(key).map(|vector| vector.as_ref().clone()))
            .collect();
        let missing: Vec<usize> = (0..texts.len()).filter(|&i| found[i].is_none()).collect();
        if !missing.is_empty() {
            let batch: Vec<&str> = missing.iter().map(|&i| texts[i]).collect();
            let vectors = self.inner.embed(&batch, role)?;
            if vectors.len() != batch.len() {
                return Err(EmbedError::Invalid(format!(
                    "{} vectors for {} texts",
                    vectors.len(),
                    batch.len()
                )));
            }
            for (i, vector) in missing.into_iter().zip(vectors) {
                self.cache.insert(keys[i].clone(), Arc::new(vector.clone()));
                found[i] = Some(vector);
            }
        }
        Ok(found.into_iter().flatten().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Debug, Default)]
    struct Counting {
        embedded: Mutex<Vec<String>>,
    }

    impl Embedder for Counting {
        fn model(&self) -> &str {
            "counting"
        }
        fn dimension(&self) -> usize {
            2
        }
        fn embed(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
            let mut embedded = self.embedded.lock().unwrap();
            Ok(texts
                .iter()
                .map(|text| {
                    embedded.push(format!("{role:?} {text}"));
                    vec![
                        text.len() as f32,
                        if role == Role::Query { 1.0 } else { 0.0 },
                    ]
                })
                .collect())
        }
    }

    #[test]
    fn a_text_is_embedded_once_per_role_and_answers_keep_their_order() {
        let inner = Arc::new(Counting::default());
        let cached = CachedEmbedder::new(inner.clone(), EMBEDDING_CACHE_BYTES);
        let first = cached.embed(&["ab", "abcd"], Role::Passage).unwrap();
        let second = cached.embed(&["abc", "ab", "abcd"], Role::Passage).unwrap();
        assert_eq!(second, [vec![3.0, 0.0], first[0].clone(), first[1].clone()]);
        let query = cached.embed(&["ab"], Role::Query).unwrap();
        assert_eq!(query, [vec![2.0, 1.0]]);
        assert_eq!(
            *inner.embedded.lock().unwrap(),
            ["Passage ab", "Passage abcd", "Passage abc", "Query ab"]
        );
        assert_eq!(cached.model(), "counting");
    }
}
