//! TypeScript declarations of the protocol types, for the webview front end in `ui/`.
//!
//! The checked-in file `ui/src/protocol.ts` must equal [`declarations`]; the test
//! `typescript_bindings_match` fails when they drift. Regenerate with
//! `DARK8_BLESS=1 cargo test -p dark8-protocol --test typescript`.

use ts_rs::TS;

use crate::{ApiServerState, RotatedToken};
use crate::{
    ApprovalDecision, ApprovalGrant, ApprovalRequest, CheckStatus, Command, CommandSource,
    DoctorCheck, DoctorReport, Event, EventEnvelope, GrantScope, Intent, PendingApproval, Plan,
    RiskClass, RunDetail, RunState, RunStatus, SettingsChange, SettingsUpdate, Step, StepView,
    ToolCall, ToolResult, ToolStatus, Understanding, WritableSetting,
};
use crate::{
    AuditEntry, AuditProblem, AuditVerification, FileChange, Finding, KnowledgeEntry,
    KnowledgeSource, Project, ProjectActionResult, ProjectSummary, SecretNames,
};
use crate::{BrainCheck, ModelCatalog, ModelEntry, ModelPull, ModelPullRequest, PullState};

/// Path of the generated file, relative to the repository root.
pub const BINDINGS_PATH: &str = "ui/src/protocol.ts";

/// The whole TypeScript module: one exported declaration per protocol type.
pub fn declarations() -> String {
    let decls = [
        CommandSource::decl(),
        Command::decl(),
        Intent::decl(),
        Understanding::decl(),
        RiskClass::decl(),
        ToolCall::decl(),
        ToolStatus::decl(),
        ToolResult::decl(),
        Step::decl(),
        Plan::decl(),
        ApprovalRequest::decl(),
        GrantScope::decl(),
        ApprovalDecision::decl(),
        PendingApproval::decl(),
        ApprovalGrant::decl(),
        RunStatus::decl(),
        RunState::decl(),
        StepView::decl(),
        RunDetail::decl(),
        CheckStatus::decl(),
        DoctorCheck::decl(),
        DoctorReport::decl(),
        SettingsChange::decl(),
        SettingsUpdate::decl(),
        WritableSetting::decl(),
        ApiServerState::decl(),
        RotatedToken::decl(),
        BrainCheck::decl(),
        ModelEntry::decl(),
        PullState::decl(),
        ModelPull::decl(),
        ModelCatalog::decl(),
        ModelPullRequest::decl(),
        AuditEntry::decl(),
        AuditProblem::decl(),
        AuditVerification::decl(),
        Project::decl(),
        ProjectActionResult::decl(),
        Finding::decl(),
        ProjectSummary::decl(),
        SecretNames::decl(),
        KnowledgeSource::decl(),
        KnowledgeEntry::decl(),
        FileChange::decl(),
        Event::decl(),
        EventEnvelope::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust crate dark8-protocol. Do not edit by hand:\n\
         // DARK8_BLESS=1 cargo test -p dark8-protocol --test typescript\n",
    );
    for decl in decls {
        out.push('\n');
        out.push_str("export ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}
