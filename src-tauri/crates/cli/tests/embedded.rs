//! `dark8` built with the embedded engine and the real small model (DARK8_TEST_MODEL, see
//! scripts/fetch-test-model.sh): doctor names the brain, `dark8 run` hands a request the
//! planner is unsure of (an archive) to the model and the chosen command really runs;
//! `dark8 nlp eval --llm` sets the model beside the engine.
#![cfg(feature = "embedded-llm")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn model() -> PathBuf {
    let path = PathBuf::from(
        std::env::var_os("DARK8_TEST_MODEL")
            .expect("DARK8_TEST_MODEL must name the test model: run scripts/fetch-test-model.sh"),
    );
    assert!(path.is_file(), "{}", path.display());
    path
}

fn dark8(home: &Path, workdir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_LLM__PROVIDER", "embedded")
        .env("DARK8_LLM__EMBEDDED_MODEL", model())
        .current_dir(workdir);
    cmd
}

#[test]
fn run_hands_uncovered_requests_to_the_embedded_model() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let doctor = dark8(home.path(), ws.path())
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let brain = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "brain")
        .unwrap()
        .clone();
    assert_eq!(brain["status"], "ok", "{brain}");
    assert!(brain["detail"]
        .as_str()
        .unwrap()
        .contains("wbudowany llama.cpp"));

    // An archive is a guess the engine is unsure of: the model chooses the command.
    std::fs::create_dir(ws.path().join("src")).unwrap();
    std::fs::write(ws.path().join("src/main.rs"), "fn main() {}\n").unwrap();
    let output = dark8(home.path(), ws.path())
        .args([
            "run",
            "--yes",
            "--json",
            "Spakuj katalog src do archiwum src.tar.gz",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["outcome"]["calls"][0]["tool"], "shell_run", "{stdout}");
    assert!(ws.path().join("src.tar.gz").is_file(), "{stdout}");

    // Known intents still need no model.
    let output = dark8(home.path(), ws.path())
        .args(["run", "--yes", "--json", "Stwórz folder backup"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(ws.path().join("backup").is_dir(), "{stdout}");
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["outcome"]["calls"][0]["tool"], "fs_mkdir", "{stdout}");
    let output = dark8(home.path(), ws.path())
        .args(["run", "--yes", "Zapisz plik a.txt z treścią bez modelu"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        std::fs::read_to_string(ws.path().join("a.txt")).unwrap(),
        "bez modelu"
    );
}

#[test]
fn nlp_eval_sets_the_model_beside_the_engine() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let output = dark8(home.path(), ws.path())
        .args(["nlp", "eval", "--llm", "--per-intent", "1", "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let comparison: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(comparison["examples"], 35, "{comparison}");
    let rows = comparison["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["engine"], "DARK8 NLP");
    assert!(
        rows[1]["engine"].as_str().unwrap().contains("wbudowany"),
        "{comparison}"
    );
    // The constrained reply is always a reading (how many are right is the measurement).
    assert!(rows[1]["failures"].as_u64().unwrap() <= 3, "{comparison}");
    let accuracy = rows[1]["intent_accuracy"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&accuracy), "{comparison}");
    println!("{comparison}");
    assert!(
        rows[0]["intent_accuracy"].as_f64().unwrap() > 0.9,
        "{comparison}"
    );
}
