//! `dark8 policy show` and `dark8 policy check`.

use dark8_core::tools::{Action, Policy};
use dark8_protocol::RiskClass;
use serde_json::json;

use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::pad;

fn load(ctx: &Context) -> Result<Policy, CliError> {
    // The configuration loader already checked the rules; this cannot fail after it.
    Policy::load(&ctx.config.policy).map_err(|err| CliError {
        message: format!("Błędne zasady uprawnień: {err}"),
        hint: "Popraw sekcję [policy] w pliku konfiguracji (`dark8 config path`).".to_owned(),
        code: exit_code::FAILURE,
    })
}

fn action_pl(action: Action) -> &'static str {
    match action {
        Action::Allow => "wolno",
        Action::Prompt => "zapyta",
        Action::Forbid => "zabronione",
    }
}

const RISKS: [(RiskClass, &str); 5] = [
    (RiskClass::Read, "odczyt"),
    (RiskClass::Write, "zapis"),
    (RiskClass::Execute, "uruchamianie"),
    (RiskClass::Network, "sieć"),
    (RiskClass::Secret, "sekrety"),
];

/// Prints the role, the answer per risk class and the command rules.
pub fn show(ctx: &Context) -> Result<u8, CliError> {
    let policy = load(ctx)?;
    let out = &ctx.output;
    if out.is_json() {
        let risks: serde_json::Map<String, serde_json::Value> = RISKS
            .iter()
            .map(|(risk, _)| {
                let key = serde_json::to_value(risk)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (key, json!(policy.risk_action(*risk)))
            })
            .collect();
        out.json(&json!({
            "role": policy.role(),
            "risks": risks,
            "rules": policy.rules(),
            "tools": policy.tool_rules(),
            "workspace_roots": policy.workspace_roots(),
            "domains": policy.domains(),
        }))
        .map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    let role = serde_json::to_value(policy.role())
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    out.line(&format!("Rola: {role}")).map_err(|e| ctx.io(e))?;
    out.line("Uprawnienia według ryzyka:")
        .map_err(|e| ctx.io(e))?;
    for (risk, name) in RISKS {
        out.line(&format!(
            "  {}  {}",
            pad(name, 13),
            action_pl(policy.risk_action(risk))
        ))
        .map_err(|e| ctx.io(e))?;
    }
    if !policy.tool_rules().is_empty() {
        out.line("Reguły narzędzi (zastępują odpowiedź roli, nie znoszą zakazu):")
            .map_err(|e| ctx.io(e))?;
        for (tool, action) in policy.tool_rules() {
            out.line(&format!("  {}  {tool}", pad(action_pl(*action), 10)))
                .map_err(|e| ctx.io(e))?;
        }
    }
    out.line("Obszary robocze: bieżący katalog (albo --workdir)")
        .map_err(|e| ctx.io(e))?;
    for root in policy.workspace_roots() {
        out.line(&format!("  + {}", root.display()))
            .map_err(|e| ctx.io(e))?;
    }
    out.line("Reguły domen (najsurowsza pasująca wygrywa; poddomeny też):")
        .map_err(|e| ctx.io(e))?;
    for rule in policy.domains() {
        out.line(&format!(
            "  {}  {}  {}",
            pad(action_pl(rule.action), 10),
            pad(&rule.domain, 22),
            out.dim(&rule.reason)
        ))
        .map_err(|e| ctx.io(e))?;
    }
    out.line("Reguły poleceń (najsurowsza pasująca wygrywa):")
        .map_err(|e| ctx.io(e))?;
    for rule in policy.rules() {
        out.line(&format!(
            "  {}  {}  {}",
            pad(action_pl(rule.action), 10),
            pad(&rule.prefix, 22),
            out.dim(&rule.reason)
        ))
        .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Judges one shell line; the exit code says the answer (0 allow, 5 prompt, 6 forbid).
pub fn check(ctx: &Context, command: &str) -> Result<u8, CliError> {
    let policy = load(ctx)?;
    let verdict = policy.check_command(command);
    let out = &ctx.output;
    if out.is_json() {
        out.json(&verdict).map_err(|e| ctx.io(e))?;
    } else {
        out.line(&format!(
            "{}: {}{}",
            out.status(
                &action_pl(verdict.action).to_uppercase(),
                verdict.action == Action::Allow
            ),
            command,
            if verdict.reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", verdict.reason)
            }
        ))
        .map_err(|e| ctx.io(e))?;
        if verdict.parts.len() > 1 {
            for part in &verdict.parts {
                out.line(&format!(
                    "  {}  {}",
                    pad(action_pl(part.action), 10),
                    part.command
                ))
                .map_err(|e| ctx.io(e))?;
            }
        }
    }
    Ok(match verdict.action {
        Action::Allow => exit_code::SUCCESS,
        Action::Prompt => exit_code::POLICY_PROMPT,
        Action::Forbid => exit_code::POLICY_FORBID,
    })
}
