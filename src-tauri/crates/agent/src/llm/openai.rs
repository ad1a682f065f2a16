//! Any OpenAI-compatible server (llama.cpp server, vLLM, LM Studio, LocalAI ...):
//! `/v1/chat/completions` streamed as server-sent events, with `tools` and `response_format`
//! json_schema; `/v1/embeddings`.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use super::http::{error_text, stream_lines};
use super::{Brain, ChatFuture, ChatReply, ChatRequest, LlmError, NativeToolCall, TokenSink};

/// A model behind an OpenAI-compatible API.
#[derive(Debug, Clone)]
pub struct OpenAi {
    client: reqwest::Client,
    base_url: String,
    model: String,
    api_key: Option<String>,
    context_tokens: u32,
    timeout_s: u64,
}

impl OpenAi {
    /// `model` at `base_url` (ending in `/v1`), with an optional API key.
    pub fn new(
        base_url: &str,
        model: &str,
        api_key: Option<String>,
        context_tokens: u32,
        timeout_s: u64,
    ) -> OpenAi {
        OpenAi {
            client: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            api_key,
            context_tokens,
            timeout_s,
        }
    }

    /// Embeddings of `texts` (`/embeddings`).
    pub async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        let url = format!("{}/embeddings", self.base_url);
        let mut request = self
            .client
            .post(&url)
            .json(&json!({"model": self.model, "input": texts}));
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request.send().await.map_err(|err| LlmError::Unreachable {
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
        parsed["data"]
            .as_array()
            .ok_or_else(|| LlmError::Protocol("no `data` in the embeddings answer".to_owned()))?
            .iter()
            .map(|item| {
                serde_json::from_value(item["embedding"].clone())
                    .map_err(|err| LlmError::Protocol(format!("embedding: {err}")))
            })
            .collect()
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": self.model,
            "messages": request.messages,
            "stream": true,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
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
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": "dark8_action", "schema": schema},
            });
        }
        body
    }
}

/// Tool calls as they stream: by index, the id and name once, the arguments in pieces.
#[derive(Default)]
struct PendingCalls(BTreeMap<u64, (Option<String>, String, String)>);

impl PendingCalls {
    fn add(&mut self, delta: &Value) {
        let Some(calls) = delta["tool_calls"].as_array() else {
            return;
        };
        for call in calls {
            let index = call["index"].as_u64().unwrap_or(0);
            let entry = self.0.entry(index).or_default();
            if let Some(id) = call["id"].as_str() {
                entry.0 = Some(id.to_owned());
            }
            if let Some(name) = call["function"]["name"].as_str() {
                entry.1.push_str(name);
            }
            if let Some(arguments) = call["function"]["arguments"].as_str() {
                entry.2.push_str(arguments);
            }
        }
    }

    fn finish(self) -> Vec<NativeToolCall> {
        self.0
            .into_values()
            .map(|(id, name, arguments)| NativeToolCall {
                id,
                name,
                arguments: Value::String(arguments),
            })
            .collect()
    }
}

/// Reads one SSE line; `false` at `[DONE]`.
fn read_line(
    line: &str,
    reply: &mut ChatReply,
    calls: &mut PendingCalls,
    on_text: TokenSink<'_>,
) -> Result<bool, LlmError> {
    let Some(data) = line.strip_prefix("data:") else {
        // Comments (": keep-alive") and event names carry nothing we need.
        return Ok(true);
    };
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(false);
    }
    let chunk: Value =
        serde_json::from_str(data).map_err(|err| LlmError::Protocol(format!("{err}: {data}")))?;
    if let Some(error) = chunk.get("error") {
        return Err(LlmError::Server(error_text(
            &json!({"error": error}).to_string(),
        )));
    }
    if let Some(choice) = chunk["choices"].get(0) {
        let delta = &choice["delta"];
        if let Some(text) = delta["content"].as_str().filter(|t| !t.is_empty()) {
            on_text(text);
            reply.text.push_str(text);
        }
        calls.add(delta);
    }
    if let Some(usage) = chunk.get("usage").filter(|u| u.is_object()) {
        reply.prompt_tokens = usage["prompt_tokens"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok());
        reply.completion_tokens = usage["completion_tokens"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok());
    }
    Ok(true)
}

impl Brain for OpenAi {
    fn describe(&self) -> String {
        format!("openai {} ({})", self.model, self.base_url)
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
            let mut calls = PendingCalls::default();
            let done = stream_lines(
                &self.client,
                format!("{}/chat/completions", self.base_url),
                self.api_key.as_deref(),
                self.body(&request),
                self.timeout_s,
                &cancel,
                |line| read_line(line, &mut reply, &mut calls, on_text),
            )
            .await?;
            if !done {
                return Err(LlmError::Protocol(
                    "the stream ended before [DONE]".to_owned(),
                ));
            }
            reply.tool_calls = calls.finish();
            Ok(reply)
        })
    }
}
