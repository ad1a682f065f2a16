//! `browser_open` and `browser_read`: a page opened and shown as numbered elements, a page's
//! text, links or tables.

use dark8_protocol::RiskClass;
use dark8_tools::builtin::count;
use dark8_tools::{ToolArgs, ToolContext, ToolError, ToolOutput, ToolResult, TypedTool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{count_chunks, count_elements, with_note, Browsing};
use crate::navigate;
use crate::observe::{observation_pl, Observation};
use crate::text::{self, Link};

/// Arguments of `browser_open`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct OpenArgs {
    /// Adres strony, http:// albo https:// (page address)
    #[schemars(length(min = 1, max = 4000))]
    #[tool(url)]
    url: String,
}

/// What `browser_open` shows.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Opened {
    /// The page as a small model reads it.
    #[serde(flatten)]
    pub observation: Observation,
    /// What had to be recovered first (a crashed browser or page), in Polish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<String>,
}

/// `browser_open`: opens a page in DARK8's Chromium and shows its interactive elements.
#[derive(Debug, Clone)]
pub struct BrowserOpen(pub Browsing);

impl TypedTool for BrowserOpen {
    type Args = OpenArgs;
    type Output = Opened;
    const NAME: &'static str = "browser_open";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Otwiera stronę w przeglądarce DARK8 (Chromium) i pokazuje jej tytuł, nagłówki i ponumerowane elementy, które można kliknąć albo wypełnić";
    const DESCRIPTION_EN: &'static str = "Opens a page in DARK8's browser (Chromium) and shows its title, headings and numbered interactive elements";
    const RISK: RiskClass = RiskClass::Network;
    fn render(output: &Opened) -> Vec<String> {
        observation_pl(&output.observation)
    }
    async fn run(&self, args: OpenArgs, _ctx: ToolContext) -> ToolResult<Opened> {
        self.0.agent_may_act().await?;
        let (page, recovery) = self.0.session.page().await?;
        navigate::open(&page, self.0.session.guard(), &args.url).await?;
        let observation = navigate::observe(&page).await?;
        self.0.remember(&observation);
        let summary = format!(
            "Otwarto „{}” ({}): {} do kliknięcia albo wypełnienia.",
            observation.title,
            observation.url,
            count_elements(observation.total_elements)
        );
        Ok(ToolOutput {
            summary: with_note(recovery, summary),
            data: Opened {
                observation,
                recovered: recovery.note_pl().map(str::to_owned),
            },
        })
    }
}

/// What `browser_read` returns of a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum What {
    /// The main text, plain.
    Text,
    /// The main text as Markdown (headings, lists, code).
    #[default]
    Markdown,
    /// The links of the main content.
    Links,
    /// The tables, as rows of cells.
    Tables,
}

/// Arguments of `browser_read`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct ReadArgs {
    /// Adres strony (page address; default: the page open now)
    #[serde(default)]
    #[tool(url)]
    url: Option<String>,
    /// text | markdown | links | tables (domyślnie markdown)
    #[serde(default)]
    what: What,
    /// Pytanie: zwróć tylko fragmenty, które na nie odpowiadają (only the chunks relevant to it)
    #[serde(default)]
    #[schemars(length(max = 2000))]
    question: Option<String>,
}

/// What `browser_read` read.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct PageText {
    /// The page's title.
    pub title: String,
    /// Its address.
    pub url: String,
    /// text | markdown | links | tables
    pub what: What,
    /// The text chunks returned (text and markdown; with a question only the relevant ones).
    pub chunks: Vec<String>,
    /// How many chunks the page's text has in all.
    pub chunks_total: usize,
    /// An extractive summary: the first sentences of the main text.
    pub summary: String,
    /// The links (links).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// The tables (tables): rows of cell texts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<Vec<Vec<String>>>,
    /// What had to be recovered first, in Polish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<String>,
}

/// `browser_read`: a page's main text (Markdown or plain, chunked, only what answers a
/// question), its links or its tables.
#[derive(Debug, Clone)]
pub struct BrowserRead(pub Browsing);

/// Characters of the extractive summary.
const SUMMARY_CHARS: usize = 500;

impl TypedTool for BrowserRead {
    type Args = ReadArgs;
    type Output = PageText;
    const NAME: &'static str = "browser_read";
    const READS_WEB: bool = true;
    const DESCRIPTION_PL: &'static str = "Czyta stronę (podaną albo otwartą): główny tekst jako Markdown albo zwykły tekst, w fragmentach (z pytaniem tylko te, które na nie odpowiadają), linki albo tabele";
    const DESCRIPTION_EN: &'static str = "Reads a page (given or open): its main text as Markdown or plain text, in chunks (with a question only the relevant ones), its links or its tables";
    const RISK: RiskClass = RiskClass::Read;
    fn risks(&self, args: &ReadArgs) -> Vec<RiskClass> {
        if args.url.is_some() {
            vec![RiskClass::Network]
        } else {
            vec![RiskClass::Read]
        }
    }
    fn render(output: &PageText) -> Vec<String> {
        match output.what {
            What::Links => output
                .links
                .iter()
                .map(|l| format!("{} → {}", l.text, l.href))
                .collect(),
            What::Tables => output
                .tables
                .iter()
                .flat_map(|table| table.iter().map(|row| row.join(" | ")))
                .collect(),
            What::Text | What::Markdown => dark8_tools::text::lines(&output.chunks.join("\n\n")),
        }
    }
    async fn run(&self, args: ReadArgs, _ctx: ToolContext) -> ToolResult<PageText> {
        let (page, recovery) = self.0.session.page().await?;
        if let Some(url) = &args.url {
            self.0.agent_may_act().await?;
            navigate::open(&page, self.0.session.guard(), url).await?;
        }
        let observation = navigate::location(&page).await?;
        if args.url.is_none() && observation.url == "about:blank" {
            return Err(ToolError::new(
                "Żadna strona nie jest otwarta.",
                "Podaj url albo najpierw otwórz stronę (browser_open).",
            ));
        }
        let content = navigate::content(&page).await?;
        let paragraphs = text::render(&content.blocks, args.what != What::Text);
        let all = text::chunks(&paragraphs);
        let chunks: Vec<String> = match (&args.question, args.what) {
            (Some(question), What::Text | What::Markdown) => text::relevant(&all, question)
                .into_iter()
                .filter_map(|i| all.get(i).cloned())
                .collect(),
            (None, What::Text | What::Markdown) => all.clone(),
            _ => Vec::new(),
        };
        let summary_line = match args.what {
            What::Links => format!(
                "„{}”: {}.",
                observation.title,
                count(content.links.len(), "link", "linki", "linków")
            ),
            What::Tables => format!(
                "„{}”: {}.",
                observation.title,
                count(content.tables.len(), "tabela", "tabele", "tabel")
            ),
            _ if args.question.is_some() && chunks.is_empty() => format!(
                "„{}”: żaden fragment nie odpowiada na pytanie (strona ma {}).",
                observation.title,
                count_chunks(all.len())
            ),
            _ if args.question.is_some() => format!(
                "Przeczytano „{}”: {} (strona ma {}).",
                observation.title,
                count_chunks(chunks.len()),
                count_chunks(all.len())
            ),
            _ => format!(
                "Przeczytano „{}” ({}). W skrócie: {}",
                observation.title,
                count_chunks(all.len()),
                text::summary(&paragraphs, SUMMARY_CHARS)
            ),
        };
        let links = if args.what == What::Links {
            content.links
        } else {
            Vec::new()
        };
        let tables = if args.what == What::Tables {
            content.tables
        } else {
            Vec::new()
        };
        Ok(ToolOutput {
            summary: with_note(recovery, summary_line),
            data: PageText {
                title: observation.title,
                url: observation.url,
                what: args.what,
                chunks,
                chunks_total: all.len(),
                summary: text::summary(&paragraphs, SUMMARY_CHARS),
                links,
                tables,
                recovered: recovery.note_pl().map(str::to_owned),
            },
        })
    }
}
