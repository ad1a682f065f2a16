//! Python's other analyzers, when the project (its `.venv`) or the machine has them: bandit
//! (`-f json`: security), pylint (`--output-format=json`), mypy (`--output json`: types).
//! Each is optional; ruff (in `linters.rs`) is the one the templates install.

use std::path::Path;

use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::ToolContext;
use serde_json::Value;

use super::findings::{Finding, Severity};
use super::linters::{installed, output, relative};

/// Findings of bandit, pylint and mypy where installed; the names of the ones that ran.
pub async fn run(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
) -> (Vec<Finding>, Vec<&'static str>) {
    let mut findings = Vec::new();
    let mut ran = Vec::new();
    if let Some(bandit) = installed(dir, "bandit") {
        let args = [
            "-r",
            ".",
            "-f",
            "json",
            "-q",
            "-x",
            "./.venv,./venv,./node_modules,./tests",
        ];
        if let Some(text) = output(ctx, sandbox, dir, &bandit, &args).await {
            findings.extend(parse_bandit(&text, dir));
            ran.push("bandit");
        }
    }
    if let Some(pylint) = installed(dir, "pylint") {
        let args = [
            "--recursive=y",
            "--output-format=json",
            "--ignore=.venv,venv,node_modules,migrations",
            ".",
        ];
        if let Some(text) = output(ctx, sandbox, dir, &pylint, &args).await {
            findings.extend(parse_pylint(&text, dir));
            ran.push("pylint");
        }
    }
    if let Some(mypy) = installed(dir, "mypy") {
        let args = [
            "--output",
            "json",
            "--ignore-missing-imports",
            "--no-error-summary",
            "--exclude",
            "(^|/)(\\.venv|venv|node_modules|build|dist)/",
            ".",
        ];
        if let Some(text) = output(ctx, sandbox, dir, &mypy, &args).await {
            findings.extend(parse_mypy(&text, dir));
            ran.push("mypy");
        }
    }
    (findings, ran)
}

fn line_of(value: &Value) -> usize {
    usize::try_from(value.as_u64().unwrap_or(1)).unwrap_or(1)
}

/// bandit's JSON: `{results: [{test_id, issue_severity, issue_text, filename, line_number}]}`.
pub fn parse_bandit(text: &str, dir: &Path) -> Vec<Finding> {
    let Ok(report) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    report["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| Finding {
            rule: format!("bandit/{}", item["test_id"].as_str().unwrap_or("B000")),
            severity: match item["issue_severity"].as_str() {
                Some("HIGH") => Severity::High,
                Some("MEDIUM") => Severity::Medium,
                _ => Severity::Low,
            },
            file: relative(item["filename"].as_str().unwrap_or(""), dir),
            line: line_of(&item["line_number"]),
            message: item["issue_text"].as_str().unwrap_or("").to_owned(),
            source: "bandit".to_owned(),
        })
        .collect()
}

/// pylint's JSON: `[{type, message-id, symbol, message, path, line}]`.
pub fn parse_pylint(text: &str, dir: &Path) -> Vec<Finding> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| Finding {
            rule: format!("pylint/{}", item["message-id"].as_str().unwrap_or("pylint")),
            severity: match item["type"].as_str() {
                Some("fatal" | "error") => Severity::Medium,
                Some("warning") => Severity::Low,
                _ => Severity::Info,
            },
            file: relative(item["path"].as_str().unwrap_or(""), dir),
            line: line_of(&item["line"]),
            message: format!(
                "{} ({})",
                item["message"].as_str().unwrap_or(""),
                item["symbol"].as_str().unwrap_or("")
            ),
            source: "pylint".to_owned(),
        })
        .collect()
}

/// mypy's JSON lines: `{file, line, message, code, severity: error|note}`.
pub fn parse_mypy(text: &str, dir: &Path) -> Vec<Finding> {
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|item| item["severity"] == "error")
        .map(|item| Finding {
            rule: format!("mypy/{}", item["code"].as_str().unwrap_or("error")),
            severity: Severity::Medium,
            file: relative(item["file"].as_str().unwrap_or(""), dir),
            line: line_of(&item["line"]),
            message: item["message"].as_str().unwrap_or("").to_owned(),
            source: "mypy".to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_of_bandit_pylint_and_mypy_parse() {
        let bandit = r#"{"errors": [], "results": [{"code": "3 subprocess.call(cmd, shell=True)\n", "filename": "./app.py", "issue_confidence": "HIGH", "issue_severity": "HIGH", "issue_text": "subprocess call with shell=True identified, security issue.", "line_number": 3, "test_id": "B602", "test_name": "subprocess_popen_with_shell_equals_true"}]}"#;
        let found = parse_bandit(bandit, Path::new("."));
        assert_eq!(
            (found[0].rule.as_str(), found[0].severity, found[0].line),
            ("bandit/B602", Severity::High, 3)
        );
        let pylint = r#"[{"type": "warning", "module": "app", "obj": "f", "line": 5, "column": 4, "path": "app.py", "symbol": "unused-variable", "message": "Unused variable 'x'", "message-id": "W0612"}]"#;
        let found = parse_pylint(pylint, Path::new("."));
        assert_eq!(
            (
                found[0].rule.as_str(),
                found[0].severity,
                found[0].file.as_str()
            ),
            ("pylint/W0612", Severity::Low, "app.py")
        );
        let mypy = "{\"file\": \"app.py\", \"line\": 7, \"column\": 10, \"message\": \"Incompatible types in assignment\", \"hint\": null, \"code\": \"assignment\", \"severity\": \"error\"}\n{\"file\": \"app.py\", \"line\": 7, \"column\": 10, \"message\": \"see docs\", \"hint\": null, \"code\": null, \"severity\": \"note\"}\n";
        let found = parse_mypy(mypy, Path::new("."));
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].rule.as_str(), found[0].line),
            ("mypy/assignment", 7)
        );
    }
}
