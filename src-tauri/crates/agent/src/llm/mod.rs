//! REASON: language models behind one trait ([`Brain`]): Ollama, any OpenAI-compatible
//! server, and (feature `embedded-llm`) llama.cpp in-process. The [`run_loop`] lets a model
//! choose tool calls, constrained to the declared tools' schemas.

pub mod classify;
#[cfg(feature = "embedded-llm")]
pub mod embedded;
pub mod embedder;
mod error;
mod http;
pub mod http_model;
pub mod models;
pub mod ollama;
pub mod openai;
mod run;
pub mod tool_choice;

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

pub use error::LlmError;
pub use run::{run_loop, LoopRun, LoopSettings};

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions.
    System,
    /// The user (and tool results handed back as data).
    User,
    /// The model.
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Who said it.
    pub role: Role,
    /// What was said.
    pub content: String,
}

impl Message {
    /// A message of `role`.
    pub fn new(role: Role, content: impl Into<String>) -> Message {
        Message {
            role,
            content: content.into(),
        }
    }
}

/// A tool as a model sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolSpec {
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// JSON Schema of its arguments.
    pub parameters: Value,
}

/// One request to a model.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    /// The conversation so far.
    pub messages: Vec<Message>,
    /// Tools offered natively (`tools` of the APIs); empty when decoding is constrained.
    pub tools: Vec<ToolSpec>,
    /// A JSON Schema the reply must match (Ollama `format`, OpenAI `response_format`,
    /// a llama.cpp grammar).
    pub schema: Option<Value>,
    /// Sampling temperature (0 = greedy).
    pub temperature: f32,
    /// Most tokens to generate.
    pub max_tokens: u32,
}

/// A tool call the model asked for natively.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NativeToolCall {
    /// The call's id, when the API gives one.
    pub id: Option<String>,
    /// The tool.
    pub name: String,
    /// Its arguments.
    pub arguments: Value,
}

/// A model's reply.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChatReply {
    /// The text.
    pub text: String,
    /// Native tool calls, in order.
    pub tool_calls: Vec<NativeToolCall>,
    /// Tokens of the prompt, when reported.
    pub prompt_tokens: Option<u32>,
    /// Tokens generated, when reported.
    pub completion_tokens: Option<u32>,
}

/// Receives the reply's text as it streams.
pub type TokenSink<'a> = &'a (dyn Fn(&str) + Send + Sync);

/// The future of a chat.
pub type ChatFuture<'a> = Pin<Box<dyn Future<Output = Result<ChatReply, LlmError>> + Send + 'a>>;

/// A language model.
pub trait Brain: Send + Sync {
    /// What it is, e.g. `ollama qwen2.5-coder:0.5b`.
    fn describe(&self) -> String;
    /// How many tokens of context it takes.
    fn context_tokens(&self) -> u32;
    /// Answers `request`, streaming text to `on_text`; stops when `cancel` fires.
    fn chat<'a>(
        &'a self,
        request: ChatRequest,
        on_text: TokenSink<'a>,
        cancel: CancellationToken,
    ) -> ChatFuture<'a>;
}
