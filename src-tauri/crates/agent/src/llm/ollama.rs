//! Ollama's HTTP API: `/api/chat` (streamed NDJSON, `tools`, `format`, `options`),
//! `/api/tags` and `/api/embed`.

use std::time::Duration;

use serde_json::{json, Value};

use super::http_model::{native_tools, token_count, Endpoint, HttpModel, WireFormat};
use super::{ChatReply, ChatRequest, LlmError, NativeToolCall, TokenSink};

/// Ollama's wire format.
#[derive(Debug, Clone, Copy, Default)]
pub struct OllamaFormat;

/// A model served by Ollama.
pub type Ollama = HttpModel<OllamaFormat>;

impl HttpModel<OllamaFormat> {
    /// `model` at `base_url` (e.g. `http://127.0.0.1:11434`), with a context of
    /// `context_tokens` and a time limit per answer.
    pub fn new(base_url: &str, model: &str, context_tokens: u32, timeout_s: u64) -> Ollama {
        HttpModel::at(Endpoint::new(
            base_url,
            model,
            None,
            context_tokens,
            timeout_s,
        ))
    }

    /// The models the server has (`/api/tags`).
    pub async fn models(&self) -> Result<Vec<String>, LlmError> {
        let body = self
            .endpoint()
            .get_json("/api/tags", Duration::from_secs(5))
            .await?;
        Ok(body["models"]
            .as_array()
            .map(|models| {
                models
                    .iter()
                    .filter_map(|m| m["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }
}

impl WireFormat for OllamaFormat {
    const NAME: &'static str = "ollama";
    const CHAT_PATH: &'static str = "/api/chat";
    const EMBED_PATH: &'static str = "/api/embed";
    const END_MARKER: &'static str = "`done`";
    type Pending = ();

    fn chat_body(endpoint: &Endpoint, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": endpoint.model,
            "messages": request.messages,
            "stream": true,
            "options": {
                "temperature": request.temperature,
                "num_predict": request.max_tokens,
                "num_ctx": endpoint.context_tokens,
            },
        });
        if let Some(tools) = native_tools(request) {
            body["tools"] = tools;
        }
        if let Some(schema) = &request.schema {
            body["format"] = schema.clone();
        }
        body
    }

    fn read_line(
        line: &str,
        reply: &mut ChatReply,
        _pending: &mut (),
        on_text: TokenSink<'_>,
    ) -> Result<bool, LlmError> {
        read_line(line, reply, on_text)
    }

    fn embeddings(answer: &Value) -> Result<Vec<Vec<f32>>, LlmError> {
        serde_json::from_value(answer["embeddings"].clone())
            .map_err(|err| LlmError::Protocol(format!("embeddings: {err}")))
    }
}

/// Reads one NDJSON line of `/api/chat` into `reply`; `false` once `done`.
fn read_line(line: &str, reply: &mut ChatReply, on_text: TokenSink<'_>) -> Result<bool, LlmError> {
    let chunk: Value =
        serde_json::from_str(line).map_err(|err| LlmError::Protocol(format!("{err}: {line}")))?;
    if let Some(error) = chunk.get("error") {
        return Err(LlmError::Server(
            error
                .as_str()
                .map_or_else(|| error.to_string(), str::to_owned),
        ));
    }
    let message = &chunk["message"];
    if let Some(text) = message["content"].as_str().filter(|t| !t.is_empty()) {
        on_text(text);
        reply.text.push_str(text);
    }
    if let Some(calls) = message["tool_calls"].as_array() {
        for call in calls {
            let function = &call["function"];
            reply.tool_calls.push(NativeToolCall {
                id: call["id"].as_str().map(str::to_owned),
                name: function["name"].as_str().unwrap_or_default().to_owned(),
                arguments: function["arguments"].clone(),
            });
        }
    }
    if chunk["done"].as_bool() == Some(true) {
        reply.prompt_tokens = token_count(&chunk["prompt_eval_count"]);
        reply.completion_tokens = token_count(&chunk["eval_count"]);
        return Ok(false);
    }
    Ok(true)
}
