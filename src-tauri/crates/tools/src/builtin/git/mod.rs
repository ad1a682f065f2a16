//! Git tools over the `git` program, run in the sandbox with argv (a commit message or a
//! branch name is one argument, never shell text): status, diff, log, branch, commit, clone,
//! push and pull.

mod local;
mod pull_request;
mod remote;

pub use local::{GitBranch, GitCommit, GitDiff, GitLog, GitStatus};
pub use pull_request::{Forge, GitPullRequest, HostingConfig, SecretSource};
pub use remote::{GitClone, GitPull, GitPush};

use crate::builtin::program::{last_line, Program};
use crate::sandbox::SandboxConfig;
use crate::tool::{ToolContext, ToolError};

/// Runs `git args` in `dir` (the workspace by default); stdout on success, a Polish error with
/// git's own last line otherwise.
async fn git(
    ctx: &ToolContext,
    config: &SandboxConfig,
    dir: Option<&str>,
    args: &[&str],
    network: bool,
) -> Result<String, ToolError> {
    let mut program = Program::new("git", args, ctx);
    if let Some(dir) = dir {
        program.cwd = ctx.resolve(dir)?;
    }
    program.network = network;
    // Only long remote operations report their progress; queries answer through the result.
    program.stream = network;
    program.env = vec![
        ("GIT_TERMINAL_PROMPT".to_owned(), "0".to_owned()),
        ("GIT_PAGER".to_owned(), "cat".to_owned()),
    ];
    if network {
        program.pass_env = vec!["SSH_AUTH_SOCK"];
    }
    let output = program.run(ctx, config).await?;
    if output.success() {
        return Ok(output.stdout);
    }
    let said = last_line(&output.stderr);
    let said = if said.is_empty() {
        last_line(&output.stdout)
    } else {
        said
    };
    Err(
        explain(args.first().copied().unwrap_or("git"), said).with_data(serde_json::json!({
            "stdout": output.stdout,
            "stderr": output.stderr,
            "exit_code": output.exit_code,
        })),
    )
}

/// A failed git command in Polish, with a hint for the usual causes.
fn explain(subcommand: &str, said: &str) -> ToolError {
    let lower = said.to_lowercase();
    let hint = if lower.contains("not a git repository") {
        "To nie jest repozytorium git: utwórz je (`git init`) albo wskaż właściwy katalog (--workdir)."
    } else if lower.contains("nothing to commit") || lower.contains("nothing added to commit") {
        "Nie ma zmian do zatwierdzenia; zmień pliki albo użyj all: true, aby dodać nowe."
    } else if lower.contains("please tell me who you are") || lower.contains("user.email") {
        "Ustaw autora: `git config --global user.name \"Imię\"` i `git config --global user.email adres`."
    } else if lower.contains("could not resolve host") || lower.contains("unable to access") {
        "Sprawdź adres zdalnego repozytorium i połączenie z siecią."
    } else if lower.contains("non-fast-forward")
        || lower.contains("fetch first")
        || lower.contains("not possible to fast-forward")
    {
        "Gałęzie się rozeszły: najpierw pobierz zmiany (git_pull) i połącz je."
    } else if lower.contains("permission denied") || lower.contains("authentication failed") {
        "Brak dostępu do zdalnego repozytorium: sprawdź uprawnienia albo token w sejfie (`dark8 secret set`)."
    } else {
        "Przeczytaj komunikat git powyżej."
    };
    ToolError::new(format!("git {subcommand} nie powiódł się: {said}"), hint)
}

/// Settings shared by the git tools.
#[derive(Debug, Clone, Default)]
pub struct GitSettings {
    /// Sandbox limits.
    pub sandbox: SandboxConfig,
}
