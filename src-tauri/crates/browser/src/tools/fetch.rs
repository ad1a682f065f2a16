//! `page_fetch`: a plain page read without the browser (robots.txt honoured).

use dark8_protocol::RiskClass;
use dark8_tools::builtin::plural;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::count_chunks;
use crate::error::capitalized;
use crate::fetch::Fetcher;
use crate::text::{self, Link};

/// Arguments of `page_fetch`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct FetchArgs {
    /// Adres strony, http:// albo https:// (page address)
    #[schemars(length(min = 1, max = 4000))]
    #[tool(url)]
    url: String,
    /// Pytanie: zwróć tylko fragmenty, które na nie odpowiadają (only the relevant chunks)
    #[serde(default)]
    #[schemars(length(max = 2000))]
    question: Option<String>,
}

/// What `page_fetch` read.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Fetched {
    /// The address it ended on (after redirects).
    pub url: String,
    /// The HTTP status.
    pub status: u16,
    /// The page's title.
    pub title: String,
    /// Text chunks as Markdown (with a question only the relevant ones).
    pub chunks: Vec<String>,
    /// How many chunks the page's text has in all.
    pub chunks_total: usize,
    /// An extractive summary: the first sentences of the main text.
    pub summary: String,
    /// The main content's links.
    pub links: Vec<Link>,
    /// Whether the page was longer than 5 MiB and only its start was read.
    pub truncated: bool,
}

/// `page_fetch`: one HTTP GET, the main text of the HTML, no JavaScript run.
#[derive(Debug, Clone)]
pub struct PageFetch(pub Fetcher);

impl TypedTool for PageFetch {
    type Args = FetchArgs;
    type Output = Fetched;
    const NAME: &'static str = "page_fetch";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Pobiera zwykłą stronę bez przeglądarki (bez JavaScriptu, z poszanowaniem robots.txt) i zwraca jej główny tekst w fragmentach";
    const DESCRIPTION_EN: &'static str = "Fetches a plain page without the browser (no JavaScript, robots.txt honoured) and returns its main text in chunks";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Fetched) -> Vec<String> {
        dark8_tools::text::lines(&output.chunks.join("\n\n"))
    }
    async fn run(&self, args: FetchArgs, _ctx: ToolContext) -> ToolResult<Fetched> {
        let page = self.0.fetch(&args.url).await.map_err(|err| {
            ToolError::new(format!("{}.", capitalized(&err.to_string())), err.hint())
        })?;
        let paragraphs = text::render(&page.blocks, true);
        let all = text::chunks(&paragraphs);
        let chunks: Vec<String> = match &args.question {
            Some(question) => text::relevant(&all, question)
                .into_iter()
                .filter_map(|i| all.get(i).cloned())
                .collect(),
            None => all.clone(),
        };
        let summary = text::summary(&paragraphs, 500);
        let mut line = match &args.question {
            Some(_) => format!(
                "Pobrano „{}”: {} {} do pytania (strona ma {}).",
                page.title,
                count_chunks(chunks.len()),
                plural(chunks.len(), "pasuje", "pasują", "pasuje"),
                count_chunks(all.len())
            ),
            None => format!(
                "Pobrano „{}” ({}). W skrócie: {summary}",
                page.title,
                count_chunks(all.len())
            ),
        };
        if page.truncated {
            line.push_str(" Strona była dłuższa niż 5 MiB: przeczytano tylko jej początek.");
        }
        Ok(ToolOutput {
            summary: line,
            data: Fetched {
                url: page.url,
                status: page.status,
                title: page.title,
                chunks,
                chunks_total: all.len(),
                summary,
                links: page.links,
                truncated: page.truncated,
            },
        })
    }
}
