//! `shell_run`: a shell line the user (or the agent on the user's behalf) typed, run as
//! `sh -c` inside the sandbox, with its output streamed as progress.

use std::time::Duration;

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::sandbox::{self, Ending, RunOutput, SandboxConfig, SandboxSpec};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `shell_run`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct ShellRunArgs {
    /// Linia poleceń powłoki, np. "cargo test" (shell line)
    #[schemars(length(min = 1, max = 65536))]
    #[tool(command)]
    command: String,
    /// Katalog roboczy względem obszaru roboczego (working directory inside the workspace)
    #[serde(default)]
    #[tool(path)]
    cwd: Option<String>,
    /// Limit czasu w sekundach (wall-clock limit)
    #[serde(default)]
    #[schemars(range(min = 1, max = 86400))]
    timeout_s: Option<u64>,
    /// Czy polecenie potrzebuje sieci (whether the command needs the network)
    #[serde(default)]
    network: bool,
}

/// What a shell line left (`shell_run`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CommandRun {
    /// The line that ran.
    pub command: String,
    /// How it ended and what it printed.
    #[serde(flatten)]
    pub run: RunOutput,
}

/// Runs a shell line in the sandbox.
#[derive(Debug, Clone)]
pub struct ShellRun {
    sandbox: SandboxConfig,
}

impl ShellRun {
    /// With the configured sandbox defaults.
    pub fn new(sandbox: SandboxConfig) -> ShellRun {
        ShellRun { sandbox }
    }

    fn timeout(&self, args: &ShellRunArgs) -> u64 {
        args.timeout_s.unwrap_or(self.sandbox.limits.timeout_s)
    }
}

impl TypedTool for ShellRun {
    type Args = ShellRunArgs;
    type Output = CommandRun;
    const NAME: &'static str = "shell_run";
    const DESCRIPTION_PL: &'static str = "Uruchamia polecenie powłoki w piaskownicy (w obszarze roboczym, bez sieci, chyba że network=true) i zwraca jego wyjście";
    const DESCRIPTION_EN: &'static str = "Runs a shell command in the sandbox (inside the workspace, no network unless network=true) and returns its output";
    const RISK: RiskClass = RiskClass::Execute;
    fn risks(&self, args: &ShellRunArgs) -> Vec<RiskClass> {
        shell_risks(args.network)
    }
    fn time_limit(&self, args: &ShellRunArgs) -> Option<Duration> {
        Some(Duration::from_secs(self.timeout(args)))
    }
    async fn run(&self, args: ShellRunArgs, ctx: ToolContext) -> ToolResult<CommandRun> {
        let parsed = args;
        let mut spec = shell_spec(
            &ctx,
            &self.sandbox,
            &parsed.command,
            parsed.cwd.as_deref(),
            parsed.network,
        )?;
        spec.limits.timeout_s = self.timeout(&parsed);
        let progress = ctx.progress.clone();
        let on_line = std::sync::Arc::new(move |_: sandbox::Stream, line: &str| {
            progress(line.to_owned(), None);
        });
        let output = sandbox::run(&spec, on_line, ctx.cancel.clone())
            .await
            .map_err(|err| {
                ToolError::new(
                    format!("Nie uruchomiono polecenia: {err}."),
                    "Sprawdź katalog roboczy i `dark8 doctor` (piaskownica).",
                )
            })?;
        outcome(&parsed.command, output, spec.limits)
    }
}

/// The risk classes of a shell line: execute, and network when it asks for the network.
pub(crate) fn shell_risks(network: bool) -> Vec<RiskClass> {
    if network {
        vec![RiskClass::Execute, RiskClass::Network]
    } else {
        vec![RiskClass::Execute]
    }
}

/// The sandbox spec of a shell line the user gave: `sh -c` in `cwd` (inside the workspace),
/// the hidden paths, the other workspace roots writable, the configured limits, the network
/// only when asked, the vault's values kept out of the environment.
pub(crate) fn shell_spec(
    ctx: &ToolContext,
    sandbox: &SandboxConfig,
    command: &str,
    cwd: Option<&str>,
    network: bool,
) -> Result<SandboxSpec, ToolError> {
    let mut spec = SandboxSpec::shell(command, &ctx.workspace);
    if let Some(cwd) = cwd {
        spec.cwd = ctx.resolve(cwd)?;
    }
    spec.hidden = ctx.hidden.to_vec();
    spec.writable = sandbox.extra_writable.clone();
    spec.writable.extend(ctx.roots.iter().skip(1).cloned());
    spec.limits = sandbox.limits;
    spec.network = network;
    spec.secret_values = ctx.secret_values.to_vec();
    Ok(spec)
}

/// The tool's result for a finished run: success only for exit code 0.
fn outcome(command: &str, output: RunOutput, limits: sandbox::Limits) -> ToolResult<CommandRun> {
    let run = CommandRun {
        command: command.to_owned(),
        run: output.clone(),
    };
    let cut = if output.truncated {
        format!(
            " Wyjście obcięto do {} MiB na strumień (całość poszła na bieżąco jako postęp).",
            sandbox::MAX_CAPTURE_BYTES / (1024 * 1024)
        )
    } else {
        String::new()
    };
    let last_error = output
        .stderr
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| format!(": {l}"))
        .unwrap_or_default();
    let cut = if output.repository_undone.is_empty() {
        cut
    } else {
        format!(
            "{cut} Uwaga: polecenie zmieniło pliki sterujące repozytorium (haki gita), co cofnięto: {}.",
            output.repository_undone.join("; ")
        )
    };
    let error = |message: String, hint: &str| Err(ToolError::new(message, hint).with_output(&run));
    match output.ending {
        Ending::Exited if output.exit_code == Some(0) => Ok(ToolOutput {
            summary: format!(
                "Polecenie zakończone powodzeniem ({} ms).{cut}",
                output.duration_ms
            ),
            data: run,
        }),
        Ending::Exited => error(
            format!(
                "Polecenie zakończyło się kodem {}{last_error}.{cut}",
                output.exit_code.unwrap_or(-1)
            ),
            "Przeczytaj wyjście błędów (stderr) powyżej.",
        ),
        Ending::Signaled => error(
            format!(
                "Polecenie przerwał sygnał {}{}.{cut}",
                output.signal.unwrap_or(0),
                signal_meaning(output.signal)
            ),
            "Program przekroczył limit piaskownicy; zmień limity w sekcji [sandbox] konfiguracji, jeśli to zamierzone.",
        ),
        Ending::TimedOut => error(
            format!(
                "Przekroczono limit czasu polecenia; zakończono całe drzewo procesów.{cut}"
            ),
            "Zwiększ timeout_s albo podziel zadanie na mniejsze.",
        ),
        Ending::OutOfMemory => {
            let (message, hint) = sandbox::memory_exceeded(&limits);
            error(format!("{message}{cut}"), &hint)
        }
        Ending::Cancelled => error(
            "Przerwano na życzenie użytkownika; zakończono całe drzewo procesów.".to_owned(),
            "Uruchom ponownie, gdy zechcesz.",
        ),
    }
}

fn signal_meaning(signal: Option<i32>) -> &'static str {
    match signal {
        Some(24) => " (limit czasu procesora)",
        Some(9) => " (zabity: limit procesora, pamięci albo procesów)",
        Some(11) => " (błąd ochrony pamięci, często po limicie pamięci)",
        Some(25) => " (limit rozmiaru pliku)",
        _ => "",
    }
}
