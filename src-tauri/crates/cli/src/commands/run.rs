//! `dark8 run "<polecenie>"`: one Polish command through the agent, with the plan and every
//! step shown live; `--json` prints the event stream as JSON lines and the outcome last.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use dark8_core::tools::Registry;
use dark8_core::RunRequest;
use dark8_protocol::{CommandSource, Event, EventEnvelope, RunStatus, ToolStatus};
use tokio::sync::broadcast::Receiver;

use crate::approver::TerminalApprover;
use crate::commands::tools::workspace;
use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Runs one command.
pub async fn run(
    ctx: &Context,
    text: &str,
    yes: bool,
    workdir: Option<&Path>,
) -> Result<u8, CliError> {
    if text.trim().is_empty() {
        return Err(CliError {
            message: ctx
                .language()
                .pick("Puste polecenie.", "Empty command.")
                .to_owned(),
            hint: ctx
                .language()
                .pick(
                    "Np. dark8 run \"Ile mam wolnego miejsca na dysku?\"",
                    "E.g. dark8 run \"Ile mam wolnego miejsca na dysku?\"",
                )
                .to_owned(),
            code: exit_code::USAGE,
        });
    }
    let workspace = workspace(ctx, workdir)?;
    let dark8 = ctx.start().await?;
    let approver = Arc::new(TerminalApprover {
        yes,
        language: ctx.language(),
    });
    let events = dark8.events().subscribe();
    let json = ctx.output.is_json();
    let registry = dark8
        .registry()
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    let started = dark8
        .start_run(RunRequest {
            command: text.to_owned(),
            workspace,
            session: None,
            source: CommandSource::Cli,
            call: None,
            local_approver: Some(approver),
        })
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    let printer = tokio::spawn(print_events(
        events,
        json,
        registry,
        Some(started.id.clone()),
    ));
    let on_ctrl_c = dark8.clone();
    let run_id = started.id.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel_run(&run_id);
        }
    });
    let finished = dark8
        .wait_run(&started.id)
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    ctrl_c.abort();
    // The printer ends at the run's last event, after every event before it.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), printer).await;
    dark8.shutdown().await;
    let status = finished
        .as_ref()
        .map_or(RunStatus::Interrupted, |run| run.status);
    if json {
        // One JSON object per line, like the events before it.
        let outcome = finished.and_then(|run| run.outcome).unwrap_or_default();
        let line = serde_json::json!({"type": "outcome", "outcome": outcome}).to_string();
        ctx.output.line(&line).map_err(|e| ctx.io(e))?;
    }
    Ok(exit_for(status))
}

fn exit_for(status: RunStatus) -> u8 {
    match status {
        RunStatus::Done => exit_code::SUCCESS,
        RunStatus::Denied => exit_code::POLICY_FORBID,
        RunStatus::Asked => exit_code::DOCTOR_MISSING,
        RunStatus::Running
        | RunStatus::Partial
        | RunStatus::Failed
        | RunStatus::Cancelled
        | RunStatus::Interrupted => exit_code::FAILURE,
    }
}

/// Prints what happens: the plan, each step as it starts and ends, progress lines, each
/// result as its tool renders it (from `registry`), and the answer; or every event as a JSON
/// line. With `run`, only that run's events, until it finishes; else until a response.
pub async fn print_events(
    mut events: Receiver<EventEnvelope>,
    json: bool,
    registry: Registry,
    run: Option<String>,
) {
    let mut steps: Vec<(String, u32, String)> = Vec::new();
    let mut tools: Vec<(String, String)> = Vec::new();
    let mut last_summary = String::new();
    while let Ok(envelope) = events.recv().await {
        if run.is_some() && envelope.run != run {
            continue;
        }
        let last = match &envelope.event {
            Event::RunFinished { .. } => true,
            Event::Response { .. } => run.is_none(),
            _ => false,
        };
        let mut out = std::io::stdout().lock();
        if json {
            if let Ok(line) = serde_json::to_string(&envelope) {
                let _ = writeln!(out, "{line}");
            }
        } else {
            match &envelope.event {
                Event::PlanReady { plan } => {
                    let _ = writeln!(
                        out,
                        "Plan: {}",
                        dark8_core::agent::count_pl(plan.steps.len(), "krok", "kroki", "kroków")
                    );
                    for step in &plan.steps {
                        let _ = writeln!(out, "  {}. {}", step.index, step.description);
                        steps.push((step.call.id.clone(), step.index, step.description.clone()));
                    }
                }
                Event::ToolStarted { call } => {
                    tools.push((call.id.clone(), call.tool.clone()));
                    match steps.iter().find(|(id, _, _)| *id == call.id) {
                        Some((_, index, description)) => {
                            let _ = writeln!(out, "▶ {index}. {description}…");
                        }
                        None => {
                            let _ = writeln!(out, "▶ {}…", call.tool);
                        }
                    }
                }
                Event::ToolProgress { message, .. } => {
                    let _ = writeln!(out, "    {message}");
                }
                Event::ToolFinished { result } => {
                    let tool = tools
                        .iter()
                        .find(|(id, _)| *id == result.call_id)
                        .map(|(_, tool)| tool.as_str())
                        .unwrap_or_default();
                    for line in registry.render(tool, &result.output) {
                        let _ = writeln!(out, "{line}");
                    }
                    last_summary = result.summary.clone();
                    let mark = match result.status {
                        ToolStatus::Success => "✓",
                        ToolStatus::Error => "✗",
                        ToolStatus::Denied => "⊘",
                    };
                    let _ = writeln!(out, "{mark} {}", result.summary);
                }
                // A one-step answer is the step's summary, already printed.
                Event::Response { text } if *text != last_summary => {
                    let _ = writeln!(out, "\n{text}");
                }
                Event::Error { message, hint } => {
                    let _ = writeln!(out, "Błąd: {message}");
                    if let Some(hint) = hint {
                        let _ = writeln!(out, "Podpowiedź: {hint}");
                    }
                }
                _ => {}
            }
        }
        let _ = out.flush();
        if last {
            return;
        }
    }
}
