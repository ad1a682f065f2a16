//! Compound commands: "Zbuduj REST API w FastAPI, przetestuj je i przygotuj Dockerfile" is
//! three clauses. Text is cut at commas, "i", "oraz", "a potem", "następnie" and semicolons
//! outside quotes, and a piece stays a clause of its own only when the NLP engine reads it
//! as a confident command; otherwise it goes back to the clause before it ("z treścią ala,
//! ola i ela" stays one clause).

use std::sync::OnceLock;

use dark8_nlp::{Engine, Understanding};
use regex::Regex;

/// Below this confidence a piece is not a command of its own.
const CLAUSE_CONFIDENCE: f32 = 0.75;

/// Intents whose free text (a fact, a chat question) often contains "i" and commas: such a
/// first clause is never split.
const UNSPLIT_INTENTS: &[&str] = &["MEMORY_SAVE", "CHAT", "SHELL_RUN", "HELP"];

fn separator() -> Option<&'static Regex> {
    static SEPARATOR: OnceLock<Option<Regex>> = OnceLock::new();
    SEPARATOR
        .get_or_init(|| {
            Regex::new(
                r"(?i)\s*;\s*|\s*,\s*(?:(?:a|i|oraz)\s+)?(?:(?:potem|następnie|nastepnie|później|pozniej)\s+)?|\s+(?:a\s+|i\s+)?(?:potem|następnie|nastepnie|później|pozniej)\s+|\s+(?:i|oraz)\s+",
            )
            .ok()
        })
        .as_ref()
}

/// Byte ranges of quoted text ("…", „…”, '…', `…`), where no cut is made.
fn quoted_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (at, c) in text.char_indices() {
        match open {
            None => {
                let close = match c {
                    '"' => '"',
                    '„' => '”',
                    '`' => '`',
                    '\'' => '\'',
                    _ => continue,
                };
                // An apostrophe inside a word (Django'a) opens nothing.
                if c == '\''
                    && text[..at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                open = Some((at, close));
            }
            Some((start, close)) if c == close || (close == '”' && c == '"') => {
                spans.push((start, at + c.len_utf8()));
                open = None;
            }
            Some(_) => {}
        }
    }
    spans
}

/// The clauses of `text` with what the engine understood of each, in order; one clause when
/// the text is not compound.
pub fn split(engine: &Engine, text: &str) -> Vec<(String, Understanding)> {
    let whole = engine.understand(text);
    let Some(separator) = separator() else {
        return vec![(text.to_owned(), whole)];
    };
    let quoted = quoted_spans(text);
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for found in separator.find_iter(text) {
        if quoted
            .iter()
            .any(|(a, b)| found.start() >= *a && found.start() < *b)
        {
            continue;
        }
        pieces.push((start, found.start()));
        start = found.end();
    }
    pieces.push((start, text.len()));
    if pieces.len() == 1 {
        return vec![(text.to_owned(), whole)];
    }
    // Each clause: (start of its text, end of its text).
    let mut clauses: Vec<(usize, usize)> = vec![pieces[0]];
    for &(a, b) in &pieces[1..] {
        let piece = text[a..b].trim();
        let understood = engine.understand(piece);
        // "Pobierz treść strony X i ją streść": a piece that says the same thing again about
        // the same object ("ją") adds nothing and continues its clause.
        let says_it_again = understood.entities.is_empty()
            && clauses.last().is_some_and(|&(start, end)| {
                engine.understand(text[start..end].trim()).intent == understood.intent
            });
        let stands_alone = !piece.is_empty()
            && understood.confidence >= CLAUSE_CONFIDENCE
            && understood.intent != "CHAT"
            && understood.intent != "HELP"
            && !says_it_again;
        match clauses.last_mut() {
            Some(last) if !stands_alone => last.1 = b,
            _ => clauses.push((a, b)),
        }
    }
    if clauses.len() == 1 {
        return vec![(text.to_owned(), whole)];
    }
    let first = engine.understand(text[clauses[0].0..clauses[0].1].trim());
    if UNSPLIT_INTENTS.contains(&first.intent.as_str()) {
        return vec![(text.to_owned(), whole)];
    }
    clauses
        .into_iter()
        .map(|(a, b)| {
            let clause = text[a..b].trim().to_owned();
            let understood = engine.understand(&clause);
            (clause, understood)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intents(text: &str) -> Vec<String> {
        let engine = Engine::embedded().unwrap();
        split(&engine, text)
            .into_iter()
            .map(|(_, u)| u.intent)
            .collect()
    }

    #[test]
    fn a_compound_command_becomes_ordered_clauses() {
        assert_eq!(
            intents(
                "Zbuduj REST API w FastAPI o nazwie sklep, przetestuj je i przygotuj Dockerfile"
            ),
            ["BUILD_APP", "RUN_TESTS", "DEPLOY"]
        );
        assert_eq!(
            intents("Pokaż procesy, a potem sprawdź wolne miejsce na dysku"),
            ["PROCESS_LIST", "SYSTEM_STATUS"]
        );
    }

    #[test]
    fn free_text_and_quotes_are_not_cut() {
        assert_eq!(
            intents("Zapamiętaj, że baza działa na porcie 5433 i serwer na 8088"),
            ["MEMORY_SAVE"]
        );
        assert_eq!(intents("Pokaż plik README.md"), ["FILE_READ"]);
        assert_eq!(
            intents("Pobierz treść strony https://example.com i ją streść"),
            ["SCRAPE_PAGE"]
        );
        let engine = Engine::embedded().unwrap();
        let clauses = split(&engine, "Zapisz plik a.txt z treścią \"ala, ola i ela\"");
        assert_eq!(clauses.len(), 1);
    }
}
