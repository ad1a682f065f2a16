//! The browser tools with the real Chromium (Debian's `chromium`, which CI installs) against
//! a local HTTP server, through the real executor: text that exists only after JavaScript
//! ran, the Polish element list without password values, links and tables, a browser killed
//! with SIGKILL and started again, refused schemes and domains, and no browser left after
//! the session ends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

mod common;

use common::{browser_fixture, running_with};

use axum::response::Html;
use axum::routing::get;
use dark8_protocol::ToolStatus;
use dark8_tools::domains::DomainRule;
use dark8_tools::{Action, PolicyConfig};
use serde_json::json;

const HOME: &str = r#"<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Sklep Żółw</title></head>
<body><nav><a href="/">Start</a></nav><main><h1>Witaj w sklepie</h1>
<p id="js">ładowanie…</p>
<form action="/szukaj" method="post"><label for="q">Szukaj produktu</label><input id="q" name="q">
<label for="p">Hasło</label><input id="p" type="password" name="p" value="tajne-haslo-123"><button>Szukaj</button></form>
<p>Ogrody zoologiczne otwierają się o dziewiątej rano.</p>
<a href="/cennik">Cennik</a>
<table><tr><th>Produkt</th><th>Cena</th></tr><tr><td>Żółw</td><td>20 zł</td></tr></table>
<p hidden>Ukryty tekst, którego nie widać.</p>
</main>
<footer>Stopka strony</footer>
<script>setTimeout(() => { document.getElementById('js').textContent = 'Tekst dodany przez JavaScript: bilety kosztują 5 zł.'; }, 250);</script>
</body></html>"#;

/// Serves the shop page and its price list on a free loopback port.
async fn site() -> String {
    let app = axum::Router::new()
        .route("/", get(|| async { Html(HOME) }))
        .route(
            "/cennik",
            get(|| async { Html("<html><head><title>Cennik</title></head><body><h1>Cennik</h1><p>Żółw kosztuje 20 zł.</p></body></html>") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn a_page_is_observed_and_read_after_its_scripts_ran() {
    let url = site().await;
    let (t, session, _profile) = browser_fixture(PolicyConfig::default()).await;
    let opened = t
        .ok("browser_open", json!({ "url": format!("{url}/") }))
        .await;
    assert!(opened.summary.contains("Sklep Żółw"), "{}", opened.summary);
    let names: Vec<&str> = opened.output["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Szukaj"), "{names:?}");
    assert!(names.contains(&"Szukaj produktu"), "{names:?}");
    assert!(names.contains(&"Cennik"), "{names:?}");
    let everything = opened.output.to_string();
    assert!(!everything.contains("tajne-haslo-123"), "{everything}");
    assert!(everything.contains("\"password\":true"), "{everything}");
    let read = t
        .ok(
            "browser_read",
            json!({ "url": format!("{url}/"), "question": "Ile kosztują bilety?" }),
        )
        .await;
    let chunks = read.output["chunks"].to_string();
    assert!(chunks.contains("bilety kosztują 5 zł"), "{chunks}");
    assert!(!chunks.contains("Ukryty tekst"), "{chunks}");
    assert!(!chunks.contains("Stopka"), "{chunks}");
    let whole = t.ok("browser_read", json!({})).await;
    let markdown = whole.output["chunks"][0].as_str().unwrap();
    assert!(markdown.starts_with("# Witaj w sklepie"), "{markdown}");
    assert!(markdown.contains("| Żółw | 20 zł |"), "{markdown}");
    assert!(whole.summary.contains("W skrócie:"), "{}", whole.summary);
    let links = t.ok("browser_read", json!({ "what": "links" })).await;
    let hrefs = links.output["links"].to_string();
    assert!(hrefs.contains(&format!("{url}/cennik")), "{hrefs}");
    let tables = t.ok("browser_read", json!({ "what": "tables" })).await;
    assert_eq!(tables.output["tables"][0][1], json!(["Żółw", "20 zł"]));
    session.shutdown().await;
}

#[tokio::test]
async fn a_browser_killed_with_sigkill_is_started_again_and_none_is_left() {
    let url = site().await;
    let (t, session, profile) = browser_fixture(PolicyConfig::default()).await;
    t.ok("browser_open", json!({ "url": format!("{url}/") }))
        .await;
    let pid = session.pid().await.unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(pid).unwrap()),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    // setpriv exec()s the browser, so the pid is the browser itself.
    for _ in 0..50 {
        if !running_with(&profile.path().join("profile")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let again = t
        .ok("browser_open", json!({ "url": format!("{url}/cennik") }))
        .await;
    assert!(
        again.summary.contains("uruchomiono ją ponownie"),
        "{}",
        again.summary
    );
    assert_eq!(again.output["title"], "Cennik");
    session.shutdown().await;
    let mut gone = false;
    for _ in 0..50 {
        if !running_with(&profile.path().join("profile")) {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(gone, "a browser with the test profile is still running");
}

#[tokio::test]
async fn other_schemes_and_forbidden_domains_are_refused() {
    let policy = PolicyConfig {
        domains: vec![DomainRule {
            domain: "zly.example".into(),
            action: Action::Forbid,
            reason: "znany zły serwer".into(),
            examples: vec![],
        }],
        ..PolicyConfig::default()
    };
    let (t, session, _profile) = browser_fixture(policy).await;
    for url in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "chrome://settings",
    ] {
        let refused = t.call("browser_open", json!({ "url": url })).await;
        assert_ne!(refused.status, ToolStatus::Success, "{url}");
        assert!(
            refused.summary.contains("niedozwolony") || refused.summary.contains("Odmowa"),
            "{url}: {}",
            refused.summary
        );
    }
    let denied = t
        .call(
            "browser_open",
            json!({ "url": "https://sklep.zly.example/" }),
        )
        .await;
    assert_eq!(denied.status, ToolStatus::Denied);
    assert!(
        denied.summary.contains("znany zły serwer"),
        "{}",
        denied.summary
    );
    let nothing_open = t.call("browser_read", json!({})).await;
    assert_eq!(nothing_open.status, ToolStatus::Error);
    assert!(
        nothing_open.summary.contains("Żadna strona"),
        "{}",
        nothing_open.summary
    );
    session.shutdown().await;
}
