//! `fs_move {path, destination}`: moves or renames a file or directory; `dark8 undo` moves it
//! back.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::journal::Journal;
use super::placement::{target_of, Target};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `fs_move`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Co przenieść: plik albo katalog (source file or directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// Dokąd: nowa nazwa albo istniejący katalog (new name or an existing directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    destination: String,
}

/// What `fs_move` did.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Moved {
    /// Where it was.
    pub from: PathBuf,
    /// Where it is now.
    pub to: PathBuf,
}

/// Moves through the undo journal.
#[derive(Debug, Clone)]
pub struct FsMove(pub Journal);

impl TypedTool for FsMove {
    type Args = Args;
    type Output = Moved;
    const NAME: &'static str = "fs_move";
    const DESCRIPTION_PL: &'static str =
        "Przenosi albo zmienia nazwę pliku lub katalogu; `dark8 undo` przenosi go z powrotem";
    const DESCRIPTION_EN: &'static str =
        "Moves or renames a file or directory; `dark8 undo` moves it back";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Moved> {
        let from = ctx.resolve(&args.path)?;
        let destination = ctx.resolve(&args.destination)?;
        super::refuse_workspace_root(&ctx, &from, "przeniosę")?;
        let Target { path: to, exists } =
            target_of(&from, &args.path, &destination, &args.destination)?;
        if exists {
            return Err(ToolError::new(
                format!("{} już istnieje; niczego nie nadpisuję.", to.display()),
                "Podaj inną nazwę albo najpierw usuń tamten plik (`dark8 undo` go przywróci).",
            ));
        }
        self.0
            .batch(Self::NAME, &ctx.call_id)
            .relocate(&from, &to)
            .await?;
        Ok(ToolOutput {
            summary: format!(
                "Przeniesiono {} do {}. Cofnięcie: `dark8 undo`.",
                args.path,
                to.display()
            ),
            data: Moved { from, to },
        })
    }
}
