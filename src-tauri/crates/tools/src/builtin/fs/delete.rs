//! `fs_delete {path}`: moves a file or directory to DARK8's trash; `dark8 undo` brings it back.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::journal::Journal;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `fs_delete`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Ścieżka pliku albo katalogu (file or directory path)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
}

/// What `fs_delete` did.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Deleted {
    /// The deleted path.
    pub path: PathBuf,
    /// Where it lies in DARK8's trash.
    pub trash: PathBuf,
}

/// Deletes into the trash: each deletion is a batch of the undo journal.
#[derive(Debug, Clone)]
pub struct FsDelete(pub Journal);

impl TypedTool for FsDelete {
    type Args = Args;
    type Output = Deleted;
    const NAME: &'static str = "fs_delete";
    const DESCRIPTION_PL: &'static str =
        "Usuwa plik albo katalog do kosza DARK8; `dark8 undo` go przywraca";
    const DESCRIPTION_EN: &'static str =
        "Moves a file or directory to DARK8's trash; `dark8 undo` brings it back";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Deleted> {
        let path = ctx.resolve(&args.path)?;
        if !path.exists() {
            return Err(ToolError::new(
                format!("Nie ma pliku {}.", args.path),
                "Sprawdź nazwę: `dark8 tools call fs_list`.",
            ));
        }
        super::refuse_workspace_root(&ctx, &path, "usunę")?;
        let trash = self.0.batch(Self::NAME, &ctx.call_id).delete(&path).await?;
        Ok(ToolOutput {
            summary: format!(
                "Przeniesiono {} do kosza. Cofnięcie: `dark8 undo`.",
                args.path
            ),
            data: Deleted { path, trash },
        })
    }
}
