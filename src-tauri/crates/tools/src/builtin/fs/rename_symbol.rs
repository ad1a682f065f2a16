//! `fs_rename_symbol {path, from, to, apply?}`: renames an identifier on word boundaries across
//! the text files under a path. Without `apply` it only shows the diff; with it, writes every
//! file atomically in one undoable batch.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::diff::unified;
use super::journal::Journal;
use super::text::{text_of, DEFAULT_MAX_BYTES};
use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Most files one rename changes.
const MAX_FILES: usize = 2000;

/// Arguments of `fs_rename_symbol`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Plik albo katalog projektu (file or project directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
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

/// What `fs_rename_symbol` changed (or would change without `apply`).
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Renamed {
    /// Unified diff of every change.
    pub diff: String,
    /// Files that change.
    pub files: Vec<String>,
    /// Occurrences renamed.
    pub occurrences: usize,
    /// Whether the files were written.
    pub applied: bool,
}

/// Renames an identifier across a project: writing through `journal`.
#[derive(Debug, Clone)]
pub struct FsRenameSymbol(pub Journal);

impl TypedTool for FsRenameSymbol {
    type Args = Args;
    type Output = Renamed;
    const NAME: &'static str = "fs_rename_symbol";
    const DESCRIPTION_PL: &'static str = "Zmienia nazwę identyfikatora w całym projekcie (całe słowa); bez apply pokazuje tylko różnice, z apply zapisuje (cofnięcie: `dark8 undo`)";
    const DESCRIPTION_EN: &'static str = "Renames an identifier across a project (whole words); without apply it shows the diff, with apply it writes (`dark8 undo` reverts)";
    const RISK: RiskClass = RiskClass::Write;
    fn render(output: &Renamed) -> Vec<String> {
        crate::text::lines(&output.diff)
    }
    fn risks(&self, args: &Args) -> Vec<RiskClass> {
        if args.apply {
            vec![RiskClass::Write]
        } else {
            vec![RiskClass::Read]
        }
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Renamed> {
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
            let batch = self.0.batch(Self::NAME, &ctx.call_id);
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
            data: Renamed {
                diff,
                files,
                occurrences,
                applied: args.apply,
            },
        })
    }
}
