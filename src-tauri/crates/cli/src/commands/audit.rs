//! `dark8 audit list` and `dark8 audit verify`.

use dark8_core::store::AuditProblem;
use dark8_core::Language;
use serde_json::json;

use crate::commands::history::short_time;
use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::{pad, shorten};

/// Prints the newest audit entries, oldest first.
pub async fn list(ctx: &Context, limit: u32) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let entries = dark8
        .audit_recent(limit)
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&entries).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    if entries.is_empty() {
        out.line(ctx.language().pick(
            "Dziennik audytu jest pusty: DARK8 nie wykonał jeszcze żadnej akcji.",
            "The audit log is empty: DARK8 has not acted yet.",
        ))
        .map_err(|e| ctx.io(e))?;
    }
    for entry in &entries {
        let ok = entry.status == dark8_protocol::ToolStatus::Success;
        out.line(&format!(
            "#{:<6} {}  {}  {:<18} {}  {}",
            entry.id,
            short_time(&entry.timestamp),
            out.status(&pad(entry.status.as_str(), 7), ok),
            entry.action,
            shorten(&entry.parameters.to_string(), 60),
            out.dim(&shorten(&entry.result, 60)),
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Verifies the chain; exit code 3 and the first bad row when it was tampered with.
pub async fn verify(ctx: &Context) -> Result<u8, CliError> {
    let dark8 = ctx.start().await?;
    let verification = dark8
        .audit_verify()
        .await
        .map_err(|e| CliError::from_core(&e, ctx.language()))?;
    dark8.shutdown().await;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&json!({
            "intact": verification.is_intact(),
            "rows_checked": verification.rows_checked,
            "problem": verification.problem,
        }))
        .map_err(|e| ctx.io(e))?;
    } else {
        let text = match verification.problem {
            None => match ctx.language() {
                Language::Pl => format!(
                    "Dziennik audytu jest nienaruszony: sprawdzono {} wpisów.",
                    verification.rows_checked
                ),
                Language::En => format!(
                    "The audit log is intact: {} entries checked.",
                    verification.rows_checked
                ),
            },
            Some(problem) => format!(
                "{}\n{}",
                out.status(&describe(problem, ctx.language()), false),
                ctx.language().pick(
                    "Podpowiedź: ktoś zmienił plik bazy poza DARK8; zachowaj kopię pliku jako dowód i sprawdź, kto miał do niego dostęp.",
                    "Hint: the database file was changed outside DARK8; keep a copy as evidence and check who had access to it.",
                )
            ),
        };
        out.line(&text).map_err(|e| ctx.io(e))?;
    }
    Ok(if verification.is_intact() {
        exit_code::SUCCESS
    } else {
        exit_code::AUDIT_TAMPERED
    })
}

/// The problem in the user's language, naming the row.
fn describe(problem: AuditProblem, language: Language) -> String {
    match (problem, language) {
        (AuditProblem::Changed { id }, Language::Pl) => {
            format!("DZIENNIK NARUSZONY: wpis #{id} został zmieniony.")
        }
        (AuditProblem::Removed { id }, Language::Pl) => {
            format!("DZIENNIK NARUSZONY: wpis #{id} został usunięty.")
        }
        (AuditProblem::Reordered { id }, Language::Pl) => {
            format!("DZIENNIK NARUSZONY: wpis #{id} jest nie na swoim miejscu (kolejność zmieniona).")
        }
        (AuditProblem::LinkBroken { id }, Language::Pl) => format!(
            "DZIENNIK NARUSZONY: łańcuch pęka przed wpisem #{id} (poprzedni wpis przepisano albo usunięto wpisy i przenumerowano resztę)."
        ),
        (problem, Language::En) => format!("AUDIT LOG TAMPERED: {problem}."),
    }
}
