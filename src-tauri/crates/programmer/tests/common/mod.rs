//! Every tool (system and master programmer) behind a real executor, for the programmer's
//! test suites: a temp workspace, a temp data directory with a real database, `--yes`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // shared by several test crates

use std::sync::Arc;

use dark8_protocol::{ToolCall, ToolResult};
use dark8_store::Store;
use dark8_tools::builtin::{self, BuiltinSettings};
use dark8_tools::{AutoApprove, Executor, Policy, PolicyConfig};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

/// An executor over every tool, its workspace and data directory, and the store.
pub async fn executor() -> (Executor, tempfile::TempDir, tempfile::TempDir, Store) {
    let workspace = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join("dark8.db")).await.unwrap();
    let settings = BuiltinSettings::new(store.clone(), data.path().to_path_buf()).unwrap();
    let mut registry = builtin::registry(&settings).unwrap();
    for tool in dark8_programmer::tools(store.clone(), settings.sandbox.clone()) {
        registry.register(tool).unwrap();
    }
    let executor = Executor::new(
        registry,
        Policy::load(&PolicyConfig::default()).unwrap(),
        store.clone(),
        workspace.path().canonicalize().unwrap(),
    )
    .with_approver(Arc::new(AutoApprove))
    // As on a machine with Landlock, whatever this one has.
    .with_file_system_confinement(true);
    (executor, workspace, data, store)
}

/// Calls `tool` with `args` through the executor.
pub async fn call(executor: &Executor, tool: &str, args: Value) -> ToolResult {
    executor
        .call(
            ToolCall {
                id: "t".into(),
                tool: tool.into(),
                arguments: args,
            },
            CancellationToken::new(),
        )
        .await
}
