//! `dark8 understand`: the NLP contract on the command line.

use std::io::{BufRead, Write};

use dark8_core::nlp::Engine;

use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Loads the embedded engine, or a Polish error.
pub fn engine(ctx: &Context) -> Result<Engine, CliError> {
    Engine::embedded().map_err(|err| CliError {
        message: match ctx.language() {
            dark8_core::Language::Pl => format!("Nie można wczytać silnika NLP: {err}"),
            dark8_core::Language::En => format!("Cannot load the NLP engine: {err}"),
        },
        hint: ctx
            .language()
            .pick(
                "To błąd wydania DARK8; zainstaluj je ponownie albo wytrenuj model: `dark8 nlp train`.",
                "This is a broken DARK8 build; reinstall it or retrain: `dark8 nlp train`.",
            )
            .to_owned(),
        code: exit_code::FAILURE,
    })
}

/// One command (`TEXT`) or one per stdin line (`--jsonl`).
pub fn run(ctx: &Context, text: Option<&str>, jsonl: bool) -> Result<u8, CliError> {
    let engine = engine(ctx)?;
    if jsonl {
        return run_jsonl(ctx, &engine);
    }
    let understanding = engine.understand(text.unwrap_or_default());
    let out = &ctx.output;
    if out.is_json() {
        let line =
            serde_json::to_string(&understanding).map_err(|e| ctx.io(std::io::Error::other(e)))?;
        out.line(&line).map_err(|e| ctx.io(e))?;
    } else {
        let entities = understanding
            .entities
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        out.line(&format!(
            "{} ({:.2}){}",
            understanding.intent,
            understanding.confidence,
            if entities.is_empty() {
                String::new()
            } else {
                format!("  {entities}")
            }
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Answers every stdin line in order, even empty or invalid UTF-8 ones.
fn run_jsonl(ctx: &Context, engine: &Engine) -> Result<u8, CliError> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut output = std::io::BufWriter::new(stdout.lock());
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = input
            .read_until(b'\n', &mut buffer)
            .map_err(|e| ctx.io(e))?;
        if read == 0 {
            break;
        }
        while buffer.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buffer.pop();
        }
        let text = String::from_utf8_lossy(&buffer);
        let understanding = engine.understand(&text);
        let line =
            serde_json::to_string(&understanding).map_err(|e| ctx.io(std::io::Error::other(e)))?;
        writeln!(output, "{line}").map_err(|e| ctx.io(e))?;
    }
    output.flush().map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}
