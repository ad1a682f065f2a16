//! Plain pages without the browser: one HTTP GET (reqwest), robots.txt asked first, every
//! redirect judged (the domain rules; no hop from elsewhere into a local or private
//! address), at most [`MAX_BYTES`] read (and said when cut), the HTML's main text taken with
//! scraper by the same rules the browser's reading script uses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dark8_tools::Policy;
use scraper::{ElementRef, Html, Selector};

use crate::guard::hop_verdict;
use crate::robots::Robots;
use crate::text::{Block, Link};

/// Most bytes of one page read.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The User-Agent of plain fetches (robots.txt groups can name `DARK8`).
const USER_AGENT: &str = concat!("DARK8/", env!("CARGO_PKG_VERSION"), " (local assistant)");

/// A fetch that did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not http(s), or not an address at all.
    #[error("nie pobiorę adresu {url}: {reason}")]
    Refused {
        /// The address.
        url: String,
        /// Why.
        reason: String,
    },
    /// robots.txt of the site does not allow it.
    #[error("robots.txt serwisu {origin} nie pozwala pobrać {path}")]
    Robots {
        /// The site.
        origin: String,
        /// The path asked for.
        path: String,
    },
    /// The server could not be reached or answered with an error.
    #[error("nie pobrano {url}: {detail}")]
    Failed {
        /// The address.
        url: String,
        /// Why.
        detail: String,
    },
    /// Not a text page.
    #[error("{url} to nie strona tekstowa, tylko {content_type}")]
    NotText {
        /// The address.
        url: String,
        /// Its content type.
        content_type: String,
    },
}

impl FetchError {
    /// What the user can do, in Polish.
    pub fn hint(&self) -> &'static str {
        match self {
            FetchError::Refused { .. } => {
                "Podaj adres http:// albo https://, dozwolony przez politykę."
            }
            FetchError::Robots { .. } => {
                "Właściciel strony nie chce, by automaty ją pobierały; otwórz ją sam w przeglądarce (browser_open)."
            }
            FetchError::Failed { .. } => "Sprawdź adres i połączenie z siecią.",
            FetchError::NotText { .. } => {
                "page_fetch czyta HTML i tekst; inne pliki pobierz przez przeglądarkę."
            }
        }
    }
}

/// A page fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedPage {
    /// The address it ended on.
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The document's title.
    pub title: String,
    /// The main content's blocks.
    pub blocks: Vec<Block>,
    /// The main content's links (absolute).
    pub links: Vec<Link>,
    /// Whether the body was longer than [`MAX_BYTES`] and cut there.
    pub truncated: bool,
}

/// Fetches plain pages, keeping each site's robots.txt for the session.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    robots: Arc<Mutex<HashMap<String, Robots>>>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher").finish_non_exhaustive()
    }
}

impl Fetcher {
    /// A fetcher whose redirects `policy` judges.
    pub fn new(policy: Policy) -> Fetcher {
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 10 {
                return attempt.error("za dużo przekierowań (ponad 10)");
            }
            let first_origin = attempt.previous().first().map(origin_of);
            let next = attempt.url().clone();
            let same_site = first_origin.as_deref() == Some(origin_of(&next).as_str());
            if let Err(reason) = hop_verdict(Some(&policy), &next, same_site) {
                return attempt.error(format!("przekierowanie: {reason}"));
            }
            attempt.follow()
        });
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(8))
            .redirect(redirects)
            .build()
            .unwrap_or_default();
        Fetcher {
            client,
            robots: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Fetches `url` when its site's robots.txt allows it.
    pub async fn fetch(&self, url: &str) -> Result<FetchedPage, FetchError> {
        let parsed = url::Url::parse(url).map_err(|e| FetchError::Refused {
            url: url.to_owned(),
            reason: format!("to nie jest poprawny adres ({e})"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::Refused {
                url: url.to_owned(),
                reason: format!("schemat {}: jest niedozwolony", parsed.scheme()),
            });
        }
        let robots = self.robots_for(&parsed).await?;
        let mut path = parsed.path().to_owned();
        if let Some(query) = parsed.query() {
            path.push('?');
            path.push_str(query);
        }
        if !robots.allows(&path) {
            return Err(FetchError::Robots {
                origin: origin_of(&parsed),
                path,
            });
        }
        let failed = |detail: String| FetchError::Failed {
            url: url.to_owned(),
            detail,
        };
        let response = self
            .client
            .get(parsed.clone())
            .header("Accept", "text/html,text/plain;q=0.9,*/*;q=0.1")
            .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.5")
            .send()
            .await
            .map_err(|e| failed(describe(&e)))?;
        let status = response.status();
        let final_url = response.url().to_string();
        if !status.is_success() {
            return Err(failed(format!("serwer odpowiedział {status}")));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("text/html")
            .to_ascii_lowercase();
        let html = content_type.contains("html") || content_type.contains("xml");
        if !html && !content_type.starts_with("text/") {
            return Err(FetchError::NotText {
                url: final_url,
                content_type,
            });
        }
        let (bytes, truncated) = read_capped(response).await.map_err(failed)?;
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let final_parsed = url::Url::parse(&final_url).unwrap_or(parsed);
        let (title, blocks, links) = if html {
            extract(&body, &final_parsed)
        } else {
            let blocks = body
                .split("\n\n")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Block {
                    kind: "p".to_owned(),
                    text: t.to_owned(),
                })
                .collect();
            (String::new(), blocks, Vec::new())
        };
        Ok(FetchedPage {
            url: final_url,
            status: status.as_u16(),
            title,
            blocks,
            links,
            truncated,
        })
    }

    /// The site's robots.txt rules, fetched once per site: none (404, 4xx) allows
    /// everything, a 5xx allows nothing (RFC 9309), an unreachable server is an error.
    async fn robots_for(&self, url: &url::Url) -> Result<Robots, FetchError> {
        let origin = origin_of(url);
        if let Some(known) = self
            .robots
            .lock()
            .ok()
            .and_then(|r| r.get(&origin).cloned())
        {
            return Ok(known);
        }
        let robots_url = format!("{origin}/robots.txt");
        let robots = match self.client.get(&robots_url).send().await {
            Ok(response) if response.status().is_success() => {
                let (bytes, _) = read_capped(response).await.unwrap_or_default();
                Robots::parse(&String::from_utf8_lossy(&bytes))
            }
            Ok(response) if response.status().is_server_error() => Robots::disallow_all(),
            Ok(_) => Robots::allow_all(),
            Err(err) if err.is_redirect() => Robots::allow_all(),
            Err(err) => {
                return Err(FetchError::Failed {
                    url: url.to_string(),
                    detail: describe(&err),
                })
            }
        };
        if let Ok(mut known) = self.robots.lock() {
            known.insert(origin, robots.clone());
        }
        Ok(robots)
    }
}

/// `scheme://host:port` of `url`.
fn origin_of(url: &url::Url) -> String {
    url.origin().ascii_serialization()
}

/// A reqwest error in Polish words, without its internals.
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "serwer nie odpowiedział na czas".to_owned()
    } else if err.is_connect() {
        "nie można połączyć się z serwerem (brak sieci albo zły adres)".to_owned()
    } else if err.is_redirect() {
        use std::error::Error;
        err.source()
            .map(|s| s.to_string())
            .unwrap_or_else(|| "złe przekierowanie".to_owned())
    } else {
        err.to_string()
    }
}

/// The body, at most [`MAX_BYTES`]; true when there was more.
async fn read_capped(mut response: reqwest::Response) -> Result<(Vec<u8>, bool), String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("przerwane pobieranie: {e}"))?
    {
        let room = MAX_BYTES - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

/// What the browser's reading script skips.
const SKIPPED: &[&str] = &[
    "nav", "footer", "aside", "header", "script", "style", "noscript", "template",
];

/// Whether `element` or an ancestor is boilerplate or hidden.
fn skipped(element: ElementRef<'_>) -> bool {
    std::iter::once(element)
        .chain(element.ancestors().filter_map(ElementRef::wrap))
        .any(|e| {
            let v = e.value();
            SKIPPED.contains(&v.name())
                || v.attr("hidden").is_some()
                || v.attr("aria-hidden") == Some("true")
                || v.attr("style")
                    .map(|s| s.replace(' ', "").contains("display:none"))
                    .unwrap_or(false)
        })
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Title, main-content blocks and links of an HTML document.
pub fn extract(html: &str, base: &url::Url) -> (String, Vec<Block>, Vec<Link>) {
    let document = Html::parse_document(html);
    let select = |s: &str| Selector::parse(s).ok();
    let title = select("title")
        .and_then(|s| document.select(&s).next())
        .map(|t| clean(&t.text().collect::<String>()))
        .unwrap_or_default();
    let root = select("main, article, [role=main]")
        .and_then(|s| document.select(&s).next())
        .or_else(|| select("body").and_then(|s| document.select(&s).next()));
    let Some(root) = root else {
        return (title, Vec::new(), Vec::new());
    };
    const KINDS: &str = "h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, dt, dd, table";
    let kinds = [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "p",
        "li",
        "pre",
        "blockquote",
        "dt",
        "dd",
        "table",
    ];
    let mut blocks = Vec::new();
    if let Some(selector) = select(KINDS) {
        for element in root.select(&selector) {
            if skipped(element) {
                continue;
            }
            let nested = element
                .ancestors()
                .filter_map(ElementRef::wrap)
                .take_while(|a| a.id() != root.id())
                .any(|a| kinds.contains(&a.value().name()));
            if nested {
                continue;
            }
            let name = element.value().name();
            let text = match name {
                "pre" => element.text().collect::<String>().trim_end().to_owned(),
                "table" => table_rows(element)
                    .iter()
                    .map(|row| row.join(" | "))
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => clean(&element.text().collect::<String>()),
            };
            if !text.is_empty() {
                blocks.push(Block {
                    kind: name.to_owned(),
                    text,
                });
            }
        }
    }
    let mut links = Vec::new();
    if let Some(selector) = select("a[href]") {
        for a in root.select(&selector).filter(|a| !skipped(*a)).take(200) {
            let Some(href) = a.value().attr("href").and_then(|h| base.join(h).ok()) else {
                continue;
            };
            if href.scheme().starts_with("http") {
                links.push(Link {
                    text: clean(&a.text().collect::<String>())
                        .chars()
                        .take(120)
                        .collect(),
                    href: href.to_string(),
                });
            }
        }
    }
    (title, blocks, links)
}

fn table_rows(table: ElementRef<'_>) -> Vec<Vec<String>> {
    let (Ok(rows), Ok(cells)) = (Selector::parse("tr"), Selector::parse("th, td")) else {
        return Vec::new();
    };
    table
        .select(&rows)
        .take(100)
        .map(|row| {
            row.select(&cells)
                .map(|c| clean(&c.text().collect::<String>()))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_text_without_boilerplate() {
        let base = url::Url::parse("http://przyklad.pl/a/").unwrap();
        let (title, blocks, links) = extract(
            r#"<html><head><title>Poradnik</title><style>p{}</style></head><body>
            <nav><a href="/">Start</a></nav>
            <main><h1>Jak zacząć</h1><p>Zainstaluj <b>tokio</b>.</p><p hidden>ukryte</p>
            <ul><li>pierwszy <a href="krok">krok</a></li></ul>
            <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table></main>
            <footer>Stopka</footer></body></html>"#,
            &base,
        );
        assert_eq!(title, "Poradnik");
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Jak zacząć",
                "Zainstaluj tokio.",
                "pierwszy krok",
                "A | B\n1 | 2"
            ]
        );
        assert_eq!(links[0].href, "http://przyklad.pl/a/krok");
        assert_eq!(links.len(), 1);
    }
}
