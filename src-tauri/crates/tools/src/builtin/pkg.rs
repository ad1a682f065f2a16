//! `pkg_install {package, manager?, path?, dev?}`: installs a package with the manager that
//! fits the project (pip into the project's .venv, npm, cargo add) or the system (apt, brew).
//! Network permission applies, and the command rules (`pip install`, `npm install`, `apt`, ...)
//! make every install ask the user; system managers run outside the file-system sandbox.

use std::path::{Path, PathBuf};

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::builtin::program::{last_line, Program};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::sandbox::SandboxConfig;
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// The package managers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Manager {
    /// Python: pip into the project's `.venv` (created when missing).
    Pip,
    /// Node.js: npm in the project.
    Npm,
    /// Rust: `cargo add` in the project.
    Cargo,
    /// Debian/Ubuntu system packages.
    Apt,
    /// Homebrew.
    Brew,
}

impl Manager {
    fn name(self) -> &'static str {
        match self {
            Manager::Pip => "pip",
            Manager::Npm => "npm",
            Manager::Cargo => "cargo",
            Manager::Apt => "apt",
            Manager::Brew => "brew",
        }
    }

    fn program(self) -> &'static str {
        match self {
            Manager::Pip => "python3",
            Manager::Npm => "npm",
            Manager::Cargo => "cargo",
            Manager::Apt => "apt-get",
            Manager::Brew => "brew",
        }
    }

    /// What the command rules judge.
    fn command_line(self, package: &str) -> String {
        match self {
            Manager::Pip => format!("pip install {package}"),
            Manager::Npm => format!("npm install {package}"),
            Manager::Cargo => format!("cargo install {package}"),
            Manager::Apt => format!("apt-get install {package}"),
            Manager::Brew => format!("brew install {package}"),
        }
    }
}

/// Arguments of `pkg_install`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Pakiet albo kilka rozdzielonych spacją, np. "requests", "numpy pandas", "express@4"
    /// (one or more packages separated by single spaces, optionally with versions)
    #[schemars(
        regex(
            pattern = r"^[A-Za-z0-9@_][A-Za-z0-9._@/=<>!~+\-]*( [A-Za-z0-9@_][A-Za-z0-9._@/=<>!~+\-]*)*$"
        ),
        length(min = 1, max = 400)
    )]
    package: String,
    /// pip | npm | cargo | apt | brew (default: what the project uses)
    #[serde(default)]
    manager: Option<Manager>,
    /// Katalog projektu (project directory; default: the workspace)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
    /// Zależność deweloperska (development dependency: npm --save-dev, cargo --dev)
    #[serde(default)]
    dev: bool,
}

/// What `pkg_install` installed.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Installed {
    /// The package, as given.
    pub package: String,
    /// pip | npm | cargo | apt | brew
    pub manager: String,
    /// The project directory.
    pub path: PathBuf,
    /// The installer's last output.
    pub output: String,
}

/// Installs packages: with the sandbox limits.
#[derive(Debug, Clone)]
pub struct PkgInstall(pub SandboxConfig);

/// The manager a project in `dir` uses, if its files say.
fn fits(dir: &Path) -> Option<Manager> {
    if dir.join("package.json").exists() {
        Some(Manager::Npm)
    } else if dir.join("Cargo.toml").exists() {
        Some(Manager::Cargo)
    } else if ["pyproject.toml", "requirements.txt", "setup.py", ".venv"]
        .iter()
        .any(|f| dir.join(f).exists())
    {
        Some(Manager::Pip)
    } else {
        None
    }
}

fn manager_of(args: &Args, dir_hint: Option<&Path>) -> Option<Manager> {
    args.manager.or_else(|| dir_hint.and_then(fits))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

impl TypedTool for PkgInstall {
    type Args = Args;
    type Output = Installed;
    const NAME: &'static str = "pkg_install";
    const DESCRIPTION_PL: &'static str = "Instaluje pakiet: pip (do .venv projektu), npm, cargo add, apt albo brew; menedżer dobiera według plików projektu; zawsze pyta o zgodę";
    const DESCRIPTION_EN: &'static str = "Installs a package: pip (into the project's .venv), npm, cargo add, apt or brew; picks the manager from the project's files; always asks";
    const RISK: RiskClass = RiskClass::Network;
    fn command_line(&self, args: &Args) -> Option<String> {
        let manager = manager_of(args, None).unwrap_or(Manager::Pip);
        Some(manager.command_line(&args.package))
    }
    const RISKS: &'static [RiskClass] = &[RiskClass::Network, RiskClass::Execute, RiskClass::Write];
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Installed> {
        let dir = ctx.resolve(args.path.as_deref().unwrap_or("."))?;
        let manager = args.manager.or_else(|| fits(&dir)).ok_or_else(|| {
            ToolError::new(
                format!(
                    "Nie wiem, którym menedżerem zainstalować „{}”.",
                    args.package
                ),
                "Podaj manager: pip, npm, cargo, apt albo brew.",
            )
        })?;
        if which::which(manager.program()).is_err() {
            return Err(ToolError::new(
                format!(
                    "Menedżer {} nie jest zainstalowany ({} nie ma w PATH).",
                    manager.name(),
                    manager.program()
                ),
                "Zainstaluj go albo wybierz inny manager (`dark8 doctor`).",
            ));
        }
        // Several packages go to one install command, each its own argument.
        let names: Vec<String> = args.package.split_whitespace().map(str::to_owned).collect();
        let temp_cache = std::env::temp_dir();
        let mut steps: Vec<Program> = Vec::new();
        let make = |program: &str, argv: Vec<String>| {
            let refs: Vec<&str> = argv.iter().map(String::as_str).collect();
            let mut p = Program::new(program, &refs, &ctx);
            p.cwd = dir.clone();
            p.network = true;
            p
        };
        match manager {
            Manager::Pip => {
                let venv = dir.join(".venv");
                if !venv.join("bin/python").exists() {
                    (ctx.progress)("Tworzę środowisko .venv projektu".to_owned(), None);
                    let mut create =
                        make("python3", vec!["-m".into(), "venv".into(), ".venv".into()]);
                    create.network = false;
                    steps.push(create);
                }
                let python = venv.join("bin/python").display().to_string();
                let mut install = make(
                    &python,
                    vec![
                        "-m".into(),
                        "pip".into(),
                        "install".into(),
                        "--disable-pip-version-check".into(),
                        "--no-input".into(),
                    ]
                    .into_iter()
                    .chain(names.iter().cloned())
                    .collect(),
                );
                install.env.push((
                    "PIP_CACHE_DIR".into(),
                    temp_cache.join("dark8-pip-cache").display().to_string(),
                ));
                steps.push(install);
            }
            Manager::Npm => {
                let mut argv = vec![
                    "install".to_owned(),
                    "--no-audit".into(),
                    "--no-fund".into(),
                ];
                if args.dev {
                    argv.push("--save-dev".into());
                }
                argv.extend(names.iter().cloned());
                let mut install = make("npm", argv);
                if let Some(home) = home() {
                    install.writable.push(home.join(".npm"));
                }
                steps.push(install);
            }
            Manager::Cargo => {
                let mut argv = vec!["add".to_owned()];
                if args.dev {
                    argv.push("--dev".into());
                }
                argv.extend(names.iter().cloned());
                let mut add = make("cargo", argv);
                let cargo_home = std::env::var_os("CARGO_HOME")
                    .map(PathBuf::from)
                    .or_else(|| home().map(|h| h.join(".cargo")));
                if let Some(cargo_home) = cargo_home {
                    add.writable.push(cargo_home.join("registry"));
                    add.writable.push(cargo_home.join("git"));
                }
                steps.push(add);
            }
            Manager::Apt | Manager::Brew => {
                let mut argv = if manager == Manager::Apt {
                    vec![
                        "install".to_owned(),
                        "-y".into(),
                        "--no-install-recommends".into(),
                    ]
                } else {
                    vec!["install".to_owned()]
                };
                argv.extend(names.iter().cloned());
                let mut install = make(manager.program(), argv);
                install.confine_file_system = false;
                install
                    .env
                    .push(("DEBIAN_FRONTEND".into(), "noninteractive".into()));
                steps.push(install);
            }
        }
        (ctx.progress)(
            format!("Instaluję {} ({})", args.package, manager.name()),
            None,
        );
        let mut last = None;
        for step in &steps {
            let output = step.run(&ctx, &self.0).await?;
            if !output.success() {
                let said = last_line(&output.stderr);
                return Err(ToolError::new(
                    format!(
                        "Instalacja {} ({}) nie powiodła się: {said}",
                        args.package,
                        manager.name()
                    ),
                    "Sprawdź nazwę pakietu i połączenie z rejestrem pakietów.",
                )
                .with_data(json!({"stdout": output.stdout, "stderr": output.stderr})));
            }
            last = Some(output);
        }
        Ok(ToolOutput {
            summary: format!("Zainstalowano {} ({}).", args.package, manager.name()),
            data: Installed {
                package: args.package,
                manager: manager.name().to_owned(),
                path: dir,
                output: last.map(|o| o.stdout).unwrap_or_default(),
            },
        })
    }
}
