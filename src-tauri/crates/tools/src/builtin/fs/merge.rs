//! `fs_merge {base, ours, theirs, path?}`: a three-way merge with conflict markers, written
//! atomically (undoable) to `path` (default: `ours`).

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::journal::Journal;
use super::text::{read_text, DEFAULT_MAX_BYTES};
use super::{parse, path_arg};
use crate::tool::{schema_of, Tool, ToolContext, ToolFuture, ToolOutput};

/// Arguments of `fs_merge`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Wspólny przodek (common ancestor)
    #[schemars(length(min = 1))]
    base: String,
    /// Nasza wersja (our version)
    #[schemars(length(min = 1))]
    ours: String,
    /// Ich wersja (their version)
    #[schemars(length(min = 1))]
    theirs: String,
    /// Gdzie zapisać wynik (output; default: ours)
    #[serde(default)]
    path: Option<String>,
}

/// Merges three versions.
#[derive(Debug, Clone)]
pub struct FsMerge {
    journal: Journal,
}

impl FsMerge {
    /// Writing the result through `journal`.
    pub fn new(journal: Journal) -> FsMerge {
        FsMerge { journal }
    }
}

impl Tool for FsMerge {
    fn name(&self) -> &'static str {
        "fs_merge"
    }
    fn description_pl(&self) -> &'static str {
        "Scala trzy wersje pliku (przodek, nasza, ich); konflikty oznacza znacznikami <<<<<<< ======= >>>>>>>"
    }
    fn description_en(&self) -> &'static str {
        "Three-way merge of a file (ancestor, ours, theirs); conflicts get <<<<<<< ======= >>>>>>> markers"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Write
    }
    fn schema(&self) -> Value {
        schema_of::<Args>()
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        path_arg(args, &["base", "ours", "theirs", "path"])
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: Args = parse(self.name(), args)?;
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
            self.journal
                .batch(self.name())
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
                data: json!({"path": output, "conflicts": conflicts, "clean": clean}),
            })
        })
    }
}
