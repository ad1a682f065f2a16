//! `fs_merge {base, ours, theirs, path?}`: a three-way merge with conflict markers, written
//! atomically (undoable) to `path` (default: `ours`).

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::journal::Journal;
use super::text::{read_text, DEFAULT_MAX_BYTES};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolOutput};

/// Arguments of `fs_merge`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Wspólny przodek (common ancestor)
    #[schemars(length(min = 1))]
    #[tool(path)]
    base: String,
    /// Nasza wersja (our version)
    #[schemars(length(min = 1))]
    #[tool(path)]
    ours: String,
    /// Ich wersja (their version)
    #[schemars(length(min = 1))]
    #[tool(path)]
    theirs: String,
    /// Gdzie zapisać wynik (output; default: ours)
    #[serde(default)]
    #[tool(path)]
    path: Option<String>,
}

/// What `fs_merge` wrote.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Merged {
    /// The merged file.
    pub path: PathBuf,
    /// Conflict blocks left for the user.
    pub conflicts: usize,
    /// Whether it merged without conflicts.
    pub clean: bool,
}

/// Merges three versions: writing the result through `journal`.
#[derive(Debug, Clone)]
pub struct FsMerge(pub Journal);

impl TypedTool for FsMerge {
    type Args = Args;
    type Output = Merged;
    const NAME: &'static str = "fs_merge";
    const DESCRIPTION_PL: &'static str = "Scala trzy wersje pliku (przodek, nasza, ich); konflikty oznacza znacznikami <<<<<<< ======= >>>>>>>";
    const DESCRIPTION_EN: &'static str = "Three-way merge of a file (ancestor, ours, theirs); conflicts get <<<<<<< ======= >>>>>>> markers";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Merged> {
        let base = read_text(&ctx.resolve(&args.base)?, DEFAULT_MAX_BYTES)?;
        let ours = read_text(&ctx.resolve(&args.ours)?, DEFAULT_MAX_BYTES)?;
        let theirs = read_text(&ctx.resolve(&args.theirs)?, DEFAULT_MAX_BYTES)?;
        let output_name = args.path.clone().unwrap_or_else(|| args.ours.clone());
        let output = ctx.resolve(&output_name)?;
        let (merged, clean) = match diffy::merge(&base, &ours, &theirs) {
            Ok(merged) => (merged, true),
            Err(with_conflicts) => (with_conflicts, false),
        };
        let conflicts = merged.lines().filter(|l| l.starts_with("<<<<<<<")).count();
        self.0
            .batch(Self::NAME, &ctx.call_id)
            .write(&output, merged.as_bytes())
            .await?;
        let summary = if clean {
            format!("Scalono bez konfliktów do {output_name}. Cofnięcie: `dark8 undo`.")
        } else {
            format!(
                    "Scalono do {output_name} z {conflicts} konfliktami (znaczniki <<<<<<<); rozwiąż je ręcznie. Cofnięcie: `dark8 undo`."
                )
        };
        Ok(ToolOutput {
            summary,
            data: Merged {
                path: output,
                conflicts,
                clean,
            },
        })
    }
}
