//! `db_tables {url?}`: the tables (and views) of a database with their columns.

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row;

use super::connect::{db_error, db_paths, db_urls, open, target, Target};
use super::query::risks_of;
use super::DatabaseConfig;
use crate::builtin::args::parse;
use crate::tool::{schema_of, Tool, ToolContext, ToolError, ToolFuture, ToolOutput};

/// Arguments of `db_tables`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Args {
    /// Plik SQLite albo postgres://… (default: [databases] database_url)
    #[serde(default)]
    url: Option<String>,
}

/// Lists tables.
#[derive(Debug, Clone)]
pub struct DbTables {
    config: DatabaseConfig,
}

impl DbTables {
    /// With the configured default database.
    pub fn new(config: DatabaseConfig) -> DbTables {
        DbTables { config }
    }
}

const SQLITE_COLUMNS: &str =
    "SELECT m.name AS tbl, p.name AS col, p.type AS typ FROM sqlite_master m \
     JOIN pragma_table_info(m.name) p WHERE m.type IN ('table', 'view') \
     AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid";

const POSTGRES_COLUMNS: &str =
    "SELECT table_schema || '.' || table_name AS tbl, column_name::text AS col, \
     data_type::text AS typ FROM information_schema.columns \
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema') \
     ORDER BY table_schema, table_name, ordinal_position";

impl Tool for DbTables {
    fn name(&self) -> &'static str {
        "db_tables"
    }
    fn description_pl(&self) -> &'static str {
        "Wypisuje tabele i widoki bazy (SQLite albo PostgreSQL) z ich kolumnami i typami"
    }
    fn description_en(&self) -> &'static str {
        "Lists a database's tables and views (SQLite or PostgreSQL) with their columns and types"
    }
    fn risk(&self) -> RiskClass {
        RiskClass::Read
    }
    fn risks(&self, args: &Value) -> Vec<RiskClass> {
        risks_of(args, self.config.database_url.as_deref(), false)
    }
    fn schema(&self) -> Value {
        schema_of::<Args>()
    }
    fn paths(&self, args: &Value) -> Vec<String> {
        db_paths(args, self.config.database_url.as_deref())
    }
    fn urls(&self, args: &Value) -> Vec<String> {
        db_urls(args, self.config.database_url.as_deref())
    }
    fn run<'a>(&'a self, args: Value, ctx: ToolContext) -> ToolFuture<'a> {
        Box::pin(async move {
            let args: Args = parse(self.name(), args)?;
            let url = args
                .url
                .or_else(|| self.config.database_url.clone())
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
            let mut tables: Vec<Value> = Vec::new();
            for row in rows {
                let table: String = row.try_get("tbl").map_err(|e| db_error(&e))?;
                let column: String = row.try_get("col").map_err(|e| db_error(&e))?;
                let kind: String = row.try_get("typ").unwrap_or_default();
                if tables.last().is_none_or(|t| t["name"] != table.as_str()) {
                    tables.push(json!({"name": table, "columns": []}));
                }
                if let Some(columns) = tables.last_mut().and_then(|t| t["columns"].as_array_mut()) {
                    columns.push(json!({"name": column, "type": kind}));
                }
            }
            let names: Vec<&str> = tables.iter().filter_map(|t| t["name"].as_str()).collect();
            let summary = if names.is_empty() {
                "Baza nie ma tabel.".to_owned()
            } else {
                format!("Tabele ({}): {}.", names.len(), names.join(", "))
            };
            Ok(ToolOutput {
                summary,
                data: json!({"tables": tables}),
            })
        })
    }
}
