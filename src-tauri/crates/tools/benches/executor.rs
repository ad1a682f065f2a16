//! Executor overhead per call (schema validation + reading the arguments + policy + audit +
//! events) with a tool that does next to nothing, on a real database file; and the policy's
//! verdict for a shell line alone.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use dark8_protocol::ToolCall;
use dark8_store::Store;
use dark8_test_support::probes::{Echo, FakeShell};
use dark8_tools::{AutoApprove, Executor, Policy, PolicyConfig, Registry};
use serde_json::json;
use tokio_util::sync::CancellationToken;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = runtime
        .block_on(Store::open(&dir.path().join("bench.db")))
        .unwrap();
    let mut registry = Registry::new();
    registry.add(Echo).unwrap();
    registry.add(FakeShell::default()).unwrap();
    let policy = Policy::load(&PolicyConfig::default()).unwrap();
    let executor = Executor::new(registry, policy.clone(), store, dir.path().to_path_buf())
        .with_approver(Arc::new(AutoApprove));
    let read = ToolCall {
        id: "b".into(),
        tool: "test_echo".into(),
        arguments: json!({"text": "x"}),
    };
    let exec = ToolCall {
        id: "b".into(),
        tool: "test_shell".into(),
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
