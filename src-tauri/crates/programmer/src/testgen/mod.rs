//! `tests_generate {path}`: smoke tests for a project's public code, found by parsing (never
//! by regex), written in the project's own test style, run, and kept only where they pass.
//! Python (`ast`), Rust (`syn`: `#[cfg(test)]` modules appended to the source files) and
//! JavaScript (tree-sitter: a `node:test` file).

pub mod examples;
mod javascript;
mod python;
mod rust;

use std::path::Path;
use std::sync::Arc;

use dark8_protocol::RiskClass;
use dark8_tools::builtin::program::Program;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::project::{kind, Kind};
use examples::ExampleWriter;

/// Arguments of `tests_generate`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Katalog projektu (project directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
}

/// Generates smoke tests.
#[derive(Clone)]
pub struct TestsGenerate {
    sandbox: SandboxConfig,
    writer: Option<Arc<dyn ExampleWriter>>,
}

impl std::fmt::Debug for TestsGenerate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestsGenerate")
            .field("model_examples", &self.writer.is_some())
            .finish_non_exhaustive()
    }
}

impl TestsGenerate {
    /// Programs run in the sandbox with `sandbox`'s limits.
    pub fn new(sandbox: SandboxConfig) -> TestsGenerate {
        TestsGenerate {
            sandbox,
            writer: None,
        }
    }

    /// Asks `writer` (a language model) for real assertions besides the smoke tests.
    pub fn with_writer(mut self, writer: Arc<dyn ExampleWriter>) -> TestsGenerate {
        self.writer = Some(writer);
        self
    }
}

/// Runs `program` in `dir` in the sandbox; (success, stdout, stderr).
async fn run(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    program: &str,
    args: &[&str],
) -> Result<(bool, String, String), ToolError> {
    let mut p = Program::new(program, args, ctx);
    p.cwd = dir.to_path_buf();
    p.stream = false;
    p.env = vec![("DJANGO_DEBUG".to_owned(), "1".to_owned())];
    let output = p.run(ctx, sandbox).await?;
    Ok((output.success(), output.stdout, output.stderr))
}

/// The tests `tests_generate` kept.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Generated {
    /// python | rust | javascript
    pub language: String,
    /// Test files written, relative to the project.
    pub files: Vec<String>,
    /// Tests kept (each passed).
    pub tests: usize,
    /// Tests dropped because they failed.
    pub dropped: usize,
    /// JavaScript modules skipped because they start a server when imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped_modules: Option<Vec<String>>,
    /// Functions the language model gave examples for.
    pub model_examples_for: usize,
}

impl TypedTool for TestsGenerate {
    type Args = Args;
    type Output = Generated;
    const NAME: &'static str = "tests_generate";
    const DESCRIPTION_PL: &'static str = "Generuje testy dymne (parserem, nie wyrażeniami regularnymi): Python (ast: import, wywołanie z prostymi typami, typ wyniku), Rust (syn: moduły #[cfg(test)]), JavaScript (tree-sitter: node:test, eksporty i ich arność); zostają tylko testy, które przechodzą";
    const DESCRIPTION_EN: &'static str = "Generates smoke tests by parsing (never regex): Python (ast), Rust (syn: #[cfg(test)] modules), JavaScript (tree-sitter: node:test); only passing tests are kept";
    const RISK: RiskClass = RiskClass::Write;
    const RISKS: &'static [RiskClass] = &[RiskClass::Write, RiskClass::Execute];
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Generated> {
        let dir = ctx.resolve(&args.path)?;
        match kind(&dir) {
                Some(Kind::Python) => python::generate(&ctx, &self.sandbox, &dir, self.writer.as_deref()).await,
                Some(Kind::Rust) => rust::generate(&ctx, &self.sandbox, &dir, self.writer.as_deref()).await,
                Some(Kind::Node) => javascript::generate(&ctx, &self.sandbox, &dir, self.writer.as_deref()).await,
                Some(other) => Err(ToolError::new(
                    format!("Generowanie testów obsługuje projekty w Pythonie, Ruście i JavaScripcie (ten jest: {other:?})."),
                    "Dla projektów CMake napisz testy ctest; uruchom je przez tests_run.",
                )),
                None => Err(ToolError::new(
                    format!("Nie rozpoznaję projektu w {}.", args.path),
                    "Podaj katalog główny projektu (z pyproject.toml, Cargo.toml albo package.json).",
                )),
            }
    }
}

/// True for a path that must not be read for tests: dependencies, build output, caches.
fn ignored(path: &Path) -> bool {
    path.components().any(|c| {
        matches!(
            c.as_os_str().to_str(),
            Some("node_modules" | "target" | ".venv" | "venv" | "dist" | "build" | ".git")
        )
    })
}
