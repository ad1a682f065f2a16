//! `code_analyze {path, linters?, sarif?}`: the built-in checks over every text file the
//! project does not ignore, plus its own linters where installed; a Polish report by severity
//! and, on request, a SARIF 2.1.0 file.

mod builtin_checks;
pub mod findings;
mod linters;
mod python_linters;

use std::path::{Path, PathBuf};

use dark8_protocol::RiskClass;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use builtin_checks::check_file;
pub use findings::{report, sarif, Finding, Severity};

use crate::project::kind;

/// Largest file the built-in checks read.
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Arguments of `code_analyze`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Katalog projektu albo plik (project directory or file)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// Czy uruchomić lintery projektu (ruff, ESLint, clippy), gdy są zainstalowane (default true)
    #[serde(default = "yes")]
    linters: bool,
    /// Gdzie zapisać raport SARIF, np. "analiza.sarif" (SARIF output file)
    #[serde(default)]
    #[tool(path)]
    sarif: Option<String>,
}

fn yes() -> bool {
    true
}

/// The built-in findings for every text file under `root` that .gitignore does not exclude.
pub fn scan(root: &Path) -> Vec<Finding> {
    let base = if root.is_file() {
        root.parent().unwrap_or(root)
    } else {
        root
    };
    let mut findings = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !matches!(
                name.as_ref(),
                ".git" | ".venv" | "node_modules" | "target" | "dist" | "__pycache__"
            )
        })
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file())
            || entry.metadata().map_or(true, |m| m.len() > MAX_FILE_BYTES)
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue; // binary or not UTF-8
        };
        let relative = entry
            .path()
            .strip_prefix(base)
            .unwrap_or(entry.path())
            .display()
            .to_string();
        findings.extend(check_file(&relative, &text));
    }
    findings
}

/// Analyzes projects: linters run in the sandbox with `sandbox`'s limits.
#[derive(Debug, Clone)]
pub struct CodeAnalyze(pub SandboxConfig);

/// What `code_analyze` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Analysis {
    /// The Polish report: counts by severity, then the findings.
    pub report: String,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
    /// Findings above the info level.
    pub above_info: usize,
    /// Checks that were skipped and why.
    pub notes: Vec<String>,
    /// Where the SARIF report went, when asked for.
    pub sarif: Option<PathBuf>,
}

impl TypedTool for CodeAnalyze {
    type Args = Args;
    type Output = Analysis;
    const NAME: &'static str = "code_analyze";
    const DESCRIPTION_PL: &'static str = "Analizuje kod projektu: sekrety, niebezpieczne wywołania (eval, shell=True), SQL sklejany z tekstu, TODO, zbyt duże pliki i funkcje, plus lintery projektu (ruff, ESLint, clippy); raport po polsku według wagi, opcjonalnie SARIF";
    const DESCRIPTION_EN: &'static str = "Analyzes a project's code: secrets, dangerous calls (eval, shell=True), SQL built from strings, TODO, oversized files and functions, plus the project's linters (ruff, ESLint, clippy); a report by severity, optionally SARIF";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Analysis) -> Vec<String> {
        output.report.lines().skip(1).map(str::to_owned).collect()
    }
    fn risks(&self, args: &Args) -> Vec<RiskClass> {
        let mut risks = vec![RiskClass::Read];
        if args.linters {
            risks.push(RiskClass::Execute);
        }
        if args.sarif.is_some() {
            risks.push(RiskClass::Write);
        }
        risks
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Analysis> {
        let root = ctx.resolve(&args.path)?;
        if !root.exists() {
            return Err(ToolError::new(
                format!("Nie ma {}.", args.path),
                "Podaj katalog projektu albo plik.",
            ));
        }
        (ctx.progress)(
            "Sprawdzam kod: sekrety, niebezpieczne wywołania, SQL, TODO, rozmiary".to_owned(),
            Some(0.2),
        );
        let scan_root = root.clone();
        let mut findings = tokio::task::spawn_blocking(move || scan(&scan_root))
            .await
            .map_err(|e| ToolError::new(format!("Analiza przerwana: {e}"), "Spróbuj ponownie."))?;
        let mut notes = Vec::new();
        if args.linters && root.is_dir() {
            (ctx.progress)("Uruchamiam lintery projektu".to_owned(), Some(0.6));
            let (found, skipped) = linters::run(&ctx, &self.0, &root, kind(&root)).await;
            findings.extend(found);
            notes.extend(skipped);
        }
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.file.cmp(&b.file))
                .then(a.line.cmp(&b.line))
        });
        let mut sarif_path = None;
        if let Some(target) = &args.sarif {
            let path = ctx.resolve(target)?;
            let text = serde_json::to_string_pretty(&sarif(&findings)).unwrap_or_default();
            std::fs::write(&path, text).map_err(|e| {
                ToolError::new(format!("Nie zapisano SARIF: {e}."), "Sprawdź ścieżkę.")
            })?;
            sarif_path = Some(path);
        }
        let above_info = findings
            .iter()
            .filter(|f| f.severity > Severity::Info)
            .count();
        let mut text = report(&findings);
        if !notes.is_empty() {
            text.push_str(&format!("\nUwagi: {}.", notes.join("; ")));
        }
        Ok(ToolOutput {
            summary: text.lines().next().unwrap_or("").to_owned(),
            data: Analysis {
                report: text,
                findings,
                above_info,
                notes,
                sarif: sarif_path,
            },
        })
    }
}
