//! `fs_rename_symbol {path, from, to, apply?}`: renames an identifier on word boundaries across
//! the text files under a path. Without `apply` it only shows the diff; with it, writes every
//! file atomically in one undoable batch.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::diff::unified;
use super::journal::Journal;
use super::text::{text_of, DEFAULT_MAX_BYTES};
use super::{parse, path_arg};
use crate::builtin::polish::count;
use crate::tool::{schema_of, Tool, ToolContext, ToolError, ToolFuture, ToolOutput};

/// Most files one rename changes.
const MAX_FILES: usize = 2000;

/// Arguments of `fs_rename_symbol`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Plik albo katalog projektu (file or project directory)
    #[schemars(length(min = 1))]
    path: String,
    /// Obecna nazwa (current identifier)
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    from: String,
    /// Nowa nazwa (new identifier)
    #[schemars(regex(pattern = r"^[A-Za-z_][A-Za-z0-9_]*$"))]
    to: String,
    /// false: tylko podgląd różnic; true: zapisz zmiany (false = preview only)
    #[serde(default)]
    apply: bool,
}

/// Renames an identifier across a project.
#[derive(Debug, Clone)]
pub struct FsRenameSymbol {
    journal: Journal,
}

impl FsRenameSymbol {
    /// Writing through `journal`.
    pub fn new(journal: Journal) -> FsRenameSymbol {
        FsRenameSymbol { journal }
    }
}

impl Tool for FsRenameSymbol {
    fn name(&self) -> &'static str {
        "fs_rename_symbol"
    }
    fn description_pl(&self) -> &'static str {
        "Zmienia nazwę identyfikatora w całym projekcie (całe słowa); bez apply pokazuje tylko różnice, z apply zapisuje (cofnięcie: `dark8 undo`)"
    }
    fn description_en(&self) -> &'static str {
        "Renames an identifier across a project (whole words); without apply it shows the diff, with apply it writes (`dark8 undo` reverts)"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Write
    }
    fn risks(&self, args: &Value) -> Vec<RiskClass> {
        if args.get("apply").and_then(Value::as_bool) == Some(true) {
            vec![RiskClass::Write]
        } else {
            vec![RiskClass::Read]
        }
    }
    fn schema(&self) -> Value {
        schema_of::<Args>()
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        path_arg(args, &["path"])
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: Args = parse(self.name(), args)?;
            let root = ctx.resolve(&args.path)?;
            let word = regex::Regex::new(&format!(r"\b{}\b", regex::escape(&args.from)))
                .map_err(|e| ToolError::new(format!("Zła nazwa: {e}"), "Podaj identyfikator."))?;
            let mut changes = Vec::new();
            let walker = ignore::WalkBuilder::new(&root).require_git(false).build();
            for entry in walker.flatten() {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let size = entry.metadata().map_or(0, |m| m.len());
                if size > DEFAULT_MAX_BYTES {
                    continue;
                }
                let Ok(bytes) = std::fs::read(entry.path()) else {
                    continue;
                };
                // Binary and non-UTF-8 files are not source code to rename in.
                let Ok(text) = text_of(entry.path(), bytes) else {
                    continue;
                };
                let count = word.find_iter(&text).count();
                if count == 0 {
                    continue;
                }
                if changes.len() == MAX_FILES {
                    return Err(ToolError::new(
                        format!("Zmiana objęłaby ponad {MAX_FILES} plików."),
                        "Zawęź ścieżkę do części projektu.",
                    ));
                }
                let renamed = word.replace_all(&text, args.to.as_str()).into_owned();
                changes.push((entry.path().to_path_buf(), text, renamed, count));
            }
            let mut diff = String::new();
            let mut occurrences = 0;
            for (path, old, new, count) in &changes {
                let name = path
                    .strip_prefix(&ctx.workspace)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                diff.push_str(&unified(old, new, &name, &name).0);
                occurrences += count;
            }
            if args.apply {
                let batch = self.journal.batch(self.name());
                for (path, _, new, _) in &changes {
                    batch.write(path, new.as_bytes()).await?;
                }
            }
            let files: Vec<String> = changes.iter().map(|c| c.0.display().to_string()).collect();
            let summary = match (args.apply, changes.len()) {
                (_, 0) => format!("Nie znaleziono „{}” jako całego słowa.", args.from),
                (false, n) => format!(
                    "Podgląd: „{}” -> „{}”: {} (pliki: {n}). Zapisz z apply: true.",
                    args.from,
                    args.to,
                    count(occurrences, "wystąpienie", "wystąpienia", "wystąpień")
                ),
                (true, n) => format!(
                    "Zmieniono „{}” na „{}”: {} (pliki: {n}). Cofnięcie: `dark8 undo`.",
                    args.from,
                    args.to,
                    count(occurrences, "wystąpienie", "wystąpienia", "wystąpień")
                ),
            };
            Ok(ToolOutput {
                summary,
                data: json!({"diff": diff, "files": files, "occurrences": occurrences, "applied": args.apply}),
            })
        })
    }
}
