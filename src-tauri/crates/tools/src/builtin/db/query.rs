//! `db_query {query, url?, write?, max_rows?}`: one SQL statement, results as a table.

use dark8_protocol::RiskClass;
use futures_util::TryStreamExt;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::any::AnyRow;
use sqlx::{Column, Connection, Either, Row, ValueRef};

use super::connect::{db_error, db_paths, db_urls, open, target, url_of, Target};
use super::DatabaseConfig;
use crate::builtin::polish::count;
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `db_query`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Zapytanie SQL (one SQL statement)
    #[schemars(length(min = 1, max = 100000))]
    query: String,
    /// Plik SQLite albo postgres://… (default: [databases] database_url)
    #[serde(default)]
    url: Option<String>,
    /// Czy zapytanie może zmieniać dane (allow changes; needs approval)
    #[serde(default)]
    write: bool,
    /// Najwięcej wierszy (most rows, default 500)
    #[serde(default)]
    #[schemars(range(min = 1, max = 100000))]
    max_rows: Option<usize>,
}

/// What `db_query` returned.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct QueryResult {
    /// Column names (none for a statement that returns no rows).
    pub columns: Vec<String>,
    /// Rows of cells: numbers, text, booleans, null; blobs as their size.
    pub rows: Vec<Vec<Value>>,
    /// Rows the statement changed.
    pub rows_affected: u64,
    /// Whether rows were cut at max_rows.
    pub truncated: bool,
}

/// A cell as a person reads it.
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Runs SQL: with the configured default database.
#[derive(Debug, Clone)]
pub struct DbQuery(pub DatabaseConfig);

/// A cell as JSON: numbers, text, booleans, null; blobs as their size.
pub fn cell(row: &AnyRow, index: usize) -> Value {
    match row.try_get_raw(index) {
        Ok(raw) if raw.is_null() => return Value::Null,
        Err(_) => return Value::Null,
        Ok(_) => {}
    }
    if let Ok(v) = row.try_get::<i64, _>(index) {
        return json!(v);
    }
    if let Ok(v) = row.try_get::<f64, _>(index) {
        return json!(v);
    }
    if let Ok(v) = row.try_get::<String, _>(index) {
        return json!(v);
    }
    if let Ok(v) = row.try_get::<bool, _>(index) {
        return json!(v);
    }
    if let Ok(v) = row.try_get::<Vec<u8>, _>(index) {
        return json!(format!("<{} bajtów>", v.len()));
    }
    json!("<nieobsługiwany typ>")
}

/// Database tools reach a server (network) for PostgreSQL.
pub fn risks_of(given: Option<&str>, default: Option<&str>, write: bool) -> Vec<RiskClass> {
    let mut risks = vec![if write {
        RiskClass::Write
    } else {
        RiskClass::Read
    }];
    if matches!(
        url_of(given, default).as_deref().map(target),
        Some(Ok(Target::Postgres(_)))
    ) {
        risks.push(RiskClass::Network);
    }
    risks
}

impl TypedTool for DbQuery {
    type Args = Args;
    type Output = QueryResult;
    const NAME: &'static str = "db_query";
    const DESCRIPTION_PL: &'static str = "Wykonuje zapytanie SQL na pliku SQLite albo bazie PostgreSQL; tylko odczyt, chyba że write: true (wymaga zgody); wynik jako tabela";
    const DESCRIPTION_EN: &'static str = "Runs SQL against a SQLite file or PostgreSQL; read-only unless write: true (needs approval); results as a table";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &QueryResult) -> Vec<String> {
        let rows: Vec<Vec<String>> = output
            .rows
            .iter()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        crate::text::table(&output.columns, &rows)
    }
    fn paths(&self, args: &Args) -> Vec<String> {
        db_paths(args.url.as_deref(), self.0.database_url.as_deref())
    }
    fn urls(&self, args: &Args) -> Vec<String> {
        db_urls(args.url.as_deref(), self.0.database_url.as_deref())
    }
    fn risks(&self, args: &Args) -> Vec<RiskClass> {
        risks_of(
            args.url.as_deref(),
            self.0.database_url.as_deref(),
            args.write,
        )
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<QueryResult> {
        let url = args.url.clone().or_else(|| self.0.database_url.clone()).ok_or_else(|| {
                ToolError::new(
                    "Nie podano bazy danych.",
                    "Podaj url (plik SQLite albo postgres://…) albo ustaw [databases] database_url w konfiguracji.",
                )
            })?;
        let target = target(&url)?;
        let mut conn = open(&ctx, &target, args.write).await?;
        let mut tx = conn.begin().await.map_err(|e| db_error(&e))?;
        if matches!(target, Target::Postgres(_)) && !args.write {
            sqlx::query("SET TRANSACTION READ ONLY")
                .execute(&mut *tx)
                .await
                .map_err(|e| db_error(&e))?;
        }
        let max = args.max_rows.unwrap_or(500);
        let mut columns: Vec<String> = Vec::new();
        let mut rows: Vec<Vec<Value>> = Vec::new();
        let mut affected = 0u64;
        let mut truncated = false;
        {
            let mut results = sqlx::raw_sql(&args.query).fetch_many(&mut *tx);
            while let Some(item) = results.try_next().await.map_err(|e| db_error(&e))? {
                match item {
                    Either::Left(done) => affected += done.rows_affected(),
                    Either::Right(row) => {
                        if columns.is_empty() {
                            columns = row.columns().iter().map(|c| c.name().to_owned()).collect();
                        }
                        if rows.len() == max {
                            truncated = true;
                            continue;
                        }
                        rows.push((0..row.columns().len()).map(|i| cell(&row, i)).collect());
                    }
                }
            }
        }
        if args.write {
            tx.commit().await.map_err(|e| db_error(&e))?;
        } else {
            tx.rollback().await.map_err(|e| db_error(&e))?;
        }
        let summary = if columns.is_empty() {
            format!("Zapytanie wykonane; zmienionych wierszy: {affected}.")
        } else if truncated {
            format!(
                "{} kolumn, pokazano pierwsze {max} wierszy (jest ich więcej).",
                columns.len()
            )
        } else {
            format!(
                "{}, {}.",
                count(rows.len(), "wiersz", "wiersze", "wierszy"),
                count(columns.len(), "kolumna", "kolumny", "kolumn")
            )
        };
        Ok(ToolOutput {
            summary,
            data: QueryResult {
                columns,
                rows,
                rows_affected: affected,
                truncated,
            },
        })
    }
}
