//! Small declared tools for the executor's and the policy's suites and benchmarks: each does
//! next to nothing, so what is measured and asserted is the door around it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dark8_protocol::RiskClass;
use dark8_tools::{NoArgs, ToolArgs, ToolContext, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

/// Arguments of [`Echo`].
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct EchoArgs {
    text: String,
    #[serde(default)]
    token: Option<String>,
}

/// `test_echo {text, token?}`: reports `text` as progress and returns it (read risk).
#[derive(Debug, Clone, Copy, Default)]
pub struct Echo;

impl TypedTool for Echo {
    type Args = EchoArgs;
    type Output = Value;
    const NAME: &'static str = "test_echo";
    const DESCRIPTION_PL: &'static str = "Zwraca tekst";
    const DESCRIPTION_EN: &'static str = "Returns the text";
    const RISK: RiskClass = RiskClass::Read;
    async fn run(&self, args: EchoArgs, ctx: ToolContext) -> ToolResult<Value> {
        let _ = args.token;
        (ctx.progress)(format!("echo {}", args.text), Some(1.0));
        Ok(ToolOutput {
            summary: args.text.clone(),
            data: json!({"text": args.text}),
        })
    }
}

/// Arguments of [`FakeShell`].
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
pub struct CommandArgs {
    #[schemars(length(min = 1))]
    #[tool(command)]
    command: String,
}

/// `test_shell {command}`: pretends to run a shell line (execute risk); counts runs, never
/// starts a process.
#[derive(Debug, Clone, Default)]
pub struct FakeShell {
    /// How many times it ran.
    pub runs: Arc<AtomicUsize>,
}

impl TypedTool for FakeShell {
    type Args = CommandArgs;
    type Output = Value;
    const NAME: &'static str = "test_shell";
    const DESCRIPTION_PL: &'static str = "Udaje polecenie";
    const DESCRIPTION_EN: &'static str = "Pretends to run";
    const RISK: RiskClass = RiskClass::Execute;
    async fn run(&self, _args: CommandArgs, _ctx: ToolContext) -> ToolResult<Value> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        Ok(ToolOutput {
            summary: "uruchomiono".to_owned(),
            data: Value::Null,
        })
    }
}

/// `test_sleep {}`: waits until cancelled, then counts it.
#[derive(Debug, Clone, Default)]
pub struct Sleeper {
    /// How many times it was cancelled.
    pub cancelled: Arc<AtomicUsize>,
}

impl TypedTool for Sleeper {
    type Args = NoArgs;
    type Output = Value;
    const NAME: &'static str = "test_sleep";
    const DESCRIPTION_PL: &'static str = "Czeka";
    const DESCRIPTION_EN: &'static str = "Waits";
    const RISK: RiskClass = RiskClass::Read;
    async fn run(&self, _args: NoArgs, ctx: ToolContext) -> ToolResult<Value> {
        ctx.cancel.cancelled().await;
        self.cancelled.fetch_add(1, Ordering::SeqCst);
        Ok(ToolOutput {
            summary: String::new(),
            data: Value::Null,
        })
    }
}

/// Arguments of [`Fetch`].
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
pub struct FetchArgs {
    #[tool(url)]
    url: String,
}

/// `test_fetch {url}`: pretends to fetch (network risk); never touches the network.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fetch;

impl TypedTool for Fetch {
    type Args = FetchArgs;
    type Output = Value;
    const NAME: &'static str = "test_fetch";
    const DESCRIPTION_PL: &'static str = "Udaje pobieranie";
    const DESCRIPTION_EN: &'static str = "Pretends to fetch";
    const RISK: RiskClass = RiskClass::Network;
    async fn run(&self, args: FetchArgs, _ctx: ToolContext) -> ToolResult<Value> {
        Ok(ToolOutput {
            summary: "pobrano".into(),
            data: json!({"url": args.url}),
        })
    }
}

/// Arguments of [`Touch`].
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
pub struct TouchArgs {
    #[tool(path)]
    path: String,
}

/// `test_touch {path}`: writes "x" to `path` in the workspace (write risk).
#[derive(Debug, Clone, Copy, Default)]
pub struct Touch;

impl TypedTool for Touch {
    type Args = TouchArgs;
    type Output = Value;
    const NAME: &'static str = "test_touch";
    const DESCRIPTION_PL: &'static str = "Zapisuje plik";
    const DESCRIPTION_EN: &'static str = "Writes a file";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: TouchArgs, ctx: ToolContext) -> ToolResult<Value> {
        std::fs::write(ctx.workspace.join(&args.path), "x").unwrap();
        Ok(ToolOutput {
            summary: "zapisano".into(),
            data: Value::Null,
        })
    }
}

/// Arguments of [`Lookup`]: a host without a URL and a list of files.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
pub struct LookupArgs {
    #[tool(domain)]
    host: String,
    #[serde(default)]
    #[tool(path)]
    files: Vec<String>,
}

/// `test_lookup {host, files?}`: pretends to look a host up and read files (read risk).
#[derive(Debug, Clone, Copy, Default)]
pub struct Lookup;

impl TypedTool for Lookup {
    type Args = LookupArgs;
    type Output = Value;
    const NAME: &'static str = "test_lookup";
    const DESCRIPTION_PL: &'static str = "Udaje sprawdzenie hosta";
    const DESCRIPTION_EN: &'static str = "Pretends to look a host up";
    const RISK: RiskClass = RiskClass::Read;
    async fn run(&self, args: LookupArgs, _ctx: ToolContext) -> ToolResult<Value> {
        Ok(ToolOutput {
            summary: args.host,
            data: json!({"files": args.files}),
        })
    }
}
