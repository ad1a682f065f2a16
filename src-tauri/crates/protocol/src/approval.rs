//! Approvals: the executor asks, a front end answers.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

use crate::tool::{RiskClass, ToolCall};

/// The executor asks the user whether a tool call may run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ApprovalRequest {
    /// Unique id of the request; the decision carries it back.
    pub id: String,
    /// The call waiting for approval (secrets redacted).
    pub call: ToolCall,
    /// The call's risk class.
    pub risk: RiskClass,
    /// Why approval is needed, in the user's language.
    pub reason: String,
    /// Whether a blanket "yes" (`--yes`, a grant for the session or for always) may approve
    /// it; when `false`, only an explicit answer to this very request does.
    #[serde(default)]
    pub auto_approvable: bool,
    /// The shell line the call runs, for tools that run one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub command_line: Option<String>,
    /// The paths it touches, as given.
    #[serde(default)]
    pub paths: Vec<String>,
    /// The URLs and hosts it reaches.
    #[serde(default)]
    pub urls: Vec<String>,
    /// What a grant for the session or for always would cover within the tool: a program
    /// (`git`), a host, a directory; `None` when no grant may cover the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub grant_target: Option<String>,
    /// What the call would change (a unified diff for a file write), secrets redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub preview: Option<String>,
}

/// How far an approval reaches.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum GrantScope {
    /// This call only.
    #[default]
    Once,
    /// Calls of the same tool and target in this session.
    Session,
    /// Calls of the same tool and target from now on (stored, revocable).
    Always,
}

/// A front end's answer to an [`ApprovalRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ApprovalDecision {
    /// The id of the request this decision answers.
    pub request_id: String,
    /// Whether the call may run.
    pub approved: bool,
    /// How far an approval reaches (ignored for a refusal).
    #[serde(default)]
    pub grant: GrantScope,
    /// Why: the user's reason for a refusal, or the grant that approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

impl ApprovalDecision {
    /// An answer for this call only.
    pub fn once(request: &ApprovalRequest, approved: bool) -> ApprovalDecision {
        ApprovalDecision {
            request_id: request.id.clone(),
            approved,
            grant: GrantScope::Once,
            reason: None,
        }
    }
}

/// An approval waiting for an answer, as any front end lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct PendingApproval {
    /// The request.
    pub request: ApprovalRequest,
    /// The run that waits, when it came from the run service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub run: Option<String>,
    /// The session it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub session: Option<String>,
    /// When it was asked, RFC 3339 UTC.
    pub requested_at: String,
}

/// A grant the user gave for the session or for always.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct ApprovalGrant {
    /// Its id (stored grants) or `session` for grants of the running session.
    pub id: String,
    /// The tool it allows.
    pub tool: String,
    /// What it covers within the tool (see [`ApprovalRequest::grant_target`]).
    pub target: String,
    /// How far it reaches.
    pub scope: GrantScope,
    /// When it was given, RFC 3339 UTC.
    pub created_at: String,
    /// When it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub revoked_at: Option<String>,
}
