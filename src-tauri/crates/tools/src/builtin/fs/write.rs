//! `fs_write {path, content, mode}`: creates, overwrites or appends, atomically, keeping the
//! previous version for `dark8 undo`.

use dark8_protocol::RiskClass;
use dark8_store::UndoKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::diff::unified;
use super::io_error;
use super::journal::Journal;
use super::text::human_size;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// How `fs_write` treats an existing file.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Mode {
    /// Only a new file; an existing one is an error.
    Create,
    /// Replace the content (the old version stays for `dark8 undo`).
    #[default]
    Overwrite,
    /// Add to the end.
    Append,
}

/// Files larger than this get no diff preview.
const PREVIEW_MAX_BYTES: usize = 1 << 20;
/// Most lines of a diff preview.
const PREVIEW_MAX_LINES: usize = 200;

/// `text` cut to `max` lines, saying how many were left out.
fn shorten_lines(text: &str, max: usize) -> String {
    let total = text.lines().count();
    if total <= max {
        return text.to_owned();
    }
    let kept: Vec<&str> = text.lines().take(max).collect();
    format!(
        "{}\n… (pominięto {} z {total} linii)",
        kept.join("\n"),
        total - max
    )
}

/// Arguments of `fs_write`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Ścieżka pliku (file path)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// Treść (content)
    #[schemars(length(max = 16777216))]
    content: String,
    /// create | overwrite | append (domyślnie overwrite)
    #[serde(default)]
    mode: Mode,
}

/// What `fs_write` wrote.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Written {
    /// The file.
    pub path: PathBuf,
    /// Its size now.
    pub bytes: usize,
    /// Whether it is new.
    pub created: bool,
}

/// Writes a file: writing through `journal`.
#[derive(Debug, Clone)]
pub struct FsWrite(pub Journal);

impl TypedTool for FsWrite {
    type Args = Args;
    type Output = Written;
    const NAME: &'static str = "fs_write";
    const DESCRIPTION_PL: &'static str = "Zapisuje plik atomowo (create: tylko nowy, overwrite: zastępuje, append: dopisuje); poprzednią wersję przywraca `dark8 undo`";
    const DESCRIPTION_EN: &'static str = "Writes a file atomically (create: new only, overwrite: replace, append: add to the end); `dark8 undo` restores the previous version";
    const RISK: RiskClass = RiskClass::Write;
    fn preview(&self, args: &Args, ctx: &ToolContext) -> Option<String> {
        let path = ctx.resolve(&args.path).ok()?;
        let old = match std::fs::read(&path) {
            Ok(bytes) if bytes.len() <= PREVIEW_MAX_BYTES => String::from_utf8(bytes).ok()?,
            Ok(_) => return None,
            Err(_) => String::new(),
        };
        let new = match args.mode {
            Mode::Append => format!("{old}{}", args.content),
            Mode::Create | Mode::Overwrite => args.content.clone(),
        };
        let (diff, _, _) = unified(
            &old,
            &new,
            &format!("a/{}", args.path),
            &format!("b/{}", args.path),
        );
        Some(shorten_lines(&diff, PREVIEW_MAX_LINES))
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Written> {
        let path = ctx.resolve(&args.path)?;
        if path.is_dir() {
            return Err(ToolError::new(
                format!("{} to katalog; nie zapiszę go jako pliku.", args.path),
                "Podaj ścieżkę pliku w tym katalogu.",
            ));
        }
        let bytes = match args.mode {
            Mode::Create if path.exists() => {
                return Err(ToolError::new(
                    format!(
                        "Plik {} już istnieje; tryb create go nie nadpisze.",
                        args.path
                    ),
                    "Użyj mode \"overwrite\" albo \"append\".",
                ))
            }
            Mode::Append if path.exists() => {
                let mut old = std::fs::read(&path).map_err(|e| io_error("odczytać", &path, &e))?;
                old.extend_from_slice(args.content.as_bytes());
                old
            }
            _ => args.content.clone().into_bytes(),
        };
        let kind = self
            .0
            .batch(Self::NAME, &ctx.call_id)
            .write(&path, &bytes)
            .await?;
        let verb = match (kind, args.mode) {
            (UndoKind::Created, _) => "Utworzono",
            (_, Mode::Append) => "Dopisano do",
            _ => "Nadpisano",
        };
        Ok(ToolOutput {
            summary: format!(
                "{verb} {} ({}). Cofnięcie: `dark8 undo`.",
                args.path,
                human_size(bytes.len() as u64)
            ),
            data: Written {
                path,
                bytes: bytes.len(),
                created: kind == UndoKind::Created,
            },
        })
    }
}
