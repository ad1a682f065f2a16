//! `fs_diff {path, path2}`: a unified diff of two text files.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::text::{read_text, DEFAULT_MAX_BYTES};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolOutput};

/// Arguments of `fs_diff`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Pierwszy plik (old file)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// Drugi plik (new file)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path2: String,
}

/// The unified diff of `old` and `new` with headers, and the counts of added and removed lines.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> (String, usize, usize) {
    let diff = TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    (text, added, removed)
}

/// The differences `fs_diff` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Diffed {
    /// Unified diff (empty when identical).
    pub diff: String,
    /// Lines added.
    pub added: usize,
    /// Lines removed.
    pub removed: usize,
    /// Whether the files are the same.
    pub identical: bool,
}

/// Compares two files.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsDiff;

impl TypedTool for FsDiff {
    type Args = Args;
    type Output = Diffed;
    const NAME: &'static str = "fs_diff";
    const DESCRIPTION_PL: &'static str =
        "Porównuje dwa pliki tekstowe i zwraca różnice w formacie unified diff";
    const DESCRIPTION_EN: &'static str = "Compares two text files and returns a unified diff";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Diffed) -> Vec<String> {
        crate::text::lines(&output.diff)
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Diffed> {
        let old = read_text(&ctx.resolve(&args.path)?, DEFAULT_MAX_BYTES)?;
        let new = read_text(&ctx.resolve(&args.path2)?, DEFAULT_MAX_BYTES)?;
        let (diff, added, removed) = unified(&old, &new, &args.path, &args.path2);
        let summary = if added + removed == 0 {
            format!("{} i {} są identyczne.", args.path, args.path2)
        } else {
            format!("Różnice: +{added} / -{removed} linii.")
        };
        Ok(ToolOutput {
            summary,
            data: Diffed {
                identical: added + removed == 0,
                diff,
                added,
                removed,
            },
        })
    }
}
