//! What can go wrong in the browser, in Polish, and how it reads as a tool error.

use std::path::PathBuf;

use dark8_tools::ToolError;

/// A browser failure.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// No Chromium, Chrome or Edge on this machine (or not at the configured path).
    #[error("nie znaleziono przeglądarki Chromium, Chrome ani Edge")]
    NotFound,
    /// The browser did not start or did not open its debugging socket.
    #[error("nie uruchomiono przeglądarki {}: {detail}", program.display())]
    Start {
        /// What was started.
        program: PathBuf,
        /// What it said.
        detail: String,
    },
    /// DARK8's profile directory could not be made.
    #[error("nie utworzono profilu przeglądarki {}: {detail}", path.display())]
    Profile {
        /// The directory.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// The DevTools protocol failed.
    #[error("przeglądarka nie odpowiedziała ({what}): {detail}")]
    Protocol {
        /// What DARK8 asked for.
        what: &'static str,
        /// What went wrong.
        detail: String,
    },
    /// A page did not load.
    #[error("nie wczytano strony {url}: {detail}")]
    Navigation {
        /// The address.
        url: String,
        /// Why.
        detail: String,
    },
    /// No tab with that number.
    #[error("nie ma karty nr {number}")]
    NoTab {
        /// The number asked for.
        number: usize,
    },
    /// An element number the current page does not have (any more).
    #[error("na stronie nie ma elementu [{number}]{detail}")]
    NoElement {
        /// The number asked for.
        number: u32,
        /// What else is known (`: zniknął po zmianie strony`).
        detail: String,
    },
    /// No element says the text asked for.
    #[error("na stronie nie ma elementu z tekstem „{text}”")]
    NoText {
        /// The text.
        text: String,
    },
    /// The element cannot do what was asked (type into a link, select in a button).
    #[error("element [{number}] to {kind}: {detail}")]
    WrongElement {
        /// Its number.
        number: u32,
        /// What it is, in Polish.
        kind: String,
        /// What it cannot do.
        detail: String,
    },
    /// What was waited for did not appear in time.
    #[error("nie doczekano się: {what} nie pojawił się w {seconds} s")]
    Timeout {
        /// What was awaited, in Polish.
        what: String,
        /// How long DARK8 waited.
        seconds: u64,
    },
    /// A file could not be written.
    #[error("nie zapisano pliku {}: {detail}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        detail: String,
    },
    /// An address DARK8 does not open.
    #[error("nie otworzę adresu {url}: {reason}")]
    Refused {
        /// The address.
        url: String,
        /// Why.
        reason: String,
    },
}

impl BrowserError {
    /// A protocol failure while doing `what`.
    pub fn protocol(what: &'static str, err: impl std::fmt::Display) -> BrowserError {
        BrowserError::Protocol {
            what,
            detail: err.to_string(),
        }
    }
}

impl From<BrowserError> for ToolError {
    fn from(err: BrowserError) -> ToolError {
        let hint = match &err {
            BrowserError::NotFound | BrowserError::Start { .. } => crate::locate::install_hint(),
            BrowserError::Profile { .. } => {
                "Sprawdź uprawnienia katalogu danych DARK8 (`dark8 doctor`)."
            }
            BrowserError::Protocol { .. } => {
                "Spróbuj ponownie; DARK8 uruchomi przeglądarkę od nowa, jeśli padła."
            }
            BrowserError::Navigation { .. } => "Sprawdź adres i połączenie z siecią.",
            BrowserError::Refused { .. } => {
                "Podaj adres http:// albo https://, dozwolony przez politykę; adres lokalny wpisz sam."
            }
            BrowserError::NoTab { .. } => "Sprawdź numery kart (browser_tabs).",
            BrowserError::NoElement { .. } | BrowserError::NoText { .. } => {
                "Zobacz aktualną listę elementów (browser_open bez zmian adresu albo browser_read) i użyj jej numerów."
            }
            BrowserError::WrongElement { .. } => "Wybierz element właściwego rodzaju z listy.",
            BrowserError::Write { .. } => "Sprawdź ścieżkę, uprawnienia i wolne miejsce.",
            BrowserError::Timeout { .. } => {
                "Strona może ładować się dłużej: zwiększ seconds albo sprawdź, czy tekst jest dokładnie taki."
            }
        };
        ToolError::new(format!("{}.", capitalized(&err.to_string())), hint)
    }
}

/// `text` with its first letter in upper case.
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
