//! The embedded engine: llama.cpp in-process through the `llama-cpp-2` crate. Replies are
//! constrained by a grammar compiled from the request's JSON Schema; generation runs on a
//! blocking thread and streams pieces back; cancellation is checked at every token.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use tokio_util::sync::CancellationToken;

use super::{Brain, ChatFuture, ChatReply, ChatRequest, LlmError, Message, Role, TokenSink};

/// llama.cpp's backend may be initialized once per process.
fn backend() -> Result<&'static LlamaBackend, LlmError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            LlamaBackend::init()
                .map(|mut backend| {
                    backend.void_logs();
                    backend
                })
                .map_err(|err| err.to_string())
        })
        .as_ref()
        .map_err(|err| LlmError::Embedded(format!("llama.cpp backend: {err}")))
}

/// A GGUF model run in-process.
pub struct Embedded {
    path: PathBuf,
    context_tokens: u32,
    threads: i32,
    model: Mutex<Option<Arc<LlamaModel>>>,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedded")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Embedded {
    /// The model in the GGUF file at `path`, loaded on first use.
    pub fn new(path: &Path, context_tokens: u32) -> Embedded {
        let threads = std::thread::available_parallelism()
            .map(|n| i32::try_from(n.get()).unwrap_or(2))
            .unwrap_or(2);
        Embedded {
            path: path.to_path_buf(),
            context_tokens,
            threads,
            model: Mutex::new(None),
        }
    }

    /// Loads the model now (it is loaded on first use otherwise).
    pub fn load(&self) -> Result<Arc<LlamaModel>, LlmError> {
        let mut slot = self
            .model
            .lock()
            .map_err(|_| LlmError::Embedded("model lock poisoned".to_owned()))?;
        if let Some(model) = slot.as_ref() {
            return Ok(model.clone());
        }
        if !self.path.is_file() {
            return Err(LlmError::Embedded(format!(
                "brak pliku modelu {}",
                self.path.display()
            )));
        }
        let model =
            LlamaModel::load_from_file(backend()?, &self.path, &LlamaModelParams::default())
                .map_err(|err| LlmError::Embedded(format!("{}: {err}", self.path.display())))?;
        let model = Arc::new(model);
        *slot = Some(model.clone());
        Ok(model)
    }
}

struct Generation {
    model: Arc<LlamaModel>,
    messages: Vec<Message>,
    grammar: Option<String>,
    temperature: f32,
    max_tokens: u32,
    context_tokens: u32,
    threads: i32,
}

/// Runs one generation on the current (blocking) thread, sending pieces to `pieces`.
fn generate(
    job: &Generation,
    pieces: &tokio::sync::mpsc::UnboundedSender<String>,
    stop: &AtomicBool,
) -> Result<ChatReply, LlmError> {
    let fail =
        |what: &str, err: &dyn std::fmt::Display| LlmError::Embedded(format!("{what}: {err}"));
    let model = job.model.as_ref();
    let template = model
        .chat_template(None)
        .map_err(|e| fail("chat template", &e))?;
    let chat = job
        .messages
        .iter()
        .map(|m| {
            let role = match m.role {
                Role::System => "system",
                Role::User => "user",
                Role::Assistant => "assistant",
            };
            LlamaChatMessage::new(role.to_owned(), m.content.clone())
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail("message", &e))?;
    let prompt = model
        .apply_chat_template(&template, &chat, true)
        .map_err(|e| fail("chat template", &e))?;
    let tokens = model.vocab().tokenize(prompt.as_bytes(), false, true);
    let needed = tokens.len() + usize::try_from(job.max_tokens).unwrap_or(0);
    if needed > usize::try_from(job.context_tokens).unwrap_or(usize::MAX) {
        return Err(LlmError::Embedded(format!(
            "rozmowa ({} tokenów) nie mieści się w kontekście {}",
            tokens.len(),
            job.context_tokens
        )));
    }
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(job.context_tokens))
        .with_n_batch(job.context_tokens)
        .with_n_threads(job.threads)
        .with_n_threads_batch(job.threads);
    let mut context = model
        .new_context(backend()?, params)
        .map_err(|e| fail("context", &e))?;
    let mut batch = LlamaBatch::new(tokens.len().max(1), 1);
    let last = tokens.len().saturating_sub(1);
    for (i, token) in tokens.iter().enumerate() {
        let position = i32::try_from(i).map_err(|e| fail("position", &e))?;
        batch
            .add(*token, position, &[0], i == last)
            .map_err(|e| fail("batch", &e))?;
    }
    context.decode(&mut batch).map_err(|e| fail("decode", &e))?;
    let mut samplers = Vec::new();
    if let Some(grammar) = &job.grammar {
        samplers
            .push(LlamaSampler::grammar(model, grammar, "root").map_err(|e| fail("grammar", &e))?);
    }
    if job.temperature > 0.0 {
        samplers.push(LlamaSampler::temp(job.temperature));
        samplers.push(LlamaSampler::dist(0x0da8));
    } else {
        samplers.push(LlamaSampler::greedy());
    }
    let mut sampler = LlamaSampler::chain_simple(samplers);
    let mut position = i32::try_from(tokens.len()).map_err(|e| fail("position", &e))?;
    let mut bytes: Vec<u8> = Vec::new();
    let mut sent = 0;
    let mut generated = 0u32;
    while generated < job.max_tokens {
        if stop.load(Ordering::Relaxed) {
            return Err(LlmError::Cancelled);
        }
        // `sample` also accepts the token into the grammar's state.
        let token = sampler.sample(&context, batch.n_tokens() - 1);
        if model.vocab().is_eog(token) {
            break;
        }
        bytes.extend(model.vocab().token_to_piece(token, false, None));
        // Send what is valid UTF-8 so far.
        let valid = match std::str::from_utf8(&bytes[sent..]) {
            Ok(text) => text.len(),
            Err(err) => err.valid_up_to(),
        };
        if valid > 0 {
            let _ = pieces.send(String::from_utf8_lossy(&bytes[sent..sent + valid]).into_owned());
            sent += valid;
        }
        batch.clear();
        batch
            .add(token, position, &[0], true)
            .map_err(|e| fail("batch", &e))?;
        position += 1;
        generated += 1;
        context.decode(&mut batch).map_err(|e| fail("decode", &e))?;
    }
    Ok(ChatReply {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        tool_calls: Vec::new(),
        prompt_tokens: u32::try_from(tokens.len()).ok(),
        completion_tokens: Some(generated),
    })
}

impl Brain for Embedded {
    fn describe(&self) -> String {
        format!("wbudowany llama.cpp ({})", self.path.display())
    }

    fn context_tokens(&self) -> u32 {
        self.context_tokens
    }

    fn chat<'a>(
        &'a self,
        request: ChatRequest,
        on_text: TokenSink<'a>,
        cancel: CancellationToken,
    ) -> ChatFuture<'a> {
        Box::pin(async move {
            let grammar = match &request.schema {
                Some(schema) => Some(
                    llama_cpp_2::json_schema_to_grammar(&schema.to_string()).map_err(|err| {
                        LlmError::Embedded(format!("JSON Schema -> grammar: {err}"))
                    })?,
                ),
                None => None,
            };
            let job = Generation {
                model: self.load()?,
                messages: request.messages,
                grammar,
                temperature: request.temperature,
                max_tokens: request.max_tokens,
                context_tokens: self.context_tokens,
                threads: self.threads,
            };
            let stop = Arc::new(AtomicBool::new(false));
            let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
            let worker_stop = stop.clone();
            let worker = tokio::task::spawn_blocking(move || generate(&job, &sender, &worker_stop));
            let forward = async {
                while let Some(piece) = receiver.recv().await {
                    on_text(&piece);
                }
            };
            tokio::select! {
                () = cancel.cancelled() => {
                    stop.store(true, Ordering::Relaxed);
                    return Err(LlmError::Cancelled);
                }
                () = forward => {}
            }
            worker
                .await
                .map_err(|err| LlmError::Embedded(format!("generation thread: {err}")))?
        })
    }
}
