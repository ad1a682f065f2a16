//! Patterns for the free-form entities: shell commands, branches, packages, SQL, search and
//! recall queries, secret names.

use super::gazetteers::manager;
use super::spans::{close_to, first_quoted, is_function_word, tail};
use super::Analyzed;
use crate::tokenizer::TokenKind;

pub(super) fn shell_command(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(quoted) = first_quoted(words) {
        return Some(quoted);
    }
    // Skip the command words: verbs, "polecenie", "w terminalu", "mi", ":" and a "$" prompt.
    let skip = |w: &Analyzed<'_>| {
        matches!(
            w.lemma.as_str(),
            "uruchomic"
                | "wykonac"
                | "odpalic"
                | "puscic"
                | "wpisac"
                | "skrypt"
                | "polecenie"
                | "komenda"
                | "terminal"
                | "konsola"
                | "powloka"
                | "shell"
                | "bash"
                | "przez"
                | "przepuscic"
                | "rzucic"
                | "prosic"
                | "prosze"
                | "mi"
                | "w"
                | "we"
                | "na"
        ) || matches!(
            w.folded.as_str(),
            "w" | "we" | "mi" | "prosze" | "$" | ":" | "," | "basha" | "shellu"
        )
    };
    let start = words.iter().position(|w| !skip(w))?;
    tail(text, words[start].token.span.start)
}

/// Nouns for a branch ("gałąź", "branch", "brancha").
fn is_branch_noun(w: &Analyzed<'_>) -> bool {
    w.lemma == "galaz"
        || w.folded.starts_with("galez")
        || w.folded.starts_with("branch")
        || close_to(&w.folded, "galaz")
}

pub(super) fn branch(words: &[Analyzed<'_>]) -> Option<String> {
    const NOT_BRANCHES: &[&str] = &[
        "serwer",
        "remote",
        "origin",
        "originie",
        "github",
        "githuba",
        "gitlab",
        "zdalne",
        "zdalnego",
        "repozytorium",
        "repo",
        "serwera",
    ];
    for (i, w) in words.iter().enumerate() {
        let cue = is_branch_noun(w) || matches!(w.folded.as_str(), "na" | "do" | "origin");
        if !cue {
            continue;
        }
        if let Some(next) = words.get(i + 1) {
            if (next.token.is_wordlike() || next.token.kind == TokenKind::Path)
                && !NOT_BRANCHES.contains(&next.folded.as_str())
                && !next.folded.starts_with("origin")
                && !is_function_word(&next.folded)
                && !is_branch_noun(next)
            {
                return Some(next.token.text.to_owned());
            }
        }
    }
    None
}

/// Words between and around package names that are none.
fn is_package_filler(w: &Analyzed<'_>) -> bool {
    matches!(
        w.lemma.as_str(),
        "pakiet"
            | "paczka"
            | "biblioteka"
            | "zaleznosc"
            | "mi"
            | "postawic"
            | "wrzucic"
            | "dociagnac"
            | "zainstalowac"
            | "dodac"
            | "doinstalowac"
            | "prosic"
            | "prosze"
    )
}

/// Ends the list of packages: the manager's or the project's phrase.
fn ends_packages(w: &Analyzed<'_>) -> bool {
    matches!(
        w.folded.as_str(),
        "przez" | "w" | "we" | "do" | "za" | "uzywajac" | "z" | "dla"
    ) || matches!(w.lemma.as_str(), "projekt" | "pomoc")
        || manager(std::slice::from_ref(w)).is_some()
}

/// The packages, in the user's order, separated by single spaces: "numpy i pandas",
/// "numpy, pandas oraz scipy", `pip install numpy pandas`.
pub(super) fn package(words: &[Analyzed<'_>]) -> Option<String> {
    let start = words
        .iter()
        .position(|w| matches!(w.folded.as_str(), "install" | "add"))
        .map(|at| at + 1)
        .unwrap_or(1);
    let mut names: Vec<&str> = Vec::new();
    let mut i = start.min(words.len());
    // Skip a leading project phrase ("Dodaj do projektu node pakiet express").
    while let Some(w) = words.get(i) {
        let project_phrase = matches!(w.folded.as_str(), "do" | "w" | "we")
            && words.get(i + 1).is_some_and(|n| n.lemma == "projekt");
        if project_phrase {
            i += 2;
            if words.get(i).is_some_and(|n| {
                n.token.is_wordlike() && !is_package_filler(n) && !is_function_word(&n.folded)
            }) {
                i += 1;
            }
            continue;
        }
        if is_package_filler(w) || is_function_word(&w.folded) && names.is_empty() {
            i += 1;
            continue;
        }
        break;
    }
    for w in &words[i..] {
        if names.is_empty() && is_package_filler(w) {
            continue;
        }
        if matches!(w.folded.as_str(), "i" | "oraz" | "," | "a") || is_package_filler(w) {
            continue;
        }
        if ends_packages(w) || !(w.token.is_wordlike() || w.token.kind == TokenKind::Path) {
            if names.is_empty() && manager(std::slice::from_ref(w)).is_some() {
                continue;
            }
            break;
        }
        if is_function_word(&w.folded) {
            break;
        }
        names.push(w.token.text);
    }
    (!names.is_empty()).then(|| names.join(" "))
}

pub(super) fn sql(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(quoted) =
        first_quoted(words).filter(|q| is_sql_start(q.split_whitespace().next().unwrap_or("")))
    {
        return Some(quoted);
    }
    let at = words.iter().position(|w| is_sql_start(w.token.text))?;
    let rest = text.get(words[at].token.span.start..)?.trim();
    Some(rest.trim_end_matches(['?', '!']).trim().to_owned())
}

pub(super) fn is_sql_start(word: &str) -> bool {
    matches!(
        word.to_ascii_uppercase().as_str(),
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "CREATE" | "DROP" | "ALTER" | "PRAGMA"
    )
}

pub(super) fn web_query(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    const COMMAND_WORDS: &[&str] = &[
        "wyszukac",
        "wyszukaj",
        "znalezc",
        "poszukac",
        "googlowac",
        "sprawdzic",
        "przeszukac",
        "zrobic",
        "research",
        "w",
        "we",
        "internet",
        "siec",
        "net",
        "google",
        "wyszukiwarka",
        "informacja",
        "o",
        "pod",
        "kat",
        "katem",
        "co",
        "mowic",
        "na",
        "temat",
        "prosic",
        "prosze",
        "mi",
        "szukac",
    ];
    let start = words.iter().position(|w| {
        !(COMMAND_WORDS.contains(&w.lemma.as_str())
            || COMMAND_WORDS.contains(&w.folded.as_str())
            || w.token.kind == TokenKind::Punct)
    })?;
    tail(text, words[start].token.span.start)
}

pub(super) fn search_query(words: &[Analyzed<'_>], paths: &[String]) -> Option<String> {
    if let Some(quoted) = first_quoted(words) {
        return Some(quoted);
    }
    if let Some(identifier) = words.iter().skip(1).find(|w| {
        w.token.kind == TokenKind::Identifier && !paths.contains(&w.token.text.to_owned())
    }) {
        return Some(identifier.token.text.to_owned());
    }
    const COMMAND_WORDS: &[&str] = &[
        "znalezc",
        "wyszukac",
        "szukac",
        "poszukac",
        "tekst",
        "fraza",
        "ciag",
        "slowo",
        "wszystek",
        "wystapienie",
        "w",
        "kod",
        "plik",
        "gdzie",
        "ktory",
        "byc",
        "wystepowac",
        "uzywac",
        "grep",
        "przeszukac",
        "pod",
        "kat",
        "katem",
        "wskazac",
        "miejsce",
        "pojawiac",
        "zawierac",
        "sprawdzic",
        "zobaczyc",
        "czy",
    ];
    words
        .iter()
        .find(|w| {
            w.token.kind != TokenKind::Punct
                && w.token.kind != TokenKind::Path
                && !COMMAND_WORDS.contains(&w.lemma.as_str())
                && !COMMAND_WORDS.contains(&w.folded.as_str())
        })
        .map(|w| w.token.text.to_owned())
}

pub(super) fn recall_query(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    // After the last "o" / "na temat" / "w temacie" / "w pamięci" cue.
    let at = words
        .iter()
        .rposition(|w| matches!(w.folded.as_str(), "o" | "temat" | "temacie" | "pamieci"))?;
    tail(text, words.get(at + 1)?.token.span.start)
}

pub(super) fn secret_name(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(upper) = words.iter().find(|w| {
        w.token.kind == TokenKind::Identifier
            && w.token.text.contains('_')
            && w.token
                .text
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    }) {
        return Some(upper.token.text.to_owned());
    }
    const LEAD: &[&str] = &[
        "zapisac",
        "ustawic",
        "dodac",
        "przechowac",
        "schowac",
        "umiescic",
        "zabezpieczyc",
        "zapamietac",
        "sekret",
        "bezpiecznie",
        "w",
        "sejf",
        "skarbiec",
        "prosic",
        "prosze",
        "mi",
    ];
    const TRAIL: &[&str] = &["do", "w", "we"];
    let mut start = 0;
    while words.get(start).is_some_and(|w| {
        LEAD.contains(&w.lemma.as_str())
            || LEAD.contains(&w.folded.as_str())
            || w.token.kind == TokenKind::Punct
    }) {
        start += 1;
    }
    // Cut a trailing location: "w sejfie", "do sejfu", "w pęku kluczy".
    let end = (start..words.len())
        .find(|&i| {
            TRAIL.contains(&words[i].folded.as_str())
                && words.get(i + 1).is_some_and(|next| {
                    matches!(next.lemma.as_str(), "sejf" | "keyring" | "pek" | "skarbiec")
                })
        })
        .unwrap_or(words.len());
    if start >= end {
        return None;
    }
    let span = words[start].token.span.start..words[end - 1].token.span.end;
    text.get(span)
        .map(|s| s.trim_end_matches(['.', '?', '!']).trim().to_owned())
}
