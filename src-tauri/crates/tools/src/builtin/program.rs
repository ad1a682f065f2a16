//! Running a program (argv, never a shell line) in the sandbox on behalf of a tool, with its
//! output lines streamed as the call's progress.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::sandbox::{self, RunOutput, SandboxConfig, SandboxSpec, Stream};
use crate::tool::{ToolContext, ToolError};

/// One program run for a tool.
#[derive(Debug, Clone)]
pub struct Program {
    /// The program.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Working directory (inside the workspace).
    pub cwd: PathBuf,
    /// Whether it may use the network.
    pub network: bool,
    /// Extra environment.
    pub env: Vec<(String, String)>,
    /// Variables passed through although their names look secret (e.g. `SSH_AUTH_SOCK`, a
    /// socket, not a secret, that git needs for ssh remotes).
    pub pass_env: Vec<&'static str>,
    /// Directories writable besides the call's roots (a package manager's cache).
    pub writable: Vec<PathBuf>,
    /// Whether the file system is confined (see [`SandboxSpec::confine_file_system`]).
    pub confine_file_system: bool,
    /// Whether output lines go to the call's progress (off for internal queries).
    pub stream: bool,
}

impl Program {
    /// `program args` in the workspace, without network.
    pub fn new(program: &str, args: &[&str], ctx: &ToolContext) -> Program {
        Program {
            program: program.to_owned(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            cwd: ctx.workspace.clone(),
            network: false,
            env: Vec::new(),
            pass_env: Vec::new(),
            writable: Vec::new(),
            confine_file_system: true,
            stream: true,
        }
    }

    /// Runs it confined with `config`'s limits; every root of the call is writable.
    pub async fn run(
        &self,
        ctx: &ToolContext,
        config: &SandboxConfig,
    ) -> Result<RunOutput, ToolError> {
        let mut spec = SandboxSpec::new(&self.program, self.args.clone(), &ctx.workspace);
        spec.cwd = self.cwd.clone();
        spec.hidden = ctx.hidden.to_vec();
        spec.writable = config.extra_writable.clone();
        spec.writable.extend(ctx.roots.iter().skip(1).cloned());
        spec.writable.extend(self.writable.iter().cloned());
        spec.confine_file_system = self.confine_file_system;
        // git itself (the git tools) writes its own config; everything else is watched.
        spec.guard_repositories = Path::new(&self.program)
            .file_name()
            .is_none_or(|name| name != "git");
        spec.limits = config.limits;
        spec.network = self.network;
        spec.secret_values = ctx.secret_values.to_vec();
        spec.env = self.env.clone();
        for name in &self.pass_env {
            if let Ok(value) = std::env::var(name) {
                spec.env.push(((*name).to_owned(), value));
            }
        }
        let progress = ctx.progress.clone();
        let stream = self.stream;
        let on_line = Arc::new(move |_: Stream, line: &str| {
            if stream {
                progress(line.to_owned(), None);
            }
        });
        let output = sandbox::run(&spec, on_line, ctx.cancel.clone())
            .await
            .map_err(|err| {
                ToolError::new(
                    format!("Nie uruchomiono {}: {err}.", self.program),
                    format!(
                        "Sprawdź, czy {} jest zainstalowany (`dark8 doctor`).",
                        self.program
                    ),
                )
            })?;
        if output.ending == sandbox::Ending::OutOfMemory {
            let (message, hint) = sandbox::memory_exceeded(&spec.limits);
            return Err(ToolError::new(format!("{}: {message}", self.program), hint));
        }
        Ok(output)
    }
}

/// The last non-empty line of `text`, for error messages.
pub fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}
