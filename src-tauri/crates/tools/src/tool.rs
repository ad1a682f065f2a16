//! The Tool trait: a named, described, schema-checked action with a risk class.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use dark8_protocol::RiskClass;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

/// What a tool produced: a line for the user and the structured output (`D` is the tool's
/// typed output; the executor and every front end see it as JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolOutput<D = Value> {
    /// One line for the user, in Polish.
    pub summary: String,
    /// Structured output for scripts and the UI.
    pub data: D,
}

/// A tool that ran and failed; the message is for the user, in Polish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ToolError {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// What the tool did produce before failing (e.g. a command's output), or null.
    pub data: Value,
}

impl ToolError {
    /// An error with a hint.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> ToolError {
        ToolError {
            message: message.into(),
            hint: Some(hint.into()),
            data: Value::Null,
        }
    }

    /// The same error carrying what the tool produced.
    pub fn with_data(mut self, data: Value) -> ToolError {
        self.data = data;
        self
    }

    /// The same error carrying the tool's typed output produced before it failed.
    pub fn with_output<T: serde::Serialize>(self, output: &T) -> ToolError {
        let data = serde_json::to_value(output).unwrap_or(Value::Null);
        self.with_data(data)
    }
}

/// Reports progress of a running call: a line and, when known, the fraction done.
pub type ProgressFn = Arc<dyn Fn(String, Option<f32>) + Send + Sync>;

/// What a running tool gets besides its arguments.
#[derive(Clone)]
pub struct ToolContext {
    /// The call this context belongs to (its changes are journalled under it); empty outside
    /// an executor.
    pub call_id: String,
    /// The workspace root: the tool works inside it.
    pub workspace: PathBuf,
    /// Progress reporting.
    pub progress: ProgressFn,
    /// Cancelled when the user stops the call or its time runs out.
    pub cancel: CancellationToken,
    /// The vault's secret values: they must not reach a child's environment or any output.
    pub secret_values: Arc<[String]>,
    /// Where tools may work: the workspace first, then the policy's other roots.
    pub roots: Arc<[PathBuf]>,
    /// Paths no tool may touch (secret stores, DARK8's own data).
    pub hidden: Arc<[PathBuf]>,
}

impl ToolContext {
    /// A context for `workspace` with no progress sink, no secrets and the built-in secret
    /// stores hidden (tests and embedders set the rest).
    pub fn new(workspace: PathBuf) -> ToolContext {
        ToolContext {
            call_id: String::new(),
            roots: vec![workspace.clone()].into(),
            workspace,
            progress: Arc::new(|_, _| {}),
            cancel: CancellationToken::new(),
            secret_values: Vec::new().into(),
            hidden: crate::sandbox::hidden::secret_stores().into(),
        }
    }

    /// Where `given` really leads, checked to lie inside a root and outside the hidden paths.
    pub fn resolve(&self, given: &str) -> Result<PathBuf, ToolError> {
        crate::workspace_path::resolve_inside(&self.roots, &self.hidden, given).map_err(|err| {
            ToolError::new(
                format!("Odmowa: {err}."),
                "Podaj ścieżkę wewnątrz obszaru roboczego (--workdir).",
            )
        })
    }
}

impl std::fmt::Debug for ToolContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolContext")
            .field("workspace", &self.workspace)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish()
    }
}

/// The future a tool's run returns.
pub type ToolFuture<'a> = Pin<Box<dyn Future<Output = Result<ToolOutput, ToolError>> + Send + 'a>>;

/// What one call reaches, read from its arguments before it runs: everything the executor's
/// policy judges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallScope {
    /// Every risk class the call has (the tool's own and, e.g., network for a command that
    /// asks for it); the strictest answer of the policy over them applies.
    pub risks: Vec<RiskClass>,
    /// The paths it touches, as given (relative to the workspace or absolute); each must lie
    /// inside a workspace root.
    pub paths: Vec<String>,
    /// The URLs it reaches; each host is judged by the domain rules.
    pub urls: Vec<String>,
    /// Hosts it reaches without a URL (a database server, a search engine); judged like URLs.
    pub domains: Vec<String>,
    /// The shell line the command rules judge, for tools that run one.
    pub command_line: Option<String>,
    /// The call's own time limit, when the tool keeps one (the executor's applies otherwise).
    pub time_limit: Option<Duration>,
}

/// The work of one call, started with the call's context.
type RunOnce<'a> = Box<dyn FnOnce(ToolContext) -> ToolFuture<'a> + Send + 'a>;

/// A call whose arguments were read: what it reaches, and the work, not started yet.
pub struct PreparedCall<'a> {
    /// What the policy judges.
    pub scope: CallScope,
    run: RunOnce<'a>,
}

impl<'a> PreparedCall<'a> {
    /// A call reaching `scope` that does `run` when started.
    pub fn new(
        scope: CallScope,
        run: impl FnOnce(ToolContext) -> ToolFuture<'a> + Send + 'a,
    ) -> PreparedCall<'a> {
        PreparedCall {
            scope,
            run: Box::new(run),
        }
    }

    /// Starts the work.
    pub fn run(self, ctx: ToolContext) -> ToolFuture<'a> {
        (self.run)(ctx)
    }
}

impl std::fmt::Debug for PreparedCall<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedCall")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// An action DARK8 can take on the user's machine, as the registry and the executor see it.
///
/// Built-in tools do not implement this by hand: they implement
/// [`crate::declare::TypedTool`] (typed arguments and output) and are registered with
/// [`crate::Registry::add`]. Implement it directly only for tools known at run time (an MCP
/// server's tools).
pub trait Tool: Send + Sync {
    /// `<area>_<verb>` in `[a-z0-9_]`, a valid LLM function name (e.g. `fs_read`).
    fn name(&self) -> &str;
    /// What it does, in Polish.
    fn description_pl(&self) -> &str;
    /// What it does, in English.
    fn description_en(&self) -> &str;
    /// How much it can affect the machine.
    fn risk(&self) -> RiskClass;
    /// JSON Schema of its arguments (an object schema).
    fn schema(&self) -> Value;
    /// JSON Schema of its output (the `data` of a successful result).
    fn output_schema(&self) -> Value;
    /// Reads arguments already validated against [`Tool::schema`] into a call: its scope for
    /// the policy and the work to run.
    fn prepare(&self, args: Value) -> Result<PreparedCall<'_>, ToolError>;
    /// What the call would change, shown with an approval request (a diff for a file
    /// write); `None` when the tool has no preview or cannot compute one.
    fn preview(&self, _args: &Value, _ctx: &ToolContext) -> Option<String> {
        None
    }
    /// The lines a person wants to see of a successful result's `data` (a file's content, a
    /// listing, a diff), printed before the summary; none by default.
    fn render(&self, _data: &Value) -> Vec<String> {
        Vec::new()
    }
    /// Whether its output carries content from the web (pages, search results, HTTP bodies):
    /// once that has reached a model, the model's side-effect calls need the user's own yes.
    fn reads_web(&self) -> bool {
        false
    }
    /// Whether it sends data to the web the way a form does (typing into pages, choosing in
    /// their lists): a side effect, like writing a file.
    fn sends_forms(&self) -> bool {
        false
    }
}

/// True for names of the form `<area>_<verb>` made of `[a-z0-9_]`.
pub fn valid_tool_name(name: &str) -> bool {
    let mut parts = name.split('_');
    let area = parts.next().unwrap_or("");
    !area.is_empty()
        && parts.next().is_some_and(|verb| !verb.is_empty())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// The JSON Schema of `T` (derive `schemars::JsonSchema` on a tool's argument struct).
pub fn schema_of<T: schemars::JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for name in ["fs_read", "shell_run", "git_pull_request", "db2_query"] {
            assert!(valid_tool_name(name), "{name}");
        }
        for name in [
            "", "fs", "Fs_read", "fs-read", "_read", "fs_", "fs read", "2fs_x",
        ] {
            assert!(!valid_tool_name(name), "{name}");
        }
    }
}
