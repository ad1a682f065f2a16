//! What DARK8 keeps, as the front ends read it: audit rows and the chain's check, projects,
//! remembered facts and file changes.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use utoipa::ToSchema;

use crate::tool::ToolStatus;

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    #[ts(type = "number")]
    pub id: i64,
    /// When it was recorded, RFC 3339 UTC.
    pub timestamp: String,
    /// What was done.
    pub action: String,
    /// Its parameters.
    #[ts(type = "Record<string, unknown>")]
    pub parameters: Value,
    /// A short summary of the outcome.
    pub result: String,
    /// How it ended.
    pub status: ToolStatus,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

/// The first thing found wrong in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditProblem {
    /// The row's content (or its hash) was altered.
    Changed {
        /// The altered row.
        #[ts(type = "number")]
        id: i64,
    },
    /// The row is missing (deleted, or cut off the end).
    Removed {
        /// The first missing row.
        #[ts(type = "number")]
        id: i64,
    },
    /// The row is not where the chain puts it.
    Reordered {
        /// The first row out of place.
        #[ts(type = "number")]
        id: i64,
    },
    /// The chain breaks just before this row: the row before it was rewritten with a
    /// recomputed hash, or rows were removed here and the later ones renumbered.
    LinkBroken {
        /// The first row whose link does not hold.
        #[ts(type = "number")]
        id: i64,
    },
    /// The log is keyed but this row is not: rows after the keyed checkpoint were rewritten
    /// by someone without the key (or every keyed row was).
    Unkeyed {
        /// The first row that should carry the key's link and does not.
        #[ts(type = "number")]
        id: i64,
    },
    /// The head the user kept elsewhere is no longer in the log: it was cut and rewritten.
    HeadMismatch {
        /// The row id of the remembered head.
        #[ts(type = "number")]
        id: i64,
    },
}

impl AuditProblem {
    /// The row the problem is about.
    pub fn row_id(self) -> i64 {
        match self {
            AuditProblem::Changed { id }
            | AuditProblem::Removed { id }
            | AuditProblem::Reordered { id }
            | AuditProblem::LinkBroken { id }
            | AuditProblem::Unkeyed { id }
            | AuditProblem::HeadMismatch { id } => id,
        }
    }
}

impl fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditProblem::Changed { id } => write!(f, "row {id} was changed"),
            AuditProblem::Removed { id } => write!(f, "row {id} was removed"),
            AuditProblem::Reordered { id } => write!(f, "row {id} was moved out of order"),
            AuditProblem::LinkBroken { id } => write!(
                f,
                "the chain breaks before row {id} (the row before it was rewritten, or rows were removed and renumbered)"
            ),
            AuditProblem::Unkeyed { id } => write!(
                f,
                "row {id} is not linked with the log's key (rows were rewritten without the key)"
            ),
            AuditProblem::HeadMismatch { id } => write!(
                f,
                "the remembered head (row {id}) is not in the log any more (it was cut and rewritten)"
            ),
        }
    }
}

/// What a check of the audit chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct AuditVerification {
    /// How many rows were checked.
    #[ts(type = "number")]
    pub rows_checked: u64,
    /// How many of them carry a keyed (HMAC) link.
    #[ts(type = "number")]
    #[serde(default)]
    pub keyed_rows: u64,
    /// Whether the keyed links were checked with the log's key (false: no key here, so only
    /// the unkeyed rows' hashes and the links between rows were checked).
    #[serde(default)]
    pub key_checked: bool,
    /// The first problem, if any.
    pub problem: Option<AuditProblem>,
}

impl AuditVerification {
    /// True when the chain is whole.
    pub fn is_intact(&self) -> bool {
        self.problem.is_none()
    }
}

/// A stored project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Project {
    /// Row id.
    #[ts(type = "number")]
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its directory.
    pub path: String,
    /// When it was registered, RFC 3339 UTC.
    pub created_at: String,
    /// Metadata as JSON.
    #[ts(type = "Record<string, unknown>")]
    pub metadata: Value,
}

/// How one of a project's actions (build, tests, deployment) last ended, from the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ProjectActionResult {
    /// The tool, e.g. `tests_run`.
    pub action: String,
    /// When it ended, RFC 3339 UTC.
    pub when: String,
    /// How it ended.
    pub status: ToolStatus,
    /// What it said.
    pub summary: String,
}

/// The secrets vault by name: the backend and every secret's name (values never leave it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
pub struct SecretNames {
    /// `keychain` or `file`.
    pub backend: String,
    /// Every name, sorted.
    pub names: Vec<String>,
}

/// A project with what the dashboard shows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct ProjectSummary {
    /// The stored project.
    pub project: Project,
    /// Its framework (`django`, `rust`, ...) when known.
    pub framework: Option<String>,
    /// Whether its directory is still there.
    pub exists: bool,
    /// The last build.
    pub build: Option<ProjectActionResult>,
    /// The last test run.
    pub tests: Option<ProjectActionResult>,
    /// The last deployment.
    pub deploy: Option<ProjectActionResult>,
    /// The last analysis.
    pub analysis: Option<ProjectActionResult>,
    /// Findings of the last analysis's SARIF report, when it wrote one.
    pub findings: Vec<Finding>,
}

/// One finding of a code analysis (a SARIF result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct Finding {
    /// The rule, e.g. `secret` or `ruff/F401`.
    pub rule: String,
    /// `error`, `warning` or `note`.
    pub level: String,
    /// What is wrong, as the analysis said it.
    pub message: String,
    /// The file, relative to the project.
    pub file: String,
    /// The line, from 1 (0 when the finding is about the whole file).
    pub line: u32,
}

/// Where a remembered thing comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KnowledgeSource {
    /// A fact kept by `memory_save`.
    Knowledge,
    /// A past command and its answer.
    Conversation,
}

/// One thing the knowledge screen lists: a fact or a past conversation turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct KnowledgeEntry {
    /// Where it comes from.
    pub source: KnowledgeSource,
    /// Its row in its table.
    #[ts(type = "number")]
    pub id: i64,
    /// The fact, or "command → answer".
    pub text: String,
    /// Its tags (facts only).
    pub tags: Vec<String>,
    /// When it was kept, RFC 3339 UTC.
    pub when: String,
    /// How well it matches the query (0 without a query).
    pub score: f64,
}

/// What one tool call changed in one file, with the way back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, ToSchema)]
pub struct FileChange {
    /// The journal row.
    #[ts(type = "number")]
    pub id: i64,
    /// The tool call's changes, undone together.
    pub batch: String,
    /// The tool call that made it.
    pub call_id: Option<String>,
    /// The tool.
    pub tool: String,
    /// The file, absolute.
    pub path: String,
    /// `created`, `changed`, `deleted` or `moved`.
    pub kind: String,
    /// When, RFC 3339 UTC.
    pub when: String,
    /// A unified diff from before to now (empty for binary files or directories).
    pub diff: String,
    /// Whether it was undone already.
    pub undone: bool,
}
