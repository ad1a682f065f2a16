//! `dark8 tools list|describe|call`: the registry and the executor, exactly as the agent uses
//! them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dark8_core::tools::policy::risk_pl;
use dark8_core::tools::ToolInfo;
use dark8_protocol::{Event, ToolCall, ToolStatus};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::approver::TerminalApprover;
use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::pad;

fn tools(ctx: &Context, dark8: &dark8_core::Dark8) -> Result<Vec<ToolInfo>, CliError> {
    Ok(dark8
        .registry()
        .map_err(|e| CliError::from_core(&e, ctx.language()))?
        .list())
}

fn description<'a>(ctx: &Context, tool: &'a ToolInfo) -> &'a str {
    ctx.language()
        .pick(&tool.description_pl, &tool.description_en)
}

/// Lists every tool with its risk class.
pub async fn list(ctx: &Context) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let tools = tools(ctx, &dark8)?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&tools).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    for tool in &tools {
        out.line(&format!(
            "{}  {}  {}",
            pad(&tool.name, 18),
            pad(risk_pl(tool.risk), 13),
            description(ctx, tool)
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

fn unknown(ctx: &Context, name: &str) -> CliError {
    CliError {
        message: ctx
            .language()
            .pick(
                &format!("Nieznane narzędzie „{name}”."),
                &format!("Unknown tool `{name}`."),
            )
            .to_owned(),
        hint: ctx
            .language()
            .pick("Lista: `dark8 tools list`.", "List: `dark8 tools list`.")
            .to_owned(),
        code: exit_code::FAILURE,
    }
}

/// Shows one tool with its argument and output schemas.
pub async fn describe(ctx: &Context, name: &str) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let tools = tools(ctx, &dark8)?;
    dark8.shutdown().await;
    let tool = tools
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| unknown(ctx, name))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(tool).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    let schema = serde_json::to_string_pretty(&tool.schema).unwrap_or_default();
    let output_schema = serde_json::to_string_pretty(&tool.output_schema).unwrap_or_default();
    for line in [
        format!("{} ({})", tool.name, risk_pl(tool.risk)),
        description(ctx, tool).to_owned(),
        ctx.language()
            .pick("Argumenty (JSON Schema):", "Arguments (JSON Schema):")
            .to_owned(),
        schema,
        ctx.language()
            .pick("Wynik (JSON Schema):", "Output (JSON Schema):")
            .to_owned(),
        output_schema,
    ] {
        out.line(&line).map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// The workspace: `--workdir` or the current directory.
pub fn workspace(ctx: &Context, workdir: Option<&Path>) -> Result<PathBuf, CliError> {
    let dir = match workdir {
        Some(dir) => dir.to_path_buf(),
        None => std::env::current_dir().map_err(|e| ctx.io(e))?,
    };
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(CliError {
            message: ctx
                .language()
                .pick(
                    &format!("Katalog roboczy {} nie istnieje.", dir.display()),
                    &format!("The working directory {} does not exist.", dir.display()),
                )
                .to_owned(),
            hint: ctx
                .language()
                .pick(
                    "Podaj istniejący katalog w --workdir.",
                    "Give an existing directory in --workdir.",
                )
                .to_owned(),
            code: exit_code::USAGE,
        })
    }
}

/// Runs one tool through the executor; progress lines stream as they come.
pub async fn call(
    ctx: &Context,
    name: &str,
    args: &str,
    yes: bool,
    workdir: Option<&Path>,
) -> Result<u8, CliError> {
    let arguments: Value = serde_json::from_str(args).map_err(|err| CliError {
        message: ctx.language().pick(
            &format!("Argumenty --args nie są poprawnym JSON-em: {err}"),
            &format!("--args is not valid JSON: {err}"),
        ).to_owned(),
        hint: ctx
            .language()
            .pick(
                &format!("Np. --args '{{\"command\":\"echo hej\"}}'; schemat: `dark8 tools describe {name}`."),
                &format!("E.g. --args '{{\"command\":\"echo hej\"}}'; schema: `dark8 tools describe {name}`."),
            ).to_owned(),
        code: exit_code::USAGE,
    })?;
    let workspace = workspace(ctx, workdir)?;
    let dark8 = ctx.start().await?;
    let approver = Arc::new(TerminalApprover {
        yes,
        language: ctx.language(),
    });
    let executor = dark8
        .executor(workspace, approver)
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    let live = (!ctx.output.is_json()).then(|| print_progress(dark8.events().subscribe()));
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let result = executor
        .call(
            ToolCall {
                id: format!("cli-{}", std::process::id()),
                tool: name.to_owned(),
                arguments,
            },
            cancel,
        )
        .await;
    ctrl_c.abort();
    let rendered = executor.registry().render(name, &result.output);
    drop(executor);
    if let Some(live) = live {
        // The printer ends at the call's ToolFinished event, after every line before it.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), live).await;
    }
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&result).map_err(|e| ctx.io(e))?;
    } else {
        for line in rendered {
            out.line(&line).map_err(|e| ctx.io(e))?;
        }
        // A denial's summary already starts with "Odmowa:".
        match result.status {
            ToolStatus::Success => eprintln!("{} {}", out.status("OK", true), result.summary),
            ToolStatus::Error => eprintln!(
                "{} {}",
                out.status(ctx.language().pick("BŁĄD", "ERROR"), false),
                result.summary
            ),
            ToolStatus::Denied => eprintln!("{}", out.status(&result.summary, false)),
        }
    }
    Ok(match result.status {
        ToolStatus::Success => exit_code::SUCCESS,
        ToolStatus::Error => exit_code::FAILURE,
        ToolStatus::Denied => exit_code::POLICY_FORBID,
    })
}

/// Prints progress lines (e.g. a command's output) on stdout as they arrive.
fn print_progress(
    mut events: tokio::sync::broadcast::Receiver<dark8_protocol::EventEnvelope>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        use std::io::Write;
        while let Ok(envelope) = events.recv().await {
            match envelope.event {
                Event::ToolProgress { message, .. } => {
                    let mut stdout = std::io::stdout().lock();
                    let _ = writeln!(stdout, "{message}");
                    let _ = stdout.flush();
                }
                Event::ToolFinished { .. } => return,
                _ => {}
            }
        }
    })
}
