//! Events of the event bus: what the core tells every front end while it works.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::approval::{ApprovalDecision, ApprovalRequest};
use crate::command::{Command, Understanding};
use crate::plan::Plan;
use crate::run::RunStatus;
use crate::tool::{ToolCall, ToolResult};

/// Something that happened in the core.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A command arrived (LISTEN).
    CommandReceived {
        /// The command.
        command: Command,
    },
    /// The NLP engine understood it (UNDERSTAND).
    Understood {
        /// What was understood.
        understanding: Understanding,
    },
    /// A plan was made (PLAN).
    PlanReady {
        /// The plan.
        plan: Plan,
    },
    /// A tool call started (ACT).
    ToolStarted {
        /// The call.
        call: ToolCall,
    },
    /// A running tool reported progress.
    ToolProgress {
        /// The id of the running call.
        call_id: String,
        /// A line of progress, in the user's language.
        message: String,
        /// Fraction done in [0, 1], when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        fraction: Option<f32>,
    },
    /// A tool call ended.
    ToolFinished {
        /// The result.
        result: ToolResult,
    },
    /// The executor waits for the user's decision.
    ApprovalRequested {
        /// The request.
        request: ApprovalRequest,
    },
    /// The user decided.
    ApprovalDecided {
        /// The decision.
        decision: ApprovalDecision,
    },
    /// A piece of text a model is writing, as it arrives.
    ModelToken {
        /// The text.
        text: String,
    },
    /// A run ended; its events before this one are complete.
    RunFinished {
        /// How it ended.
        status: RunStatus,
        /// The answer for the user.
        response: String,
    },
    /// The final answer to the user (RESPOND).
    Response {
        /// The answer, in the user's language.
        text: String,
    },
    /// Something failed; the message is for the user, the hint says what to do.
    Error {
        /// What went wrong, in the user's language.
        message: String,
        /// What to do about it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        hint: Option<String>,
    },
}

/// An event with its sequence number, time and where it belongs, as it travels on the bus
/// and is replayed to a front end that reconnects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct EventEnvelope {
    /// Sequence number, increasing by one per event, kept across restarts of the core.
    #[ts(type = "number")]
    pub seq: u64,
    /// When the event was published, RFC 3339 UTC.
    pub timestamp: String,
    /// The session it belongs to, when it belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub session: Option<String>,
    /// The run it belongs to, when it belongs to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub run: Option<String>,
    /// The plan step it belongs to (1-based), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub step: Option<u32>,
    /// The event.
    pub event: Event,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_with_their_type() {
        let event = Event::Response {
            text: "Gotowe".to_owned(),
        };
        let value = serde_json::to_value(&event).unwrap();
        assert_eq!(value["type"], "response");
        assert_eq!(value["text"], "Gotowe");
        let back: Event = serde_json::from_value(value).unwrap();
        assert_eq!(back, event);
    }
}
