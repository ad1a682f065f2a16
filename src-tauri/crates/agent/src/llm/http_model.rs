//! One model behind an HTTP API, whatever its wire format: the endpoint (client, URL, model,
//! key, context, time limit), the chat stream with retries, cancellation and the end marker,
//! and embeddings. [`WireFormat`] is all that differs between Ollama and OpenAI-compatible
//! servers: the paths, the request body, how a streamed line reads, how embeddings come back.

use std::marker::PhantomData;
use std::time::Duration;

use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use super::http::{error_text, stream_lines};
use super::{Brain, ChatFuture, ChatReply, ChatRequest, LlmError, TokenSink};

/// How one HTTP model API speaks.
pub trait WireFormat: Send + Sync + 'static {
    /// Its name in descriptions (`ollama`, `openai`).
    const NAME: &'static str;
    /// The streamed chat endpoint, after the base URL.
    const CHAT_PATH: &'static str;
    /// The embeddings endpoint, after the base URL.
    const EMBED_PATH: &'static str;
    /// The stream's end marker, named when a stream stops before it.
    const END_MARKER: &'static str;
    /// What a reply keeps between streamed lines (e.g. tool-call pieces).
    type Pending: Default + Send;

    /// The chat request body for `endpoint`'s model.
    fn chat_body(endpoint: &Endpoint, request: &ChatRequest) -> Value;
    /// Reads one streamed line into `reply`; `false` at the end marker.
    fn read_line(
        line: &str,
        reply: &mut ChatReply,
        pending: &mut Self::Pending,
        on_text: TokenSink<'_>,
    ) -> Result<bool, LlmError>;
    /// Completes `reply` from what was pending when the stream ended.
    fn finish(_reply: &mut ChatReply, _pending: Self::Pending) {}
    /// The vectors of an embeddings answer.
    fn embeddings(answer: &Value) -> Result<Vec<Vec<f32>>, LlmError>;
}

/// Where a model is and how to talk to it.
#[derive(Debug, Clone)]
pub struct Endpoint {
    client: reqwest::Client,
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// The model's name on the server.
    pub model: String,
    api_key: Option<String>,
    /// Tokens of context the model takes.
    pub context_tokens: u32,
    /// Time limit of one answer, in seconds.
    pub timeout_s: u64,
}

impl Endpoint {
    /// `model` at `base_url`, with an optional API key, a context of `context_tokens` and a
    /// time limit per answer.
    pub fn new(
        base_url: &str,
        model: &str,
        api_key: Option<String>,
        context_tokens: u32,
        timeout_s: u64,
    ) -> Endpoint {
        Endpoint {
            client: reqwest::Client::new(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            model: model.to_owned(),
            api_key,
            context_tokens,
            timeout_s,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    fn unreachable(url: &str, err: &reqwest::Error) -> LlmError {
        LlmError::Unreachable {
            url: url.to_owned(),
            detail: err.to_string(),
        }
    }

    /// GETs `path` as JSON within `timeout`.
    pub async fn get_json(&self, path: &str, timeout: Duration) -> Result<Value, LlmError> {
        let url = self.url(path);
        let response = self
            .client
            .get(&url)
            .timeout(timeout)
            .send()
            .await
            .map_err(|err| Endpoint::unreachable(&url, &err))?;
        response
            .json()
            .await
            .map_err(|err| LlmError::Protocol(err.to_string()))
    }

    /// POSTs `body` to `path` and reads the JSON answer; an HTTP error carries the server's
    /// own message.
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<Value, LlmError> {
        let url = self.url(path);
        let mut request = self.client.post(&url).json(body);
        if let Some(key) = &self.api_key {
            request = request.bearer_auth(key);
        }
        let response = request
            .send()
            .await
            .map_err(|err| Endpoint::unreachable(&url, &err))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(LlmError::Server(error_text(&text)));
        }
        serde_json::from_str(&text).map_err(|err| LlmError::Protocol(err.to_string()))
    }
}

/// The `tools` of a chat request in the function-calling form both APIs take, or `None`.
pub fn native_tools(request: &ChatRequest) -> Option<Value> {
    (!request.tools.is_empty()).then(|| {
        Value::Array(
            request
                .tools
                .iter()
                .map(|t| {
                    json!({"type": "function", "function": {
                        "name": t.name, "description": t.description, "parameters": t.parameters,
                    }})
                })
                .collect(),
        )
    })
}

/// A token count the server reported, when it is one.
pub fn token_count(value: &Value) -> Option<u32> {
    value.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// A model behind an HTTP API speaking `W`.
#[derive(Debug, Clone)]
pub struct HttpModel<W> {
    endpoint: Endpoint,
    format: PhantomData<W>,
}

impl<W: WireFormat> HttpModel<W> {
    /// The model at `endpoint`.
    pub fn at(endpoint: Endpoint) -> HttpModel<W> {
        HttpModel {
            endpoint,
            format: PhantomData,
        }
    }

    /// Where it is.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Embeddings of `texts`.
    pub async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, LlmError> {
        let body = json!({"model": self.endpoint.model, "input": texts});
        let answer = self.endpoint.post_json(W::EMBED_PATH, &body).await?;
        W::embeddings(&answer)
    }
}

impl<W: WireFormat> Brain for HttpModel<W> {
    fn describe(&self) -> String {
        format!(
            "{} {} ({})",
            W::NAME,
            self.endpoint.model,
            self.endpoint.base_url
        )
    }

    fn context_tokens(&self) -> u32 {
        self.endpoint.context_tokens
    }

    fn chat<'a>(
        &'a self,
        request: ChatRequest,
        on_text: TokenSink<'a>,
        cancel: CancellationToken,
    ) -> ChatFuture<'a> {
        Box::pin(async move {
            let endpoint = &self.endpoint;
            let mut reply = ChatReply::default();
            let mut pending = W::Pending::default();
            let done = stream_lines(
                &endpoint.client,
                endpoint.url(W::CHAT_PATH),
                endpoint.api_key.as_deref(),
                W::chat_body(endpoint, &request),
                endpoint.timeout_s,
                &cancel,
                |line| W::read_line(line, &mut reply, &mut pending, on_text),
            )
            .await?;
            if !done {
                return Err(LlmError::Protocol(format!(
                    "the stream ended before {}",
                    W::END_MARKER
                )));
            }
            W::finish(&mut reply, pending);
            Ok(reply)
        })
    }
}
