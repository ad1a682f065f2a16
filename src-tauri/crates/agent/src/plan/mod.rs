//! PLAN: understood clauses -> a [`Plan`] of tool calls (from the [`table`]), a question for
//! what is missing, or an answer that needs no tool.

mod build;
pub mod table;

pub(crate) use build::project_path;
pub use build::{build, Planned, ProjectHint};
pub use table::{intent_of_tool, plan_for, IntentPlan, Recipe, Source, StepSpec, PLANS};

/// Whether a step of `intent`'s plan works on "the project" (build, tests, deploy, analysis).
pub fn works_on_project(intent: dark8_protocol::Intent) -> bool {
    steps_of(intent).any(|s| {
        s.args
            .iter()
            .any(|(_, source)| matches!(source, Source::Project | Source::ProjectFile(_)))
    })
}

/// Whether `intent`'s plan makes a project a later clause can work on.
pub fn makes_project(intent: dark8_protocol::Intent) -> bool {
    steps_of(intent).any(|s| s.makes_project)
}

fn steps_of(intent: dark8_protocol::Intent) -> impl Iterator<Item = &'static StepSpec> {
    let steps: &'static [StepSpec] = match plan_for(intent).map(|p| p.recipe) {
        Some(Recipe::Steps(steps)) => steps,
        _ => &[],
    };
    steps.iter()
}
