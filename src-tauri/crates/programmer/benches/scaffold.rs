//! Scaffold time per template without dependency installation: rendering every file of the
//! template into a fresh directory (the part of `project_create` before git).
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use criterion::{criterion_group, criterion_main, Criterion};
use dark8_programmer::{create, template};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("scaffold");
    for name in template::names() {
        let manifest = template::manifest(&name).unwrap();
        let vars = create::variables(&manifest, "Sklep Internetowy", "produkt").unwrap();
        group.bench_function(&name, |b| {
            b.iter_with_setup(
                || tempfile::tempdir().unwrap(),
                |dir| template::render(&name, &vars, &dir.path().join("p")).unwrap(),
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
