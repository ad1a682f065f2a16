//! Runs: one command handed to the core, followed by any front end until its outcome.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::tool::ToolStatus;
use utoipa::ToSchema;

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Still working (or waiting for an approval).
    Running,
    /// Every step succeeded.
    Done,
    /// Some steps succeeded.
    Partial,
    /// Nothing succeeded.
    Failed,
    /// The policy or the user refused.
    Denied,
    /// DARK8 asked the user something back.
    Asked,
    /// Stopped on the user's request.
    Cancelled,
    /// The process ended before the run did.
    Interrupted,
}

impl RunStatus {
    /// The stored name (`running`, `done`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Partial => "partial",
            RunStatus::Failed => "failed",
            RunStatus::Denied => "denied",
            RunStatus::Asked => "asked",
            RunStatus::Cancelled => "cancelled",
            RunStatus::Interrupted => "interrupted",
        }
    }

    /// The status stored as `name`; unknown names read as interrupted.
    pub fn from_name(name: &str) -> RunStatus {
        match name {
            "running" => RunStatus::Running,
            "done" => RunStatus::Done,
            "partial" => RunStatus::Partial,
            "failed" => RunStatus::Failed,
            "denied" => RunStatus::Denied,
            "asked" => RunStatus::Asked,
            "cancelled" => RunStatus::Cancelled,
            _ => RunStatus::Interrupted,
        }
    }
}

/// A run as front ends see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct RunState {
    /// Its id.
    pub id: String,
    /// The session it belongs to.
    pub session: String,
    /// The command as typed.
    pub command: String,
    /// The workspace it acts in.
    pub workspace: String,
    /// Where it came from (`cli`, `desktop`, `api`).
    pub source: String,
    /// Where it stands.
    pub status: RunStatus,
    /// When it started, RFC 3339 UTC.
    pub started_at: String,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub finished_at: Option<String>,
    /// The agent's outcome (understanding, plan, calls, results, answer), once it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub outcome: Option<serde_json::Value>,
}

/// One step of a run as its events tell it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct StepView {
    /// The tool call's id.
    pub call_id: String,
    /// The tool.
    pub tool: String,
    /// The plan step it belongs to, when the plan named it.
    #[serde(default)]
    pub step: Option<u32>,
    /// How it ended; `None` while it runs.
    pub status: Option<ToolStatus>,
    /// Its summary, once it ended.
    pub summary: Option<String>,
    /// When it started.
    pub started_at: String,
    /// When it ended.
    pub finished_at: Option<String>,
    /// Progress lines it printed.
    pub output_lines: u32,
}

/// A run with its steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct RunDetail {
    /// The run.
    pub run: RunState,
    /// Its tool calls, in order.
    pub steps: Vec<StepView>,
}
