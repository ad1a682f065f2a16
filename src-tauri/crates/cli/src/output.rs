//! Writing results: human text or JSON, never panicking on a closed pipe.

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

/// Where results go, and in which form.
pub struct Output {
    json: bool,
    color: bool,
}

impl Output {
    /// Output in JSON when `json`, otherwise human text (coloured on a terminal).
    pub fn new(json: bool) -> Output {
        let color = !json && io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Output { json, color }
    }

    /// Whether results are JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Prints `value` as one JSON document.
    pub fn json<T: Serialize>(&self, value: &T) -> io::Result<()> {
        let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
        self.line(&text)
    }

    /// Prints one line of text.
    pub fn line(&self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout().lock();
        writeln!(stdout, "{text}")
    }

    /// `text` in green (ok) or red (not ok) on a terminal.
    pub fn status(&self, text: &str, ok: bool) -> String {
        if self.color {
            let code = if ok { "32" } else { "31" };
            format!("\x1b[1;{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// `text` dimmed on a terminal.
    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

pub use dark8_core::tools::text::{pad, shorten};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_and_shorten_count_characters() {
        assert_eq!(pad("łąka", 6), "łąka  ");
        assert_eq!(shorten("zażółć gęślą jaźń", 7), "zażółć…");
        assert_eq!(shorten("a\nb", 10), "a b");
    }
}
