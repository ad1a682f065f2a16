//! Opening an address in the session's page and reading it back: only http(s), every hop
//! judged by the session's guard (a redirect to a forbidden or private host leaves a blank
//! page and an error), the page given time to finish its scripts.

use std::time::Duration;

use chromiumoxide::Page;
use serde::de::DeserializeOwned;

use crate::error::BrowserError;
use crate::guard::Guard;
use crate::observe::{self, Observation};
use crate::text::{self, PageContent};

/// Longest wait for a page's scripts to settle after its load event.
const SETTLE_LIMIT: Duration = Duration::from_secs(3);

/// Refuses what is not an http(s) address (`file:`, `chrome:`, `javascript:`, `data:` …).
pub fn check_scheme(url: &str) -> Result<url::Url, BrowserError> {
    let parsed = url::Url::parse(url).map_err(|e| BrowserError::Refused {
        url: url.to_owned(),
        reason: format!("to nie jest poprawny adres ({e})"),
    })?;
    match parsed.scheme() {
        "http" | "https" => Ok(parsed),
        other => Err(BrowserError::Refused {
            url: url.to_owned(),
            reason: format!("schemat {other}: jest niedozwolony (tylko http i https)"),
        }),
    }
}

/// Loads `url` (an address the user gave: its host may be local) into `page` and waits until
/// its content stops changing. Every hop of the way (redirects, script navigations) is judged
/// by `guard`; the first one it refused leaves a blank page and an error.
pub async fn open(page: &Page, guard: &Guard, url: &str) -> Result<(), BrowserError> {
    let parsed = check_scheme(url)?;
    guard.allow_typed(&parsed);
    guard.take_refusals();
    let loaded = page.goto(url).await;
    refused_on_the_way(page, guard).await?;
    loaded.map_err(|e| BrowserError::Navigation {
        url: url.to_owned(),
        detail: e.to_string(),
    })?;
    settled(page).await;
    refused_on_the_way(page, guard).await
}

/// The first navigation `guard` refused since it was last asked, as an error (the page is
/// left blank).
pub async fn refused_on_the_way(page: &Page, guard: &Guard) -> Result<(), BrowserError> {
    match guard.take_refusals().into_iter().next() {
        Some(refusal) => {
            let _ = page.goto("about:blank").await;
            Err(BrowserError::Refused {
                url: refusal.url,
                reason: refusal.reason,
            })
        }
        None => Ok(()),
    }
}

/// The script that resolves once the document is complete and its DOM has been quiet for
/// 300 ms (or after three seconds at most): content that scripts add after the load event is
/// there when the page is read.
const SETTLE_SCRIPT: &str = r#"() => new Promise((resolve) => {
  const limit = setTimeout(() => resolve(false), 3000);
  const watch = () => {
    let quiet;
    const done = () => { observer.disconnect(); clearTimeout(limit); resolve(true); };
    const observer = new MutationObserver(() => { clearTimeout(quiet); quiet = setTimeout(done, 300); });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
    quiet = setTimeout(done, 300);
  };
  if (document.readyState === 'complete') watch();
  else window.addEventListener('load', watch, { once: true });
})"#;

/// Waits until the page's scripts settled; false when the wait failed (the document was
/// replaced by a navigation meanwhile) or took too long.
pub async fn settled(page: &Page) -> bool {
    let wait = page.evaluate(SETTLE_SCRIPT);
    matches!(
        tokio::time::timeout(SETTLE_LIMIT + Duration::from_secs(1), wait).await,
        Ok(Ok(_))
    )
}

/// Runs `script` in the page and reads its result as `T`.
pub async fn evaluate<T: DeserializeOwned>(page: &Page, script: &str) -> Result<T, BrowserError> {
    page.evaluate(script)
        .await
        .map_err(|e| BrowserError::protocol("skrypt strony", e))?
        .into_value()
        .map_err(|e| BrowserError::protocol("wynik skryptu", e))
}

/// The page's title and address.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Location {
    /// `document.title`.
    pub title: String,
    /// `location.href`.
    pub url: String,
}

/// Where the page is, without touching it.
pub async fn location(page: &Page) -> Result<Location, BrowserError> {
    evaluate(
        page,
        "({ title: document.title || '', url: location.href })",
    )
    .await
}

/// What the page shows now, numbered for actions.
pub async fn observe(page: &Page) -> Result<Observation, BrowserError> {
    evaluate(page, &observe::script()).await
}

/// The page's main content, links and tables.
pub async fn content(page: &Page) -> Result<PageContent, BrowserError> {
    evaluate(page, text::SCRIPT).await
}
