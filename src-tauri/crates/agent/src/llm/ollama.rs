//! Ollama's HTTP API: `/api/chat` (streamed NDJSON, `tools`, `format`, `options`),
//! `/api/tags` and `/api/embed`.

use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use super::http::{error_text, stream_lines};
use super::{Brain, ChatFuture, ChatReply, ChatRequest, LlmError, NativeToolCall, TokenSink};

/// A model served by Ollama.
#[derive(Debug, Clone)]
pub struct Ollama {
    client: reqwest::Client,
    base_url: String,
    model: String,
    context_tokens: u32,
    timeout_s: u64,
}

impl Ollama {
    /// `model` at `base_url` (e.g. `http://127.0.0.1:11434`), with a context of
    /// `context_tokens` and a time limit per answer.
    pub fn new(base_url: &str, model: &str, context_tokens: u32, timeout_s: u64) -> Ollama {
        Ollama {
            client: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            context_tokens,
            timeout_s,
        }
    }

    /// The models the server has (`/api/tags`).
    pub async fn models(&self) -> Result<Vec<String>, LlmError> {
        let url = format!("{}/api/tags", self.base_url);
        let response = self
            .client
            .get(&url)
            .timeout(std::time::Duration::from_secs(5))
            .send()
            .await
            .map_err(|err| LlmError::Unreachable {
                url: url.clone(),
                detail: err.to_string(),
            })?;
        let body: Value = response
            .json()
            .await
            .map_err(|err| LlmError::Protocol(err.to_string()))?;
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

    /// Embeddings of `texts` (`/api/embed`).
    pub async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        let url = format!("{}/api/embed", self.base_url);
        let response = self
            .client
            .post(&url)
            .json(&json!({"model": self.model, "input": texts}))
            .send()
            .await
            .map_err(|err| LlmError::Unreachable {
                url: url.clone(),
                detail: err.to_string(),
            })?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(LlmError::Server(error_text(&body)));
        }
        let parsed: Value =
            serde_json::from_str(&body).map_err(|err| LlmError::Protocol(err.to_string()))?;
        serde_json::from_value(parsed["embeddings"].clone())
            .map_err(|err| LlmError::Protocol(format!("embeddings: {err}")))
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": self.model,
            "messages": request.messages,
            "stream": true,
            "options": {
                "temperature": request.temperature,
                "num_predict": request.max_tokens,
                "num_ctx": self.context_tokens,
            },
        });
        if !request.tools.is_empty() {
            body["tools"] = Value::Array(
                request
                    .tools
                    .iter()
                    .map(|t| json!({"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}))
                    .collect(),
            );
        }
        if let Some(schema) = &request.schema {
            body["format"] = schema.clone();
        }
        body
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
        reply.prompt_tokens = chunk["prompt_eval_count"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok());
        reply.completion_tokens = chunk["eval_count"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok());
        return Ok(false);
    }
    Ok(true)
}

impl Brain for Ollama {
    fn describe(&self) -> String {
        format!("ollama {} ({})", self.model, self.base_url)
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
            let mut reply = ChatReply::default();
            let done = stream_lines(
                &self.client,
                format!("{}/api/chat", self.base_url),
                None,
                self.body(&request),
                self.timeout_s,
                &cancel,
                |line| read_line(line, &mut reply, on_text),
            )
            .await?;
            if !done {
                return Err(LlmError::Protocol(
                    "the stream ended before `done`".to_owned(),
                ));
            }
            Ok(reply)
        })
    }
}
