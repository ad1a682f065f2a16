//! `code_analyze` on a fixture with planted problems (found, with a SARIF file) and on a
//! freshly generated project of every template (nothing above "info").
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::call;
use dark8_protocol::ToolStatus;
use serde_json::{json, Value};

#[tokio::test]
async fn planted_problems_are_found_and_exported_as_sarif() {
    let (exec, ws, _data, _store) = common::executor().await;
    let project = ws.path().join("zly");
    std::fs::create_dir_all(project.join("app")).unwrap();
    std::fs::write(project.join("requirements.txt"), "flask\n").unwrap();
    std::fs::write(
        project.join("app/views.py"),
        "import subprocess\n\
         AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\n\
         def run(request, db):\n\
         \x20   value = eval(request.args[\"x\"])\n\
         \x20   subprocess.run(\"ls \" + value, shell=True)\n\
         \x20   db.execute(\"SELECT * FROM users WHERE name = '\" + request.args[\"name\"] + \"'\")\n\
         \x20   # TODO: walidacja\n\
         \x20   return value\n",
    )
    .unwrap();
    let result = call(
        &exec,
        "code_analyze",
        json!({"path": "zly", "sarif": "zly/analiza.sarif", "linters": false}),
    )
    .await;
    assert_eq!(result.status, ToolStatus::Success, "{}", result.summary);
    let rules: Vec<&str> = result.output["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for planted in [
        "dark8/secret-aws-key",
        "dark8/eval",
        "dark8/shell-true",
        "dark8/sql-string",
        "dark8/todo",
    ] {
        assert!(rules.contains(&planted), "{planted} not in {rules:?}");
    }
    assert_eq!(result.output["findings"][0]["severity"], "high");
    let report = result.output["report"].as_str().unwrap();
    assert!(
        report.starts_with("Analiza: 5 uwag (wysoki: 4, informacja: 1)."),
        "{report}"
    );
    assert!(report.contains("app/views.py:2"), "{report}");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(project.join("analiza.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 5);
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "error");
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "app/views.py"
    );
}

#[tokio::test]
async fn fresh_projects_of_every_template_have_nothing_above_info() {
    let (exec, ws, _data, _store) = common::executor().await;
    for framework in ["fastapi", "flask", "django", "nodejs", "rust"] {
        let created = call(
            &exec,
            "project_create",
            json!({"framework": framework, "name": format!("czysty {framework}")}),
        )
        .await;
        assert_eq!(created.status, ToolStatus::Success, "{}", created.summary);
        let result = call(
            &exec,
            "code_analyze",
            json!({"path": format!("czysty-{framework}")}),
        )
        .await;
        assert_eq!(result.status, ToolStatus::Success, "{}", result.summary);
        assert_eq!(
            result.output["above_info"], 0,
            "{framework}: {}",
            result.output["report"]
        );
    }
    let _ = ws;
}

#[tokio::test]
async fn bandit_pylint_and_mypy_run_where_the_project_has_them() {
    let (exec, ws, _data, _store) = common::executor().await;
    let project = ws.path().join("narzedzia");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "").unwrap();
    std::fs::write(
        project.join("app.py"),
        "\"\"\"Planted problems.\"\"\"\nimport subprocess\n\n\ndef run(cmd: str) -> int:\n    \"\"\"Runs a command line.\"\"\"\n    unused = 1\n    count: int = \"jeden\"\n    return subprocess.call(cmd, shell=True) + count\n",
    )
    .unwrap();
    // The analyzers in the project's own .venv, from PyPI.
    let venv = std::process::Command::new("python3")
        .args(["-m", "venv", ".venv"])
        .current_dir(&project)
        .status()
        .unwrap();
    assert!(venv.success());
    let pip = std::process::Command::new(project.join(".venv/bin/pip"))
        .args(["install", "--quiet", "bandit", "pylint", "mypy"])
        .status()
        .unwrap();
    assert!(pip.success());
    let analyzed = call(&exec, "code_analyze", json!({"path": "narzedzia"})).await;
    assert_eq!(analyzed.status, ToolStatus::Success, "{}", analyzed.summary);
    let findings = analyzed.output["findings"].as_array().unwrap();
    let rules: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in ["bandit/B602", "pylint/W0612", "mypy/assignment"] {
        assert!(rules.contains(&rule), "{rule} not in {rules:?}");
    }
    let bandit = findings
        .iter()
        .find(|f| f["rule"] == "bandit/B602")
        .unwrap();
    assert_eq!(bandit["file"], "app.py");
    assert_eq!(bandit["line"], 9);
    assert!(
        analyzed.output["notes"]
            .to_string()
            .contains("bandit, pylint, mypy"),
        "{}",
        analyzed.output["notes"]
    );
}
