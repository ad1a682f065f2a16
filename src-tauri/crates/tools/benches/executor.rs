//! Executor overhead per call (schema validation + policy + audit + events) with a tool that
//! does nothing, on a real database file; and the policy's verdict for a shell line alone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use dark8_protocol::{RiskClass, ToolCall};
use dark8_store::Store;
use dark8_tools::tool::ToolFuture;
use dark8_tools::{
    AutoApprove, Executor, Policy, PolicyConfig, Registry, Tool, ToolContext, ToolOutput,
};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

struct Noop(RiskClass, &'static str);

impl Tool for Noop {
    fn name(&self) -> &'static str {
        self.1
    }
    fn description_pl(&self) -> &'static str {
        "Nic"
    }
    fn description_en(&self) -> &'static str {
        "Nothing"
    }
    fn risk(&self) -> RiskClass {
        self.0
    }
    fn schema(&self) -> Value {
        json!({"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]})
    }
    fn command_line(&self, args: &Value) -> Option<String> {
        (self.0 == RiskClass::Execute)
            .then(|| args["command"].as_str().unwrap_or_default().to_owned())
    }
    fn run<'a>(&'a self, _args: Value, _ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async {
            Ok(ToolOutput {
                summary: "ok".to_owned(),
                data: Value::Null,
            })
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
    registry
        .register(Arc::new(Noop(RiskClass::Read, "bench_read")))
        .unwrap();
    registry
        .register(Arc::new(Noop(RiskClass::Execute, "bench_exec")))
        .unwrap();
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
