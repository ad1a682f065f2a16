//! Web search: DuckDuckGo's HTML endpoint (POST, Polish region, a stable User-Agent) or a
//! SearXNG instance's JSON API when one is configured. Results are parsed with scraper
//! (title, the real URL decoded from DuckDuckGo's `uddg` redirect, snippet; ads skipped),
//! cached for a while, and live requests to DuckDuckGo are spaced out. A CAPTCHA page, the
//! "202" rate-limit answer, SearXNG's 403 without JSON and a dead network each get their own
//! Polish message.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use schemars::JsonSchema;
use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

/// Where and how to search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// DuckDuckGo's HTML endpoint.
    pub duckduckgo_url: String,
    /// A SearXNG instance (its base URL); used instead of DuckDuckGo when set.
    pub searxng_url: Option<String>,
    /// Least time between two live DuckDuckGo requests, in milliseconds.
    pub min_interval_ms: u64,
    /// How long a result list is reused, in seconds.
    pub cache_s: u64,
}

impl Default for SearchConfig {
    fn default() -> SearchConfig {
        SearchConfig {
            duckduckgo_url: "https://html.duckduckgo.com/html/".to_owned(),
            searxng_url: None,
            min_interval_ms: 3000,
            cache_s: 900,
        }
    }
}

impl SearchConfig {
    /// The endpoint a search reaches (for the policy's domain rules).
    pub fn endpoint(&self) -> String {
        match &self.searxng_url {
            Some(base) => format!("{}/search", base.trim_end_matches('/')),
            None => self.duckduckgo_url.clone(),
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SearchHit {
    /// The page's title.
    pub title: String,
    /// Its address.
    pub url: String,
    /// What the engine quotes from it.
    pub snippet: String,
}

/// Why a search gave no results.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The engine asked for a CAPTCHA.
    #[error("DuckDuckGo poprosił o rozwiązanie CAPTCHA (uznał zapytania za ruch automatyczny)")]
    Captcha,
    /// The engine limits the request rate.
    #[error("DuckDuckGo ogranicza teraz liczbę zapytań (HTTP 202)")]
    RateLimited,
    /// SearXNG has the JSON format switched off.
    #[error("SearXNG odrzucił zapytanie w formacie JSON (HTTP 403)")]
    JsonDisabled,
    /// The engine could not be reached.
    #[error("nie połączono z wyszukiwarką {url}: {detail}")]
    Offline {
        /// The endpoint.
        url: String,
        /// Why.
        detail: String,
    },
    /// The engine answered with an error or something unreadable.
    #[error("wyszukiwarka odpowiedziała błędem: {0}")]
    Engine(String),
}

impl SearchError {
    /// What to do about it, in Polish.
    pub fn hint(&self) -> &'static str {
        match self {
            SearchError::Captcha | SearchError::RateLimited => {
                "Spróbuj za kilka minut albo ustaw własną wyszukiwarkę SearXNG: [search] searxng_url."
            }
            SearchError::JsonDisabled => {
                "Włącz format json w ustawieniach SearXNG (search.formats w settings.yml)."
            }
            SearchError::Offline { .. } => {
                "Sprawdź połączenie z internetem (albo adres w [search])."
            }
            SearchError::Engine(_) => "Spróbuj ponownie za chwilę.",
        }
    }
}

/// The real address behind a DuckDuckGo result link (`//duckduckgo.com/l/?uddg=…`), or the
/// link itself when it is not a redirect.
pub fn decode_redirect(href: &str) -> String {
    let absolute = if href.starts_with("//") {
        format!("https:{href}")
    } else if href.starts_with('/') {
        format!("https://duckduckgo.com{href}")
    } else {
        href.to_owned()
    };
    url::Url::parse(&absolute)
        .ok()
        .filter(|u| u.path() == "/l/")
        .and_then(|u| {
            u.query_pairs()
                .find(|(key, _)| key == "uddg")
                .map(|(_, value)| value.into_owned())
        })
        .unwrap_or(absolute)
}

fn selector(css: &str) -> Result<Selector, SearchError> {
    Selector::parse(css).map_err(|e| SearchError::Engine(format!("selektor {css}: {e}")))
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The results of a DuckDuckGo HTML page (at most `limit`), or why there are none to read.
pub fn parse_duckduckgo(html: &str, limit: usize) -> Result<Vec<SearchHit>, SearchError> {
    let page = Html::parse_document(html);
    let captcha = selector("form#challenge-form, .anomaly-modal, form[action*=\"anomaly\"]")?;
    if page.select(&captcha).next().is_some() || html.contains("bots use DuckDuckGo too") {
        return Err(SearchError::Captcha);
    }
    let result = selector("div.result")?;
    let title = selector("a.result__a")?;
    let snippet = selector(".result__snippet")?;
    let mut hits = Vec::new();
    for item in page.select(&result) {
        let classes: Vec<&str> = item.value().classes().collect();
        if classes
            .iter()
            .any(|c| *c == "result--ad" || *c == "result--no-result")
        {
            continue;
        }
        let Some(link) = item.select(&title).next() else {
            continue;
        };
        let Some(href) = link.value().attr("href") else {
            continue;
        };
        let url = decode_redirect(href);
        if url.contains("duckduckgo.com/y.js") {
            continue; // an ad's click tracker that slipped through
        }
        hits.push(SearchHit {
            title: text_of(link),
            url,
            snippet: item
                .select(&snippet)
                .next()
                .map(text_of)
                .unwrap_or_default(),
        });
        if hits.len() == limit {
            break;
        }
    }
    Ok(hits)
}

/// The results of a SearXNG JSON answer (at most `limit`).
pub fn parse_searxng(json: &serde_json::Value, limit: usize) -> Vec<SearchHit> {
    json["results"]
        .as_array()
        .map(|results| {
            results
                .iter()
                .filter_map(|r| {
                    Some(SearchHit {
                        title: r["title"].as_str()?.to_owned(),
                        url: r["url"].as_str()?.to_owned(),
                        snippet: r["content"].as_str().unwrap_or_default().to_owned(),
                    })
                })
                .take(limit)
                .collect()
        })
        .unwrap_or_default()
}

/// A cached result list.
#[derive(Clone)]
struct Cached {
    at: Instant,
    hits: Vec<SearchHit>,
}

/// Searches with caching and spacing; cheap to clone (clones share both).
#[derive(Clone)]
pub struct Searcher {
    config: SearchConfig,
    client: reqwest::Client,
    cache: Arc<Mutex<HashMap<(String, usize), Cached>>>,
    last_request: Arc<Mutex<Option<Instant>>>,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Most result lists kept.
const CACHE_ENTRIES: usize = 100;

impl Searcher {
    /// A searcher for `config`.
    pub fn new(config: SearchConfig) -> Searcher {
        let client = reqwest::Client::builder()
            .user_agent(concat!(
                "Mozilla/5.0 (X11; Linux x86_64) DARK8/",
                env!("CARGO_PKG_VERSION")
            ))
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Searcher {
            config,
            client,
            cache: Arc::new(Mutex::new(HashMap::new())),
            last_request: Arc::new(Mutex::new(None)),
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &SearchConfig {
        &self.config
    }

    /// At most `limit` results for `query`, and whether they came from the cache.
    pub async fn search(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<(Vec<SearchHit>, bool), SearchError> {
        let key = (query.trim().to_lowercase(), limit);
        let ttl = Duration::from_secs(self.config.cache_s);
        if let Some(cached) = self.cache.lock().await.get(&key) {
            if cached.at.elapsed() < ttl {
                return Ok((cached.hits.clone(), true));
            }
        }
        let hits = match &self.config.searxng_url {
            Some(base) => self.searxng(base, query, limit).await?,
            None => self.duckduckgo(query, limit).await?,
        };
        let mut cache = self.cache.lock().await;
        if cache.len() >= CACHE_ENTRIES {
            cache.retain(|_, c| c.at.elapsed() < ttl);
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
        }
        cache.insert(
            key,
            Cached {
                at: Instant::now(),
                hits: hits.clone(),
            },
        );
        Ok((hits, false))
    }

    fn offline(&self, url: &str, err: reqwest::Error) -> SearchError {
        SearchError::Offline {
            url: url.to_owned(),
            detail: if err.is_timeout() {
                "brak odpowiedzi w 10 s".to_owned()
            } else if err.is_connect() {
                "nie można nawiązać połączenia (brak sieci albo serwer nie działa)".to_owned()
            } else {
                err.without_url().to_string()
            },
        }
    }

    /// Waits until the last live request is at least `min_interval_ms` old.
    async fn space_out(&self) {
        let mut last = self.last_request.lock().await;
        let interval = Duration::from_millis(self.config.min_interval_ms);
        if let Some(at) = *last {
            let waited = at.elapsed();
            if waited < interval {
                tokio::time::sleep(interval - waited).await;
            }
        }
        *last = Some(Instant::now());
    }

    async fn duckduckgo(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, SearchError> {
        self.space_out().await;
        let url = &self.config.duckduckgo_url;
        let response = self
            .client
            .post(url)
            .form(&[("q", query), ("kl", "pl-pl"), ("b", "")])
            .send()
            .await
            .map_err(|e| self.offline(url, e))?;
        match response.status().as_u16() {
            200 => {}
            202 => return Err(SearchError::RateLimited),
            status => return Err(SearchError::Engine(format!("HTTP {status}"))),
        }
        let html = response.text().await.map_err(|e| self.offline(url, e))?;
        parse_duckduckgo(&html, limit)
    }

    async fn searxng(
        &self,
        base: &str,
        query: &str,
        limit: usize,
    ) -> Result<Vec<SearchHit>, SearchError> {
        let url = format!("{}/search", base.trim_end_matches('/'));
        let response = self
            .client
            .get(&url)
            .query(&[("q", query), ("format", "json"), ("language", "pl")])
            .send()
            .await
            .map_err(|e| self.offline(&url, e))?;
        match response.status().as_u16() {
            200 => {}
            403 => return Err(SearchError::JsonDisabled),
            429 => return Err(SearchError::Engine("HTTP 429: za dużo zapytań".to_owned())),
            status => return Err(SearchError::Engine(format!("HTTP {status}"))),
        }
        let json: serde_json::Value = response
            .json()
            .await
            .map_err(|e| SearchError::Engine(format!("nieczytelna odpowiedź JSON: {e}")))?;
        Ok(parse_searxng(&json, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_are_decoded() {
        assert_eq!(
            decode_redirect(
                "//duckduckgo.com/l/?uddg=https%3A%2F%2Fdocs.rs%2Ftokio%3Fa%3D1&rut=abc"
            ),
            "https://docs.rs/tokio?a=1"
        );
        assert_eq!(decode_redirect("https://tokio.rs/"), "https://tokio.rs/");
    }
}
