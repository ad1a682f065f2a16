//! The templates and `project_create` through a real executor: every template renders with
//! its variables, and a created project is a git repository with one commit, recorded in
//! the store. (Running each generated project's own tests is scripts/check_templates.py,
//! which CI runs: it needs the package registries.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use dark8_programmer::template;
use dark8_protocol::ToolStatus;
use serde_json::{json, Value};

#[test]
fn every_template_renders_with_its_variables() {
    let names = template::names();
    assert_eq!(names, ["django", "fastapi", "flask", "nodejs", "rust"]);
    for name in names {
        let manifest = template::manifest(&name).unwrap();
        assert_eq!(manifest.name, name);
        assert!(!manifest.checks.is_empty(), "{name} has no checks");
        let vars =
            dark8_programmer::create::variables(&manifest, "Sklep Internetowy", "produkt").unwrap();
        let target = tempfile::tempdir().unwrap();
        let files = template::render(&name, &vars, target.path()).unwrap();
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        for expected in [
            "README.md",
            "Dockerfile",
            ".dockerignore",
            ".gitignore",
            "deploy/sklep-internetowy.service",
        ] {
            assert!(
                names.contains(&expected.to_owned()),
                "{name}: no {expected} in {names:?}"
            );
        }
        assert!(
            !names.iter().any(|n| n.ends_with(".j2")),
            "{name}: unrendered file"
        );
        let dockerfile = std::fs::read_to_string(target.path().join("Dockerfile")).unwrap();
        assert!(
            dockerfile.contains("HEALTHCHECK") && dockerfile.contains("USER "),
            "{name}"
        );
        assert!(
            dockerfile.matches("FROM ").count() >= 2,
            "{name}: not multi-stage"
        );
        let unit = std::fs::read_to_string(target.path().join("deploy/sklep-internetowy.service"))
            .unwrap();
        for hardening in [
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "DynamicUser=yes",
        ] {
            assert!(unit.contains(hardening), "{name}: {hardening}");
        }
        let readme = std::fs::read_to_string(target.path().join("README.md")).unwrap();
        assert!(
            readme.contains("## Uruchomienie") && readme.contains("/api/produkt"),
            "{name}"
        );
        for file in &files {
            let text = std::fs::read_to_string(target.path().join(file)).unwrap_or_default();
            assert!(
                !text.contains("{{") || file.ends_with("README.md"),
                "{name}: {} keeps a placeholder",
                file.display()
            );
        }
    }
}

#[test]
fn a_missing_variable_is_an_error_not_an_empty_string() {
    let target = tempfile::tempdir().unwrap();
    let err = template::render("fastapi", &BTreeMap::new(), target.path()).unwrap_err();
    assert!(err.to_string().contains("nie można wygenerować"), "{err}");
    assert!(matches!(
        template::manifest("cobol"),
        Err(template::TemplateError::Unknown(_))
    ));
}

async fn create(executor: &dark8_tools::Executor, args: Value) -> dark8_protocol::ToolResult {
    common::call(executor, "project_create", args).await
}

#[tokio::test]
async fn project_create_makes_a_committed_repository_and_records_it() {
    let (exec, ws, _data, store) = common::executor().await;
    let result = create(
        &exec,
        json!({"framework": "flask", "name": "Sklep Internetowy", "app_type": "Produkt"}),
    )
    .await;
    assert_eq!(result.status, ToolStatus::Success, "{}", result.summary);
    let project = ws.path().join("sklep-internetowy");
    assert!(project.join("app/__init__.py").exists());
    let code = std::fs::read_to_string(project.join("app/__init__.py")).unwrap();
    assert!(code.contains("BASE = \"/api/produkt\""), "{code}");
    let log = Command::new("git")
        .args(["log", "--format=%s"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout).trim(),
        "Nowy projekt flask: Sklep Internetowy (wygenerowany przez DARK8)"
    );
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(status.stdout.is_empty(), "uncommitted files after create");
    let projects = store.projects().list().await.unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].name, "sklep-internetowy");
    assert_eq!(projects[0].metadata["framework"], "flask");
    assert_eq!(result.output["checks"].as_array().unwrap().len(), 4);

    // The same again: refused, nothing touched.
    let again = create(
        &exec,
        json!({"framework": "flask", "name": "Sklep Internetowy"}),
    )
    .await;
    assert_eq!(again.status, ToolStatus::Error);
    assert!(again.summary.contains("już istnieje"), "{}", again.summary);
    let nameless = create(&exec, json!({"framework": "rust", "name": "???"})).await;
    assert!(
        nameless.summary.contains("litery albo cyfry"),
        "{}",
        nameless.summary
    );
    let unknown = create(&exec, json!({"framework": "cobol"})).await;
    assert_eq!(unknown.status, ToolStatus::Error);
    let outside = create(&exec, json!({"framework": "flask", "path": "../poza"})).await;
    assert_eq!(outside.status, ToolStatus::Denied);
    let default_name = create(&exec, json!({"framework": "nodejs"})).await;
    assert_eq!(
        default_name.status,
        ToolStatus::Success,
        "{}",
        default_name.summary
    );
    assert!(ws.path().join("todo-nodejs/package.json").exists());
}
