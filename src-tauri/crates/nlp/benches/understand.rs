//! Speed of the engine: `understand()` per command (p50 and p99 over the held-out split, plus
//! criterion's estimate) and the time to load the embedded lexicon and model.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use dark8_nlp::{eval, Engine};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// Times every held-out command separately and prints p50 / p99.
fn print_percentiles(engine: &Engine) {
    let texts: Vec<String> = eval::heldout()
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect();
    for text in &texts {
        black_box(engine.understand(text)); // warm-up
    }
    let mut times = Vec::with_capacity(texts.len() * 3);
    for _ in 0..3 {
        for text in &texts {
            let start = Instant::now();
            black_box(engine.understand(black_box(text)));
            times.push(start.elapsed());
        }
    }
    times.sort();
    let mut loads: Vec<Duration> = (0..20)
        .map(|_| {
            let start = Instant::now();
            black_box(Engine::embedded().unwrap());
            start.elapsed()
        })
        .collect();
    loads.sort();
    println!(
        "understand(): {} calls, p50 {:?}, p99 {:?}, max {:?}; engine load: median {:?}",
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.99),
        times[times.len() - 1],
        percentile(&loads, 0.5),
    );
}

fn bench(c: &mut Criterion) {
    let engine = Engine::embedded().unwrap();
    print_percentiles(&engine);
    c.bench_function("understand/contract_command", |b| {
        b.iter(|| engine.understand(black_box("Zbuduj aplikację todo w Django o nazwie sklep")))
    });
    c.bench_function("understand/question", |b| {
        b.iter(|| engine.understand(black_box("Ile mam wolnego miejsca na dysku?")))
    });
    c.bench_function("engine/load_embedded", |b| {
        b.iter(|| Engine::embedded().unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
