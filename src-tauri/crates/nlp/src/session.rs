//! Context merging: a session keeps the last understanding, so that a follow-up such as
//! "a teraz to samo we Flasku" or "uruchom testy w nim" fills what it leaves out.

use crate::engine::{Engine, Understanding};
use crate::normalize::fold;
use crate::tokenizer::tokenize;

/// A conversation with the engine.
#[derive(Debug, Default, Clone)]
pub struct Session {
    last: Option<Understanding>,
}

/// Phrases that repeat the previous command with changes.
const REPEAT_CUES: &[&str] = &[
    "to samo",
    "tak samo",
    "jeszcze raz",
    "powtorz",
    "ponownie",
    "znowu",
];
/// Words that point back at what the previous command made or named.
const REFERENCE_CUES: &[&str] = &[
    "w nim",
    "w niej",
    "w tym",
    "tam",
    "go",
    "je",
    "jego",
    "jej",
    "tego projektu",
    "ten projekt",
    "w tym projekcie",
    "dla niego",
    "dla niej",
];

impl Session {
    /// A new session with no history.
    pub fn new() -> Session {
        Session::default()
    }

    /// The last understanding, after merging.
    pub fn last(&self) -> Option<&Understanding> {
        self.last.as_ref()
    }

    /// Understands `text` in the context of the previous command and remembers the result.
    pub fn understand(&mut self, engine: &Engine, text: &str) -> Understanding {
        let fresh = engine.understand(text);
        let merged = match &self.last {
            Some(last) => merge(engine, last, fresh),
            None => fresh,
        };
        self.last = Some(merged.clone());
        merged
    }
}

fn contains_phrase(folded: &str, phrase: &str) -> bool {
    let padded = format!(
        " {} ",
        folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    );
    padded.contains(&format!(" {phrase} "))
}

fn merge(engine: &Engine, last: &Understanding, fresh: Understanding) -> Understanding {
    let folded = fold(&fresh.text);
    if REPEAT_CUES.iter().any(|cue| contains_phrase(&folded, cue)) && last.intent != "CHAT" {
        // Same intent; what the follow-up states replaces the old values.
        let tokens = tokenize(&fresh.text);
        let mut entities = last.entities.clone();
        entities.extend(engine.entities_for(&last.intent, &fresh.text, &tokens));
        return Understanding {
            text: fresh.text,
            intent: last.intent.clone(),
            confidence: fresh.confidence.max(last.confidence * 0.9).min(1.0),
            entities,
        };
    }
    if REFERENCE_CUES
        .iter()
        .any(|cue| contains_phrase(&folded, cue))
        && fresh.intent != "CHAT"
    {
        let allowed = crate::entities::allowed_keys(&fresh.intent);
        let mut entities = fresh.entities.clone();
        // "it" is the project or file the previous command named.
        let referent = last
            .entities
            .get("path")
            .or_else(|| last.entities.get("name"))
            .cloned();
        if allowed.contains(&"path") && !entities.contains_key("path") {
            if let Some(referent) = referent {
                entities.insert("path".to_owned(), referent);
            }
        }
        for (key, value) in &last.entities {
            if allowed.contains(&key.as_str()) && key != "path" {
                entities.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        return Understanding { entities, ..fresh };
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_again_with_another_framework() {
        let engine = Engine::embedded().unwrap();
        let mut session = Session::new();
        let first = session.understand(&engine, "Zbuduj aplikację todo w Django");
        assert_eq!(first.intent, "BUILD_APP");
        let second = session.understand(&engine, "a teraz to samo we Flasku");
        assert_eq!(second.intent, "BUILD_APP");
        assert_eq!(second.entities["framework"], "flask");
        assert_eq!(second.entities["app_type"], "todo");
    }

    #[test]
    fn it_refers_to_the_previous_project() {
        let engine = Engine::embedded().unwrap();
        let mut session = Session::new();
        session.understand(&engine, "Stwórz REST API w FastAPI o nazwie sklep");
        let tests = session.understand(&engine, "uruchom testy w nim");
        assert_eq!(tests.intent, "RUN_TESTS");
        assert_eq!(tests.entities["path"], "sklep");
    }
}
