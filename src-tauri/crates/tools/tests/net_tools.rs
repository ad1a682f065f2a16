//! HTTP and WebSocket tools through the executor against a real local server (axum on
//! 127.0.0.1): JSON, redirects and their limits, size and time limits, errors in Polish.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use dark8_protocol::ToolStatus;
use serde_json::{json, Value};

async fn echo_socket(mut socket: WebSocket) {
    while let Some(Ok(message)) = socket.recv().await {
        if let Message::Text(text) = message {
            if socket
                .send(Message::Text(format!("echo: {text}").into()))
                .await
                .is_err()
            {
                return;
            }
        }
    }
}

async fn server() -> String {
    let app = Router::new()
        .route(
            "/json",
            get(|| async { Json(json!({"nazwa": "dark8", "wersja": [0, 1]})) }),
        )
        .route(
            "/echo",
            post(|Json(body): Json<Value>| async move { Json(json!({"otrzymano": body})) }),
        )
        .route("/hop1", get(|| async { Redirect::temporary("/hop2") }))
        .route("/hop2", get(|| async { Redirect::temporary("/json") }))
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route(
            "/metadata",
            get(|| async { Redirect::temporary("http://169.254.169.254/latest/meta-data/") }),
        )
        .route("/big", get(|| async { "x".repeat(2 * 1024 * 1024) }))
        .route(
            "/missing",
            get(|| async { (StatusCode::NOT_FOUND, "nie ma") }),
        )
        .route(
            "/cookie",
            get(|| async { ([(header::SET_COOKIE, "session=tajne-ciastko-123")], "ok") }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                "późno"
            }),
        )
        .route(
            "/ws",
            any(|ws: WebSocketUpgrade| async { ws.on_upgrade(echo_socket) }),
        )
        .route("/health", get(|| async { StatusCode::OK.into_response() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("127.0.0.1:{}", address.port())
}

#[tokio::test]
async fn http_requests_with_json_redirects_and_limits() {
    let host = server().await;
    let t = common::tools().await;
    let url = |path: &str| format!("http://{host}{path}");
    let got = t.call("http_request", json!({"url": url("/json")})).await;
    assert_eq!(got.status, ToolStatus::Success, "{}", got.summary);
    assert!(got.summary.starts_with("HTTP 200 OK"));
    assert_eq!(got.output["body_kind"], "json");
    assert!(got.output["body"]
        .as_str()
        .unwrap()
        .contains("\n  \"nazwa\": \"dark8\""));
    let posted = t
        .call(
            "http_request",
            json!({"method": "POST", "url": url("/echo"), "body": {"zadanie": "kup mleko"}}),
        )
        .await;
    assert!(posted.output["body"]
        .as_str()
        .unwrap()
        .contains("kup mleko"));
    let hops = t.call("http_request", json!({"url": url("/hop1")})).await;
    assert_eq!(hops.status, ToolStatus::Success);
    assert_eq!(hops.output["redirects"].as_array().unwrap().len(), 2);
    let looping = t
        .call(
            "http_request",
            json!({"url": url("/loop"), "max_redirects": 3}),
        )
        .await;
    assert_eq!(looping.status, ToolStatus::Error);
    assert!(looping.summary.contains("Za dużo przekierowań"));
    let metadata = t
        .call("http_request", json!({"url": url("/metadata")}))
        .await;
    assert_eq!(metadata.status, ToolStatus::Error);
    assert!(
        metadata.summary.contains("metadanych"),
        "{}",
        metadata.summary
    );
    let big = t
        .call(
            "http_request",
            json!({"url": url("/big"), "max_bytes": 1000}),
        )
        .await;
    assert_eq!(big.output["bytes"], 1000);
    assert_eq!(big.output["truncated"], true);
    assert!(big.summary.contains("obcięto"));
    let missing = t
        .call("http_request", json!({"url": url("/missing")}))
        .await;
    assert_eq!(missing.status, ToolStatus::Error);
    assert!(missing.summary.contains("HTTP 404"));
    assert_eq!(missing.output["body"], "nie ma");
    let cookie = t.call("http_request", json!({"url": url("/cookie")})).await;
    assert_eq!(cookie.output["headers"]["set-cookie"], "[UKRYTE]");
    let slow = t
        .call("http_request", json!({"url": url("/slow"), "timeout_s": 1}))
        .await;
    assert_eq!(slow.status, ToolStatus::Error);
    assert!(slow.summary.contains("limit czasu"), "{}", slow.summary);
}

#[tokio::test]
async fn bad_urls_and_dead_servers_get_polish_errors() {
    let t = common::tools().await;
    let bad = t.call("http_request", json!({"url": "to nie adres"})).await;
    assert_ne!(bad.status, ToolStatus::Success);
    let ftp = t
        .call("http_request", json!({"url": "ftp://example.com/plik"}))
        .await;
    assert!(
        ftp.summary.contains("Nieobsługiwany protokół"),
        "{}",
        ftp.summary
    );
    let dead = t
        .call("http_request", json!({"url": "http://127.0.0.1:9/"}))
        .await;
    assert_eq!(dead.status, ToolStatus::Error);
    assert!(
        dead.summary.contains("nie można się połączyć"),
        "{}",
        dead.summary
    );
    let forbidden = t
        .call("http_request", json!({"url": "http://169.254.169.254/"}))
        .await;
    assert_eq!(forbidden.status, ToolStatus::Denied);
}

#[tokio::test]
async fn websocket_exchange_sends_and_collects_replies() {
    let host = server().await;
    let t = common::tools().await;
    let ws = format!("ws://{host}/ws");
    let talk = t
        .call(
            "ws_exchange",
            json!({"url": ws, "messages": ["hej", "{\"a\":1}"]}),
        )
        .await;
    assert_eq!(talk.status, ToolStatus::Success, "{}", talk.summary);
    assert_eq!(talk.output["replies"][0]["data"], "echo: hej");
    assert_eq!(talk.output["replies"][1]["data"], "echo: {\"a\":1}");
    let waiting = t.call("ws_exchange",
        json!({"url": format!("ws://{host}/ws"), "messages": ["raz"], "expect": 2, "timeout_s": 1}),
    )
    .await;
    assert_eq!(waiting.status, ToolStatus::Error);
    assert!(
        waiting.summary.contains("brak odpowiedzi"),
        "{}",
        waiting.summary
    );
    let not_ws = t
        .call("ws_exchange", json!({"url": format!("http://{host}/ws")}))
        .await;
    assert!(not_ws.summary.contains("nie jest adresem WebSocket"));
}
