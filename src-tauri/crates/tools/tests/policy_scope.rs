//! The executor's scoped rules on a real database file: per-tool answers, paths inside the
//! workspace roots (traversal and symlinks), and network rules by domain.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use dark8_protocol::{ToolCall, ToolStatus};
use dark8_store::Store;
use dark8_test_support::probes::{Fetch, Lookup, Touch};
use dark8_tools::domains::DomainRule;
use dark8_tools::{Action, AutoApprove, DenyAll, Executor, Policy, PolicyConfig, Registry, Role};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

struct Fixture {
    workspace: tempfile::TempDir,
    _db: tempfile::TempDir,
    store: Store,
}

async fn fixture() -> Fixture {
    let db = tempfile::tempdir().unwrap();
    let store = Store::open(&db.path().join("dark8.db")).await.unwrap();
    Fixture {
        workspace: tempfile::tempdir().unwrap(),
        _db: db,
        store,
    }
}

fn executor(f: &Fixture, config: PolicyConfig) -> Executor {
    let mut registry = Registry::new();
    registry.add(Fetch).unwrap();
    registry.add(Touch).unwrap();
    registry.add(Lookup).unwrap();
    Executor::new(
        registry,
        Policy::load(&config).unwrap(),
        f.store.clone(),
        f.workspace.path().canonicalize().unwrap(),
    )
}

async fn call(executor: &Executor, tool: &str, args: Value) -> dark8_protocol::ToolResult {
    executor
        .call(
            ToolCall {
                id: "c".into(),
                tool: tool.into(),
                arguments: args,
            },
            CancellationToken::new(),
        )
        .await
}

#[tokio::test]
async fn a_tool_rule_replaces_the_roles_answer_but_never_lifts_a_forbid() {
    let f = fixture().await;
    let url = json!({"url": "https://docs.rs/tokio"});
    // Owner: network asks first; nobody to ask -> denied.
    let plain = executor(&f, PolicyConfig::default()).with_approver(Arc::new(DenyAll));
    assert_eq!(
        call(&plain, "test_fetch", url.clone()).await.status,
        ToolStatus::Denied
    );
    let mut tools = BTreeMap::new();
    tools.insert("test_fetch".to_owned(), Action::Allow);
    tools.insert("test_touch".to_owned(), Action::Allow);
    let relaxed = executor(
        &f,
        PolicyConfig {
            tools: tools.clone(),
            ..PolicyConfig::default()
        },
    )
    .with_approver(Arc::new(DenyAll));
    assert_eq!(
        call(&relaxed, "test_fetch", url.clone()).await.status,
        ToolStatus::Success
    );
    let viewer = executor(
        &f,
        PolicyConfig {
            role: Role::Viewer,
            tools,
            ..PolicyConfig::default()
        },
    );
    let result = call(&viewer, "test_touch", json!({"path": "a.txt"})).await;
    assert_eq!(result.status, ToolStatus::Denied);
    assert!(result.summary.contains("viewer"));
    assert!(!f.workspace.path().join("a.txt").exists());
}

#[tokio::test]
async fn paths_must_stay_inside_the_workspace_roots() {
    let f = fixture().await;
    let outside = tempfile::tempdir().unwrap();
    let exec = executor(&f, PolicyConfig::default());
    assert_eq!(
        call(&exec, "test_touch", json!({"path": "w-srodku.txt"}))
            .await
            .status,
        ToolStatus::Success
    );
    for path in [
        "../ucieczka.txt",
        "a/../../ucieczka.txt",
        "/etc/ucieczka.txt",
    ] {
        let result = call(&exec, "test_touch", json!({ "path": path })).await;
        assert_eq!(result.status, ToolStatus::Denied, "{path}");
        assert!(result.summary.contains("ścieżk"), "{}", result.summary);
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), f.workspace.path().join("link")).unwrap();
        let result = call(&exec, "test_touch", json!({"path": "link/ucieczka.txt"})).await;
        assert_eq!(result.status, ToolStatus::Denied);
        assert!(!outside.path().join("ucieczka.txt").exists());
    }
    // The secret stores are out of bounds even inside the workspace.
    let hidden = vec![f.workspace.path().join(".ssh")];
    let exec = executor(&f, PolicyConfig::default()).with_hidden(hidden);
    let result = call(&exec, "test_touch", json!({"path": ".ssh/authorized_keys"})).await;
    assert_eq!(result.status, ToolStatus::Denied);
    assert!(result.summary.contains("magazynu sekretów"));
    // Another root the policy names is fine.
    let exec = executor(
        &f,
        PolicyConfig {
            workspace_roots: vec![PathBuf::from(outside.path())],
            ..PolicyConfig::default()
        },
    );
    let target = outside.path().join("dozwolone.txt").display().to_string();
    let result = call(&exec, "test_touch", json!({ "path": target })).await;
    assert_eq!(result.status, ToolStatus::Success, "{}", result.summary);
}

#[tokio::test]
async fn domain_rules_forbid_prompt_or_allow_hosts() {
    let f = fixture().await;
    let config = PolicyConfig {
        domains: vec![
            DomainRule {
                domain: "zly.example".into(),
                action: Action::Forbid,
                reason: "znany zły serwer".into(),
                examples: vec!["https://api.zly.example/x".into()],
            },
            DomainRule {
                domain: "docs.rs".into(),
                action: Action::Allow,
                reason: "dokumentacja".into(),
                examples: vec![],
            },
            DomainRule {
                domain: "pastebin.com".into(),
                action: Action::Prompt,
                reason: "wklejki".into(),
                examples: vec![],
            },
        ],
        ..PolicyConfig::default()
    };
    let exec = executor(&f, config).with_approver(Arc::new(AutoApprove));
    let status = |url: &str| {
        let exec = &exec;
        let url = url.to_owned();
        async move { call(exec, "test_fetch", json!({ "url": url })).await }
    };
    let denied = status("https://sub.zly.example/").await;
    assert_eq!(denied.status, ToolStatus::Denied);
    assert!(denied.summary.contains("znany zły serwer"));
    // Cloud metadata is forbidden by the built-in rules.
    assert_eq!(
        status("http://169.254.169.254/latest/").await.status,
        ToolStatus::Denied
    );
    // A domain rule's prompt is not answered by --yes.
    assert_eq!(
        status("https://pastebin.com/x").await.status,
        ToolStatus::Denied
    );
    // The role's network prompt is.
    assert_eq!(
        status("https://docs.rs/tokio").await.status,
        ToolStatus::Success
    );
    assert_eq!(
        status("https://crates.io/").await.status,
        ToolStatus::Success
    );
    assert_eq!(status("nie-adres").await.status, ToolStatus::Denied);
    // A rule whose example disagrees stops loading.
    let bad = PolicyConfig {
        domains: vec![DomainRule {
            domain: "a.example".into(),
            action: Action::Allow,
            reason: String::new(),
            examples: vec!["https://b.example/".into()],
        }],
        ..PolicyConfig::default()
    };
    assert!(Policy::load(&bad).is_err());
}

#[tokio::test]
async fn declared_domains_and_path_lists_are_judged_like_urls_and_paths() {
    let f = fixture().await;
    std::fs::write(f.workspace.path().join("a.txt"), "a").unwrap();
    let config = PolicyConfig {
        domains: vec![DomainRule {
            domain: "zly.example".into(),
            action: Action::Forbid,
            reason: "znany zły serwer".into(),
            examples: vec![],
        }],
        ..PolicyConfig::default()
    };
    let exec = executor(&f, config).with_approver(Arc::new(DenyAll));
    let lookup = |args: Value| {
        let exec = &exec;
        async move { call(exec, "test_lookup", args).await }
    };
    let denied = lookup(json!({"host": "db.zly.example"})).await;
    assert_eq!(denied.status, ToolStatus::Denied);
    assert!(
        denied.summary.contains("znany zły serwer"),
        "{}",
        denied.summary
    );
    let outside = lookup(json!({"host": "docs.rs", "files": ["a.txt", "../../etc/passwd"]})).await;
    assert_eq!(outside.status, ToolStatus::Denied, "{}", outside.summary);
    let fine = lookup(json!({"host": "docs.rs", "files": ["a.txt"]})).await;
    assert_eq!(fine.status, ToolStatus::Success, "{}", fine.summary);
    assert_eq!(fine.summary, "docs.rs");
}
