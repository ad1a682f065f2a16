//! `project_build {path}` and `tests_run {path}`: the project's kind decides the steps
//! (Python: .venv + pip; Node.js: npm install + build; Rust: cargo; CMake: configure + build),
//! each run in the sandbox with its output streamed and a Polish progress line per step.

use std::path::{Path, PathBuf};

use dark8_protocol::RiskClass;
use dark8_tools::builtin::count;
use dark8_tools::builtin::program::{last_line, Program};
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::project::{kind, Kind};

/// One step: what it does (Polish), argv, whether it needs the network.
#[derive(Debug, Clone)]
pub struct Step {
    /// What it does, in Polish.
    pub name: String,
    /// The command.
    pub argv: Vec<String>,
    /// Whether it reaches package registries.
    pub network: bool,
}

fn step(name: &str, argv: &[&str], network: bool) -> Step {
    Step {
        name: name.to_owned(),
        argv: argv.iter().map(|a| (*a).to_owned()).collect(),
        network,
    }
}

fn npm_script(dir: &Path, script: &str) -> bool {
    std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .is_some_and(|v| v["scripts"][script].is_string())
}

/// The build steps for the project in `dir`.
pub fn build_steps(dir: &Path, kind: Kind) -> Vec<Step> {
    match kind {
        Kind::Python => {
            let mut steps = Vec::new();
            if !dir.join(".venv/bin/python").is_file() {
                steps.push(step(
                    "tworzę środowisko .venv",
                    &["python3", "-m", "venv", ".venv"],
                    false,
                ));
            }
            let requirements = ["requirements-dev.txt", "requirements.txt"]
                .into_iter()
                .find(|f| dir.join(f).is_file());
            match requirements {
                Some(file) => steps.push(step(
                    &format!("instaluję zależności ({file})"),
                    &[
                        ".venv/bin/python",
                        "-m",
                        "pip",
                        "install",
                        "--disable-pip-version-check",
                        "-q",
                        "-r",
                        file,
                    ],
                    true,
                )),
                None => steps.push(step(
                    "instaluję projekt (pyproject.toml)",
                    &[
                        ".venv/bin/python",
                        "-m",
                        "pip",
                        "install",
                        "--disable-pip-version-check",
                        "-q",
                        "-e",
                        ".",
                    ],
                    true,
                )),
            }
            steps.push(step(
                "kompiluję moduły (compileall)",
                &[
                    ".venv/bin/python",
                    "-m",
                    "compileall",
                    "-q",
                    "-x",
                    "\\.venv",
                    ".",
                ],
                false,
            ));
            steps
        }
        Kind::Node => {
            let install = if dir.join("package-lock.json").is_file() {
                "ci"
            } else {
                "install"
            };
            let mut steps = vec![step(
                &format!("instaluję zależności (npm {install})"),
                &["npm", install, "--no-audit", "--no-fund"],
                true,
            )];
            if npm_script(dir, "build") {
                steps.push(step(
                    "buduję (npm run build)",
                    &["npm", "run", "build"],
                    false,
                ));
            }
            steps
        }
        Kind::Rust => vec![step("kompiluję (cargo build)", &["cargo", "build"], true)],
        Kind::Cmake => vec![
            step(
                "konfiguruję (cmake)",
                &["cmake", "-S", ".", "-B", "build"],
                false,
            ),
            step(
                "kompiluję (cmake --build)",
                &["cmake", "--build", "build", "--parallel"],
                false,
            ),
        ],
    }
}

/// The test steps for the project in `dir` (after its build).
pub fn test_steps(dir: &Path, kind: Kind) -> Vec<Step> {
    match kind {
        Kind::Python if dir.join("manage.py").is_file() => {
            vec![step(
                "testy (manage.py test)",
                &[".venv/bin/python", "manage.py", "test"],
                false,
            )]
        }
        Kind::Python => {
            let coverage = dir.join(".venv/bin/coverage").is_file();
            if coverage {
                vec![
                    step(
                        "testy z pokryciem (coverage + pytest)",
                        &[".venv/bin/coverage", "run", "-m", "pytest", "-q"],
                        false,
                    ),
                    step("raport pokrycia", &[".venv/bin/coverage", "report"], false),
                ]
            } else {
                vec![step(
                    "testy (pytest)",
                    &[".venv/bin/python", "-m", "pytest", "-q"],
                    false,
                )]
            }
        }
        // Node test suites commonly start the server on loopback and call it over TCP, which
        // the sandbox's no-network filter cannot tell from the internet.
        Kind::Node => vec![step("testy (npm test)", &["npm", "test"], true)],
        Kind::Rust => vec![step("testy (cargo test)", &["cargo", "test"], true)],
        Kind::Cmake => vec![step(
            "testy (ctest)",
            &["ctest", "--test-dir", "build", "--output-on-failure"],
            false,
        )],
    }
}

/// What one build or test step left.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct StepRecord {
    /// The step, in Polish.
    pub step: String,
    /// Its exit code.
    pub exit_code: Option<i32>,
    /// How long it took.
    pub duration_ms: u64,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// The steps that ran before one failed (a failed call's data).
#[derive(Debug, Serialize)]
struct FailedSteps {
    steps: Vec<StepRecord>,
    failed: StepRecord,
}

/// What `project_build` or `tests_run` ran.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct StepsRun {
    /// python | node | rust | cmake
    pub kind: Kind,
    /// Every step, in order.
    pub steps: Vec<StepRecord>,
}

/// Runs `steps` in `dir`, one Polish progress line each; the outputs, or the failed step.
pub async fn run_steps(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    dir: &Path,
    steps: &[Step],
) -> Result<Vec<StepRecord>, ToolError> {
    let mut done = Vec::new();
    for (index, s) in steps.iter().enumerate() {
        (ctx.progress)(
            format!("Krok {}/{}: {}", index + 1, steps.len(), s.name),
            Some(index as f32 / steps.len() as f32),
        );
        let Some((program, args)) = s.argv.split_first() else {
            continue;
        };
        let program = if program.starts_with(".venv/") || program.starts_with("./") {
            dir.join(program).display().to_string()
        } else {
            program.clone()
        };
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut run = Program::new(&program, &args, ctx);
        run.cwd = dir.to_path_buf();
        run.network = s.network;
        if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
            // Package caches live in the user's home; writing them is what a build does.
            run.writable.extend([
                home.join(".npm"),
                home.join(".cache/pip"),
                home.join(".cargo/registry"),
                home.join(".cargo/git"),
            ]);
        }
        let output = run.run(ctx, sandbox).await?;
        let record = StepRecord {
            step: s.name.clone(),
            exit_code: output.exit_code,
            duration_ms: output.duration_ms,
            stdout: output.stdout.clone(),
            stderr: output.stderr.clone(),
        };
        if !output.success() {
            let said = last_line(&output.stderr);
            let said = if said.is_empty() {
                last_line(&output.stdout)
            } else {
                said
            };
            return Err(ToolError::new(
                format!("Krok „{}” nie powiódł się: {said}", s.name),
                "Przeczytaj wyjście kroku powyżej; popraw projekt i uruchom ponownie.",
            )
            .with_output(&FailedSteps {
                steps: done,
                failed: record,
            }));
        }
        done.push(record);
    }
    Ok(done)
}

/// Arguments of `project_build` and `tests_run`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Katalog projektu (project directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
}

fn project_dir(ctx: &ToolContext, args: &Args) -> Result<(PathBuf, Kind), ToolError> {
    let dir = ctx.resolve(&args.path)?;
    let kind = kind(&dir).ok_or_else(|| {
        ToolError::new(
            format!("Nie rozpoznaję projektu w {}: brak pyproject.toml, requirements.txt, package.json, Cargo.toml i CMakeLists.txt.", args.path),
            "Podaj katalog główny projektu.",
        )
    })?;
    Ok((dir, kind))
}

/// Builds projects: steps run in the sandbox with `sandbox`'s limits.
#[derive(Debug, Clone)]
pub struct ProjectBuild(pub SandboxConfig);

impl TypedTool for ProjectBuild {
    type Args = Args;
    type Output = StepsRun;
    const NAME: &'static str = "project_build";
    const DESCRIPTION_PL: &'static str = "Buduje projekt według jego rodzaju: Python (.venv + pip), Node.js (npm install + build), Rust (cargo build), CMake (konfiguracja + kompilacja); postęp krok po kroku";
    const DESCRIPTION_EN: &'static str = "Builds a project by its kind: Python (.venv + pip), Node.js (npm install + build), Rust (cargo build), CMake (configure + build); progress step by step";
    const RISK: RiskClass = RiskClass::Execute;
    const RISKS: &'static [RiskClass] = &[RiskClass::Execute, RiskClass::Network];
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<StepsRun> {
        let (dir, kind) = project_dir(&ctx, &args)?;
        let steps = build_steps(&dir, kind);
        let done = run_steps(&ctx, &self.0, &dir, &steps).await?;
        let took: u64 = done.iter().map(|s| s.duration_ms).sum();
        Ok(ToolOutput {
            summary: format!(
                "Zbudowano projekt ({}, {} s).",
                count(done.len(), "krok", "kroki", "kroków"),
                format!("{:.1}", took as f64 / 1000.0).replace('.', ",")
            ),
            data: StepsRun { kind, steps: done },
        })
    }
}

/// Runs a project's tests: steps run in the sandbox with `sandbox`'s limits.
#[derive(Debug, Clone)]
pub struct TestsRun(pub SandboxConfig);

impl TypedTool for TestsRun {
    type Args = Args;
    type Output = StepsRun;
    const NAME: &'static str = "tests_run";
    const DESCRIPTION_PL: &'static str = "Uruchamia testy projektu (pytest, manage.py test, npm test, cargo test, ctest), z pokryciem, gdy jest coverage; najpierw zbuduj projekt (project_build)";
    const DESCRIPTION_EN: &'static str = "Runs a project's tests (pytest, manage.py test, npm test, cargo test, ctest), with coverage where installed; build it first (project_build)";
    const RISK: RiskClass = RiskClass::Execute;
    // Some suites need loopback (Node) or fetch dependencies (cargo test).
    const RISKS: &'static [RiskClass] = &[RiskClass::Execute, RiskClass::Network];
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<StepsRun> {
        let (dir, kind) = project_dir(&ctx, &args)?;
        if kind == Kind::Python && !dir.join(".venv/bin/python").is_file() {
            return Err(ToolError::new(
                "Projekt nie jest zbudowany: brak .venv.",
                "Najpierw project_build.",
            ));
        }
        let steps = test_steps(&dir, kind);
        let done = run_steps(&ctx, &self.0, &dir, &steps)
            .await
            .map_err(|mut err| {
                err.message = format!("Testy nie przeszły. {}", err.message);
                err
            })?;
        Ok(ToolOutput {
            summary: "Testy przeszły.".to_owned(),
            data: StepsRun { kind, steps: done },
        })
    }
}
