//! `dark8 understand` as the NLP contract specifies it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use assert_cmd::Command;
use serde_json::Value;

fn dark8() -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    let home = std::env::temp_dir().join(format!("dark8-understand-{}", std::process::id()));
    cmd.env("DARK8_HOME", home);
    cmd
}

#[test]
fn json_text_gives_the_contract_object() {
    let assert = dark8()
        .args(["understand", "--json", "Zbuduj aplikację todo w Django"])
        .assert()
        .success();
    let value: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(value["text"], "Zbuduj aplikację todo w Django");
    assert_eq!(value["intent"], "BUILD_APP");
    assert_eq!(value["entities"]["framework"], "django");
    assert_eq!(value["entities"]["app_type"], "todo");
    let confidence = value["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
}

#[test]
fn human_output_names_intent_and_entities() {
    dark8()
        .args(["understand", "Zabij proces 4242"])
        .assert()
        .success()
        .stdout(predicates::str::contains("PROCESS_KILL"))
        .stdout(predicates::str::contains("pid=4242"));
}

#[test]
fn jsonl_answers_every_line_in_order_and_never_stops() {
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice("Pokaż plik README.md\n".as_bytes());
    input.extend_from_slice(b"\n"); // empty line
    input.extend_from_slice(b"\xff\xfe garbled \xc3\n"); // invalid UTF-8
    input.extend_from_slice("Zabij proces 4242\r\n".as_bytes());
    input.extend_from_slice("Wyszukaj w internecie dokumentację axum".as_bytes()); // no final newline
    let assert = dark8()
        .args(["understand", "--jsonl"])
        .write_stdin(input)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["intent"], "FILE_READ");
    assert_eq!(lines[1]["intent"], "CHAT");
    assert_eq!(lines[1]["text"], "");
    assert!(lines[2]["text"].as_str().unwrap().contains("garbled"));
    assert_eq!(lines[3]["intent"], "PROCESS_KILL");
    assert_eq!(lines[3]["text"], "Zabij proces 4242");
    assert_eq!(lines[4]["entities"]["query"], "dokumentację axum");
}

#[test]
fn nlp_eval_prints_accuracy() {
    dark8()
        .args(["nlp", "eval"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Trafność intencji"))
        .stdout(predicates::str::contains("BUILD_APP"));
}

#[test]
fn nlp_train_writes_a_model_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("model.bin");
    dark8()
        .args(["nlp", "train", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("Model zapisany"));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(bytes, include_bytes!("../../nlp/model/intent.bin"));
}
