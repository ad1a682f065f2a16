//! Out-of-domain Polish never acts: sentences about blinds, timers, music and the weather
//! (Home Assistant's public Polish test sentences, CC BY 4.0, see crates/nlp/tests/fixtures/README.md),
//! given to `dark8 run --yes` in an empty workspace, run no tool that reads anything but
//! this computer's state, let alone one that changes something.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn dark8(home: &Path, workspace: &Path) -> Command {
    let mut cmd = Command::cargo_bin("dark8").unwrap();
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_LLM__PROVIDER", "none")
        .current_dir(workspace);
    cmd
}

/// Tool name -> risk, from `dark8 tools list --json`.
fn risks(home: &Path, workspace: &Path) -> BTreeMap<String, String> {
    let output = dark8(home, workspace)
        .args(["tools", "list", "--json"])
        .output()
        .unwrap();
    let tools: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    tools
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_owned(),
                t["risk"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn household_commands_with_yes_never_change_anything() {
    let home = tempfile::tempdir().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let risk = risks(home.path(), workspace.path());
    let fixture = include_str!("../../nlp/tests/fixtures/ha-intents-pl-ood.tsv");
    // Every 10th sentence: 60 of the 600, across all the source intents.
    let sample: Vec<&str> = fixture
        .lines()
        .skip(1)
        .step_by(10)
        .filter_map(|line| line.split('\t').next())
        .collect();
    assert_eq!(sample.len(), 60);
    let mut acted = Vec::new();
    for text in &sample {
        let output = dark8(home.path(), workspace.path())
            .args(["run", "--yes", "--json", text])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let outcome: Value = stdout
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v["type"] == "outcome")
            .unwrap_or_else(|| panic!("no outcome for {text}: {stdout}"));
        for call in outcome["outcome"]["calls"].as_array().unwrap() {
            let tool = call["tool"].as_str().unwrap();
            if risk.get(tool).map(String::as_str) != Some("read") {
                acted.push(format!("{text} -> {tool}"));
            }
        }
    }
    assert!(
        acted.is_empty(),
        "acted on out-of-domain sentences: {acted:#?}"
    );
    let left: Vec<_> = std::fs::read_dir(workspace.path()).unwrap().collect();
    assert!(left.is_empty(), "the workspace was changed: {left:?}");
}

#[test]
fn nlp_eval_ood_reports_the_share_of_confident_commands() {
    let home = tempfile::tempdir().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let file = workspace.path().join("zdania.txt");
    std::fs::write(
        &file,
        "# household\nZamknij żaluzje w salonie\nZatrzymaj odkurzacz\nUsuń plik stary.txt\n",
    )
    .unwrap();
    let output = dark8(home.path(), workspace.path())
        .args(["nlp", "eval", "--json", "--ood"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["sentences"], 3);
    assert_eq!(report["confident_destructive"], 1, "{report}");
    assert_eq!(report["misses"][0]["intent"], "FILE_DELETE", "{report}");
    // A missing file is told in Polish with a hint, and nothing else happens.
    let missing = dark8(home.path(), workspace.path())
        .args(["nlp", "eval", "--ood", "nie-ma.txt"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("Nie mogę przeczytać nie-ma.txt"),
        "{stderr}"
    );
}
