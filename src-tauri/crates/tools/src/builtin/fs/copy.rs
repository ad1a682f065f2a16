//! `fs_copy {path, destination, overwrite}`: copies a file or a directory; `dark8 undo` removes
//! the copy (or puts back the file it replaced).

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use super::io_error;
use super::journal::{copy_tree, Journal};
use super::placement::{target_of, Target};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `fs_copy`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Co skopiować: plik albo katalog (source file or directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// Dokąd: nowa nazwa albo istniejący katalog (new name or an existing directory)
    #[schemars(length(min = 1))]
    #[tool(path)]
    destination: String,
    /// Zastąp istniejący plik (replace an existing file; the old one stays for `dark8 undo`)
    #[serde(default)]
    overwrite: bool,
}

/// What `fs_copy` made.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Copied {
    /// The source.
    pub from: PathBuf,
    /// The copy.
    pub to: PathBuf,
    /// Whether an existing file was replaced.
    pub replaced: bool,
}

/// Copies through the undo journal.
#[derive(Debug, Clone)]
pub struct FsCopy(pub Journal);

impl TypedTool for FsCopy {
    type Args = Args;
    type Output = Copied;
    const NAME: &'static str = "fs_copy";
    const DESCRIPTION_PL: &'static str =
        "Kopiuje plik albo katalog (do nowej nazwy albo do istniejącego katalogu); `dark8 undo` usuwa kopię";
    const DESCRIPTION_EN: &'static str =
        "Copies a file or directory (to a new name or into an existing directory); `dark8 undo` removes the copy";
    const RISK: RiskClass = RiskClass::Write;
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Copied> {
        let from = ctx.resolve(&args.path)?;
        let destination = ctx.resolve(&args.destination)?;
        let Target { path: to, exists } =
            target_of(&from, &args.path, &destination, &args.destination)?;
        let batch = self.0.batch(Self::NAME, &ctx.call_id);
        if from.is_dir() {
            if exists {
                return Err(ToolError::new(
                    format!("{} już istnieje.", to.display()),
                    "Podaj inną nazwę kopii albo najpierw usuń tamten katalog.",
                ));
            }
            batch.create(&to).await?;
            if let Err(err) = copy_tree(&from, &to) {
                // No half copy: what was copied goes away again.
                let _ = std::fs::remove_dir_all(&to);
                return Err(io_error("skopiować", &from, &err));
            }
        } else {
            if exists && !args.overwrite {
                return Err(ToolError::new(
                    format!("Plik {} już istnieje.", to.display()),
                    "Podaj inną nazwę albo pozwól go zastąpić (overwrite: true; `dark8 undo` go przywróci).",
                ));
            }
            let bytes = std::fs::read(&from).map_err(|e| io_error("odczytać", &from, &e))?;
            batch.write(&to, &bytes).await?;
        }
        Ok(ToolOutput {
            summary: format!(
                "Skopiowano {} do {}. Cofnięcie: `dark8 undo`.",
                args.path,
                to.display()
            ),
            data: Copied {
                from,
                to,
                replaced: exists,
            },
        })
    }
}
