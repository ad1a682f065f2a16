//! `tests_generate` with the embedded model as its example writer (feature embedded-llm,
//! DARK8_TEST_MODEL from scripts/fetch-test-model.sh): the model proposes calls with
//! expected results, they become real assertions, and only passing ones stay.
#![cfg(feature = "embedded-llm")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::sync::Arc;

use dark8_core::config::LlmProvider;
use dark8_core::{Config, Dark8, Paths};
use dark8_protocol::{ToolCall, ToolStatus};
use dark8_tools::AutoApprove;
use serde_json::json;
use tokio_util::sync::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_writes_assertions_that_are_kept_only_when_they_pass() {
    let model = std::env::var("DARK8_TEST_MODEL")
        .expect("DARK8_TEST_MODEL must name the test model: run scripts/fetch-test-model.sh");
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let project = ws.path().join("liczby");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "").unwrap();
    std::fs::write(
        project.join("liczby.py"),
        "def dodaj_jeden(x: int) -> int:\n    \"\"\"x + 1\"\"\"\n    return x + 1\n\n\ndef pomnoz(a: int, b: int) -> int:\n    \"\"\"a * b\"\"\"\n    return a * b\n",
    )
    .unwrap();
    let mut config = Config::default();
    config.llm.provider = LlmProvider::Embedded;
    config.llm.embedded_model = model;
    let dark8 = Dark8::start(config, Paths::under(home.path()))
        .await
        .unwrap();
    let (brain, status) = dark8.brain().await;
    assert!(brain.is_some(), "{status:?}");
    let executor = dark8
        .executor(ws.path().to_path_buf(), Arc::new(AutoApprove))
        .unwrap();
    let result = executor
        .call(
            ToolCall {
                id: "t".into(),
                tool: "tests_generate".into(),
                arguments: json!({"path": "liczby"}),
            },
            CancellationToken::new(),
        )
        .await;
    assert_eq!(result.status, ToolStatus::Success, "{}", result.summary);
    assert_eq!(result.output["model_examples_for"], 2, "{}", result.output);
    let text = std::fs::read_to_string(project.join("tests/test_dark8_liczby.py")).unwrap();
    eprintln!("{text}");
    let kept = text.matches("_example_").count();
    assert!(kept >= 1, "no model example survived:\n{text}");
    assert!(text.contains("self.assertEqual(self.module."), "{text}");
}
