//! Approvals: the executor asks, a front end answers.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::tool::{RiskClass, ToolCall};

/// The executor asks the user whether a tool call may run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ApprovalRequest {
    /// Unique id of the request; the decision carries it back.
    pub id: String,
    /// The call waiting for approval.
    pub call: ToolCall,
    /// The call's risk class.
    pub risk: RiskClass,
    /// Why approval is needed, in the user's language.
    pub reason: String,
}

/// A front end's answer to an [`ApprovalRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApprovalDecision {
    /// The id of the request this decision answers.
    pub request_id: String,
    /// Whether the call may run.
    pub approved: bool,
    /// Whether the same call may run again in this session without asking.
    #[serde(default)]
    pub remember_for_session: bool,
}
