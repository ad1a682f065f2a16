//! Any OpenAI-compatible server (llama.cpp server, vLLM, LM Studio, LocalAI ...):
//! `/v1/chat/completions` streamed as server-sent events, with `tools` and `response_format`
//! json_schema; `/v1/embeddings`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::http::error_text;
use super::http_model::{native_tools, token_count, Endpoint, HttpModel, WireFormat};
use super::{ChatReply, ChatRequest, LlmError, NativeToolCall, TokenSink};

/// The OpenAI-compatible wire format.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenAiFormat;

/// A model behind an OpenAI-compatible API: `OpenAi::at(Endpoint::new(…))` with the base
/// URL ending in `/v1` and the API key, if the server wants one.
pub type OpenAi = HttpModel<OpenAiFormat>;

impl WireFormat for OpenAiFormat {
    const NAME: &'static str = "openai";
    const CHAT_PATH: &'static str = "/chat/completions";
    const EMBED_PATH: &'static str = "/embeddings";
    const END_MARKER: &'static str = "[DONE]";
    type Pending = PendingCalls;

    fn chat_body(endpoint: &Endpoint, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": endpoint.model,
            "messages": request.messages,
            "stream": true,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        });
        if let Some(tools) = native_tools(request) {
            body["tools"] = tools;
        }
        if let Some(schema) = &request.schema {
            body["response_format"] = json!({
                "type": "json_schema",
                "json_schema": {"name": "dark8_action", "schema": schema},
            });
        }
        body
    }

    fn read_line(
        line: &str,
        reply: &mut ChatReply,
        pending: &mut PendingCalls,
        on_text: TokenSink<'_>,
    ) -> Result<bool, LlmError> {
        read_line(line, reply, pending, on_text)
    }

    fn finish(reply: &mut ChatReply, pending: PendingCalls) {
        reply.tool_calls = pending.finish();
    }

    /// The vectors in the order of the inputs: each item names its input's `index` (servers
    /// may answer out of order).
    fn embeddings(answer: &Value) -> Result<Vec<Vec<f32>>, LlmError> {
        let mut items = answer["data"]
            .as_array()
            .ok_or_else(|| LlmError::Protocol("no `data` in the embeddings answer".to_owned()))?
            .iter()
            .enumerate()
            .map(|(position, item)| {
                let index = item["index"].as_u64().unwrap_or(position as u64);
                serde_json::from_value(item["embedding"].clone())
                    .map(|vector: Vec<f32>| (index, vector))
                    .map_err(|err| LlmError::Protocol(format!("embedding: {err}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by_key(|(index, _)| *index);
        Ok(items.into_iter().map(|(_, vector)| vector).collect())
    }
}

/// Tool calls as they stream: by index, the id and name once, the arguments in pieces.
#[derive(Debug, Default)]
pub struct PendingCalls(BTreeMap<u64, (Option<String>, String, String)>);

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
        reply.prompt_tokens = token_count(&usage["prompt_tokens"]);
        reply.completion_tokens = token_count(&usage["completion_tokens"]);
    }
    Ok(true)
}
