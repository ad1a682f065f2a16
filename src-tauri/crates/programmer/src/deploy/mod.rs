//! `project_deploy {path, target: docker|systemd|tarball}`: deployment artefacts for a
//! project — a Dockerfile (built where a Docker engine runs), a hardened systemd unit
//! (checked with `systemd-analyze verify` where present), or a release tarball with its
//! sha256 file.

mod docker;
mod systemd;
mod tarball;

use dark8_protocol::RiskClass;
use dark8_tools::sandbox::SandboxConfig;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::project::{kind, name_and_version};

/// What to prepare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Target {
    /// A Dockerfile and .dockerignore; the image is built when an engine runs.
    Docker,
    /// A hardened systemd unit in deploy/.
    Systemd,
    /// dist/<name>-<version>.tar.gz and its .sha256.
    Tarball,
}

/// Arguments of `project_deploy`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Katalog projektu (project directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// docker | systemd | tarball
    target: Target,
}

/// Prepares deployment artefacts: programs (docker, systemd-analyze) run in the sandbox with `sandbox`'s limits.
#[derive(Debug, Clone)]
pub struct ProjectDeploy(pub SandboxConfig);

impl TypedTool for ProjectDeploy {
    type Args = Args;
    type Output = Deployment;
    const NAME: &'static str = "project_deploy";
    const DESCRIPTION_PL: &'static str = "Przygotowuje wdrożenie projektu: docker (Dockerfile; obraz, gdy działa Docker), systemd (utwardzona usługa sprawdzona systemd-analyze) albo tarball (archiwum .tar.gz z plikiem .sha256)";
    const DESCRIPTION_EN: &'static str = "Prepares a project's deployment: docker (Dockerfile; an image where Docker runs), systemd (a hardened unit checked by systemd-analyze) or tarball (.tar.gz with a .sha256 file)";
    const RISK: RiskClass = RiskClass::Write;
    const RISKS: &'static [RiskClass] = &[RiskClass::Write, RiskClass::Execute];
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Deployment> {
        let dir = ctx.resolve(&args.path)?;
        if !dir.is_dir() {
            return Err(ToolError::new(
                format!("Nie ma katalogu projektu {}.", args.path),
                "Podaj katalog projektu w obszarze roboczym.",
            ));
        }
        let kind = kind(&dir);
        let (name, version) = name_and_version(&dir);
        let report = match args.target {
            Target::Docker => docker::prepare(&ctx, &self.0, &dir, kind, &name).await?,
            Target::Systemd => systemd::prepare(&ctx, &self.0, &dir, kind, &name).await?,
            Target::Tarball => tarball::prepare(&ctx, &dir, &name, &version)?,
        };
        let notes = if report.notes.is_empty() {
            String::new()
        } else {
            format!(" {}", report.notes.join(" "))
        };
        Ok(ToolOutput {
            summary: format!("{}{notes}", report.summary),
            data: Deployment {
                target: args.target_name().to_owned(),
                files: report.files,
                notes: report.notes,
                details: report.details,
            },
        })
    }
}

impl Args {
    fn target_name(&self) -> &'static str {
        match self.target {
            Target::Docker => "docker",
            Target::Systemd => "systemd",
            Target::Tarball => "tarball",
        }
    }
}

/// What a deployment step produced.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// One line in Polish.
    pub summary: String,
    /// Files written or found, relative to the project.
    pub files: Vec<String>,
    /// What the user should know (skipped steps and why).
    pub notes: Vec<String>,
    /// What only this target has.
    pub details: Option<Details>,
}

/// What only one deployment target has.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Details {
    /// docker: whether the image was built (only where a Docker engine answers).
    Docker {
        /// Whether `docker build` ran and succeeded.
        image_built: bool,
        /// The image name.
        image: String,
    },
    /// systemd: what `systemd-analyze verify` said and what hardening the unit lacks.
    Systemd {
        /// true / false, or null when systemd-analyze is not installed.
        verified: Option<bool>,
        /// Hardening options missing from the unit.
        hardening_missing: Vec<String>,
    },
    /// tarball: the archive's checksum, entries and size.
    Tarball {
        /// SHA-256 of the archive, hex.
        sha256: String,
        /// Files in it.
        entries: usize,
        /// Its size in bytes.
        bytes: u64,
    },
}

/// What `project_deploy` prepared.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Deployment {
    /// docker | systemd | tarball
    pub target: String,
    /// Files written or found, relative to the project.
    pub files: Vec<String>,
    /// What the user should know (skipped steps and why).
    pub notes: Vec<String>,
    /// What only this target has.
    pub details: Option<Details>,
}
