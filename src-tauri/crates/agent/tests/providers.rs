//! The LLM providers against local servers that answer in Ollama's and OpenAI's exact wire
//! formats: streamed chunks, tool calls (with id and index, several in one reply, arguments
//! as an object and as a string), errors mid-stream, retries and unreachable servers.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::sync::Mutex;

use dark8_agent::llm::http_model::Endpoint;
use dark8_agent::llm::ollama::Ollama;
use dark8_agent::llm::openai::OpenAi;
use dark8_agent::llm::{Brain, ChatRequest, LlmError, Message, Role, ToolSpec};
use serde_json::json;
use tokio_util::sync::CancellationToken;

fn request(schema: bool, tools: bool) -> ChatRequest {
    ChatRequest {
        messages: vec![
            Message::new(Role::System, "Jesteś DARK8."),
            Message::new(Role::User, "Pokaż plik a.txt i stan repozytorium"),
        ],
        tools: if tools {
            vec![ToolSpec {
                name: "fs_read".into(),
                description: "Czyta plik".into(),
                parameters: json!({"type": "object", "properties": {"path": {"type": "string"}}}),
            }]
        } else {
            Vec::new()
        },
        schema: schema.then(|| json!({"type": "object"})),
        temperature: 0.0,
        max_tokens: 64,
    }
}

#[tokio::test]
async fn ollama_streams_text_and_reads_tool_calls_with_object_arguments() {
    let (url, server) = common::replay(vec![
        (200, "application/x-ndjson", common::ndjson(&[
            json!({"model": "qwen2.5-coder:0.5b", "created_at": "2026-11-26T10:00:00Z", "message": {"role": "assistant", "content": "Dzień "}, "done": false}),
            json!({"model": "qwen2.5-coder:0.5b", "created_at": "2026-11-26T10:00:00Z", "message": {"role": "assistant", "content": "dobry"}, "done": false}),
            json!({"model": "qwen2.5-coder:0.5b", "created_at": "2026-11-26T10:00:01Z", "message": {"role": "assistant", "content": ""}, "done": true, "done_reason": "stop", "total_duration": 1_000_000, "prompt_eval_count": 26, "eval_count": 3}),
        ])),
        (200, "application/x-ndjson", common::ndjson(&[
            json!({"model": "qwen2.5-coder:0.5b", "created_at": "2026-11-26T10:00:00Z", "message": {"role": "assistant", "content": "", "tool_calls": [
                {"function": {"name": "fs_read", "arguments": {"path": "a.txt"}}},
                {"function": {"name": "git_status", "arguments": {}}}
            ]}, "done": false}),
            json!({"model": "qwen2.5-coder:0.5b", "created_at": "2026-11-26T10:00:01Z", "message": {"role": "assistant", "content": ""}, "done": true, "prompt_eval_count": 40, "eval_count": 20}),
        ])),
    ])
    .await;
    let ollama = Ollama::new(&url, "qwen2.5-coder:0.5b", 4096, 30);
    assert_eq!(ollama.models().await.unwrap(), ["qwen2.5-coder:0.5b"]);
    let pieces = Mutex::new(Vec::new());
    let reply = ollama
        .chat(
            request(true, false),
            &|t| pieces.lock().unwrap().push(t.to_owned()),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(reply.text, "Dzień dobry");
    assert_eq!(*pieces.lock().unwrap(), ["Dzień ", "dobry"]);
    assert_eq!(
        (reply.prompt_tokens, reply.completion_tokens),
        (Some(26), Some(3))
    );
    let sent = server.requests.lock().unwrap()[0].clone();
    assert_eq!(sent["stream"], true);
    assert_eq!(sent["format"], json!({"type": "object"}));
    assert_eq!(sent["options"]["temperature"], 0.0);
    assert_eq!(sent["options"]["num_ctx"], 4096);
    assert_eq!(sent["messages"][1]["role"], "user");

    let reply = ollama
        .chat(request(false, true), &|_| {}, CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(reply.tool_calls.len(), 2);
    assert_eq!(reply.tool_calls[0].name, "fs_read");
    assert_eq!(reply.tool_calls[0].arguments, json!({"path": "a.txt"}));
    assert_eq!(reply.tool_calls[1].name, "git_status");
    let sent = server.requests.lock().unwrap()[1].clone();
    assert_eq!(sent["tools"][0]["type"], "function");
    assert_eq!(sent["tools"][0]["function"]["name"], "fs_read");
    assert!(sent.get("format").is_none());
}

#[tokio::test]
async fn ollama_reports_an_error_mid_stream_and_a_cut_stream() {
    let (url, _) = common::replay(vec![
        (200, "application/x-ndjson", common::ndjson(&[
            json!({"model": "m", "created_at": "2026-11-26T10:00:00Z", "message": {"role": "assistant", "content": "Zaczy"}, "done": false}),
            json!({"error": "model runner has unexpectedly stopped"}),
        ])),
        (200, "application/x-ndjson", common::ndjson(&[
            json!({"model": "m", "created_at": "2026-11-26T10:00:00Z", "message": {"role": "assistant", "content": "Zaczy"}, "done": false}),
        ])),
        (404, "application/json", vec![json!({"error": "model 'm' not found"}).to_string()]),
    ])
    .await;
    let ollama = Ollama::new(&url, "m", 4096, 30);
    let err = ollama
        .chat(request(false, false), &|_| {}, CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        LlmError::Server("model runner has unexpectedly stopped".into())
    );
    let err = ollama
        .chat(request(false, false), &|_| {}, CancellationToken::new())
        .await
        .unwrap_err();
    assert!(matches!(err, LlmError::Protocol(_)), "{err:?}");
    let err = ollama
        .chat(request(false, false), &|_| {}, CancellationToken::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("model 'm' not found"), "{err}");
}

#[tokio::test]
async fn openai_streams_text_and_assembles_indexed_tool_calls_from_string_pieces() {
    let chunk = |delta: serde_json::Value, finish: serde_json::Value| json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1_795_000_000, "model": "qwen", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
    let (url, server) = common::replay(vec![
        (200, "text/event-stream", common::sse(&[
            chunk(json!({"role": "assistant", "content": ""}), json!(null)),
            chunk(json!({"content": "Cześć"}), json!(null)),
            chunk(json!({"content": "!"}), json!(null)),
            chunk(json!({}), json!("stop")),
            json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [], "usage": {"prompt_tokens": 21, "completion_tokens": 2, "total_tokens": 23}}),
        ], true)),
        (200, "text/event-stream", common::sse(&[
            chunk(json!({"role": "assistant", "tool_calls": [{"index": 0, "id": "call_a1", "type": "function", "function": {"name": "fs_read", "arguments": ""}}]}), json!(null)),
            chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"pa"}}]}), json!(null)),
            chunk(json!({"tool_calls": [{"index": 0, "function": {"arguments": "th\": \"a.txt\"}"}}]}), json!(null)),
            chunk(json!({"tool_calls": [{"index": 1, "id": "call_b2", "type": "function", "function": {"name": "git_status", "arguments": "{}"}}]}), json!(null)),
            chunk(json!({}), json!("tool_calls")),
        ], true)),
        (200, "text/event-stream", {
            let mut events = common::sse(&[chunk(json!({"content": "Za"}), json!(null))], false);
            events.push(format!("data: {}\n\n", json!({"error": {"message": "server overloaded", "type": "server_error"}})));
            events
        }),
    ])
    .await;
    let openai = OpenAi::at(Endpoint::new(
        &format!("{url}/v1"),
        "qwen",
        Some("sk-test".into()),
        4096,
        30,
    ));
    let pieces = Mutex::new(String::new());
    let reply = openai
        .chat(
            request(true, false),
            &|t| pieces.lock().unwrap().push_str(t),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert_eq!(reply.text, "Cześć!");
    assert_eq!(*pieces.lock().unwrap(), "Cześć!");
    assert_eq!(reply.prompt_tokens, Some(21));
    let sent = server.requests.lock().unwrap()[0].clone();
    assert_eq!(sent["response_format"]["type"], "json_schema");
    assert_eq!(
        sent["response_format"]["json_schema"]["schema"],
        json!({"type": "object"})
    );
    assert_eq!(sent["stream"], true);

    let reply = openai
        .chat(request(false, true), &|_| {}, CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(reply.tool_calls.len(), 2);
    assert_eq!(reply.tool_calls[0].id.as_deref(), Some("call_a1"));
    assert_eq!(reply.tool_calls[0].name, "fs_read");
    assert_eq!(
        reply.tool_calls[0].arguments,
        json!("{\"path\": \"a.txt\"}")
    );
    assert_eq!(reply.tool_calls[1].id.as_deref(), Some("call_b2"));
    // The loop reads the string arguments as JSON.
    let choice = dark8_agent::llm::tool_choice::parse(&reply).unwrap();
    assert_eq!(
        choice,
        dark8_agent::llm::tool_choice::Choice::Call {
            id: Some("call_a1".into()),
            name: "fs_read".into(),
            arguments: json!({"path": "a.txt"})
        }
    );
    let sent = server.requests.lock().unwrap()[1].clone();
    assert_eq!(sent["tools"][0]["function"]["parameters"]["type"], "object");

    let err = openai
        .chat(request(false, false), &|_| {}, CancellationToken::new())
        .await
        .unwrap_err();
    assert_eq!(err, LlmError::Server("server overloaded".into()));
}

#[tokio::test]
async fn busy_servers_are_retried_and_unreachable_ones_explained_in_polish() {
    let (url, server) = common::replay(vec![
        (503, "application/json", vec![json!({"error": "busy"}).to_string()]),
        (200, "application/x-ndjson", common::ndjson(&[
            json!({"model": "m", "created_at": "2026-11-26T10:00:00Z", "message": {"role": "assistant", "content": "ok"}, "done": true}),
        ])),
    ])
    .await;
    let ollama = Ollama::new(&url, "m", 4096, 30);
    let reply = ollama
        .chat(request(false, false), &|_| {}, CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(reply.text, "ok");
    assert_eq!(server.requests.lock().unwrap().len(), 2);

    // Nothing listens on port 9 of loopback.
    let nobody = Ollama::new("http://127.0.0.1:9", "m", 4096, 30);
    let err = nobody
        .chat(request(false, false), &|_| {}, CancellationToken::new())
        .await
        .unwrap_err();
    assert!(matches!(err, LlmError::Unreachable { .. }));
    assert!(
        err.to_string()
            .starts_with("Serwer modelu językowego http://127.0.0.1:9/api/chat nie odpowiada"),
        "{err}"
    );
    assert!(err.hint().contains("dark8 doctor"));

    let cancel = CancellationToken::new();
    cancel.cancel();
    let err = ollama
        .chat(request(false, false), &|_| {}, cancel)
        .await
        .unwrap_err();
    assert_eq!(err, LlmError::Cancelled);
}
