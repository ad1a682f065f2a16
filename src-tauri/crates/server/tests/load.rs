//! Load through the API: 50 commands from 10 clients at once (some needing an approval that a
//! separate client answers) all reach their outcome, one conversation row each, every call
//! audited, the chain intact. Latencies (command accepted -> RunFinished on the event stream)
//! are printed as p50/p99 (`--nocapture`); nothing here asserts a time.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Api;
use dark8_protocol::{Event, EventEnvelope, RunStatus};
use futures_util::StreamExt;
use serde_json::{json, Value};

const CLIENTS: usize = 10;
const PER_CLIENT: usize = 5;

fn command(client: usize, n: usize) -> String {
    match n {
        0 => "Ile mam wolnego miejsca na dysku?".to_owned(),
        1 => "Pokaż pliki".to_owned(),
        2 => "Ile pamięci RAM jest wolne?".to_owned(),
        3 => format!("Uruchom komendę touch plik-{client}.txt"),
        _ => "Pokaż procesy".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_commands_from_ten_clients_all_reach_their_outcome() {
    let api = Arc::new(Api::start().await);
    // One stream sees every run finish.
    let finished: Arc<Mutex<HashMap<String, (Instant, RunStatus)>>> = Arc::default();
    let stream = api.get("/api/v1/events").send().await.unwrap();
    let sink = finished.clone();
    let reader = tokio::spawn(async move {
        let mut bytes = stream.bytes_stream();
        let mut buffer = String::new();
        while let Some(Ok(chunk)) = bytes.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) else {
                    continue;
                };
                let Ok(envelope) = serde_json::from_str::<EventEnvelope>(data.trim()) else {
                    continue;
                };
                if let (Event::RunFinished { status, .. }, Some(run)) =
                    (&envelope.event, envelope.run.clone())
                {
                    sink.lock().unwrap().insert(run, (Instant::now(), *status));
                }
            }
        }
    });
    // A client that answers every approval once.
    let approver = {
        let api = api.clone();
        tokio::spawn(async move {
            loop {
                let pending = api.json("/api/v1/approvals").await;
                for item in pending.as_array().unwrap() {
                    let id = item["request"]["id"].as_str().unwrap();
                    let _ = api
                        .post(
                            &format!("/api/v1/approvals/{id}"),
                            &json!({"approved": true}),
                        )
                        .send()
                        .await;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let api = api.clone();
        clients.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let sends = (0..PER_CLIENT).map(|n| {
                let http = http.clone();
                let api = api.clone();
                async move {
                    let started = Instant::now();
                    let response = http
                        .post(format!("{}/api/v1/commands", api.base))
                        .bearer_auth(&api.token)
                        .json(&json!({"command": command(client, n)}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 202);
                    let run: Value = response.json().await.unwrap();
                    (run["id"].as_str().unwrap().to_owned(), started)
                }
            });
            futures_util::future::join_all(sends).await
        }));
    }
    let mut started: HashMap<String, Instant> = HashMap::new();
    for client in clients {
        started.extend(client.await.unwrap());
    }
    assert_eq!(started.len(), CLIENTS * PER_CLIENT);
    let deadline = Instant::now() + Duration::from_secs(300);
    while finished.lock().unwrap().len() < started.len() {
        assert!(Instant::now() < deadline, "runs did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    approver.abort();
    reader.abort();
    let finished = finished.lock().unwrap().clone();
    let mut latencies: Vec<Duration> = Vec::new();
    for (id, at) in &started {
        let (end, status) = finished[id];
        assert_eq!(status, RunStatus::Done, "run {id}");
        latencies.push(end - *at);
    }
    latencies.sort();
    let pick = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    eprintln!(
        "load: {} commands from {CLIENTS} clients: p50 {:?}, p99 {:?}, max {:?}",
        latencies.len(),
        pick(0.5),
        pick(0.99),
        latencies.last().unwrap()
    );
    // One conversation row each, every call audited, the chain intact.
    let conversations = api.json("/api/v1/conversations?limit=500").await;
    assert_eq!(
        conversations.as_array().unwrap().len(),
        CLIENTS * PER_CLIENT
    );
    let mut calls = 0;
    for id in started.keys() {
        let detail = api.json(&format!("/api/v1/runs/{id}")).await;
        calls += detail["run"]["outcome"]["calls"].as_array().unwrap().len();
    }
    // Approval decisions are audit rows of their own; the rest is one row per call.
    let audit = api.json("/api/v1/audit?limit=500").await;
    let call_rows = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["action"] != "approval" && row["action"] != "audit_checkpoint")
        .count();
    assert_eq!(call_rows, calls, "{audit}");
    let verify = api.json("/api/v1/audit/verify").await;
    assert_eq!(verify["problem"], Value::Null, "{verify}");
    for client in 0..CLIENTS {
        assert!(api
            .workspace
            .path()
            .join(format!("plik-{client}.txt"))
            .exists());
    }
}
