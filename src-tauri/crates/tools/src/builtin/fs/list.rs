//! `fs_list {path?, depth?, hidden?}`: a directory's entries with sizes and times, honouring
//! .gitignore.

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Most entries one listing returns.
const MAX_ENTRIES: usize = 2000;

/// Arguments of `fs_list`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Katalog (directory; default: the workspace)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
    /// Głębokość (depth, default 1)
    #[serde(default)]
    #[schemars(range(min = 1, max = 32))]
    depth: Option<usize>,
    /// Czy pokazać ukryte pliki (show dot files)
    #[serde(default)]
    hidden: bool,
}

/// One listed entry.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Entry {
    /// Relative to the listed directory.
    pub path: String,
    /// file | dir | symlink
    pub kind: String,
    /// Size in bytes.
    pub size: u64,
    /// Last change, RFC 3339 (UTC).
    pub modified: Option<String>,
}

/// What `fs_list` listed.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Listing {
    /// The listed directory.
    pub path: std::path::PathBuf,
    /// Its entries, sorted by name.
    pub entries: Vec<Entry>,
    /// Whether the listing stopped at 2000 entries.
    pub truncated: bool,
}

/// Lists a directory.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsList;

impl TypedTool for FsList {
    type Args = Args;
    type Output = Listing;
    const NAME: &'static str = "fs_list";
    const DESCRIPTION_PL: &'static str = "Wypisuje zawartość katalogu z rozmiarami i datami zmian, z pominięciem tego, co ignoruje .gitignore";
    const DESCRIPTION_EN: &'static str =
        "Lists a directory with sizes and modification times, skipping what .gitignore ignores";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Listing) -> Vec<String> {
        output
            .entries
            .iter()
            .map(|e| {
                let kind = match e.kind.as_str() {
                    "dir" => "katalog",
                    "symlink" => "dowiązanie",
                    _ => "plik",
                };
                let modified = e.modified.as_deref().unwrap_or("");
                format!("{kind:<10} {:>12}  {modified:<20}  {}", e.size, e.path)
            })
            .collect()
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Listing> {
        let shown = args.path.clone().unwrap_or_else(|| ".".to_owned());
        let root = ctx.resolve(&shown)?;
        if !root.is_dir() {
            return Err(ToolError::new(
                format!("{shown} nie jest katalogiem."),
                "Podaj katalog; plik przeczytasz przez fs_read.",
            ));
        }
        let walker = ignore::WalkBuilder::new(&root)
            .max_depth(Some(args.depth.unwrap_or(1)))
            .hidden(!args.hidden)
            .require_git(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        let mut entries = Vec::new();
        let mut truncated = false;
        for item in walker.flatten() {
            if item.depth() == 0 {
                continue;
            }
            if entries.len() == MAX_ENTRIES {
                truncated = true;
                break;
            }
            let meta = item.path().symlink_metadata().ok();
            let kind = match item.file_type() {
                Some(t) if t.is_dir() => "dir",
                Some(t) if t.is_symlink() => "symlink",
                _ => "file",
            };
            entries.push(Entry {
                path: item
                    .path()
                    .strip_prefix(&root)
                    .unwrap_or(item.path())
                    .display()
                    .to_string(),
                kind: kind.to_owned(),
                size: meta.as_ref().map_or(0, |m| m.len()),
                modified: meta.and_then(|m| m.modified().ok()).map(rfc3339),
            });
        }
        let cut = if truncated {
            format!(" Pokazano pierwsze {MAX_ENTRIES}; zawęź ścieżkę albo głębokość.")
        } else {
            String::new()
        };
        Ok(ToolOutput {
            summary: format!(
                "{shown}: {}.{cut}",
                count(entries.len(), "pozycja", "pozycje", "pozycji")
            ),
            data: Listing {
                path: root,
                entries,
                truncated,
            },
        })
    }
}

fn rfc3339(time: SystemTime) -> String {
    DateTime::<Utc>::from(time).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
