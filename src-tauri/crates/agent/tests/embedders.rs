//! Embeddings from model servers against local servers that answer in Ollama's `/api/embed`
//! and OpenAI's `/v1/embeddings` exact wire formats: batches, order, normalization, the
//! models' instruction prefixes, and a server's error as a Polish message with a hint.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::sync::Arc;

use dark8_agent::llm::embedder::{HttpEmbedder, EMBED_BATCH};
use dark8_agent::llm::http_model::Endpoint;
use dark8_agent::llm::ollama::Ollama;
use dark8_agent::llm::openai::OpenAi;
use dark8_knowledge::{EmbedError, Embedder, Role};
use serde_json::json;

/// Runs the blocking `embed` the way the memory does: off the async threads.
async fn embed(
    embedder: Arc<dyn Embedder>,
    texts: Vec<String>,
    role: Role,
) -> Result<Vec<Vec<f32>>, EmbedError> {
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        embedder.embed(&refs, role)
    })
    .await
    .unwrap()
}

fn ollama_answer(count: usize) -> Vec<String> {
    let vectors = vec![vec![3.0f32, 4.0]; count];
    vec![json!({
        "model": "bge-m3",
        "embeddings": vectors,
        "total_duration": 14_143_917,
        "load_duration": 1_019_500,
        "prompt_eval_count": 8 * count
    })
    .to_string()]
}

#[tokio::test]
async fn ollama_embeds_in_batches_and_every_vector_comes_back_normalized() {
    let texts: Vec<String> = (0..EMBED_BATCH + 6)
        .map(|i| format!("Serwer produkcyjny numer {i}"))
        .collect();
    let (url, server) = common::replay(vec![
        (200, "application/json", ollama_answer(EMBED_BATCH)),
        (200, "application/json", ollama_answer(6)),
    ])
    .await;
    let embedder: Arc<dyn Embedder> =
        Arc::new(HttpEmbedder::new(Ollama::new(&url, "bge-m3", 4096, 30)));
    assert_eq!(embedder.model(), "ollama:bge-m3");
    assert_eq!(embedder.dimension(), 0);
    let vectors = embed(embedder.clone(), texts.clone(), Role::Passage)
        .await
        .unwrap();
    assert_eq!(vectors.len(), texts.len());
    assert!(vectors
        .iter()
        .all(|v| (v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6));
    assert_eq!(embedder.dimension(), 2);
    let requests = server.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0]["model"], "bge-m3");
    assert_eq!(requests[0]["input"].as_array().unwrap().len(), EMBED_BATCH);
    // bge-m3 takes texts as they are: no instruction prefix.
    assert_eq!(requests[1]["input"][5], texts[EMBED_BATCH + 5]);
}

#[tokio::test]
async fn openai_answers_out_of_order_are_put_back_and_e5_gets_its_prefixes() {
    let (url, server) = common::replay(vec![(
        200,
        "application/json",
        vec![json!({
            "object": "list",
            "data": [
                {"object": "embedding", "index": 1, "embedding": [0.0, 2.0]},
                {"object": "embedding", "index": 0, "embedding": [5.0, 0.0]}
            ],
            "model": "multilingual-e5-large",
            "usage": {"prompt_tokens": 12, "total_tokens": 12}
        })
        .to_string()],
    )])
    .await;
    let embedder: Arc<dyn Embedder> = Arc::new(HttpEmbedder::new(OpenAi::at(Endpoint::new(
        &format!("{url}/v1"),
        "multilingual-e5-large",
        None,
        4096,
        30,
    ))));
    assert_eq!(embedder.model(), "openai:multilingual-e5-large");
    let vectors = embed(
        embedder,
        vec!["gdzie jest baza".into(), "kto ma klucze".into()],
        Role::Query,
    )
    .await
    .unwrap();
    assert_eq!(vectors, [vec![1.0, 0.0], vec![0.0, 1.0]]);
    let sent = server.requests.lock().unwrap()[0].clone();
    assert_eq!(
        sent["input"],
        json!(["query: gdzie jest baza", "query: kto ma klucze"])
    );
}

#[tokio::test]
async fn a_server_without_the_model_is_a_polish_error_with_a_hint() {
    let (url, _server) = common::replay(vec![(
        404,
        "application/json",
        vec![json!({"error": "model \"bge-m3\" not found, try pulling it first"}).to_string()],
    )])
    .await;
    let embedder: Arc<dyn Embedder> =
        Arc::new(HttpEmbedder::new(Ollama::new(&url, "bge-m3", 4096, 30)));
    let err = embed(embedder, vec!["fakt".into()], Role::Passage)
        .await
        .unwrap_err();
    assert!(matches!(err, EmbedError::Server(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("serwer modelu osadzeń"), "{message}");
    assert!(message.contains("ollama:bge-m3"), "{message}");
    assert!(err.hint().contains("ollama pull"), "{}", err.hint());
}
