//! `fs_mkdir {path}`: creates a directory with the parents it needs; `dark8 undo` removes what
//! it created.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::io_error;
use super::journal::Journal;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `fs_mkdir`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Ścieżka nowego katalogu (new directory path)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
}

/// What `fs_mkdir` made.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MadeDirectory {
    /// The directory.
    pub path: PathBuf,
    /// False when it was there already (nothing changed).
    pub created: bool,
}

/// Creates directories through the undo journal.
#[derive(Debug, Clone)]
pub struct FsMkdir(pub Journal);

impl TypedTool for FsMkdir {
    type Args = Args;
    type Output = MadeDirectory;
    const NAME: &'static str = "fs_mkdir";
    const DESCRIPTION_PL: &'static str =
        "Tworzy katalog (z brakującymi katalogami nadrzędnymi); `dark8 undo` go usuwa";
    const DESCRIPTION_EN: &'static str =
        "Creates a directory (and missing parents); `dark8 undo` removes it";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<MadeDirectory> {
        let path = ctx.resolve(&args.path)?;
        if path.is_dir() {
            return Ok(ToolOutput {
                summary: format!("Katalog {} już istnieje; niczego nie zmieniono.", args.path),
                data: MadeDirectory {
                    path,
                    created: false,
                },
            });
        }
        if path.exists() {
            return Err(ToolError::new(
                format!("{} istnieje i jest plikiem, nie katalogiem.", args.path),
                "Podaj inną nazwę katalogu.",
            ));
        }
        // Undo removes the topmost directory this call creates, and with it the rest.
        let mut topmost = path.clone();
        while let Some(parent) = topmost.parent() {
            if parent.exists() {
                break;
            }
            topmost = parent.to_path_buf();
        }
        self.0
            .batch(Self::NAME, &ctx.call_id)
            .create(&topmost)
            .await?;
        std::fs::create_dir_all(&path).map_err(|e| io_error("utworzyć katalogu", &path, &e))?;
        Ok(ToolOutput {
            summary: format!("Utworzono katalog {}. Cofnięcie: `dark8 undo`.", args.path),
            data: MadeDirectory {
                path,
                created: true,
            },
        })
    }
}
