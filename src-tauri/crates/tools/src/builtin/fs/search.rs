//! `fs_search {query, path?, regex?, case_sensitive?, max_results?}`: lines matching a literal
//! or a regex in the files under a path, honouring .gitignore, skipping binary files (ripgrep's
//! crates: ignore, grep-regex, grep-searcher).

use dark8_protocol::RiskClass;
use grep_regex::RegexMatcherBuilder;
use grep_searcher::sinks::UTF8;
use grep_searcher::{BinaryDetection, SearcherBuilder};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Longest line text a hit carries.
const MAX_LINE_CHARS: usize = 300;

/// Arguments of `fs_search`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Szukany tekst albo wyrażenie regularne (text or regex)
    #[schemars(length(min = 1, max = 1000))]
    query: String,
    /// Gdzie szukać (file or directory; default: the workspace)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
    /// Czy query to wyrażenie regularne (regex instead of literal)
    #[serde(default)]
    regex: bool,
    /// Czy rozróżniać wielkość liter (case sensitive; default false)
    #[serde(default)]
    case_sensitive: bool,
    /// Najwięcej wyników (most hits, default 200)
    #[serde(default)]
    #[schemars(range(min = 1, max = 10000))]
    max_results: Option<usize>,
}

/// One matching line.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Hit {
    /// The file, relative to where the search started.
    pub path: String,
    /// Line number, from 1.
    pub line: u64,
    /// The line (cut at 300 characters).
    pub text: String,
}

/// What `fs_search` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Hits {
    /// Matching lines.
    pub hits: Vec<Hit>,
    /// Text files searched.
    pub files_searched: usize,
    /// Whether the search stopped at max_results.
    pub truncated: bool,
}

/// Searches files.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsSearch;

impl TypedTool for FsSearch {
    type Args = Args;
    type Output = Hits;
    const NAME: &'static str = "fs_search";
    const DESCRIPTION_PL: &'static str = "Szuka tekstu albo wyrażenia regularnego w plikach (jak ripgrep: z .gitignore, bez plików binarnych)";
    const DESCRIPTION_EN: &'static str =
        "Searches files for text or a regex (like ripgrep: honours .gitignore, skips binary files)";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Hits) -> Vec<String> {
        output
            .hits
            .iter()
            .map(|hit| format!("{}:{}: {}", hit.path, hit.line, hit.text))
            .collect()
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Hits> {
        let root = ctx.resolve(args.path.as_deref().unwrap_or("."))?;
        let pattern = if args.regex {
            args.query.clone()
        } else {
            regex::escape(&args.query)
        };
        let matcher = RegexMatcherBuilder::new()
            .case_insensitive(!args.case_sensitive)
            .build(&pattern)
            .map_err(|err| {
                ToolError::new(
                    format!("Niepoprawne wyrażenie regularne: {err}"),
                    "Popraw wyrażenie albo szukaj dosłownie (regex: false).",
                )
            })?;
        let max = args.max_results.unwrap_or(200);
        let cancel = ctx.cancel.clone();
        let base = ctx.workspace.clone();
        let search = tokio::task::spawn_blocking(move || {
            let mut searcher = SearcherBuilder::new()
                .binary_detection(BinaryDetection::quit(b'\x00'))
                .line_number(true)
                .build();
            let mut hits: Vec<Hit> = Vec::new();
            let mut files = 0usize;
            let walker = ignore::WalkBuilder::new(&root).require_git(false).build();
            for entry in walker.flatten() {
                if hits.len() >= max || cancel.is_cancelled() {
                    break;
                }
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                files += 1;
                let shown = entry
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(entry.path())
                    .display()
                    .to_string();
                let _ = searcher.search_path(
                    &matcher,
                    entry.path(),
                    UTF8(|line, text| {
                        hits.push(Hit {
                            path: shown.clone(),
                            line,
                            text: text.trim_end().chars().take(MAX_LINE_CHARS).collect(),
                        });
                        Ok(hits.len() < max)
                    }),
                );
            }
            (hits, files)
        });
        let (hits, files) = search.await.map_err(|err| {
            ToolError::new(
                format!("Wyszukiwanie przerwane: {err}"),
                "Spróbuj ponownie.",
            )
        })?;
        let cut = if hits.len() >= max {
            format!(" Pokazano pierwsze {max}; zawęź zapytanie.")
        } else {
            String::new()
        };
        Ok(ToolOutput {
            summary: format!(
                "„{}”: {} (przeszukane pliki: {files}).{cut}",
                args.query,
                count(hits.len(), "trafienie", "trafienia", "trafień")
            ),
            data: Hits {
                truncated: hits.len() >= max,
                hits,
                files_searched: files,
            },
        })
    }
}
