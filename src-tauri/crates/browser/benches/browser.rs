//! The browser with the real Chromium on a local page: opening a page and building its
//! observation, reading its main text, clicking with the change check, and (printed once) the
//! live view's frame rate and the browser's resident memory.
#![allow(clippy::unwrap_used, clippy::expect_used)] // benches may panic
#![allow(missing_docs)] // criterion generates undocumented items

use axum::response::Html;
use axum::routing::get;
use criterion::{criterion_group, criterion_main, Criterion};
use dark8_browser::{BrowserSettings, SearchConfig, Searcher, Session};
use dark8_protocol::ToolCall;
use dark8_tools::{AutoApprove, Executor, Policy, PolicyConfig, Registry};
use serde_json::json;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// A page of about 40 paragraphs, 30 links and a form.
fn page() -> String {
    let mut html = String::from("<!doctype html><html lang=\"pl\"><head><title>Dokumentacja</title></head><body><main><h1>Dokumentacja</h1><form><input name=\"q\" placeholder=\"Szukaj\"><button>Szukaj</button></form>");
    for i in 0..40 {
        html.push_str(&format!(
            "<h2>Rozdział {i}</h2><p>Akapit {i}: asynchroniczne zadania, kanały i liczniki czasu w środowisku uruchomieniowym.</p><a href=\"/r/{i}\">Więcej o rozdziale {i}</a>"
        ));
    }
    html.push_str("</main></body></html>");
    html
}

/// A page that changes every frame, for the live view's frame rate.
const ANIMATED: &str = r#"<!doctype html><html><head><title>Ruch</title></head><body>
<div id="box" style="position:absolute;width:80px;height:80px;background:#c33"></div>
<script>let t = 0; const step = () => { t += 1; document.getElementById('box').style.left = (t % 600) + 'px'; requestAnimationFrame(step); }; requestAnimationFrame(step);</script>
</body></html>"#;

/// Frames a second the live view publishes from an animated page, over `seconds`.
async fn live_view_fps(session: &Session, seconds: u64) -> f64 {
    let mut frames = session.frames();
    session.start_live_view().await.unwrap();
    let started = std::time::Instant::now();
    let mut count = 0u32;
    while started.elapsed() < std::time::Duration::from_secs(seconds) {
        if tokio::time::timeout(std::time::Duration::from_secs(1), frames.changed())
            .await
            .is_ok()
        {
            frames.borrow_and_update();
            count += 1;
        }
    }
    session.stop_live_view().await;
    f64::from(count) / started.elapsed().as_secs_f64()
}

/// The summed resident memory (KiB) of the processes whose command line names `needle`.
fn rss_kib(needle: &str) -> u64 {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("cmdline"))
                .map(|b| String::from_utf8_lossy(&b).contains(needle))
                .unwrap_or(false)
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("status")).ok())
        .filter_map(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let html = page();
    let url = runtime.block_on(async move {
        let app = axum::Router::new()
            .route("/", get(move || async move { Html(html) }))
            .route("/ruch", get(|| async { Html(ANIMATED) }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });
    let dir = tempfile::tempdir().unwrap();
    let settings = BrowserSettings::under(&dir.path().join("browser"));
    let profile = settings.profile.clone();
    let session = Session::new(settings);
    let store = runtime
        .block_on(dark8_store::Store::open(&dir.path().join("bench.db")))
        .unwrap();
    let policy = Policy::load(&PolicyConfig::default()).unwrap();
    let mut registry = Registry::new();
    for tool in dark8_browser::tools(
        session.clone(),
        policy.clone(),
        Searcher::new(SearchConfig::default()),
    ) {
        registry.register(tool).unwrap();
    }
    let executor = Executor::new(registry, policy, store, dir.path().to_path_buf())
        .with_approver(Arc::new(AutoApprove));
    let call = |tool: &str, arguments: serde_json::Value| ToolCall {
        id: "b".into(),
        tool: tool.into(),
        arguments,
    };
    let open = call("browser_open", json!({ "url": url }));
    let read = call("browser_read", json!({}));
    let first = runtime.block_on(executor.call(open.clone(), CancellationToken::new()));
    assert_eq!(
        first.status,
        dark8_protocol::ToolStatus::Success,
        "{}",
        first.summary
    );
    c.bench_function("browser/open_and_observe", |b| {
        b.to_async(&runtime)
            .iter(|| executor.call(open.clone(), CancellationToken::new()))
    });
    c.bench_function("browser/read_markdown", |b| {
        b.to_async(&runtime)
            .iter(|| executor.call(read.clone(), CancellationToken::new()))
    });
    let click = call("browser_click", json!({ "text": "Szukaj" }));
    c.bench_function("browser/click_and_observe", |b| {
        b.to_async(&runtime)
            .iter(|| executor.call(click.clone(), CancellationToken::new()))
    });
    let animated = call("browser_open", json!({ "url": format!("{url}ruch") }));
    runtime.block_on(executor.call(animated, CancellationToken::new()));
    println!(
        "live view: {:.1} frames/s from an animated page",
        runtime.block_on(live_view_fps(&session, 3))
    );
    println!(
        "browser RSS (all Chromium processes of the profile): {} MiB",
        rss_kib(&profile.display().to_string()) / 1024
    );
    runtime.block_on(session.shutdown());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
