//! Web search against local servers that answer like DuckDuckGo's HTML endpoint and a
//! SearXNG instance (pages built here from their documented structure): results with the
//! real address decoded from the redirect, ads skipped, the cache, an empty result page, the
//! CAPTCHA page, the "202" rate-limit answer, SearXNG's JSON and its 403, and no network.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use dark8_browser::search::{parse_duckduckgo, SearchError};
use dark8_browser::{SearchConfig, Searcher};

/// One organic result the way DuckDuckGo's HTML page marks it up.
fn result(title: &str, target: &str, snippet: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
    format!(
        r#"<div class="result results_links results_links_deep web-result">
  <div class="links_main links_deep result__body">
    <h2 class="result__title"><a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg={encoded}&amp;rut=abc">{title}</a></h2>
    <div class="result__extras"><div class="result__extras__url"><a class="result__url" href="//duckduckgo.com/l/?uddg={encoded}">{target}</a></div></div>
    <a class="result__snippet" href="//duckduckgo.com/l/?uddg={encoded}">{snippet}</a>
  </div>
</div>"#
    )
}

fn results_page() -> String {
    let ad = r#"<div class="result results_links results_links_deep result--ad">
  <div class="links_main links_deep result__body"><h2 class="result__title">
  <a class="result__a" href="https://duckduckgo.com/y.js?ad_provider=x&amp;u3=https%3A%2F%2Freklama.example">Kup teraz</a></h2>
  <a class="result__snippet">Reklama</a></div></div>"#;
    format!(
        r#"<html><body><div class="serp__results"><div id="links" class="results">{ad}{}{}</div></div></body></html>"#,
        result(
            "tokio - Rust",
            "https://docs.rs/tokio/latest/tokio/",
            "A runtime for writing <b>reliable</b> network applications"
        ),
        result(
            "Tokio",
            "https://tokio.rs/?ref=ddg&x=1",
            "Build reliable network applications"
        )
    )
}

const EMPTY: &str = r#"<html><body><div class="serp__results"><div id="links" class="results">
<div class="result results_links results_links_deep result--no-result"><div class="no-results">No results.</div></div>
</div></div></body></html>"#;

const CAPTCHA: &str = r#"<html><body><div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
<form id="challenge-form" action="//duckduckgo.com/anomaly.js" method="POST"><input type="hidden" name="cc" value="x"></form></body></html>"#;

/// A DuckDuckGo-shaped server: the query decides the answer.
async fn duckduckgo() -> String {
    let app = axum::Router::new().route(
        "/html/",
        post(|body: String| async move {
            let query = url::form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "q")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            assert!(body.contains("kl=pl-pl"), "{body}");
            match query.as_str() {
                "captcha" => Html(CAPTCHA.to_owned()).into_response(),
                "limit" => (StatusCode::ACCEPTED, Html(String::new())).into_response(),
                "pusto" => Html(EMPTY.to_owned()).into_response(),
                _ => Html(results_page()).into_response(),
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/html/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

fn searcher(duckduckgo_url: String) -> Searcher {
    Searcher::new(SearchConfig {
        duckduckgo_url,
        min_interval_ms: 0,
        ..SearchConfig::default()
    })
}

#[tokio::test]
async fn duckduckgo_results_are_decoded_ads_skipped_and_cached() {
    let search = searcher(duckduckgo().await);
    let (hits, cached) = search.search("dokumentacja tokio", 8).await.unwrap();
    assert!(!cached);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0].title, "tokio - Rust");
    assert_eq!(hits[0].url, "https://docs.rs/tokio/latest/tokio/");
    assert_eq!(
        hits[0].snippet,
        "A runtime for writing reliable network applications"
    );
    assert_eq!(hits[1].url, "https://tokio.rs/?ref=ddg&x=1");
    let (again, cached) = search.search("Dokumentacja tokio ", 8).await.unwrap();
    assert!(cached);
    assert_eq!(again, hits);
    let (one, _) = search.search("dokumentacja tokio", 1).await.unwrap();
    assert_eq!(one.len(), 1);
}

#[tokio::test]
async fn empty_captcha_and_rate_limited_answers_are_told_apart() {
    let search = searcher(duckduckgo().await);
    let (none, _) = search.search("pusto", 8).await.unwrap();
    assert!(none.is_empty());
    let captcha = search.search("captcha", 8).await.unwrap_err();
    assert_eq!(captcha, SearchError::Captcha);
    assert!(captcha.to_string().contains("CAPTCHA"));
    assert!(captcha.hint().contains("searxng_url"));
    let limited = search.search("limit", 8).await.unwrap_err();
    assert_eq!(limited, SearchError::RateLimited);
    assert!(limited.to_string().contains("HTTP 202"));
    let offline = searcher("http://127.0.0.1:9/html/".to_owned())
        .search("cokolwiek", 8)
        .await
        .unwrap_err();
    assert!(
        matches!(offline, SearchError::Offline { .. }),
        "{offline:?}"
    );
    assert!(offline.hint().contains("połączenie"));
    assert_eq!(parse_duckduckgo(CAPTCHA, 5), Err(SearchError::Captcha));
}

#[tokio::test]
async fn searxng_json_and_its_403_without_json() {
    let app = axum::Router::new()
        .route(
            "/search",
            get(|q: axum::extract::Query<std::collections::HashMap<String, String>>| async move {
                assert_eq!(q.get("format").map(String::as_str), Some("json"));
                axum::Json(serde_json::json!({"results": [
                    {"title": "Tokio", "url": "https://tokio.rs/", "content": "Asynchroniczny Rust"},
                    {"title": "bez adresu"}
                ]}))
            }),
        )
        .route("/zamkniety/search", get(|| async { StatusCode::FORBIDDEN }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let searxng = Searcher::new(SearchConfig {
        searxng_url: Some(base.clone()),
        ..SearchConfig::default()
    });
    let (hits, _) = searxng.search("tokio", 8).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].snippet, "Asynchroniczny Rust");
    let closed = Searcher::new(SearchConfig {
        searxng_url: Some(format!("{base}/zamkniety")),
        ..SearchConfig::default()
    });
    let err = closed.search("tokio", 8).await.unwrap_err();
    assert_eq!(err, SearchError::JsonDisabled);
    assert!(err.hint().contains("json"));
}
