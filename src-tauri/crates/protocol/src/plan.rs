//! Plans: ordered steps of tool calls with dependencies.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::command::Intent;
use crate::tool::ToolCall;

/// One step of a plan: a tool call, the steps it waits for and a human description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Step {
    /// Position of the step in its plan, from 1.
    pub index: u32,
    /// What the step does, in the user's language.
    pub description: String,
    /// The tool call the step makes.
    pub call: ToolCall,
    /// Indices of the steps that must succeed first.
    pub depends_on: Vec<u32>,
}

/// The steps that carry out one command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Plan {
    /// Unique id of the plan.
    pub id: String,
    /// The intent the plan was built for.
    pub intent: Intent,
    /// Steps in execution order.
    pub steps: Vec<Step>,
}
