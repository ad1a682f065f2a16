//! `dark8 history`.

use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::shorten;

/// Prints the newest conversation turns, oldest first.
pub async fn run(ctx: &Context, limit: u32) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let turns = dark8
        .history(limit)
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&turns).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    if turns.is_empty() {
        out.line(ctx.language().pick(
            "Historia jest pusta: nie wydano jeszcze żadnego polecenia.",
            "History is empty: no command has been given yet.",
        ))
        .map_err(|e| ctx.io(e))?;
    }
    for turn in &turns {
        out.line(&format!(
            "#{:<5} {}  {:<16} {}",
            turn.id,
            short_time(&turn.timestamp),
            turn.intent.as_deref().unwrap_or("-"),
            shorten(&turn.user_input, 80)
        ))
        .map_err(|e| ctx.io(e))?;
        if !turn.ai_response.is_empty() {
            out.line(&out.dim(&format!("       → {}", shorten(&turn.ai_response, 100))))
                .map_err(|e| ctx.io(e))?;
        }
    }
    Ok(exit_code::SUCCESS)
}

/// `2026-11-24T13:37:19.123Z` -> `2026-11-24 13:37:19`.
pub fn short_time(timestamp: &str) -> String {
    timestamp
        .get(..19)
        .map(|t| t.replacen('T', " ", 1))
        .unwrap_or_else(|| timestamp.to_owned())
}
