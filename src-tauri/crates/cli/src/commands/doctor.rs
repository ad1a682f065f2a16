//! `dark8 doctor`.

use dark8_protocol::CheckStatus;

use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::pad;

/// Prints the report; exit code 4 when a required check is missing.
pub async fn run(ctx: &Context) -> Result<u8, CliError> {
    let report = dark8_core::doctor::diagnose(&ctx.config, &ctx.paths).await;
    let language = ctx.language();
    let out = &ctx.output;
    if out.is_json() {
        out.json(&report).map_err(|e| ctx.io(e))?;
    } else {
        let width = report
            .checks
            .iter()
            .map(|c| c.label.chars().count())
            .max()
            .unwrap_or(0);
        out.line(&format!(
            "DARK8 {} — {}",
            report.version,
            language.pick("diagnostyka", "diagnostics")
        ))
        .map_err(|e| ctx.io(e))?;
        for check in &report.checks {
            let ok = check.status == CheckStatus::Ok;
            let status = out.status(&pad(if ok { "OK" } else { "BRAK" }, 4), ok);
            out.line(&format!(
                "  {status}  {}  {}",
                pad(&check.label, width),
                check.detail
            ))
            .map_err(|e| ctx.io(e))?;
            if let Some(hint) = &check.hint {
                out.line(&out.dim(&format!("        {}  → {hint}", pad("", width))))
                    .map_err(|e| ctx.io(e))?;
            }
        }
        let passed = report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Ok)
            .count();
        let summary = match (language, report.required_ok()) {
            (dark8_core::Language::Pl, true) => format!(
                "Wynik: {passed}/{} OK; wszystko, co wymagane, działa.",
                report.checks.len()
            ),
            (dark8_core::Language::Pl, false) => format!(
                "Wynik: {passed}/{} OK; brakuje czegoś wymaganego (popraw pozycje BRAK).",
                report.checks.len()
            ),
            (dark8_core::Language::En, true) => format!(
                "Result: {passed}/{} OK; everything required works.",
                report.checks.len()
            ),
            (dark8_core::Language::En, false) => format!(
                "Result: {passed}/{} OK; something required is missing (fix the BRAK lines).",
                report.checks.len()
            ),
        };
        out.line(&summary).map_err(|e| ctx.io(e))?;
    }
    Ok(if report.required_ok() {
        exit_code::SUCCESS
    } else {
        exit_code::DOCTOR_MISSING
    })
}
