//! `tests_generate` on freshly generated projects of every template (after `project_build`),
//! each with a planted function that fails: the generated tests are written in the project's
//! own style (unittest, `#[cfg(test)]` modules, node:test), the failing ones are dropped, and
//! the project's whole suite still passes through `tests_run`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::call;
use dark8_protocol::ToolStatus;
use serde_json::json;

/// A function that fails when called with simple arguments, per template, and where it goes.
fn planted(framework: &str) -> (&'static str, &'static str) {
    match framework {
        "rust" => (
            "src/zepsute.rs",
            "//! Planted by the test.\n\n/// Always panics.\npub fn zawsze_panikuje(x: i32) -> i32 {\n    panic!(\"zepsute {x}\")\n}\n\n/// Adds one.\npub fn dodaj_jeden(x: i32) -> i32 {\n    x + 1\n}\n",
        ),
        "nodejs" => (
            "src/zepsute.js",
            "export function zawszeRzuca() {\n  throw new Error(\"zepsute\");\n}\n\nexport function dodajJeden(x) {\n  return x + 1;\n}\n",
        ),
        _ => (
            "zepsute.py",
            "def zawsze_rzuca(x: int) -> int:\n    raise ValueError(\"zepsute\")\n\n\ndef dodaj_jeden(x: int) -> int:\n    return x + 1\n",
        ),
    }
}

#[tokio::test]
async fn every_template_gets_passing_generated_tests_and_failing_ones_are_dropped() {
    let (exec, ws, _data, _store) = common::executor().await;
    for framework in ["fastapi", "flask", "django", "nodejs", "rust"] {
        let path = format!("gen-{framework}");
        let created = call(
            &exec,
            "project_create",
            json!({"framework": framework, "name": path}),
        )
        .await;
        assert_eq!(created.status, ToolStatus::Success, "{}", created.summary);
        let dir = ws.path().join(&path);
        let (file, source) = planted(framework);
        std::fs::write(dir.join(file), source).unwrap();
        if framework == "rust" {
            let lib = dir.join("src/lib.rs");
            let text = std::fs::read_to_string(&lib).unwrap();
            std::fs::write(
                &lib,
                text.replacen("pub mod config;", "pub mod config;\npub mod zepsute;", 1),
            )
            .unwrap();
        }
        let built = call(&exec, "project_build", json!({ "path": path })).await;
        assert_eq!(
            built.status,
            ToolStatus::Success,
            "{framework}: {}",
            built.summary
        );

        let generated = call(&exec, "tests_generate", json!({ "path": path })).await;
        assert_eq!(
            generated.status,
            ToolStatus::Success,
            "{framework}: {}",
            generated.summary
        );
        let output = &generated.output;
        assert!(
            output["tests"].as_u64().unwrap() >= 2,
            "{framework}: {output}"
        );
        assert!(
            output["dropped"].as_u64().unwrap() >= 1,
            "{framework}: the planted failure is dropped: {output}"
        );
        let files: Vec<String> = output["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_owned())
            .collect();
        assert!(!files.is_empty(), "{framework}: {output}");
        match framework {
            "rust" => {
                let text = std::fs::read_to_string(dir.join("src/zepsute.rs")).unwrap();
                assert!(text.contains("mod dark8_smoke_tests"), "{text}");
                assert!(text.contains("fn dodaj_jeden_runs()"), "{text}");
                assert!(!text.contains("fn zawsze_panikuje_runs()"), "{text}");
            }
            "nodejs" => {
                let text = std::fs::read_to_string(dir.join("test/dark8_smoke.test.js")).unwrap();
                assert!(
                    text.contains("dodajJeden is a function of 1 required parameters"),
                    "{text}"
                );
                assert!(!text.contains("zawszeRzuca() returns a value"), "{text}");
                assert!(
                    !text.contains("src/server.js"),
                    "the server module is not imported: {text}"
                );
            }
            _ => {
                let text =
                    std::fs::read_to_string(dir.join("tests/test_dark8_zepsute.py")).unwrap();
                assert!(text.contains("test_dodaj_jeden_returns_its_type"), "{text}");
                assert!(
                    !text.contains("test_zawsze_rzuca_returns_its_type"),
                    "{text}"
                );
            }
        }
        // The project's whole suite, generated tests included, passes.
        let tested = call(&exec, "tests_run", json!({ "path": path })).await;
        assert_eq!(
            tested.status,
            ToolStatus::Success,
            "{framework}: {}",
            tested.summary
        );
    }
}
