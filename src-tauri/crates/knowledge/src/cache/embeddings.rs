//! An embedder in front of another: vectors already computed come from the cache, the rest
//! are embedded in one batch and remembered. Bounded by the bytes the vectors take.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::redis_tier::{redis_key, RedisTier};
use crate::embed::{EmbedError, Embedder, Role};

/// What the cached vectors may take at most (about 43,000 vectors of 384 dimensions).
pub const EMBEDDING_CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    model: Arc<str>,
    query: bool,
    text_sha256: [u8; 32],
}

/// Embeddings remembered by (model, role, text hash): in process, and in Redis when one is
/// configured.
pub struct CachedEmbedder {
    inner: Arc<dyn Embedder>,
    model: Arc<str>,
    cache: moka::sync::Cache<Key, Arc<Vec<f32>>>,
    remote: Option<RedisTier>,
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
            remote: None,
        }
    }

    /// The same cache, also sharing vectors through `remote`.
    pub fn with_remote(mut self, remote: Option<RedisTier>) -> CachedEmbedder {
        self.remote = remote;
        self
    }

    /// Vectors of the texts at `missing` that Redis has (moved into `found` and the
    /// in-process tier); the positions still missing.
    fn fill_from_remote(
        &self,
        keys: &[Key],
        found: &mut [Option<Vec<f32>>],
        missing: Vec<usize>,
    ) -> Vec<usize> {
        let Some(remote) = &self.remote else {
            return missing;
        };
        let names: Vec<String> = missing.iter().map(|&i| remote_key(&keys[i])).collect();
        let dimension = self.inner.dimension();
        let mut still = Vec::new();
        for (i, vector) in missing.into_iter().zip(remote.get_many(&names)) {
            match vector.filter(|v| dimension == 0 || v.len() == dimension) {
                Some(vector) => {
                    self.cache.insert(keys[i].clone(), Arc::new(vector.clone()));
                    found[i] = Some(vector);
                }
                None => still.push(i),
            }
        }
        still
    }

    fn key(&self, text: &str, role: Role) -> Key {
        Key {
            model: self.model.clone(),
            query: role == Role::Query,
            text_sha256: Sha256::digest(text.as_bytes()).into(),
        }
    }
}

fn remote_key(key: &Key) -> String {
    redis_key(&key.model, key.query, &key.text_sha256)
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
        let missing = if missing.is_empty() {
            missing
        } else {
            self.fill_from_remote(&keys, &mut found, missing)
        };
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
            let mut shared = Vec::new();
            for (i, vector) in missing.into_iter().zip(vectors) {
                self.cache.insert(keys[i].clone(), Arc::new(vector.clone()));
                if self.remote.is_some() {
                    shared.push((remote_key(&keys[i]), vector.clone()));
                }
                found[i] = Some(vector);
            }
            if let Some(remote) = &self.remote {
                remote.put_many(&shared);
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
