//! What a command's object is: a thing on the computer (a file, folder, project, repository,
//! branch, package, process, program, service, port, database, page or URL) or a thing of
//! the rest of the world (blinds, lights, a shelf, a cake, a sheep, a bus). The classifier
//! sees it as features, so an action verb on an everyday object reads as CHAT.

use crate::entities::{close_to, PROCESSES};
use crate::lexicon::Lexicon;
use crate::normalize::fold;
use crate::tokenizer::{Token, TokenKind};

/// Lemmas (folded) that name a thing on a computer whatever surrounds them.
const COMPUTING_LEMMAS: &[&str] = &[
    "plik",
    "katalog",
    "folder",
    "podkatalog",
    "projekt",
    "repozytorium",
    "repo",
    "galaz",
    "branch",
    "commit",
    "pakiet",
    "zaleznosc",
    "modul",
    "aplikacja",
    "apka",
    "serwer",
    "url",
    "dysk",
    "procesor",
    "rdzen",
    "ram",
    "cpu",
    "kontener",
    "build",
    "kompilacja",
    "log",
    "konfiguracja",
    "endpoint",
    "api",
    "internet",
    "przegladarka",
    "wyszukiwarka",
    "dokumentacja",
    "framework",
    "komputer",
    "linter",
    "kompilator",
    "edytor",
    "git",
    "docker",
    "sql",
    "pid",
    "repozytoria",
    "request",
    "merge",
    "pull",
    "push",
    "diff",
    "grep",
    "json",
    "yaml",
    "csv",
    "html",
    "http",
    "https",
    "dockerfile",
    "readme",
    "backend",
    "frontend",
    "mikroserwis",
    "migracja",
    "kodzik",
    "sekret",
    "token",
    "obciazenie",
    "zuzycie",
];

/// Lemmas that name a computing thing or an everyday one ("biblioteka", "strona", "proces",
/// "terminal", "konsola", "pamięć", "kod", "skrypt" — also lecture notes): computing only
/// when nothing everyday stands beside them.
const AMBIGUOUS_LEMMAS: &[&str] = &[
    "biblioteka",
    "paczka",
    "proces",
    "program",
    "usluga",
    "serwis",
    "port",
    "baza",
    "tabela",
    "kolumna",
    "rekord",
    "zapytanie",
    "strona",
    "witryna",
    "adres",
    "link",
    "kod",
    "terminal",
    "konsola",
    "polecenie",
    "komenda",
    "pamiec",
    "test",
    "haslo",
    "funkcja",
    "klasa",
    "metoda",
    "zmienna",
    "siec",
    "archiwum",
    "system",
    "sejf",
    "biblioteczka",
    "skrypt",
];

/// Folded stems of computing words the dictionary may not know ("repozytorium" typos,
/// "commita", "skrypcik").
const COMPUTING_STEMS: &[&str] = &[
    "repozytor",
    "commit",
    "komit",
    "konfigur",
    "kompil",
    "plik",
    "katalog",
    "folder",
    "aplikac",
    "apk",
    "serwer",
    "kontener",
    "przegladar",
    "pakiet",
    "framework",
];

/// Frameworks, languages and package managers named in commands.
const TECH_NAMES: &[&str] = &[
    "django",
    "flask",
    "fastapi",
    "express",
    "node",
    "nodejs",
    "rust",
    "axum",
    "python",
    "pip",
    "npm",
    "cargo",
    "apt",
    "brew",
    "react",
    "vue",
    "typescript",
    "javascript",
    "java",
    "golang",
    "linux",
    "windows",
    "ubuntu",
    "debian",
    "postgres",
    "postgresql",
    "mysql",
    "sqlite",
    "redis",
    "ollama",
    "github",
    "gitlab",
];

/// Words that name nothing on their own (pronouns, particles, quantifiers).
const EMPTY_WORDS: &[&str] = &[
    "to", "ten", "ta", "te", "tego", "tej", "tych", "go", "je", "ja", "mi", "mnie", "sie",
    "prosze", "prosic", "teraz", "juz", "jeszcze", "wszystko", "wszystek", "caly", "moj", "twoj",
    "nasz", "swoj", "tutaj", "tu", "tam", "on", "ona", "ono", "oni", "one", "co", "czy", "jak",
    "gdzie", "ktory", "jaki", "dark8", "hej", "sluchaj", "szybko", "od", "razu", "raz",
];

/// What the words after a command's verb name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Objects {
    /// A thing on the computer: a computing noun, a path, URL, identifier, flag, quoted
    /// command, a known program or framework.
    pub computing: bool,
    /// A word that names a computing thing or an everyday one ("biblioteka", "proces").
    pub ambiguous: bool,
    /// A word the dictionary does not know, written without Polish letters: often a
    /// program's or package's name ("nginx", "numpy").
    pub name: bool,
    /// An everyday Polish word that names nothing on a computer.
    pub world: bool,
}

impl Objects {
    /// The strongest evidence, as a feature suffix: computing (also an ambiguous word with
    /// nothing everyday beside it), an ambiguous word among everyday ones, a name, the world.
    pub fn dominant(&self) -> &'static str {
        if self.computing || (self.ambiguous && !self.world) {
            "comp"
        } else if self.ambiguous {
            "mixed"
        } else if self.name {
            "name"
        } else if self.world {
            "world"
        } else {
            "none"
        }
    }
}

/// True when the folded word or its lemma may name a thing on a computer but as well an
/// everyday one.
fn is_ambiguous_word(folded: &str, lemma: &str) -> bool {
    AMBIGUOUS_LEMMAS.contains(&lemma) || AMBIGUOUS_LEMMAS.contains(&folded)
}

/// True when the folded word or its lemma names a thing on a computer.
pub fn is_computing_word(folded: &str, lemma: &str) -> bool {
    // A typo in a long computing noun ("repzoytorium", "katallog") still names it.
    let misspelt = folded.len() >= 6
        && COMPUTING_LEMMAS
            .iter()
            .filter(|l| l.len() >= 6)
            .any(|l| close_to(folded, l) || close_to(lemma, l));
    misspelt
        || COMPUTING_LEMMAS.contains(&lemma)
        || COMPUTING_LEMMAS.contains(&folded)
        || TECH_NAMES.contains(&folded)
        || TECH_NAMES.contains(&lemma)
        || COMPUTING_STEMS.iter().any(|stem| folded.starts_with(stem))
        || PROCESSES.iter().any(|p| {
            folded == *p || (p.len() >= 4 && folded.starts_with(p) && folded.len() <= p.len() + 3)
        })
}

/// Endings a Polish noun or adjective takes that the dictionary's forms may lack.
const INFLECTION_ENDINGS: &[&str] = &[
    "ami", "ach", "om", "ow", "ie", "e", "y", "i", "a", "u", "em", "iem",
];

/// Endings of Polish verbal nouns and abstract nouns no program name has ("pozycjonowanie",
/// "konfigurowalność", "dezynsekcja").
const POLISH_NOUN_SUFFIXES: &[&str] = &[
    "owanie", "owania", "aniem", "anie", "ania", "enie", "enia", "osc", "osci", "acja", "acji",
    "ami", "ach",
];

/// True when the dictionary knows the word, or knows it without an inflection ending
/// ("czasomierze" -> "czasomierz").
fn is_polish_word(folded: &str, lexicon: &Lexicon) -> bool {
    lexicon.lookup(folded).is_some()
        || (folded.len() >= 7
            && POLISH_NOUN_SUFFIXES
                .iter()
                .any(|suffix| folded.ends_with(suffix)))
        || INFLECTION_ENDINGS.iter().any(|ending| {
            folded
                .strip_suffix(ending)
                .is_some_and(|stem| stem.chars().count() >= 4 && lexicon.lookup(stem).is_some())
        })
}

/// Classifies the objects of a tokenized command (every word after the first one, which is
/// usually the verb).
pub fn classify(tokens: &[Token<'_>], lexicon: &Lexicon) -> Objects {
    let mut objects = Objects::default();
    let mut seen_first_word = false;
    for token in tokens {
        match token.kind {
            TokenKind::Path
            | TokenKind::Url
            | TokenKind::Email
            | TokenKind::Flag
            | TokenKind::Identifier
            | TokenKind::Backquoted
            | TokenKind::Quoted
            | TokenKind::Version => objects.computing = true,
            TokenKind::Word => {
                let folded = fold(token.text);
                let lemma = lexicon.lemma(token.text);
                if !seen_first_word {
                    seen_first_word = true;
                    if is_computing_word(&folded, &lemma) {
                        objects.computing = true;
                    }
                    continue;
                }
                if is_ambiguous_word(&folded, &lemma) {
                    objects.ambiguous = true;
                } else if is_computing_word(&folded, &lemma) {
                    objects.computing = true;
                } else if folded.chars().count() < 3
                    || EMPTY_WORDS.contains(&folded.as_str())
                    || EMPTY_WORDS.contains(&lemma.as_ref())
                {
                } else if is_polish_word(&folded, lexicon) || !token.text.is_ascii() {
                    objects.world = true;
                } else {
                    objects.name = true;
                }
            }
            TokenKind::Number | TokenKind::Punct | TokenKind::Symbol => {}
        }
    }
    objects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    fn objects(text: &str) -> Objects {
        classify(&tokenize(text), &Lexicon::embedded().unwrap())
    }

    #[test]
    fn computing_objects_names_and_the_world_are_told_apart() {
        assert!(objects("Zamknij proces firefox").computing);
        assert!(objects("Usuń plik notatki.txt").computing);
        assert!(objects("Zainstaluj numpy").name);
        assert!(!objects("Zainstaluj numpy").world);
        let blinds = objects("Zamknij żaluzje w salonie");
        assert!(
            blinds.world && !blinds.computing && !blinds.name,
            "{blinds:?}"
        );
        assert_eq!(objects("Sklonuj owcę Dolly").dominant(), "name");
        assert_eq!(
            objects("Zainstaluj półkę w przedpokoju").dominant(),
            "world"
        );
        assert_eq!(objects("Zbuduj aplikację todo w Django").dominant(), "comp");
        assert_eq!(objects("Cześć").dominant(), "none");
        assert_eq!(objects("Zainstaluj bibliotekę requests").dominant(), "comp");
        assert_eq!(objects("Oddaj książkę do biblioteki").dominant(), "mixed");
    }
}
