//! RESPOND: a short answer from a plan's results, in the user's language.

use dark8_protocol::{Plan, ToolResult, ToolStatus};

use crate::agent::OutcomeStatus;
use crate::language::Lang;

/// The answer: one line per step (✓ done, ✗ failed, ⊘ refused, – skipped), or just the
/// result's own summary for a single step; notes of tool-less clauses last.
pub fn summarize(
    plan: &Plan,
    results: &[ToolResult],
    skipped: &[u32],
    notes: &[String],
    lang: Lang,
) -> String {
    let mut lines = Vec::new();
    if plan.steps.len() == 1 {
        if let Some(result) = results.first() {
            lines.push(result.summary.clone());
        }
    } else {
        let done = results
            .iter()
            .filter(|r| r.status == ToolStatus::Success)
            .count();
        lines.push(match lang {
            Lang::Pl => format!(
                "Wykonano {done} z {}:",
                crate::language::count_pl(plan.steps.len(), "kroku", "kroków", "kroków")
            ),
            Lang::En => format!("Done {done} of {} steps:", plan.steps.len()),
        });
        for step in &plan.steps {
            let line = match results.iter().find(|r| r.call_id == step.call.id) {
                Some(result) => {
                    let mark = match result.status {
                        ToolStatus::Success => "✓",
                        ToolStatus::Error => "✗",
                        ToolStatus::Denied => "⊘",
                    };
                    format!("{mark} {}. {}", step.index, result.summary)
                }
                None if skipped.contains(&step.index) => format!(
                    "– {}. {} ({})",
                    step.index,
                    step.description,
                    lang.pick(
                        "pominięto: wcześniejszy krok się nie udał",
                        "skipped: an earlier step failed"
                    )
                ),
                None => continue,
            };
            lines.push(line);
        }
    }
    lines.extend(notes.iter().cloned());
    lines.join("\n")
}

/// How the plan ended.
pub fn status(results: &[ToolResult], skipped: &[u32]) -> OutcomeStatus {
    let ok = results
        .iter()
        .filter(|r| r.status == ToolStatus::Success)
        .count();
    if results.iter().any(|r| r.status == ToolStatus::Denied) && ok == 0 {
        OutcomeStatus::Denied
    } else if ok == results.len() && skipped.is_empty() {
        OutcomeStatus::Done
    } else if ok == 0 {
        OutcomeStatus::Failed
    } else {
        OutcomeStatus::Partial
    }
}
