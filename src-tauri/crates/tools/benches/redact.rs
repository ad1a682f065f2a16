//! Redaction cost per 64 KiB of program output: token patterns only, plus ten known plaintext
//! secrets, plus ten keyed fingerprints of different lengths (a locked vault).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dark8_tools::redact::FingerprintKey;
use dark8_tools::Redactor;
use zeroize::Zeroizing;

fn secrets() -> Vec<String> {
    (0..10)
        .map(|i| format!("kanarek-{i}-{}", "x7Qz".repeat(i + 3)))
        .collect()
}

fn bench(c: &mut Criterion) {
    let line = "cargo build: Compiling dark8-tools v0.1.0 (/home/ola/sklep) warning: unused\n";
    let text = line.repeat(64 * 1024 / line.len());
    let mut group = c.benchmark_group("redact");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let patterns = Redactor::default();
    group.bench_function("patterns_64k", |b| {
        b.iter(|| patterns.text(black_box(&text)))
    });
    let plain = Redactor::new(secrets());
    group.bench_function("ten_plaintext_secrets_64k", |b| {
        b.iter(|| plain.text(black_box(&text)))
    });
    let locked = Redactor::default();
    let key = FingerprintKey::new(Zeroizing::new([9u8; 32]));
    locked.add_fingerprints(&key, secrets().iter().map(|s| key.fingerprint(s)));
    assert_eq!(
        locked.text(&format!("a {} b", secrets()[3])),
        "a [UKRYTE] b"
    );
    group.bench_function("ten_fingerprints_64k", |b| {
        b.iter(|| locked.text(black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
