//! `project_build` and `tests_run` on freshly generated projects (real pip / npm installs from
//! the registries), and a failing test reported in Polish.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::sync::Arc;

use dark8_protocol::{ToolCall, ToolResult, ToolStatus};
use dark8_store::Store;
use dark8_tools::builtin::{self, BuiltinSettings};
use dark8_tools::{AutoApprove, Executor, Policy, PolicyConfig};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

async fn executor() -> (Executor, tempfile::TempDir, tempfile::TempDir) {
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
        store,
        workspace.path().canonicalize().unwrap(),
    )
    .with_approver(Arc::new(AutoApprove))
    .with_file_system_confinement(true);
    (executor, workspace, data)
}

async fn call(executor: &Executor, tool: &str, args: Value) -> ToolResult {
    executor
        .call(
            ToolCall {
                id: "b".into(),
                tool: tool.into(),
                arguments: args,
            },
            CancellationToken::new(),
        )
        .await
}

#[tokio::test]
async fn generated_projects_build_and_their_tests_pass() {
    let (exec, ws, _data) = executor().await;
    for framework in ["fastapi", "django", "nodejs"] {
        let path = format!("budowa-{framework}");
        let created = call(
            &exec,
            "project_create",
            json!({"framework": framework, "name": path}),
        )
        .await;
        assert_eq!(created.status, ToolStatus::Success, "{}", created.summary);
        let built = call(&exec, "project_build", json!({ "path": path })).await;
        assert_eq!(
            built.status,
            ToolStatus::Success,
            "{framework}: {}",
            built.summary
        );
        assert!(
            built.summary.starts_with("Zbudowano projekt"),
            "{}",
            built.summary
        );
        let tested = call(&exec, "tests_run", json!({ "path": path })).await;
        assert_eq!(
            tested.status,
            ToolStatus::Success,
            "{framework}: {}",
            tested.summary
        );
    }
    // A broken test fails in Polish with the runner's own last line.
    std::fs::write(
        ws.path().join("budowa-fastapi/tests/test_zepsuty.py"),
        "def test_zepsuty():\n    assert 1 == 2\n",
    )
    .unwrap();
    let failed = call(&exec, "tests_run", json!({"path": "budowa-fastapi"})).await;
    assert_eq!(failed.status, ToolStatus::Error);
    assert!(
        failed.summary.starts_with("Testy nie przeszły."),
        "{}",
        failed.summary
    );
    assert!(failed.summary.contains("failed"), "{}", failed.summary);
    let unknown = call(&exec, "project_build", json!({"path": "."})).await;
    assert!(
        unknown.summary.contains("Nie rozpoznaję projektu"),
        "{}",
        unknown.summary
    );
}
