//! `project_build` and `tests_run` on freshly generated projects (real pip / npm installs from
//! the registries), and a failing test reported in Polish.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::call;
use dark8_protocol::ToolStatus;
use serde_json::json;

#[tokio::test]
async fn generated_projects_build_and_their_tests_pass() {
    let (exec, ws, _data, _store) = common::executor().await;
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
