//! The project's own linters, where they are installed, with their machine-readable output
//! parsed into findings: ruff (`--output-format json`), ESLint (`-f json`), cargo clippy
//! (`--message-format json`, offline: it never downloads); for Python also bandit, pylint and
//! mypy where installed (`python_linters.rs`).

use std::path::Path;

use dark8_tools::builtin::program::Program;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::ToolContext;
use serde_json::Value;

use super::findings::{Finding, Severity};
use crate::project::Kind;

/// Findings of every linter that could run, and notes about the ones that could not.
pub async fn run(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    kind: Option<Kind>,
) -> (Vec<Finding>, Vec<String>) {
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    match kind {
        Some(Kind::Python) => {
            let ruff = [dir.join(".venv/bin/ruff")]
                .into_iter()
                .find(|p| p.is_file())
                .map(|p| p.display().to_string())
                .or_else(|| on_path("ruff"));
            match ruff {
                Some(ruff) => match output(
                    ctx,
                    sandbox,
                    dir,
                    &ruff,
                    &["check", "--output-format", "json", "--exit-zero", "."],
                )
                .await
                {
                    Some(text) => findings.extend(parse_ruff(&text, dir)),
                    None => notes.push("ruff nie zadziałał".to_owned()),
                },
                None => notes.push(
                    "ruff pominięty: nie jest zainstalowany (project_build instaluje zależności)"
                        .to_owned(),
                ),
            }
            let (more, ran) = super::python_linters::run(ctx, sandbox, dir).await;
            findings.extend(more);
            if !ran.is_empty() {
                notes.push(format!("uruchomiono też: {}", ran.join(", ")));
            }
        }
        Some(Kind::Node) => {
            let eslint = dir.join("node_modules/.bin/eslint");
            if eslint.is_file() {
                match output(
                    ctx,
                    sandbox,
                    dir,
                    &eslint.display().to_string(),
                    &["-f", "json", "."],
                )
                .await
                {
                    Some(text) => findings.extend(parse_eslint(&text, dir)),
                    None => notes.push("ESLint nie zadziałał".to_owned()),
                }
            } else {
                notes.push(
                    "ESLint pominięty: brak node_modules (project_build instaluje zależności)"
                        .to_owned(),
                );
            }
        }
        Some(Kind::Rust) => {
            match output(
                ctx,
                sandbox,
                dir,
                "cargo",
                &[
                    "clippy",
                    "--offline",
                    "--all-targets",
                    "--message-format",
                    "json",
                    "--quiet",
                ],
            )
            .await
            {
                Some(text) if text.contains("\"reason\"") => findings.extend(parse_clippy(&text)),
                _ => notes.push(
                    "clippy pominięty: zależności nie są pobrane (project_build je pobiera)"
                        .to_owned(),
                ),
            }
        }
        _ => {}
    }
    (findings, notes)
}

/// `program` from the project's `.venv` or from PATH.
pub(super) fn installed(dir: &Path, program: &str) -> Option<String> {
    [dir.join(".venv/bin").join(program)]
        .into_iter()
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
        .or_else(|| on_path(program))
}

fn on_path(program: &str) -> Option<String> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
            .map(|p| p.display().to_string())
    })
}

/// The program's stdout, whatever its exit code (linters exit non-zero when they find things).
pub(super) async fn output(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    program: &str,
    args: &[&str],
) -> Option<String> {
    let mut run = Program::new(program, args, ctx);
    run.cwd = dir.to_path_buf();
    run.stream = false;
    run.run(ctx, sandbox).await.ok().map(|o| o.stdout)
}

pub(super) fn relative(file: &str, dir: &Path) -> String {
    let file = file.strip_prefix("./").unwrap_or(file);
    let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    Path::new(file)
        .strip_prefix(&real)
        .or_else(|_| Path::new(file).strip_prefix(dir))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| file.to_owned())
}

/// ruff's JSON: `[{code, message, filename, location: {row}}]`; security rules (S) are high.
pub fn parse_ruff(text: &str, dir: &Path) -> Vec<Finding> {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let code = item["code"].as_str().unwrap_or("ruff");
            Finding {
                rule: format!("ruff/{code}"),
                severity: if code.starts_with('S') {
                    Severity::High
                } else {
                    Severity::Medium
                },
                file: relative(item["filename"].as_str().unwrap_or(""), dir),
                line: item["location"]["row"].as_u64().unwrap_or(1) as usize,
                message: item["message"].as_str().unwrap_or("").to_owned(),
                source: "ruff".to_owned(),
            }
        })
        .collect()
}

/// ESLint's JSON: `[{filePath, messages: [{ruleId, severity, message, line}]}]`.
pub fn parse_eslint(text: &str, dir: &Path) -> Vec<Finding> {
    let Ok(Value::Array(files)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    files
        .iter()
        .flat_map(|file| {
            let path = relative(file["filePath"].as_str().unwrap_or(""), dir);
            file["messages"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |m| Finding {
                    rule: format!("eslint/{}", m["ruleId"].as_str().unwrap_or("parse")),
                    severity: if m["severity"].as_u64() == Some(2) {
                        Severity::Medium
                    } else {
                        Severity::Low
                    },
                    file: path.clone(),
                    line: m["line"].as_u64().unwrap_or(1) as usize,
                    message: m["message"].as_str().unwrap_or("").to_owned(),
                    source: "eslint".to_owned(),
                })
        })
        .collect()
}

/// cargo's JSON lines: `compiler-message` entries with a warning or error and a primary span.
pub fn parse_clippy(text: &str) -> Vec<Finding> {
    text.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| v["reason"] == "compiler-message")
        .filter_map(|v| {
            let message = &v["message"];
            let level = message["level"].as_str()?;
            if level != "warning" && level != "error" {
                return None;
            }
            let span = message["spans"]
                .as_array()?
                .iter()
                .find(|s| s["is_primary"] == true)?;
            Some(Finding {
                rule: format!(
                    "clippy/{}",
                    message["code"]["code"].as_str().unwrap_or("rustc")
                ),
                severity: if level == "error" {
                    Severity::High
                } else {
                    Severity::Medium
                },
                file: span["file_name"].as_str().unwrap_or("").to_owned(),
                line: span["line_start"].as_u64().unwrap_or(1) as usize,
                message: message["message"].as_str().unwrap_or("").to_owned(),
                source: "clippy".to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linter_outputs_parse() {
        let ruff = r#"[{"code":"S602","message":"subprocess call with shell=True","filename":"/p/app.py","location":{"row":3,"column":1}}]"#;
        let f = parse_ruff(ruff, Path::new("/p"));
        assert_eq!(
            (
                f[0].rule.as_str(),
                f[0].severity,
                f[0].file.as_str(),
                f[0].line
            ),
            ("ruff/S602", Severity::High, "app.py", 3)
        );
        let eslint = r#"[{"filePath":"/p/src/a.js","messages":[{"ruleId":"no-eval","severity":2,"message":"eval can be harmful.","line":7}]}]"#;
        let f = parse_eslint(eslint, Path::new("/p"));
        assert_eq!(
            (f[0].rule.as_str(), f[0].file.as_str(), f[0].line),
            ("eslint/no-eval", "src/a.js", 7)
        );
        let clippy = r#"{"reason":"compiler-message","message":{"level":"warning","message":"this could be simpler","code":{"code":"clippy::needless_return"},"spans":[{"file_name":"src/main.rs","line_start":4,"is_primary":true}]}}"#;
        let f = parse_clippy(clippy);
        assert_eq!(
            (f[0].rule.as_str(), f[0].line),
            ("clippy/clippy::needless_return", 4)
        );
    }
}
