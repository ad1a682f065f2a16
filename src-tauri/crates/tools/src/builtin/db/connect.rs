//! Which database a call means and how to open it read-only or writable.

use std::path::PathBuf;

use sqlx::any::AnyConnectOptions;
use sqlx::AnyConnection;
use sqlx::ConnectOptions;

use crate::tool::{ToolContext, ToolError};

/// A database a call names.
#[derive(Debug, Clone)]
pub enum Target {
    /// A SQLite file (inside the workspace).
    Sqlite(String),
    /// A PostgreSQL URL.
    Postgres(String),
}

/// The database URL of a call: its `url`, else the configured default.
pub fn url_of(given: Option<&str>, default: Option<&str>) -> Option<String> {
    given.or(default).map(str::to_owned)
}

/// What `url` names: `postgres://`/`postgresql://` URLs, `sqlite:` URLs or plain file paths.
pub fn target(url: &str) -> Result<Target, ToolError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Ok(Target::Postgres(url.to_owned()))
    } else if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Ok(Target::Sqlite(
            path.split('?').next().unwrap_or(path).to_owned(),
        ))
    } else if url.contains("://") {
        Err(ToolError::new(
            format!(
                "Nieobsługiwana baza: {}",
                url.split("://").next().unwrap_or(url)
            ),
            "Obsługiwane: plik SQLite albo postgres://użytkownik@host/baza.",
        ))
    } else {
        Ok(Target::Sqlite(url.to_owned()))
    }
}

/// The SQLite file a call names, for the policy's path rules.
pub fn db_paths(given: Option<&str>, default: Option<&str>) -> Vec<String> {
    url_of(given, default)
        .and_then(|u| sqlite_path(&u))
        .into_iter()
        .collect()
}

/// The PostgreSQL URL a call names, for the policy's domain rules.
pub fn db_urls(given: Option<&str>, default: Option<&str>) -> Vec<String> {
    url_of(given, default)
        .filter(|u| matches!(target(u), Ok(Target::Postgres(_))))
        .into_iter()
        .collect()
}

/// The path a SQLite target names (for the path rules).
pub fn sqlite_path(url: &str) -> Option<String> {
    match target(url) {
        Ok(Target::Sqlite(path)) => Some(path),
        _ => None,
    }
}

/// Opens the target; a SQLite file must exist and is opened read-only unless `write`.
pub async fn open(
    ctx: &ToolContext,
    target: &Target,
    write: bool,
) -> Result<AnyConnection, ToolError> {
    sqlx::any::install_default_drivers();
    let url = match target {
        Target::Postgres(url) => url.clone(),
        Target::Sqlite(path) => {
            let file: PathBuf = ctx.resolve(path)?;
            if !file.is_file() {
                return Err(ToolError::new(
                    format!("Nie ma bazy SQLite {path}."),
                    "Podaj istniejący plik bazy (albo utwórz ją zapytaniem CREATE TABLE z write: true w nowym pliku przez sqlite3).",
                ));
            }
            let mode = if write { "rw" } else { "ro" };
            format!("sqlite://{}?mode={mode}", file.display())
        }
    };
    let options: AnyConnectOptions = url.parse().map_err(|e| {
        ToolError::new(
            format!("Niepoprawny adres bazy: {e}"),
            "Sprawdź adres bazy danych.",
        )
    })?;
    options.connect().await.map_err(|e| db_error(&e))
}

/// A database error in Polish, with a hint for the usual causes.
pub fn db_error(err: &sqlx::Error) -> ToolError {
    let text = err.to_string();
    let lower = text.to_lowercase();
    let hint =
        if lower.contains("readonly") || lower.contains("read-only") || lower.contains("read only")
        {
            "Zapytanie zmienia dane: powtórz je z write: true (wymaga zgody)."
        } else if lower.contains("syntax") {
            "Popraw składnię SQL."
        } else if lower.contains("no such table") || lower.contains("does not exist") {
            "Sprawdź nazwy tabel: db_tables."
        } else if lower.contains("password") || lower.contains("authentication") {
            "Sprawdź użytkownika i hasło bazy."
        } else if lower.contains("connect") || lower.contains("refused") {
            "Sprawdź, czy serwer bazy działa i adres jest poprawny."
        } else {
            "Sprawdź zapytanie i adres bazy."
        };
    ToolError::new(format!("Błąd bazy danych: {text}"), hint)
}
