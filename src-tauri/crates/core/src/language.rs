//! The user's language: Polish first, English available.

use serde::{Deserialize, Serialize};

/// Language of user-facing text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Polski (default).
    #[default]
    Pl,
    /// English.
    En,
}

impl Language {
    /// Picks the text in this language.
    pub fn pick<'a>(self, pl: &'a str, en: &'a str) -> &'a str {
        match self {
            Language::Pl => pl,
            Language::En => en,
        }
    }
}
