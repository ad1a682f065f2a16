//! What the test suites share: every built-in tool (plus the extra ones a suite brings, such
//! as the master programmer's or memory) behind a real executor, in a temp workspace, with a
//! temp data directory holding a real database file, and `--yes` as the approver.
//!
//! Only for tests and benchmarks: it panics on setup failures.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fixture fails loudly

pub mod probes;

use std::path::PathBuf;
use std::sync::Arc;

use dark8_protocol::{ToolCall, ToolResult, ToolStatus};
use dark8_store::Store;
use dark8_tools::builtin::{self, BuiltinSettings};
use dark8_tools::{AutoApprove, Executor, Policy, PolicyConfig, Tool};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

/// A workspace, DARK8's data directory and an executor over the tools.
pub struct Fixture {
    /// The workspace of the calls.
    pub workspace: tempfile::TempDir,
    /// DARK8's data directory (database, undo, jobs); out of bounds for the tools.
    pub data: tempfile::TempDir,
    /// The database.
    pub store: Store,
    /// The executor.
    pub executor: Executor,
}

/// The built-in tools under the default policy.
pub async fn fixture() -> Fixture {
    fixture_with(PolicyConfig::default(), |_| {}, |_, _| Vec::new()).await
}

/// The built-in tools under `policy`, with `adjust` applied to their settings, plus the tools
/// `extra` makes from the store and those settings.
pub async fn fixture_with(
    policy: PolicyConfig,
    adjust: impl FnOnce(&mut BuiltinSettings),
    extra: impl FnOnce(&Store, &BuiltinSettings) -> Vec<Arc<dyn Tool>>,
) -> Fixture {
    let workspace = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(&data.path().join("dark8.db")).await.unwrap();
    let mut settings = BuiltinSettings::new(store.clone(), data.path().to_path_buf()).unwrap();
    let policy = Policy::load(&policy).unwrap();
    settings.policy = policy.clone();
    adjust(&mut settings);
    let mut registry = builtin::registry(&settings).unwrap();
    for tool in extra(&store, &settings) {
        registry.register(tool).unwrap();
    }
    let executor = Executor::new(
        registry,
        policy,
        store.clone(),
        workspace.path().canonicalize().unwrap(),
    )
    .with_approver(Arc::new(AutoApprove))
    .with_hidden(vec![data.path().to_path_buf()])
    // As on a machine with Landlock, whatever this one has.
    .with_file_system_confinement(true);
    Fixture {
        workspace,
        data,
        store,
        executor,
    }
}

/// Calls `tool` with `args` through `executor`; a successful result's data must match the
/// tool's output schema.
pub async fn call(executor: &Executor, tool: &str, args: Value) -> ToolResult {
    let result = executor
        .call(
            ToolCall {
                id: "t".into(),
                tool: tool.into(),
                arguments: args,
            },
            CancellationToken::new(),
        )
        .await;
    if result.status == ToolStatus::Success {
        assert_matches_output_schema(executor, tool, &result.output);
    }
    result
}

/// Panics, naming every problem, when `output` does not match `tool`'s output schema.
pub fn assert_matches_output_schema(executor: &Executor, tool: &str, output: &Value) {
    let schema = executor
        .registry()
        .get(tool)
        .map(|t| t.output_schema())
        .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(output)
        .map(|err| format!("{}: {err}", err.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{tool}: output does not match its schema: {}\n{output}",
        problems.join("; ")
    );
}

impl Fixture {
    /// Calls `tool` with `args` through the executor.
    pub async fn call(&self, tool: &str, args: Value) -> ToolResult {
        call(&self.executor, tool, args).await
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

    /// The parts, for suites that hold them separately.
    pub fn into_parts(self) -> (Executor, tempfile::TempDir, tempfile::TempDir, Store) {
        (self.executor, self.workspace, self.data, self.store)
    }
}
