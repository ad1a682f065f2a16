//! `fs_diff {path, path2}`: a unified diff of two text files.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use similar::{ChangeTag, TextDiff};

use super::text::{read_text, DEFAULT_MAX_BYTES};
use super::{parse, path_arg};
use crate::tool::{schema_of, Tool, ToolContext, ToolFuture, ToolOutput};

/// Arguments of `fs_diff`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Pierwszy plik (old file)
    #[schemars(length(min = 1))]
    path: String,
    /// Drugi plik (new file)
    #[schemars(length(min = 1))]
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

/// Compares two files.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsDiff;

impl Tool for FsDiff {
    fn name(&self) -> &'static str {
        "fs_diff"
    }
    fn description_pl(&self) -> &'static str {
        "Porównuje dwa pliki tekstowe i zwraca różnice w formacie unified diff"
    }
    fn description_en(&self) -> &'static str {
        "Compares two text files and returns a unified diff"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Read
    }
    fn schema(&self) -> Value {
        schema_of::<Args>()
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        path_arg(args, &["path", "path2"])
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: Args = parse(self.name(), args)?;
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
                data: json!({"diff": diff, "added": added, "removed": removed, "identical": added + removed == 0}),
            })
        })
    }
}
