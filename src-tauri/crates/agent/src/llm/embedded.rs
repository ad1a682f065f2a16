//! The embedded engine: llama.cpp in-process through the `llama-cpp-2` crate. Replies are
//! constrained by a grammar compiled from the request's JSON Schema; generation runs on one
//! worker thread that keeps its KV cache between requests (a shared prompt prefix is not
//! evaluated again) and streams pieces back; cancellation is checked at every token.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;
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

/// A GGUF model run in-process. One worker thread owns the llama.cpp context and keeps the
/// tokens of its KV cache: a prompt that starts like the previous one (the same system
/// prompt, or the next step of the same conversation) only evaluates what is new.
pub struct Embedded {
    path: PathBuf,
    context_tokens: u32,
    threads: i32,
    model: Mutex<Option<Arc<LlamaModel>>>,
    worker: Mutex<Option<std::sync::mpsc::Sender<Job>>>,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedded")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// One generation for the worker.
struct Job {
    messages: Vec<Message>,
    grammar: Option<String>,
    temperature: f32,
    max_tokens: u32,
    pieces: tokio::sync::mpsc::UnboundedSender<String>,
    stop: Arc<AtomicBool>,
    reply: tokio::sync::oneshot::Sender<Result<ChatReply, LlmError>>,
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
            worker: Mutex::new(None),
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

    /// The worker's queue, starting the worker on first use.
    fn worker(&self) -> Result<std::sync::mpsc::Sender<Job>, LlmError> {
        let mut slot = self
            .worker
            .lock()
            .map_err(|_| LlmError::Embedded("worker lock poisoned".to_owned()))?;
        if let Some(sender) = slot.as_ref() {
            return Ok(sender.clone());
        }
        let model = self.load()?;
        let (sender, jobs) = std::sync::mpsc::channel::<Job>();
        let (context_tokens, threads) = (self.context_tokens, self.threads);
        std::thread::Builder::new()
            .name("dark8-llama".to_owned())
            .spawn(move || serve(&model, context_tokens, threads, &jobs))
            .map_err(|err| LlmError::Embedded(format!("worker thread: {err}")))?;
        *slot = Some(sender.clone());
        Ok(sender)
    }
}

/// The worker: one context for the model's lifetime, jobs in order.
fn serve(
    model: &LlamaModel,
    context_tokens: u32,
    threads: i32,
    jobs: &std::sync::mpsc::Receiver<Job>,
) {
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(context_tokens))
        .with_n_batch(context_tokens)
        .with_n_threads(threads)
        .with_n_threads_batch(threads);
    let context = backend().and_then(|backend| {
        model
            .new_context(backend, params)
            .map_err(|err| LlmError::Embedded(format!("context: {err}")))
    });
    let mut context = match context {
        Ok(context) => context,
        Err(err) => {
            for job in jobs {
                let _ = job.reply.send(Err(err.clone()));
            }
            return;
        }
    };
    // The tokens whose keys and values the context holds, in order.
    let mut cached: Vec<LlamaToken> = Vec::new();
    for job in jobs {
        let result = generate(model, &mut context, &mut cached, context_tokens, &job);
        if result.is_err() {
            cached.clear();
            context.clear_kv_cache();
        }
        let _ = job.reply.send(result);
    }
}

/// Runs one generation, reusing the cached prefix, sending pieces as they come.
fn generate(
    model: &LlamaModel,
    context: &mut LlamaContext<'_>,
    cached: &mut Vec<LlamaToken>,
    context_tokens: u32,
    job: &Job,
) -> Result<ChatReply, LlmError> {
    let fail =
        |what: &str, err: &dyn std::fmt::Display| LlmError::Embedded(format!("{what}: {err}"));
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
    if tokens.is_empty() || needed > usize::try_from(context_tokens).unwrap_or(usize::MAX) {
        return Err(LlmError::Embedded(format!(
            "rozmowa ({} tokenów) nie mieści się w kontekście {context_tokens}",
            tokens.len()
        )));
    }
    // Keep what the cache shares with this prompt; at least the last token is evaluated
    // again, so there are logits to sample from.
    let mut keep = cached
        .iter()
        .zip(&tokens)
        .take_while(|(a, b)| a == b)
        .count()
        .min(tokens.len() - 1);
    let position = |n: usize| i32::try_from(n).map_err(|e| fail("position", &e));
    let removed = context
        .clear_kv_cache_seq(
            Some(0),
            Some(u32::try_from(keep).map_err(|e| fail("position", &e))?),
            None,
        )
        .map_err(|e| fail("cache", &e))?;
    if !removed {
        context.clear_kv_cache();
        keep = 0;
    }
    cached.truncate(keep);
    let fresh = &tokens[keep..];
    let mut batch = LlamaBatch::new(fresh.len().max(1), 1);
    for (i, token) in fresh.iter().enumerate() {
        batch
            .add(*token, position(keep + i)?, &[0], i + 1 == fresh.len())
            .map_err(|e| fail("batch", &e))?;
    }
    context.decode(&mut batch).map_err(|e| fail("decode", &e))?;
    cached.extend_from_slice(fresh);
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
    let mut bytes: Vec<u8> = Vec::new();
    let mut sent = 0;
    let mut generated = 0u32;
    while generated < job.max_tokens {
        if job.stop.load(Ordering::Relaxed) {
            return Err(LlmError::Cancelled);
        }
        // `sample` also accepts the token into the grammar's state.
        let token = sampler.sample(context, batch.n_tokens() - 1);
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
            let _ = job
                .pieces
                .send(String::from_utf8_lossy(&bytes[sent..sent + valid]).into_owned());
            sent += valid;
        }
        batch.clear();
        batch
            .add(token, position(cached.len())?, &[0], true)
            .map_err(|e| fail("batch", &e))?;
        context.decode(&mut batch).map_err(|e| fail("decode", &e))?;
        cached.push(token);
        generated += 1;
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
            let worker = self.worker()?;
            let stop = Arc::new(AtomicBool::new(false));
            let (pieces, mut receiver) = tokio::sync::mpsc::unbounded_channel();
            let (reply, answer) = tokio::sync::oneshot::channel();
            worker
                .send(Job {
                    messages: request.messages,
                    grammar,
                    temperature: request.temperature,
                    max_tokens: request.max_tokens,
                    pieces,
                    stop: stop.clone(),
                    reply,
                })
                .map_err(|_| LlmError::Embedded("the worker thread has stopped".to_owned()))?;
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
            answer
                .await
                .map_err(|_| LlmError::Embedded("the worker thread has stopped".to_owned()))?
        })
    }
}
