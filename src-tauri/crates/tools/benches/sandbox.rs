//! What the sandbox costs per program run: `true` spawned plainly versus confined (Landlock
//! rules built from the secret-store carve-outs, seccomp, rlimits, cgroup as root).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use dark8_tools::sandbox::{self, SandboxSpec, Stream};
use tokio_util::sync::CancellationToken;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let spec = SandboxSpec::new("true", Vec::new(), workspace.path());
    let mut group = c.benchmark_group("sandbox");
    group.sample_size(30);
    group.bench_function("plain_spawn_true", |b| {
        b.to_async(&runtime)
            .iter(|| async { tokio::process::Command::new("true").status().await.unwrap() })
    });
    group.bench_function("sandboxed_run_true", |b| {
        b.to_async(&runtime).iter(|| async {
            sandbox::run(
                &spec,
                Arc::new(|_: Stream, _: &str| {}),
                CancellationToken::new(),
            )
            .await
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
