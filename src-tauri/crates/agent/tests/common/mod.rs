//! Shared by the agent's test suites: every built-in tool plus memory behind a real executor
//! (temp workspace, real database file), and local HTTP servers that replay the exact wire
//! formats of Ollama and OpenAI-compatible APIs.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // shared by several test crates

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use dark8_agent::memory::Memory;
use dark8_store::Store;
use dark8_tools::{Executor, PolicyConfig};
use serde_json::Value;

/// An executor over the built-in tools and memory, with its workspace, data dir and store.
pub async fn executor() -> (Executor, tempfile::TempDir, tempfile::TempDir, Store) {
    dark8_test_support::fixture_with(
        PolicyConfig::default(),
        |_| {},
        |store, _| dark8_agent::tools(Memory::new(store.clone()).unwrap()),
    )
    .await
    .into_parts()
}

/// What a replay server answers to each POST, in order (the last one repeats).
#[derive(Clone)]
pub struct Replay {
    /// (status, content type, body chunks) per request.
    pub answers: Arc<Vec<(u16, &'static str, Vec<String>)>>,
    /// The request bodies received.
    pub requests: Arc<Mutex<Vec<Value>>>,
}

/// Starts a server on a free loopback port that answers every POST with the next answer of
/// `answers`, streaming its chunks; GET `/api/tags` lists one model. Returns the base URL.
pub async fn replay(answers: Vec<(u16, &'static str, Vec<String>)>) -> (String, Replay) {
    let state = Replay {
        answers: Arc::new(answers),
        requests: Arc::new(Mutex::new(Vec::new())),
    };
    let handler_state = state.clone();
    let app = axum::Router::new()
        .route(
            "/api/tags",
            axum::routing::get(|| async {
                axum::Json(serde_json::json!({"models": [{"name": "qwen2.5-coder:0.5b", "size": 397821319}]}))
            }),
        )
        .fallback(move |body: axum::body::Bytes| {
            let state = handler_state.clone();
            async move {
                let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let n = {
                    let mut requests = state.requests.lock().unwrap();
                    requests.push(value);
                    requests.len() - 1
                };
                let (status, content_type, chunks) = state
                    .answers
                    .get(n)
                    .or_else(|| state.answers.last())
                    .cloned()
                    .unwrap();
                let stream = futures_util::stream::iter(
                    chunks.into_iter().map(Ok::<_, std::io::Error>),
                );
                Response::builder()
                    .status(StatusCode::from_u16(status).unwrap())
                    .header("content-type", content_type)
                    .body(Body::from_stream(stream))
                    .unwrap()
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, state)
}

/// NDJSON lines of Ollama's `/api/chat`.
pub fn ndjson(lines: &[Value]) -> Vec<String> {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Server-sent events of OpenAI's `/v1/chat/completions`, ending in `[DONE]` when `done`.
pub fn sse(chunks: &[Value], done: bool) -> Vec<String> {
    let mut events: Vec<String> = chunks.iter().map(|c| format!("data: {c}\n\n")).collect();
    if done {
        events.push("data: [DONE]\n\n".to_owned());
    }
    events
}
