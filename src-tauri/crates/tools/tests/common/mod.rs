//! The built-in tools behind a real executor, for the tool test suites: a temp workspace, a
//! temp data directory with a real database file, and `--yes` as the approver.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // shared by several test crates

use std::path::PathBuf;
use std::sync::Arc;

use dark8_protocol::{ToolCall, ToolResult, ToolStatus};
use dark8_store::Store;
use dark8_tools::builtin::{self, BuiltinSettings};
use dark8_tools::{AutoApprove, Executor, Policy, PolicyConfig};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

/// A workspace, DARK8's data directory and an executor over the built-in tools.
pub struct Tools {
    /// The workspace of the calls.
    pub workspace: tempfile::TempDir,
    /// DARK8's data directory (database, undo, jobs); out of bounds for the tools.
    pub data: tempfile::TempDir,
    /// The database.
    pub store: Store,
    /// The executor.
    pub executor: Executor,
}

/// Tools under the default policy.
pub async fn tools() -> Tools {
    tools_with(PolicyConfig::default(), |_| {}).await
}

/// Tools under `policy`, with `adjust` applied to the built-in settings.
pub async fn tools_with(policy: PolicyConfig, adjust: impl FnOnce(&mut BuiltinSettings)) -> Tools {
    let workspace = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join("dark8.db")).await.unwrap();
    let mut settings = BuiltinSettings::new(store.clone(), data.path().to_path_buf()).unwrap();
    let policy = Policy::load(&policy).unwrap();
    settings.policy = policy.clone();
    adjust(&mut settings);
    let executor = Executor::new(
        builtin::registry(&settings).unwrap(),
        policy,
        store.clone(),
        workspace.path().canonicalize().unwrap(),
    )
    .with_approver(Arc::new(AutoApprove))
    .with_hidden(vec![data.path().to_path_buf()])
    // As on a machine with Landlock, whatever this one has.
    .with_file_system_confinement(true);
    Tools {
        workspace,
        data,
        store,
        executor,
    }
}

impl Tools {
    /// Calls `tool` with `args` through the executor.
    pub async fn call(&self, tool: &str, args: Value) -> ToolResult {
        self.executor
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

    /// Calls `tool` and asserts it succeeded.
    pub async fn ok(&self, tool: &str, args: Value) -> ToolResult {
        let result = self.call(tool, args).await;
        assert_eq!(
            result.status,
            ToolStatus::Success,
            "{tool}: {}",
            result.summary
        );
        result
    }

    /// A path in the workspace.
    pub fn path(&self, name: &str) -> PathBuf {
        self.workspace.path().join(name)
    }
}
