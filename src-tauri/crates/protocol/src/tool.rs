//! Tool calls and their results.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// How much a tool can affect the user's machine; permissions are granted per class.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskClass {
    /// Reads files or system state.
    Read,
    /// Creates, changes or deletes files.
    Write,
    /// Runs programs.
    Execute,
    /// Talks to the network.
    Network,
    /// Touches secrets.
    Secret,
}

/// One call of a tool by name, with JSON arguments that match the tool's schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ToolCall {
    /// Unique id of this call, used to match progress, approvals and the result.
    pub id: String,
    /// The tool's name, `<area>_<verb>` in `[a-z0-9_]`, e.g. `fs_read`.
    pub tool: String,
    /// Arguments as a JSON object.
    #[ts(type = "Record<string, unknown>")]
    pub arguments: serde_json::Value,
}

/// How a tool call ended; the same three states as the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ToolStatus {
    /// The tool ran and did what was asked.
    Success,
    /// The tool ran and failed.
    Error,
    /// The policy or the user refused the call; nothing ran.
    Denied,
}

impl ToolStatus {
    /// The status as stored in the audit log (`success`, `error`, `denied`).
    pub fn as_str(self) -> &'static str {
        match self {
            ToolStatus::Success => "success",
            ToolStatus::Error => "error",
            ToolStatus::Denied => "denied",
        }
    }

    /// Parses the stored form back.
    pub fn parse(value: &str) -> Option<ToolStatus> {
        match value {
            "success" => Some(ToolStatus::Success),
            "error" => Some(ToolStatus::Error),
            "denied" => Some(ToolStatus::Denied),
            _ => None,
        }
    }
}

/// The outcome of a tool call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ToolResult {
    /// The id of the call this result answers.
    pub call_id: String,
    /// How the call ended.
    pub status: ToolStatus,
    /// A one-line human summary (in the user's language).
    pub summary: String,
    /// Structured output for scripts and the UI.
    #[ts(type = "unknown")]
    pub output: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_stored_form_round_trips() {
        for status in [ToolStatus::Success, ToolStatus::Error, ToolStatus::Denied] {
            assert_eq!(ToolStatus::parse(status.as_str()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
        }
        assert_eq!(ToolStatus::parse("ok"), None);
    }
}
