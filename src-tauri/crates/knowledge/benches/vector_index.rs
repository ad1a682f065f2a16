//! The embedded vector index at scale: N vectors of 384 dimensions (100,000 unless
//! DARK8_BENCH_VECTORS says otherwise) in 200 topics, like passages of a knowledge base about
//! a few hundred subjects. Prints the build time, the memory the graph takes, save and load
//! times, and top-10 query latency (p50/p99) with recall@10 against exact search for a few
//! search widths. Run: `cargo bench -p dark8-knowledge --bench vector_index`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic

use std::time::Instant;

use dark8_knowledge::index::{dot, Graph, IndexFiles, EF_SEARCH};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DIMENSION: usize = 384;
const TOPICS: usize = 200;
const QUERIES: usize = 500;

fn normal(rng: &mut ChaCha8Rng) -> f32 {
    let (u, v): (f32, f32) = (rng.random::<f32>().max(1e-12), rng.random());
    (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
}

fn normalized(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = dot(&vector, &vector).sqrt();
    vector.iter_mut().for_each(|x| *x /= norm);
    vector
}

fn resident_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let count: usize = std::env::var("DARK8_BENCH_VECTORS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let topics: Vec<Vec<f32>> = (0..TOPICS)
        .map(|_| normalized((0..DIMENSION).map(|_| normal(&mut rng)).collect()))
        .collect();
    let passage = |rng: &mut ChaCha8Rng| {
        let topic = &topics[rng.random_range(0..TOPICS)];
        normalized(topic.iter().map(|x| x + 0.06 * normal(rng)).collect())
    };
    let vectors: Vec<(i64, Vec<f32>)> = (1..=count as i64)
        .map(|id| (id, passage(&mut rng)))
        .collect();
    let queries: Vec<Vec<f32>> = (0..QUERIES).map(|_| passage(&mut rng)).collect();

    let before = resident_bytes();
    let started = Instant::now();
    let graph = Graph::build(DIMENSION, &vectors).expect("build");
    let build = started.elapsed();
    let graph_bytes = resident_bytes().saturating_sub(before);
    println!(
        "vectors {count} x {DIMENSION}: build {:.1} s ({:.0} vectors/s), graph resident {:.0} MiB ({:.0} MiB per 100k; the raw f32 vectors alone are {:.0} MiB)",
        build.as_secs_f64(),
        count as f64 / build.as_secs_f64(),
        graph_bytes as f64 / 1048576.0,
        graph_bytes as f64 / 1048576.0 * 100_000.0 / count as f64,
        (count * DIMENSION * 4) as f64 / 1048576.0,
    );

    let exact: Vec<Vec<i64>> = queries
        .iter()
        .map(|query| {
            let mut scored: Vec<(f32, i64)> =
                vectors.iter().map(|(id, v)| (dot(query, v), *id)).collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            scored[..10].iter().map(|(_, id)| *id).collect()
        })
        .collect();
    let started = Instant::now();
    for query in queries.iter().take(50) {
        let _ = dark8_knowledge::search::nearest(query, &vectors, 10);
    }
    println!(
        "exact search (every vector): {:.2} ms a query",
        started.elapsed().as_secs_f64() * 1000.0 / 50.0
    );

    let mut latencies = Vec::with_capacity(QUERIES);
    let mut hits = 0;
    for (query, truth) in queries.iter().zip(&exact) {
        let started = Instant::now();
        let found = graph.search(query, 10);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        hits += truth
            .iter()
            .filter(|id| found.iter().any(|s| s.id == **id))
            .count();
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "graph search, width {EF_SEARCH}: p50 {:.3} ms, p99 {:.3} ms, recall@10 {:.3}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        hits as f64 / (10 * QUERIES) as f64
    );

    let dir = tempfile::tempdir().expect("temp dir");
    let files = IndexFiles::new(dir.path().join("index"), "bench");
    let started = Instant::now();
    files.save(&graph, 1).expect("save");
    let save = started.elapsed();
    let size: u64 = walk_size(dir.path());
    let started = Instant::now();
    let loaded = files.load(DIMENSION).expect("load").expect("saved");
    println!(
        "save {:.2} s ({:.0} MiB on disk), load {:.2} s ({} rows)",
        save.as_secs_f64(),
        size as f64 / 1048576.0,
        started.elapsed().as_secs_f64(),
        loaded.graph.len()
    );
}

fn walk_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => walk_size(&entry.path()),
            _ => entry.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}
