//! The settings screen's brain: a model downloaded in the background with its progress seen
//! part way, checked by SHA-256 and listed; bad downloads refused before anything is fetched;
//! the connection test against no model and against an OpenAI-compatible server replaying
//! the real wire format (server-sent `chat.completion.chunk` events).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::Api;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Reads one HTTP request's head from `stream`; its first line.
fn read_head(stream: &std::net::TcpStream) -> String {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    std::io::Read::read_exact(&mut reader, &mut body).unwrap();
    first
}

/// Serves `body` slowly (64 KiB every 20 ms) to every GET; its port.
fn serve_slowly(body: Vec<u8>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            read_head(&stream);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            if stream.write_all(head.as_bytes()).is_err() {
                continue;
            }
            for chunk in body.chunks(64 * 1024) {
                if stream.write_all(chunk).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_downloads_in_the_background_with_progress_and_is_listed() {
    let api = Api::start().await;
    let mut bytes = b"GGUF".to_vec();
    bytes.extend((0..2_000_000u32).map(|i| (i * 7 % 251) as u8));
    let sha = hex::encode(Sha256::digest(&bytes));
    let port = serve_slowly(bytes.clone());
    let catalog = api.json("/api/v1/models").await;
    assert_eq!(catalog["models"][0]["name"], "qwen2.5-coder-0.5b");
    assert_eq!(catalog["models"][0]["downloaded"], false);
    let url = format!("http://127.0.0.1:{port}/maly.gguf");
    let started = api
        .post(
            "/api/v1/models/pull",
            &json!({"name": "maly-testowy", "url": url, "sha256": sha}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 202);
    let pull: Value = started.json().await.unwrap();
    assert_eq!(pull["file"], "maly-testowy.gguf");
    assert_eq!(pull["state"], "running");
    // Asking again while it runs gives the same download.
    let again: Value = api
        .post(
            "/api/v1/models/pull",
            &json!({"name": "maly-testowy", "url": url, "sha256": sha}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["started_at"], pull["started_at"]);
    let mut seen_part_way = false;
    let mut last = Value::Null;
    for _ in 0..400 {
        last = api.json("/api/v1/models").await;
        let pull = &last["pulls"][0];
        let done = pull["done_bytes"].as_u64().unwrap();
        if pull["state"] == "running" && done > 0 && done < bytes.len() as u64 {
            assert_eq!(pull["total_bytes"], bytes.len() as u64);
            seen_part_way = true;
        }
        if pull["state"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(seen_part_way, "{last}");
    assert_eq!(last["pulls"][0]["state"], "done", "{last}");
    assert_eq!(last["pulls"][0]["done_bytes"], bytes.len() as u64);
    let local = last["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["file"] == "maly-testowy.gguf")
        .unwrap();
    assert_eq!(local["downloaded"], true);
    assert_eq!(local["size_bytes"], bytes.len() as u64);
    let dir = std::path::PathBuf::from(last["dir"].as_str().unwrap());
    let stored = std::fs::read(dir.join("maly-testowy.gguf")).unwrap();
    assert_eq!(stored, bytes);

    // A wrong checksum fails the download and keeps nothing.
    api.post(
        "/api/v1/models/pull",
        &json!({"name": "zly", "url": url, "sha256": "0".repeat(64)}),
    )
    .send()
    .await
    .unwrap();
    let mut failed = Value::Null;
    for _ in 0..400 {
        failed = api.json("/api/v1/models").await["pulls"][0].clone();
        if failed["state"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(failed["state"], "failed", "{failed}");
    assert!(
        failed["error"].as_str().unwrap().contains("SHA-256"),
        "{failed}"
    );
    assert!(!dir.join("zly.gguf").exists());
    assert!(!dir.join("zly.gguf.part").exists());

    // Refused before anything is fetched, in Polish.
    for body in [
        json!({"name": "nie-ma-takiego"}),
        json!({"name": "../x", "url": url, "sha256": sha}),
        json!({"name": "x", "url": "file:///etc/passwd", "sha256": sha}),
        json!({"name": "x", "url": url}),
        json!({"name": "x", "unknown": 1}),
    ] {
        let response = api.post("/api/v1/models/pull", &body).send().await.unwrap();
        // A body of the wrong shape is 422, as on every route; a bad value 400.
        let expected = if body.get("unknown").is_some() {
            422
        } else {
            400
        };
        assert_eq!(response.status(), expected, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(!error["error"]["message"].as_str().unwrap().is_empty());
    }
}

/// Answers every request as an OpenAI-compatible server streaming "Działam." would.
fn fake_openai() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let first = read_head(&stream);
            assert!(first.starts_with("POST /v1/chat/completions"), "{first}");
            let chunk = |delta: Value, finish: Value| json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1_795_000_000, "model": "qwen", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]});
            let mut body = String::new();
            for event in [
                chunk(json!({"role": "assistant", "content": ""}), Value::Null),
                chunk(json!({"content": "Działam"}), Value::Null),
                chunk(json!({"content": "."}), Value::Null),
                chunk(json!({}), json!("stop")),
            ] {
                body.push_str(&format!("data: {event}\n\n"));
            }
            body.push_str("data: [DONE]\n\n");
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_test_says_what_the_model_answered() {
    let api = Api::start().await;
    let check = |api: &Api| {
        let request = api.post("/api/v1/brain/check", &json!({}));
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let none = check(&api).await;
    assert_eq!(none["ok"], false, "{none}");
    assert!(
        none["detail"].as_str().unwrap().contains("Brak modelu"),
        "{none}"
    );
    assert!(!none["hint"].as_str().unwrap().is_empty());

    let port = fake_openai();
    let patched = api
        .client
        .patch(format!("{}/api/v1/settings", api.base))
        .bearer_auth(&api.token)
        .json(&json!({"changes": {"llm.provider": "openai", "llm.openai_url": format!("http://127.0.0.1:{port}/v1")}}))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200);
    let answered = check(&api).await;
    assert_eq!(answered["ok"], true, "{answered}");
    assert_eq!(answered["provider"], "openai");
    assert_eq!(answered["answer"], "Działam.");
    assert!(answered["latency_ms"].as_u64().is_some());
}
