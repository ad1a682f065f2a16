//! `dark8 chat` (and `dark8` with no arguments): a conversation with the agent. At a terminal
//! it is a line editor (reedline: history in the data directory, multi-line input with a
//! trailing `\`, Ctrl-C cancels the running action, not the session, Ctrl-D ends it); with
//! piped input every line is one command.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use dark8_core::agent::Agent;
use dark8_protocol::CommandSource;
use reedline::{
    DefaultPrompt, DefaultPromptSegment, FileBackedHistory, Reedline, Signal, ValidationResult,
    Validator,
};
use tokio_util::sync::CancellationToken;

use crate::approver::TerminalApprover;
use crate::commands::run::print_events;
use crate::commands::tools::workspace;
use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Lines kept in the chat history file.
const HISTORY_LINES: usize = 1000;

/// Words that end the session.
const QUIT: &[&str] = &[
    "/wyjdz", "/wyjdź", "/koniec", "/exit", "/quit", "exit", "koniec",
];

/// A line ending in `\` continues on the next one.
struct ContinuedLines;

impl Validator for ContinuedLines {
    fn validate(&self, line: &str) -> ValidationResult {
        if line.trim_end().ends_with('\\') {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Complete
        }
    }
}

/// Runs the conversation until Ctrl-D, `/koniec` or the end of input.
pub async fn run(ctx: &Context, yes: bool, workdir: Option<&Path>) -> Result<u8, CliError> {
    let workspace = workspace(ctx, workdir)?;
    let dark8 = ctx.start().await?;
    let approver = Arc::new(TerminalApprover {
        yes,
        language: ctx.language(),
    });
    let agent = dark8
        .agent(workspace.clone(), approver, CommandSource::Cli)
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let result = if interactive {
        let (_, brain) = dark8.brain().await;
        println!(
            "DARK8 {} — rozmowa w {}. Mózg: {}.\nPisz polecenia po polsku; `\\` na końcu linii kontynuuje, Ctrl-C przerywa działanie, Ctrl-D albo /koniec kończy.",
            dark8_core::VERSION,
            workspace.display(),
            brain.detail
        );
        interactive_loop(ctx, &dark8, &agent).await
    } else {
        piped_loop(ctx, &dark8, &agent).await
    };
    drop(agent);
    dark8.shutdown().await;
    result
}

/// Carries out one line and prints what happens.
async fn one_command(ctx: &Context, dark8: &dark8_core::Dark8, agent: &Agent, text: &str) {
    let events = dark8.events().subscribe();
    let registry = agent.executor().registry().clone();
    let printer = tokio::spawn(print_events(events, ctx.output.is_json(), registry, None));
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let outcome = agent.handle(text, cancel.clone()).await;
    ctrl_c.abort();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), printer).await;
    if cancel.is_cancelled() {
        eprintln!("Przerwano. Możesz pisać dalej.");
    }
    if ctx.output.is_json() {
        let line = serde_json::json!({"type": "outcome", "outcome": outcome}).to_string();
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
}

async fn interactive_loop(
    ctx: &Context,
    dark8: &dark8_core::Dark8,
    agent: &Agent,
) -> Result<u8, CliError> {
    let history_file = ctx.paths.data_dir.join("chat_history.txt");
    let mut editor = Reedline::create().with_validator(Box::new(ContinuedLines));
    match FileBackedHistory::with_file(HISTORY_LINES, history_file) {
        Ok(history) => editor = editor.with_history(Box::new(history)),
        Err(err) => tracing::warn!("chat history unavailable: {err}"),
    }
    let prompt = DefaultPrompt::new(
        DefaultPromptSegment::Basic("dark8".to_owned()),
        DefaultPromptSegment::Empty,
    );
    loop {
        let signal = tokio::task::block_in_place(|| editor.read_line(&prompt));
        match signal {
            Ok(Signal::Success(line)) => {
                let text = line.replace("\\\n", "\n");
                let text = text.trim();
                if text.is_empty() {
                    continue;
                }
                if QUIT.contains(&text.to_lowercase().as_str()) {
                    return Ok(exit_code::SUCCESS);
                }
                one_command(ctx, dark8, agent, text).await;
            }
            // Ctrl-C at the prompt clears the line; the session goes on.
            Ok(Signal::CtrlC) => continue,
            Ok(Signal::CtrlD) => return Ok(exit_code::SUCCESS),
            Ok(_) => continue,
            Err(err) => return Err(ctx.io(err)),
        }
    }
}

async fn piped_loop(
    ctx: &Context,
    dark8: &dark8_core::Dark8,
    agent: &Agent,
) -> Result<u8, CliError> {
    use tokio::io::AsyncBufReadExt;
    // Each line is carried out as soon as it arrives (a program may feed commands over time).
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    while let Some(line) = lines.next_line().await.map_err(|e| ctx.io(e))? {
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        if QUIT.contains(&text.to_lowercase().as_str()) {
            break;
        }
        one_command(ctx, dark8, agent, text).await;
    }
    Ok(exit_code::SUCCESS)
}
