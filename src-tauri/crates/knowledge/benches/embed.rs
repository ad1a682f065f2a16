//! Embedding throughput of the embedded e5 model on this machine's cores (texts/s), when the
//! model file is present (`DARK8_E5_MODEL` or `~/.cache/dark8-e5/e5-small-q4.bin`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dark8_knowledge::{E5Embedder, Role};

fn model_path() -> Option<PathBuf> {
    std::env::var_os("DARK8_E5_MODEL")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/dark8-e5/e5-small-q4.bin"))
        })
        .filter(|p| p.is_file())
}

fn bench(c: &mut Criterion) {
    let Some(path) = model_path() else {
        eprintln!("no e5 model file: nothing to measure");
        return;
    };
    let model = E5Embedder::load(&path).unwrap();
    let texts: Vec<String> = (0..32)
        .map(|i| format!("Notatka {i}: serwer produkcyjny PostgreSQL działa pod adresem db.firma.local, kopia zapasowa co noc o drugiej."))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let mut group = c.benchmark_group("e5");
    group.sample_size(10);
    group.throughput(Throughput::Elements(refs.len() as u64));
    group.bench_function("passages_32", |b| {
        b.iter(|| model.embed_batch(black_box(&refs), Role::Passage).unwrap())
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_query", |b| {
        b.iter(|| {
            model
                .embed(black_box("gdzie jest baza produkcyjna"), Role::Query)
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
