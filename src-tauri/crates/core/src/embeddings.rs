//! The embedder the `[embeddings]` settings choose, behind the cache of texts already
//! embedded (in process, and in Redis when `[cache] url` names one).

use std::sync::Arc;

use dark8_agent::llm::embedder::HttpEmbedder;
use dark8_agent::llm::http_model::Endpoint;
use dark8_agent::llm::ollama::Ollama;
use dark8_agent::llm::openai::OpenAi;
use dark8_knowledge::cache::{CachedEmbedder, RedisTier, EMBEDDING_CACHE_BYTES};
use dark8_knowledge::Embedder;

use crate::config::{Config, EmbeddingsProvider};
use crate::service::Dark8;

/// The embedder of `config`, or `None` (no provider, or the embedded model's file is not
/// there yet).
pub(crate) fn make_embedder(core: &Dark8, config: &Config) -> Option<Arc<dyn Embedder>> {
    let llm = &config.llm;
    let model = &config.embeddings.model;
    let made: Arc<dyn Embedder> = match config.embeddings.provider {
        EmbeddingsProvider::None => return None,
        EmbeddingsProvider::Embedded => {
            let path = core
                .paths()
                .models_dir()
                .join(dark8_knowledge::embed::E5_FILE_NAME);
            if !path.is_file() {
                return None;
            }
            Arc::new(dark8_knowledge::embed::LazyE5::new(path))
        }
        EmbeddingsProvider::Ollama => Arc::new(HttpEmbedder::new(Ollama::new(
            &llm.ollama_url,
            model,
            llm.context_tokens,
            llm.timeout_s,
        ))),
        EmbeddingsProvider::Openai => Arc::new(HttpEmbedder::new(OpenAi::at(Endpoint::new(
            &llm.openai_url,
            model,
            core.openai_api_key(llm),
            llm.context_tokens,
            llm.timeout_s,
        )))),
    };
    let remote = match config.cache.url.trim() {
        "" => None,
        url => RedisTier::new(url, config.cache.ttl_s)
            .map_err(|err| tracing::warn!("{err}: embeddings are cached in process only"))
            .ok(),
    };
    Some(Arc::new(
        CachedEmbedder::new(made, EMBEDDING_CACHE_BYTES).with_remote(remote),
    ))
}
