//! `db_tables {url?}`: the tables (and views) of a database with their columns.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::connect::{db_error, db_paths, db_urls, open, target, Target};
use super::query::risks_of;
use super::DatabaseConfig;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `db_tables`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Plik SQLite albo postgres://… (default: [databases] database_url)
    #[serde(default)]
    url: Option<String>,
}

/// A column of a table.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct TableColumn {
    /// Its name.
    pub name: String,
    /// Its declared type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A table with its columns.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    /// Its name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<TableColumn>,
}

/// The tables `db_tables` found.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Tables {
    /// Sorted by name.
    pub tables: Vec<Table>,
}

/// Lists tables: with the configured default database.
#[derive(Debug, Clone)]
pub struct DbTables(pub DatabaseConfig);

const SQLITE_COLUMNS: &str =
    "SELECT m.name AS tbl, p.name AS col, p.type AS typ FROM sqlite_master m \
     JOIN pragma_table_info(m.name) p WHERE m.type IN ('table', 'view') \
     AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid";

const POSTGRES_COLUMNS: &str =
    "SELECT table_schema || '.' || table_name AS tbl, column_name::text AS col, \
     data_type::text AS typ FROM information_schema.columns \
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema') \
     ORDER BY table_schema, table_name, ordinal_position";

impl TypedTool for DbTables {
    type Args = Args;
    type Output = Tables;
    const NAME: &'static str = "db_tables";
    const DESCRIPTION_PL: &'static str =
        "Wypisuje tabele i widoki bazy (SQLite albo PostgreSQL) z ich kolumnami i typami";
    const DESCRIPTION_EN: &'static str =
        "Lists a database's tables and views (SQLite or PostgreSQL) with their columns and types";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &Tables) -> Vec<String> {
        output
            .tables
            .iter()
            .map(|t| {
                let columns: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| format!("{} {}", c.name, c.kind))
                    .collect();
                format!("{} ({})", t.name, columns.join(", "))
            })
            .collect()
    }
    fn paths(&self, args: &Args) -> Vec<String> {
        db_paths(args.url.as_deref(), self.0.database_url.as_deref())
    }
    fn urls(&self, args: &Args) -> Vec<String> {
        db_urls(args.url.as_deref(), self.0.database_url.as_deref())
    }
    fn risks(&self, args: &Args) -> Vec<RiskClass> {
        risks_of(args.url.as_deref(), self.0.database_url.as_deref(), false)
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<Tables> {
        let url = args
            .url
            .or_else(|| self.0.database_url.clone())
            .ok_or_else(|| {
                ToolError::new(
                    "Nie podano bazy danych.",
                    "Podaj url albo ustaw [databases] database_url.",
                )
            })?;
        let target = target(&url)?;
        let mut conn = open(&ctx, &target, false).await?;
        let sql = match target {
            Target::Sqlite(_) => SQLITE_COLUMNS,
            Target::Postgres(_) => POSTGRES_COLUMNS,
        };
        let rows = sqlx::query(sql)
            .fetch_all(&mut conn)
            .await
            .map_err(|e| db_error(&e))?;
        let mut tables: Vec<Table> = Vec::new();
        for row in rows {
            let table: String = row.try_get("tbl").map_err(|e| db_error(&e))?;
            let column: String = row.try_get("col").map_err(|e| db_error(&e))?;
            let kind: String = row.try_get("typ").unwrap_or_default();
            if tables.last().is_none_or(|t| t.name != table) {
                tables.push(Table {
                    name: table,
                    columns: Vec::new(),
                });
            }
            if let Some(last) = tables.last_mut() {
                last.columns.push(TableColumn { name: column, kind });
            }
        }
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        let summary = if names.is_empty() {
            "Baza nie ma tabel.".to_owned()
        } else {
            format!("Tabele ({}): {}.", names.len(), names.join(", "))
        };
        Ok(ToolOutput {
            summary,
            data: Tables { tables },
        })
    }
}
