//! Errors of the core, with a message and a hint for the user in their language.

use std::path::PathBuf;

use dark8_store::StoreError;

use crate::language::Language;

/// Everything that can stop the core from starting or serving a request.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// No home directory could be found to put DARK8's files in.
    #[error("cannot find a home directory for DARK8's files; set DARK8_HOME")]
    NoHome,
    /// The configuration file is unreadable or invalid.
    #[error("invalid configuration in {path}: {detail}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The secrets vault failed.
    #[error(transparent)]
    Vault(#[from] dark8_tools::vault::VaultError),
    /// The tools could not be set up (a bad policy or tool definition).
    #[error("{0}")]
    Tools(String),
    /// A directory or file could not be used.
    #[error("cannot use {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A front end's request cannot be carried out as asked.
    #[error("{en}")]
    BadRequest {
        /// What is wrong, in Polish.
        pl: String,
        /// What is wrong, in English.
        en: String,
    },
}

/// A message for the user and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMessage {
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl CoreError {
    /// The error told to the user in `language`, with a hint.
    pub fn user_message(&self, language: Language) -> UserMessage {
        let (message, hint) = match self {
            CoreError::NoHome => (
                language
                    .pick(
                        "Nie znaleziono katalogu domowego na pliki DARK8.",
                        "No home directory found for DARK8's files.",
                    )
                    .to_owned(),
                language
                    .pick(
                        "Ustaw zmienną DARK8_HOME, np. DARK8_HOME=~/.dark8.",
                        "Set DARK8_HOME, e.g. DARK8_HOME=~/.dark8.",
                    )
                    .to_owned(),
            ),
            CoreError::Config { path, detail } => (
                match language {
                    Language::Pl => format!("Błędna konfiguracja w {}: {detail}", path.display()),
                    Language::En => format!("Invalid configuration in {}: {detail}", path.display()),
                },
                language
                    .pick(
                        "Popraw plik (wzór: `dark8 config show`) albo usuń go, by wrócić do ustawień domyślnych.",
                        "Fix the file (see `dark8 config show`) or remove it to get the defaults back.",
                    )
                    .to_owned(),
            ),
            CoreError::Store(err) => (
                match language {
                    Language::Pl => format!("Baza danych DARK8 nie działa: {err}"),
                    Language::En => format!("DARK8's database failed: {err}"),
                },
                language
                    .pick(
                        "Sprawdź miejsce na dysku i prawa do katalogu danych (`dark8 doctor`, `dark8 config path`).",
                        "Check free disk space and permissions of the data directory (`dark8 doctor`, `dark8 config path`).",
                    )
                    .to_owned(),
            ),
            CoreError::Vault(err) => (
                match language {
                    Language::Pl => format!("Sejf na sekrety: {err}"),
                    Language::En => format!("Secrets vault: {err}"),
                },
                language
                    .pick(err.hint(), "See `dark8 secret --help` and `dark8 doctor`.")
                    .to_owned(),
            ),
            CoreError::Tools(detail) => (
                match language {
                    Language::Pl => format!("Nie można przygotować narzędzi: {detail}"),
                    Language::En => format!("Cannot set up the tools: {detail}"),
                },
                language
                    .pick(
                        "Popraw sekcje [policy] i [sandbox] konfiguracji (`dark8 config path`).",
                        "Fix the [policy] and [sandbox] sections of the configuration (`dark8 config path`).",
                    )
                    .to_owned(),
            ),
            CoreError::Io { path, source } => (
                match language {
                    Language::Pl => format!("Nie można użyć {}: {source}", path.display()),
                    Language::En => format!("Cannot use {}: {source}", path.display()),
                },
                language
                    .pick(
                        "Sprawdź, czy ścieżka istnieje i masz do niej prawa, albo ustaw DARK8_HOME.",
                        "Check that the path exists and is yours, or set DARK8_HOME.",
                    )
                    .to_owned(),
            ),
            CoreError::BadRequest { pl, en } => (
                language.pick(pl, en).to_owned(),
                language
                    .pick(
                        "Popraw polecenie i spróbuj ponownie, np. „Pokaż pliki w katalogu src”.",
                        "Fix the request and try again, e.g. \"Pokaż pliki w katalogu src\".",
                    )
                    .to_owned(),
            ),
        };
        UserMessage { message, hint }
    }
}
