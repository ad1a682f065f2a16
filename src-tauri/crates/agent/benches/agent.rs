//! Agent overhead without a language model, on a real database file and real files:
//! time from a command to its plan (first event after understanding), one whole one-step
//! command (understand, plan, executor with policy and audit, conversation row with its
//! memory index), and a two-step compound command. With `--features embedded-llm` and
//! DARK8_TEST_MODEL set: one agent step on the embedded 0.5B model, warm.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // benches may panic

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/common/mod.rs"]
mod common;
use dark8_agent::memory::Memory;
use dark8_agent::Agent;
use dark8_nlp::Engine;
use dark8_protocol::Event;
use tokio_util::sync::CancellationToken;

struct Setup {
    agent: Agent,
    plan_at: Arc<Mutex<Option<Instant>>>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

async fn setup() -> Setup {
    let (executor, workspace, data, store) = common::executor().await;
    std::fs::write(workspace.path().join("a.txt"), "ala ma kota\n").unwrap();
    let plan_at = Arc::new(Mutex::new(None));
    let seen = plan_at.clone();
    let agent = Agent::new(
        Arc::new(Engine::embedded().unwrap()),
        executor,
        Memory::new(store).unwrap(),
        Arc::new(move |event| {
            if matches!(event, Event::PlanReady { .. }) {
                *seen.lock().unwrap() = Some(Instant::now());
            }
        }),
    );
    Setup {
        agent,
        plan_at,
        _dirs: (workspace, data),
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let setup = runtime.block_on(setup());
    let mut group = c.benchmark_group("agent");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("command_to_plan_event", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let started = Instant::now();
                runtime.block_on(
                    setup
                        .agent
                        .handle("Pokaż plik a.txt", CancellationToken::new()),
                );
                let planned = setup.plan_at.lock().unwrap().take().unwrap();
                total += planned - started;
            }
            total
        });
    });
    group.bench_function("one_step_command", |b| {
        b.iter(|| {
            runtime.block_on(
                setup
                    .agent
                    .handle("Pokaż plik a.txt", CancellationToken::new()),
            )
        });
    });
    group.bench_function("two_step_compound_command", |b| {
        b.iter(|| {
            runtime.block_on(setup.agent.handle(
                "Pokaż plik a.txt i znajdź w plikach słowo kota",
                CancellationToken::new(),
            ))
        });
    });
    group.finish();
    #[cfg(feature = "embedded-llm")]
    embedded_step(c, &runtime, &setup);
}

/// One model step (prompt, constrained generation, the tool call) on the embedded model.
#[cfg(feature = "embedded-llm")]
fn embedded_step(c: &mut Criterion, runtime: &tokio::runtime::Runtime, setup: &Setup) {
    use dark8_agent::llm::embedded::Embedded;
    use dark8_agent::llm::{run_loop, LoopSettings};
    let Some(path) = std::env::var_os("DARK8_TEST_MODEL") else {
        eprintln!("DARK8_TEST_MODEL not set: no embedded-model bench");
        return;
    };
    let brain = Embedded::new(std::path::Path::new(&path), 4096);
    brain.load().unwrap();
    let settings = LoopSettings {
        max_steps: 1,
        answer_first: false,
        ..LoopSettings::default()
    };
    let emit: dark8_agent::Emit = Arc::new(|_| {});
    let mut group = c.benchmark_group("embedded");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(90));
    group.bench_function("one_agent_step_qwen_0_5b", |b| {
        b.iter(|| {
            runtime.block_on(run_loop(
                &brain,
                setup.agent.executor(),
                "Jaka wersja Pythona jest zainstalowana?",
                &settings,
                dark8_agent::Lang::Pl,
                &emit,
                &CancellationToken::new(),
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
