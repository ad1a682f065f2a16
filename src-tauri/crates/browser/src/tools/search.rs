//! `web_search`: the web searched through DuckDuckGo or the configured SearXNG.

use dark8_protocol::RiskClass;
use dark8_tools::builtin::count;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::capitalized;
use crate::search::{SearchHit, Searcher};

/// Arguments of `web_search`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    /// Czego szukać (search query)
    #[schemars(length(min = 1, max = 500))]
    query: String,
    /// Ile wyników (how many results, default 8)
    #[serde(default)]
    #[schemars(range(min = 1, max = 20))]
    limit: Option<usize>,
}

/// What `web_search` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SearchResults {
    /// The query.
    pub query: String,
    /// duckduckgo | searxng
    pub engine: String,
    /// Whether the list came from the cache.
    pub cached: bool,
    /// The results, best first.
    pub results: Vec<SearchHit>,
}

/// `web_search`: searches the web (DuckDuckGo, or the configured SearXNG).
#[derive(Debug, Clone)]
pub struct WebSearch(pub Searcher);

impl TypedTool for WebSearch {
    type Args = SearchArgs;
    type Output = SearchResults;
    const NAME: &'static str = "web_search";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Szuka w internecie (DuckDuckGo albo skonfigurowany SearXNG) i zwraca tytuły, adresy i opisy wyników";
    const DESCRIPTION_EN: &'static str = "Searches the web (DuckDuckGo or the configured SearXNG) and returns titles, addresses and snippets";
    const RISK: RiskClass = RiskClass::Network;
    fn urls(&self, _args: &SearchArgs) -> Vec<String> {
        vec![self.0.config().endpoint()]
    }
    fn render(output: &SearchResults) -> Vec<String> {
        output
            .results
            .iter()
            .enumerate()
            .flat_map(|(i, hit)| {
                let mut lines = vec![format!("{}. {} — {}", i + 1, hit.title, hit.url)];
                if !hit.snippet.is_empty() {
                    lines.push(format!("   {}", hit.snippet));
                }
                lines
            })
            .collect()
    }
    async fn run(&self, args: SearchArgs, _ctx: ToolContext) -> ToolResult<SearchResults> {
        let limit = args.limit.unwrap_or(8);
        let (results, cached) = self.0.search(&args.query, limit).await.map_err(|err| {
            ToolError::new(format!("{}.", capitalized(&err.to_string())), err.hint())
        })?;
        let engine = if self.0.config().searxng_url.is_some() {
            "searxng"
        } else {
            "duckduckgo"
        };
        let summary = match results.first() {
            Some(first) => format!(
                "Wyniki wyszukiwania „{}”: {}; pierwszy: {}.",
                args.query,
                count(results.len(), "wynik", "wyniki", "wyników"),
                first.title
            ),
            None => format!("Brak wyników dla „{}”.", args.query),
        };
        Ok(ToolOutput {
            summary,
            data: SearchResults {
                query: args.query,
                engine: engine.to_owned(),
                cached,
                results,
            },
        })
    }
}
