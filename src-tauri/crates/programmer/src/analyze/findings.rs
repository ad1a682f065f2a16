//! Findings of the analyzer, their severities, the Polish report and SARIF 2.1.0 export.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How bad a finding is, from the least to the most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (TODO, FIXME).
    Info,
    /// Style or size.
    Low,
    /// A likely bug or a risky pattern.
    Medium,
    /// A security problem (secrets, code injection).
    High,
}

impl Severity {
    /// The Polish name.
    pub fn pl(self) -> &'static str {
        match self {
            Severity::Info => "informacja",
            Severity::Low => "niski",
            Severity::Medium => "średni",
            Severity::High => "wysoki",
        }
    }

    fn sarif_level(self) -> &'static str {
        match self {
            Severity::Info => "note",
            Severity::Low | Severity::Medium => "warning",
            Severity::High => "error",
        }
    }
}

/// One problem in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Rule id, e.g. `dark8/secret-aws-key` or `ruff/S602`.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// File, relative to the project.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// What is wrong, in Polish (linters' own words for their findings).
    pub message: String,
    /// Which check found it: `dark8`, `ruff`, `eslint`, `clippy`.
    pub source: String,
}

/// The Polish report: counts by severity, then the findings, most severe first.
pub fn report(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "Analiza: brak uwag.".to_owned();
    }
    let mut lines = Vec::new();
    let counts: Vec<String> = [
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .iter()
    .filter_map(|s| {
        let n = findings.iter().filter(|f| f.severity == *s).count();
        (n > 0).then(|| format!("{}: {n}", s.pl()))
    })
    .collect();
    lines.push(format!(
        "Analiza: {} uwag ({}).",
        findings.len(),
        counts.join(", ")
    ));
    for f in findings {
        lines.push(format!(
            "[{}] {}:{} {} ({})",
            f.severity.pl(),
            f.file,
            f.line,
            f.message,
            f.rule
        ));
    }
    lines.join("\n")
}

/// The findings as a SARIF 2.1.0 log.
pub fn sarif(findings: &[Finding]) -> Value {
    let mut rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dark8-code-analyze",
                "informationUri": "https://github.com/dark8-os/dark8",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|r| json!({"id": r})).collect::<Vec<_>>(),
            }},
            "results": findings.iter().map(|f| json!({
                "ruleId": f.rule,
                "level": f.severity.sarif_level(),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.file},
                    "region": {"startLine": f.line.max(1)},
                }}],
                "properties": {"severity": f.severity, "source": f.source},
            })).collect::<Vec<_>>(),
        }],
    })
}
