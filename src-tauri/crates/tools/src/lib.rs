//! DARK8's tool door: every action on the user's machine passes the [`executor::Executor`]:
//! argument validation against the tool's JSON Schema, the permission [`policy`] (roles and
//! command rules), approvals, a time limit and cancellation, and the audit log with secrets
//! [`redact`]ed. The sandbox, the secrets vault and the system tools build on it.

// The derive macro names this crate by its path, inside it too.
extern crate self as dark8_tools;

pub mod builtin;
pub mod declare;
pub mod domains;
pub mod executor;
pub mod grant;
pub mod policy;
pub mod redact;
pub mod registry;
pub mod repo_guard;
pub mod sandbox;
pub mod shell_line;
pub mod text;
pub mod tool;
pub mod vault;
pub mod workspace_path;

pub use declare::{declared, NoArgs, ToolArgs, ToolResult, TypedTool};
pub use executor::{Approver, AutoApprove, CallContext, Decision, DenyAll, EventSink, Executor};
pub use policy::{Action, CommandRule, Policy, PolicyConfig, PolicyError, Role, Verdict};
pub use redact::Redactor;
pub use registry::{Registry, RegistryError, ToolInfo};
pub use tool::{CallScope, PreparedCall, Tool, ToolContext, ToolError, ToolOutput};
