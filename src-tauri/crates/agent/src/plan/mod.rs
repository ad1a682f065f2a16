//! PLAN: understood clauses -> a [`Plan`] of tool calls (from the [`table`]), a question for
//! what is missing, or an answer that needs no tool.

mod build;
pub mod table;

pub use build::{build, Planned, ProjectHint};
pub use table::{plan_for, IntentPlan, Recipe, Source, StepSpec, PLANS};
