//! Audit-log insert throughput on a real database file: one row per transaction, and
//! batches of 100 rows per transaction.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dark8_protocol::ToolStatus;
use dark8_store::{NewAuditEntry, Store};
use serde_json::json;

fn entry(n: u64) -> NewAuditEntry {
    NewAuditEntry::new(
        "shell_run",
        json!({"command": "cargo build --release", "cwd": "/home/ola/projekt", "n": n}),
        "zakończono z kodem 0",
        ToolStatus::Success,
    )
}

fn audit_insert(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = runtime
        .block_on(Store::open(&dir.path().join("bench.db")))
        .unwrap();

    let mut group = c.benchmark_group("audit_insert");
    group.throughput(Throughput::Elements(1));
    group.bench_function("single_row", |b| {
        b.to_async(&runtime)
            .iter(|| async { store.audit().append(&entry(1)).await.unwrap() });
    });

    let batch: Vec<NewAuditEntry> = (0..100).map(entry).collect();
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("batch_of_100", |b| {
        b.to_async(&runtime).iter_batched(
            || batch.clone(),
            |rows| {
                let store = &store;
                async move { store.audit().append_batch(&rows).await.unwrap() }
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();

    let verify_rows = runtime.block_on(store.audit().count()).unwrap();
    group = c.benchmark_group("audit_verify");
    group.throughput(Throughput::Elements(verify_rows as u64));
    group.sample_size(10);
    group.bench_function("whole_chain", |b| {
        b.to_async(&runtime)
            .iter(|| async { store.audit().verify().await.unwrap() });
    });
    group.finish();
}

criterion_group!(benches, audit_insert);
criterion_main!(benches);
