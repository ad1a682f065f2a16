//! Checks that need no tools: secrets, dangerous calls, SQL built from strings, TODO/FIXME,
//! oversized files and functions. A line marked `noqa` or `dark8: ignore` is skipped.

use std::path::Path;

use regex::Regex;

use super::findings::{Finding, Severity};

/// Lines a file may have before it is called oversized.
const MAX_FILE_LINES: usize = 1000;
/// Lines a Python function may have before it is called oversized.
const MAX_FUNCTION_LINES: usize = 80;

struct Rule {
    id: &'static str,
    severity: Severity,
    message: &'static str,
    pattern: Regex,
    /// File extensions it applies to (empty: all).
    extensions: &'static [&'static str],
    /// A line containing this is not a finding (e.g. `SafeLoader` for yaml.load).
    unless: Option<&'static str>,
}

fn rule(
    id: &'static str,
    severity: Severity,
    message: &'static str,
    pattern: &str,
    extensions: &'static [&'static str],
) -> Option<Rule> {
    Some(Rule {
        id,
        severity,
        message,
        pattern: Regex::new(pattern).ok()?,
        extensions,
        unless: None,
    })
}

const PY: &[&str] = &["py"];
const JS: &[&str] = &["js", "mjs", "cjs", "ts"];
const CODE: &[&str] = &["py", "js", "mjs", "cjs", "ts"];

fn rules() -> Vec<Rule> {
    [
        rule("dark8/secret-aws-key", Severity::High, "klucz dostępu AWS zapisany w kodzie", r"\b(AKIA|ASIA)[0-9A-Z]{16}\b", &[]),
        rule("dark8/secret-token", Severity::High, "token (GitHub, GitLab, Slack, OpenAI) zapisany w kodzie", r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_\-]{20,}|xox[baprs]-[A-Za-z0-9\-]{10,}|sk-[A-Za-z0-9]{32,})", &[]),
        rule("dark8/secret-private-key", Severity::High, "klucz prywatny zapisany w repozytorium", r"-----BEGIN [A-Z ]*PRIVATE KEY-----", &[]),
        rule("dark8/secret-assignment", Severity::Medium, "hasło, sekret albo klucz API przypisany w kodzie", r#"(?i)\b[a-z_]*(password|passwd|secret|api_?key|token)[a-z_]*\s*[:=]\s*["'][^"'\s]{8,}["']"#, CODE),
        rule("dark8/eval", Severity::High, "eval/exec wykonuje dowolny kod (zwłaszcza z danych wejściowych)", r"(^|[^\w.])(eval|exec)\s*\(", PY),
        rule("dark8/eval", Severity::High, "eval / new Function wykonuje dowolny kod", r"(^|[^\w.])eval\s*\(|new\s+Function\s*\(", JS),
        rule("dark8/shell-true", Severity::High, "subprocess z shell=True: wstrzyknięcie poleceń powłoki", r"shell\s*=\s*True", PY),
        rule("dark8/os-system", Severity::High, "os.system/os.popen uruchamia powłokę: użyj subprocess z listą argumentów", r"\bos\.(system|popen)\s*\(", PY),
        rule("dark8/child-process-exec", Severity::High, "child_process.exec uruchamia powłokę: użyj execFile/spawn z listą argumentów", r"\b(exec|execSync)\s*\(\s*[`'\x22].*(\$\{|\+)", JS),
        rule("dark8/sql-string", Severity::High, "zapytanie SQL sklejane z tekstu: użyj parametrów (?, %s, $1)", r#"\.(execute|executemany|executescript|raw|query)\s*\(\s*(f["']|"[^"]*"\s*(\+|%|\.format\s*\()|'[^']*'\s*(\+|%|\.format\s*\())"#, CODE),
        rule("dark8/sql-template", Severity::High, "zapytanie SQL z podstawieniem ${...}: użyj parametrów", r"\.(query|execute|raw)\s*\(\s*`[^`]*\$\{", JS),
        rule("dark8/pickle", Severity::Medium, "pickle.loads na niezaufanych danych wykonuje kod", r"\bpickle\.loads?\s*\(", PY),
        rule("dark8/yaml-load", Severity::Medium, "yaml.load bez SafeLoader wykonuje kod: użyj yaml.safe_load", r"\byaml\.load\s*\(", PY)
            .map(|r| Rule { unless: Some("SafeLoader"), ..r }),
        rule("dark8/todo", Severity::Info, "TODO/FIXME w kodzie", r"\b(TODO|FIXME|XXX)\b", &[]),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn skipped(line: &str) -> bool {
    line.contains("noqa") || line.contains("dark8: ignore")
}

/// The Python functions longer than the limit, as (line of `def`, length).
fn long_python_functions(lines: &[&str]) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let def = Regex::new(r"^(\s*)(async\s+)?def\s+(\w+)").ok();
    let Some(def) = def else { return found };
    for (index, line) in lines.iter().enumerate() {
        let Some(caps) = def.captures(line) else {
            continue;
        };
        let indent = caps.get(1).map_or(0, |m| m.as_str().len());
        let name = caps.get(3).map_or("", |m| m.as_str()).to_owned();
        let end = lines[index + 1..]
            .iter()
            .position(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() <= indent)
            .map_or(lines.len(), |p| index + 1 + p);
        let length = end - index;
        if length > MAX_FUNCTION_LINES {
            found.push((index + 1, length, name));
        }
    }
    found
}

/// Every built-in finding in one file's text.
pub fn check_file(relative: &str, text: &str) -> Vec<Finding> {
    let extension = Path::new(relative)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let lines: Vec<&str> = text.lines().collect();
    let mut findings = Vec::new();
    for rule in rules() {
        if !rule.extensions.is_empty() && !rule.extensions.contains(&extension) {
            continue;
        }
        for (index, line) in lines.iter().enumerate() {
            let excused = rule.unless.is_some_and(|u| line.contains(u));
            if !skipped(line) && !excused && rule.pattern.is_match(line) {
                findings.push(Finding {
                    rule: rule.id.to_owned(),
                    severity: rule.severity,
                    file: relative.to_owned(),
                    line: index + 1,
                    message: rule.message.to_owned(),
                    source: "dark8".to_owned(),
                });
            }
        }
    }
    if lines.len() > MAX_FILE_LINES && CODE.contains(&extension) {
        findings.push(Finding {
            rule: "dark8/large-file".to_owned(),
            severity: Severity::Low,
            file: relative.to_owned(),
            line: 1,
            message: format!(
                "plik ma {} linii (więcej niż {MAX_FILE_LINES}): podziel go",
                lines.len()
            ),
            source: "dark8".to_owned(),
        });
    }
    if extension == "py" {
        for (line, length, name) in long_python_functions(&lines) {
            findings.push(Finding {
                rule: "dark8/long-function".to_owned(),
                severity: Severity::Low,
                file: relative.to_owned(),
                line,
                message: format!("funkcja {name} ma {length} linii (więcej niż {MAX_FUNCTION_LINES}): podziel ją"),
                source: "dark8".to_owned(),
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(file: &str, text: &str) -> Vec<String> {
        check_file(file, text).into_iter().map(|f| f.rule).collect()
    }

    #[test]
    fn planted_problems_are_found_and_safe_code_is_not() {
        assert_eq!(
            rules_of("a.py", "KEY = 'AKIAIOSFODNN7EXAMPLE'\n"),
            ["dark8/secret-aws-key"]
        );
        assert_eq!(rules_of("a.py", "x = eval(input())\n"), ["dark8/eval"]);
        assert_eq!(
            rules_of("a.py", "subprocess.run(cmd, shell=True)\n"),
            ["dark8/shell-true"]
        );
        assert_eq!(
            rules_of(
                "a.py",
                "db.execute(\"SELECT * FROM t WHERE id = \" + uid)\n"
            ),
            ["dark8/sql-string"]
        );
        assert_eq!(
            rules_of(
                "a.py",
                "db.execute(f\"SELECT * FROM t WHERE id = {uid}\")\n"
            ),
            ["dark8/sql-string"]
        );
        assert_eq!(
            rules_of("a.js", "db.query(`SELECT * FROM t WHERE id = ${id}`)\n"),
            ["dark8/sql-template"]
        );
        assert!(rules_of(
            "a.py",
            "db.execute(\"SELECT * FROM t WHERE id = ?\", (uid,))\n"
        )
        .is_empty());
        assert!(rules_of("a.py", "model.evaluate(x)\nself.exec_count = 1\n").is_empty());
        assert!(rules_of(
            "a.py",
            "SECRET_KEY = \"dev-key-only-for-tests\"  # noqa: S105\n"
        )
        .is_empty());
        assert_eq!(
            rules_of("a.py", "password = \"hunter2hunter2\"\n"),
            ["dark8/secret-assignment"]
        );
        assert_eq!(rules_of("a.rs", "// TODO: later\n"), ["dark8/todo"]);
    }
}
