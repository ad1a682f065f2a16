//! Serde types shared by every DARK8 front end (CLI, desktop, REST API, UI).
//!
//! Everything that crosses a boundary between the core and a front end is defined here:
//! commands, the NLP engine's understanding of them, plans and their steps, tool calls and
//! their results, approvals, the doctor report and the events of the event bus.
//! TypeScript declarations for `ui/` are generated from these types (see [`typescript`]).

mod approval;
mod brain;
mod command;
mod doctor;
mod event;
mod plan;
mod records;
mod run;
mod settings;
mod tool;
pub mod typescript;

pub use approval::{ApprovalDecision, ApprovalGrant, ApprovalRequest, GrantScope, PendingApproval};
pub use brain::{BrainCheck, ModelCatalog, ModelEntry, ModelPull, ModelPullRequest, PullState};
pub use command::{Command, CommandSource, Intent, Understanding};
pub use doctor::{CheckStatus, DoctorCheck, DoctorReport};
pub use event::{Event, EventEnvelope};
pub use plan::{Plan, Step};
pub use records::{
    AuditEntry, AuditProblem, AuditVerification, FileChange, Finding, KnowledgeEntry,
    KnowledgeSource, Project, ProjectActionResult, ProjectSummary, SecretNames,
};
pub use run::{RunDetail, RunState, RunStatus, StepView};
pub use settings::{ApiServerState, RotatedToken, SettingsChange, SettingsUpdate, WritableSetting};
pub use tool::{RiskClass, ToolCall, ToolResult, ToolStatus};
