//! The one way to declare a tool: a typed argument struct whose fields that name paths, URLs,
//! domains and command lines are marked once (`#[derive(ToolArgs)]`), a typed output, and a
//! [`TypedTool`] impl with the name, the two descriptions, the risk class and one async `run`.
//! [`Declared`] turns it into the registry's [`Tool`]: schemas come from the types, the
//! policy's [`CallScope`] from the markers, and nobody parses `Value` by hand.
//!
//! ```ignore
//! #[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
//! #[serde(deny_unknown_fields)]
//! pub struct Args {
//!     /// Ścieżka pliku (file path)
//!     #[tool(path)]
//!     path: String,
//! }
//!
//! impl TypedTool for FsDelete {
//!     type Args = Args;
//!     type Output = Deleted;
//!     const NAME: &'static str = "fs_delete";
//!     const DESCRIPTION_PL: &'static str = "Usuwa plik do kosza DARK8";
//!     const DESCRIPTION_EN: &'static str = "Moves a file to DARK8's trash";
//!     const RISK: RiskClass = RiskClass::Write;
//!     async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Deleted> { … }
//! }
//! ```

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use dark8_tools_derive::ToolArgs;

use crate::tool::{schema_of, CallScope, PreparedCall, Tool, ToolContext, ToolError, ToolOutput};

/// What a typed tool's run returns: its summary and typed output, or an error.
pub type ToolResult<O> = Result<ToolOutput<O>, ToolError>;

/// The marked fields of a tool's arguments (derive it: `#[derive(ToolArgs)]` with
/// `#[tool(path)]`, `#[tool(url)]`, `#[tool(domain)]` or `#[tool(command)]` on fields).
pub trait ToolArgs {
    /// The paths the call touches, as given.
    fn paths(&self) -> Vec<String>;
    /// The URLs the call reaches.
    fn urls(&self) -> Vec<String>;
    /// The hosts the call reaches without a URL.
    fn domains(&self) -> Vec<String>;
    /// The shell line the call runs.
    fn command_line(&self) -> Option<String>;
}

/// A field type a `#[tool(...)]` marker can stand on: text, or an optional or a list of text.
pub trait ArgText {
    /// Pushes the field's non-empty texts onto `out`.
    fn collect_into(&self, out: &mut Vec<String>);
}

impl ArgText for String {
    fn collect_into(&self, out: &mut Vec<String>) {
        if !self.is_empty() {
            out.push(self.clone());
        }
    }
}

impl ArgText for PathBuf {
    fn collect_into(&self, out: &mut Vec<String>) {
        self.to_string_lossy().into_owned().collect_into(out);
    }
}

impl<T: ArgText> ArgText for Option<T> {
    fn collect_into(&self, out: &mut Vec<String>) {
        if let Some(inner) = self {
            inner.collect_into(out);
        }
    }
}

impl<T: ArgText> ArgText for Vec<T> {
    fn collect_into(&self, out: &mut Vec<String>) {
        for item in self {
            item.collect_into(out);
        }
    }
}

/// The arguments of a tool that takes none (`{}`).
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

impl ToolArgs for NoArgs {
    fn paths(&self) -> Vec<String> {
        Vec::new()
    }
    fn urls(&self) -> Vec<String> {
        Vec::new()
    }
    fn domains(&self) -> Vec<String> {
        Vec::new()
    }
    fn command_line(&self) -> Option<String> {
        None
    }
}

/// A tool declared by its types: everything the registry, the executor and the policy read
/// comes from here. Override a scope method only when the tool reaches more than its marked
/// fields say (a git tool's fixed command line, a URL built from the configuration).
pub trait TypedTool: Send + Sync + 'static {
    /// Its arguments (serde + schemars + [`ToolArgs`]).
    type Args: DeserializeOwned + JsonSchema + ToolArgs + Send + 'static;
    /// Its output on success (a JSON object the UI, MCP clients and scripts read).
    type Output: Serialize + DeserializeOwned + JsonSchema + Send + 'static;
    /// `<area>_<verb>` in `[a-z0-9_]`.
    const NAME: &'static str;
    /// What it does, in Polish.
    const DESCRIPTION_PL: &'static str;
    /// What it does, in English.
    const DESCRIPTION_EN: &'static str;
    /// How much it can affect the machine (what lists show and approvals name).
    const RISK: RiskClass;
    /// Every risk class each call has, when that does not depend on the arguments (by
    /// default only [`TypedTool::RISK`]); the policy's strictest answer over them applies.
    const RISKS: &'static [RiskClass] = &[Self::RISK];
    /// The shell line the command rules judge for every call, when the tool always runs
    /// the same program (a git tool's `git status`); a `#[tool(command)]` field wins.
    const COMMAND: Option<&'static str> = None;
    /// Its output carries content from the web (see [`Tool::reads_web`]).
    const READS_WEB: bool = false;
    /// It sends data to the web the way a form does (see [`Tool::sends_forms`]).
    const SENDS_FORMS: bool = false;

    /// Every risk class of this call (by default [`TypedTool::RISKS`]).
    fn risks(&self, _args: &Self::Args) -> Vec<RiskClass> {
        Self::RISKS.to_vec()
    }
    /// The paths this call touches (by default the `#[tool(path)]` fields).
    fn paths(&self, args: &Self::Args) -> Vec<String> {
        args.paths()
    }
    /// The URLs this call reaches (by default the `#[tool(url)]` fields).
    fn urls(&self, args: &Self::Args) -> Vec<String> {
        args.urls()
    }
    /// The hosts this call reaches without a URL (by default the `#[tool(domain)]` fields).
    fn domains(&self, args: &Self::Args) -> Vec<String> {
        args.domains()
    }
    /// The shell line the policy judges (by default the `#[tool(command)]` field, else
    /// [`TypedTool::COMMAND`]).
    fn command_line(&self, args: &Self::Args) -> Option<String> {
        args.command_line()
            .or_else(|| Self::COMMAND.map(str::to_owned))
    }
    /// The call's own time limit, when the tool keeps one.
    fn time_limit(&self, _args: &Self::Args) -> Option<Duration> {
        None
    }
    /// The lines a person wants to see of the output at a terminal; none by default.
    fn render(_output: &Self::Output) -> Vec<String> {
        Vec::new()
    }
    /// What the call would change, for an approval request; none by default.
    fn preview(&self, _args: &Self::Args, _ctx: &ToolContext) -> Option<String> {
        None
    }
    /// Does the work.
    fn run(
        &self,
        args: Self::Args,
        ctx: ToolContext,
    ) -> impl Future<Output = ToolResult<Self::Output>> + Send;
}

/// A [`TypedTool`] as the registry's [`Tool`].
#[derive(Debug, Clone)]
pub struct Declared<T>(pub T);

/// `tool` ready for the registry.
pub fn declared<T: TypedTool>(tool: T) -> Arc<dyn Tool> {
    Arc::new(Declared(tool))
}

/// Reads already-validated arguments (a mismatch here is a bug in a schema).
pub fn parse_args<T: DeserializeOwned>(tool: &str, args: Value) -> Result<T, ToolError> {
    serde_json::from_value(args).map_err(|err| {
        ToolError::new(
            format!("Złe argumenty: {err}"),
            format!("dark8 tools describe {tool}"),
        )
    })
}

impl<T: TypedTool> Tool for Declared<T> {
    fn name(&self) -> &str {
        T::NAME
    }
    fn description_pl(&self) -> &str {
        T::DESCRIPTION_PL
    }
    fn description_en(&self) -> &str {
        T::DESCRIPTION_EN
    }
    fn risk(&self) -> RiskClass {
        T::RISK
    }
    fn schema(&self) -> Value {
        schema_of::<T::Args>()
    }
    fn output_schema(&self) -> Value {
        schema_of::<T::Output>()
    }
    fn prepare(&self, args: Value) -> Result<PreparedCall<'_>, ToolError> {
        let args: T::Args = parse_args(T::NAME, args)?;
        let tool = &self.0;
        let scope = CallScope {
            risks: tool.risks(&args),
            paths: tool.paths(&args),
            urls: tool.urls(&args),
            domains: tool.domains(&args),
            command_line: tool.command_line(&args),
            time_limit: tool.time_limit(&args),
        };
        Ok(PreparedCall::new(scope, move |ctx| {
            Box::pin(async move {
                let done = tool.run(args, ctx).await?;
                let data = serde_json::to_value(&done.data).map_err(|err| {
                    ToolError::new(
                        format!(
                            "Nie zapisano wyniku narzędzia {} jako JSON: {err}.",
                            T::NAME
                        ),
                        "To błąd DARK8: zgłoś go.",
                    )
                })?;
                Ok(ToolOutput {
                    summary: done.summary,
                    data,
                })
            })
        }))
    }
    fn preview(&self, args: &Value, ctx: &ToolContext) -> Option<String> {
        let args: T::Args = serde_json::from_value(args.clone()).ok()?;
        self.0.preview(&args, ctx)
    }
    fn render(&self, data: &Value) -> Vec<String> {
        serde_json::from_value::<T::Output>(data.clone())
            .map(|output| T::render(&output))
            .unwrap_or_default()
    }
    fn reads_web(&self) -> bool {
        T::READS_WEB
    }
    fn sends_forms(&self) -> bool {
        T::SENDS_FORMS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every marker on every field type it takes.
    #[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
    struct Marked {
        #[tool(path)]
        one: String,
        #[tool(path)]
        maybe: Option<String>,
        #[tool(path)]
        many: Vec<String>,
        #[tool(url)]
        link: Option<String>,
        #[tool(domain)]
        host: String,
        #[tool(command)]
        line: Option<String>,
        #[allow(dead_code)]
        plain: String,
    }

    fn marked(json: Value) -> Marked {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn markers_collect_the_non_empty_texts_of_their_fields() {
        let args = marked(serde_json::json!({
            "one": "a.txt", "maybe": "b.txt", "many": ["c", "", "d"],
            "link": "https://docs.rs/", "host": "db.firma.local", "line": "git status",
            "plain": "not judged",
        }));
        assert_eq!(args.paths(), ["a.txt", "b.txt", "c", "d"]);
        assert_eq!(args.urls(), ["https://docs.rs/"]);
        assert_eq!(args.domains(), ["db.firma.local"]);
        assert_eq!(args.command_line().as_deref(), Some("git status"));
        let bare = marked(serde_json::json!({"one": "", "many": [], "host": "h", "plain": ""}));
        assert!(bare.paths().is_empty());
        assert!(bare.urls().is_empty());
        assert_eq!(bare.command_line(), None);
    }

    /// A tool with a fixed command line and several risk classes.
    struct Fixed;

    impl TypedTool for Fixed {
        type Args = NoArgs;
        type Output = Value;
        const NAME: &'static str = "test_fixed";
        const DESCRIPTION_PL: &'static str = "Stałe polecenie";
        const DESCRIPTION_EN: &'static str = "A fixed command";
        const RISK: RiskClass = RiskClass::Execute;
        const RISKS: &'static [RiskClass] = &[RiskClass::Execute, RiskClass::Network];
        const COMMAND: Option<&'static str> = Some("git status");
        async fn run(&self, _args: NoArgs, _ctx: ToolContext) -> ToolResult<Value> {
            Ok(ToolOutput {
                summary: "ok".to_owned(),
                data: Value::Null,
            })
        }
    }

    #[test]
    fn the_declaration_gives_the_scope_and_both_schemas() {
        let tool = Declared(Fixed);
        let prepared = tool.prepare(serde_json::json!({})).unwrap();
        assert_eq!(
            prepared.scope.risks,
            [RiskClass::Execute, RiskClass::Network]
        );
        assert_eq!(prepared.scope.command_line.as_deref(), Some("git status"));
        assert!(prepared.scope.paths.is_empty());
        assert_eq!(tool.schema()["type"], "object");
        assert!(tool.output_schema().is_object());
        let wrong = tool.prepare(serde_json::json!({"x": 1})).unwrap_err();
        assert!(
            wrong.message.starts_with("Złe argumenty"),
            "{}",
            wrong.message
        );
        assert_eq!(
            wrong.hint.as_deref(),
            Some("dark8 tools describe test_fixed")
        );
    }
}
