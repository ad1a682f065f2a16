//! Executor overhead per call (schema validation + policy + audit + events) with a tool that
//! does nothing, on a real database file; and the policy's verdict for a shell line alone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use dark8_protocol::{RiskClass, ToolCall};
use dark8_store::Store;
use dark8_tools::{
    AutoApprove, Executor, Policy, PolicyConfig, Registry, ToolArgs, ToolContext, ToolOutput,
    ToolResult, TypedTool,
};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

#[derive(Deserialize, JsonSchema, ToolArgs)]
struct CommandArgs {
    #[tool(command)]
    command: String,
}

#[derive(Deserialize, JsonSchema, ToolArgs)]
struct ReadArgs {
    #[allow(dead_code)]
    command: String,
}

/// Does nothing, read risk.
struct NoopRead;

impl TypedTool for NoopRead {
    type Args = ReadArgs;
    type Output = Value;
    const NAME: &'static str = "bench_read";
    const DESCRIPTION_PL: &'static str = "Nic";
    const DESCRIPTION_EN: &'static str = "Nothing";
    const RISK: RiskClass = RiskClass::Read;
    async fn run(&self, _args: ReadArgs, _ctx: ToolContext) -> ToolResult<Value> {
        Ok(ToolOutput {
            summary: "ok".to_owned(),
            data: Value::Null,
        })
    }
}

/// Does nothing, execute risk, with a command line the policy judges.
struct NoopShell;

impl TypedTool for NoopShell {
    type Args = CommandArgs;
    type Output = Value;
    const NAME: &'static str = "bench_exec";
    const DESCRIPTION_PL: &'static str = "Nic";
    const DESCRIPTION_EN: &'static str = "Nothing";
    const RISK: RiskClass = RiskClass::Execute;
    async fn run(&self, _args: CommandArgs, _ctx: ToolContext) -> ToolResult<Value> {
        Ok(ToolOutput {
            summary: "ok".to_owned(),
            data: Value::Null,
        })
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = runtime
        .block_on(Store::open(&dir.path().join("bench.db")))
        .unwrap();
    let mut registry = Registry::new();
    registry.add(NoopRead).unwrap();
    registry.add(NoopShell).unwrap();
    let policy = Policy::load(&PolicyConfig::default()).unwrap();
    let executor = Executor::new(registry, policy.clone(), store, dir.path().to_path_buf())
        .with_approver(Arc::new(AutoApprove));
    let read = ToolCall {
        id: "b".into(),
        tool: "bench_read".into(),
        arguments: json!({"command": "x"}),
    };
    let exec = ToolCall {
        id: "b".into(),
        tool: "bench_exec".into(),
        arguments: json!({"command": "git status && cargo test --release"}),
    };
    c.bench_function("executor/read_call_with_audit", |b| {
        b.to_async(&runtime)
            .iter(|| executor.call(read.clone(), CancellationToken::new()))
    });
    c.bench_function("executor/shell_call_policy_approval_audit", |b| {
        b.to_async(&runtime)
            .iter(|| executor.call(exec.clone(), CancellationToken::new()))
    });
    c.bench_function("policy/check_command", |b| {
        b.iter(|| policy.check_command(black_box("echo ok; sudo rm -rf / && git status | grep x")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
