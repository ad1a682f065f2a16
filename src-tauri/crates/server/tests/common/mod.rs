//! A real core behind a real server on a free loopback port, and a client with its token.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
#![allow(dead_code)]

use std::time::Duration;

use dark8_core::config::LlmProvider;
use dark8_core::{Config, Dark8, Paths};
use dark8_protocol::EventEnvelope;
use dark8_server::{bind, ServeSettings};
use futures_util::StreamExt;
use serde_json::Value;

pub struct Api {
    pub base: String,
    pub token: String,
    pub client: reqwest::Client,
    pub home: tempfile::TempDir,
    pub workspace: tempfile::TempDir,
}

impl Api {
    pub async fn start() -> Api {
        Api::start_with(None).await
    }

    /// A server that serves the dashboard from `assets` (as the desktop app does).
    pub async fn start_with(ui_assets: Option<std::sync::Arc<dyn dark8_server::UiAssets>>) -> Api {
        let home = tempfile::tempdir().unwrap();
        let workspace = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        config.llm.provider = LlmProvider::None;
        // The file vault, whatever desktop keychain the machine running the tests has.
        config.vault.backend = dark8_core::tools::vault::Backend::File;
        let dark8 = Dark8::start(config, Paths::under(home.path()))
            .await
            .unwrap();
        let settings = ServeSettings {
            host: "127.0.0.1".parse().unwrap(),
            port: 0,
            allow_remote: false,
            ui_dir: None,
            ui_assets,
            workspace: workspace.path().to_path_buf(),
        };
        let (bound, token) = bind(dark8, &settings).await.unwrap();
        let base = format!("http://{}", bound.address);
        tokio::spawn(bound.serve(std::future::pending()));
        Api {
            base,
            token: token.reveal(),
            client: reqwest::Client::new(),
            home,
            workspace,
        }
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    pub fn post(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
    }

    pub async fn json(&self, path: &str) -> Value {
        let response = self.get(path).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.unwrap()
    }
}

/// Reads SSE `dark8` events from `response` until one matches `last`.
pub async fn read_events(
    response: reqwest::Response,
    last: impl Fn(&EventEnvelope) -> bool,
) -> (Vec<EventEnvelope>, Vec<String>) {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    let mut ids = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("the stream ended too late")
            .expect("the stream ended")
            .unwrap();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(rest) = line.strip_prefix("data:") {
                    data.push_str(rest.trim_start());
                } else if let Some(rest) = line.strip_prefix("id:") {
                    ids.push(rest.trim().to_owned());
                }
            }
            if block.contains("event: dark8") || block.contains("event:dark8") {
                let envelope: EventEnvelope = serde_json::from_str(&data).unwrap();
                let done = last(&envelope);
                events.push(envelope);
                if done {
                    return (events, ids);
                }
            }
        }
    }
}
