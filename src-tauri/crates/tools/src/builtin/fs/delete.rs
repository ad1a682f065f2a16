//! `fs_delete {path}`: moves a file or directory to DARK8's trash; `dark8 undo` brings it back.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

use super::journal::Journal;
use super::{parse, path_arg};
use crate::tool::{schema_of, Tool, ToolContext, ToolError, ToolFuture, ToolOutput};

/// Arguments of `fs_delete`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Ścieżka pliku albo katalogu (file or directory path)
    #[schemars(length(min = 1))]
    path: String,
}

/// Deletes into the trash.
#[derive(Debug, Clone)]
pub struct FsDelete {
    journal: Journal,
}

impl FsDelete {
    /// Deleting through `journal`.
    pub fn new(journal: Journal) -> FsDelete {
        FsDelete { journal }
    }
}

impl Tool for FsDelete {
    fn name(&self) -> &'static str {
        "fs_delete"
    }
    fn description_pl(&self) -> &'static str {
        "Usuwa plik albo katalog do kosza DARK8; `dark8 undo` go przywraca"
    }
    fn description_en(&self) -> &'static str {
        "Moves a file or directory to DARK8's trash; `dark8 undo` brings it back"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Write
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
            let path = ctx.resolve(&args.path)?;
            if !path.exists() {
                return Err(ToolError::new(
                    format!("Nie ma pliku {}.", args.path),
                    "Sprawdź nazwę: `dark8 tools call fs_list`.",
                ));
            }
            if ctx.roots.iter().any(|root| root == &path) {
                return Err(ToolError::new(
                    "Nie usunę całego obszaru roboczego.",
                    "Podaj plik albo podkatalog.",
                ));
            }
            let trash = self.journal.batch(self.name()).delete(&path).await?;
            Ok(ToolOutput {
                summary: format!(
                    "Przeniesiono {} do kosza. Cofnięcie: `dark8 undo`.",
                    args.path
                ),
                data: json!({"path": path, "trash": trash}),
            })
        })
    }
}
