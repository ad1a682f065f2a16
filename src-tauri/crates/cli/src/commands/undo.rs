//! `dark8 undo`: reverses the newest file change a tool made.

use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Undoes the newest tool call that changed files and says what was put back.
pub async fn run(ctx: &Context) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let result = dark8.undo_last().await;
    dark8.shutdown().await;
    let report = result.map_err(|err| CliError {
        message: err.message.clone(),
        hint: err.hint.clone().unwrap_or_default(),
        code: exit_code::FAILURE,
    })?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&report).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    match report {
        None => out
            .line(ctx.language().pick(
                "Nie ma czego cofać: żadne narzędzie nie zmieniło jeszcze plików.",
                "Nothing to undo: no tool has changed files yet.",
            ))
            .map_err(|e| ctx.io(e))?,
        Some(report) => {
            out.line(&format!("Cofnięto {}:", report.tool))
                .map_err(|e| ctx.io(e))?;
            for (path, what) in &report.files {
                out.line(&format!("  {path}: {what}"))
                    .map_err(|e| ctx.io(e))?;
            }
        }
    }
    Ok(exit_code::SUCCESS)
}
