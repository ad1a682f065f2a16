//! Text as the memory index sees it: Polish lemmas without diacritics, function words dropped,
//! so that "Na jakim porcie działa serwer testowy?" and "serwer testowy działa na porcie 8088"
//! share the terms `port`, `dzialac`, `serwer`, `testowy`.

use std::sync::{Arc, OnceLock};

use dark8_nlp::lexicon::Lexicon;
use dark8_nlp::normalize::fold;
use dark8_nlp::tokenizer::{tokenize, TokenKind};

/// Words that carry no meaning for recall (folded): prepositions, pronouns, question words,
/// auxiliaries and the verbs of asking about memory itself.
const STOPWORDS: &[&str] = &[
    "a",
    "aby",
    "ale",
    "bo",
    "by",
    "byc",
    "co",
    "czy",
    "czego",
    "do",
    "dla",
    "gdzie",
    "i",
    "ile",
    "jak",
    "jaki",
    "jaka",
    "jakie",
    "jakim",
    "jakiej",
    "jest",
    "juz",
    "kiedy",
    "ktory",
    "ktora",
    "ktore",
    "mi",
    "mnie",
    "my",
    "na",
    "nad",
    "nie",
    "o",
    "od",
    "po",
    "pod",
    "przez",
    "przy",
    "sie",
    "ta",
    "tak",
    "te",
    "ten",
    "to",
    "tu",
    "u",
    "w",
    "we",
    "z",
    "za",
    "ze",
    "ja",
    "ty",
    "on",
    "ona",
    "ono",
    "oni",
    "mam",
    "miec",
    "moj",
    "twoj",
    "nasz",
    "wasz",
    "pamietac",
    "przypomniec",
    "przypomnij",
    "zapamietac",
    "zapamietaj",
    "powiedziec",
    "powiedz",
    "wiedziec",
    "wiesz",
    "prosze",
    "jaki",
    "the",
    "is",
    "of",
    "and",
];

/// Turns text into index terms.
#[derive(Debug)]
pub struct MemoryText {
    lexicon: Lexicon,
}

impl MemoryText {
    /// With the NLP engine's embedded lexicon.
    pub fn embedded() -> Result<MemoryText, String> {
        Lexicon::embedded()
            .map(|lexicon| MemoryText { lexicon })
            .map_err(|err| format!("cannot load the Polish lexicon: {err}"))
    }

    /// One normalizer for the whole process (the lexicon's lemma table is built once).
    pub fn shared() -> Result<Arc<MemoryText>, String> {
        static SHARED: OnceLock<Result<Arc<MemoryText>, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| MemoryText::embedded().map(Arc::new))
            .clone()
    }

    /// The index terms of `text`, in order, duplicates kept (they weigh in BM25).
    pub fn terms(&self, text: &str) -> Vec<String> {
        tokenize(text)
            .iter()
            .filter_map(|token| match token.kind {
                TokenKind::Word | TokenKind::Identifier => {
                    let lemma = fold(&self.lexicon.lemma(token.text));
                    Some(lemma)
                }
                TokenKind::Number => Some(token.text.to_owned()),
                TokenKind::Quoted | TokenKind::Backquoted => Some(fold(token.inner())),
                TokenKind::Path | TokenKind::Version | TokenKind::Url | TokenKind::Email => {
                    Some(fold(token.text))
                }
                _ => None,
            })
            .flat_map(|term| {
                term.split(|c: char| !c.is_alphanumeric())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|term| !term.is_empty() && !STOPWORDS.contains(&term.as_str()))
            .collect()
    }

    /// The terms joined by spaces, as stored in the index.
    pub fn indexed(&self, text: &str) -> String {
        self.terms(text).join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_and_the_fact_share_their_content_words() {
        let text = MemoryText::embedded().unwrap();
        let fact = text.terms("serwer testowy działa na porcie 8088");
        let question = text.terms("Na jakim porcie działa serwer testowy?");
        for term in &question {
            assert!(fact.contains(term), "{term} missing from {fact:?}");
        }
        assert!(question.contains(&"port".to_owned()), "{question:?}");
        assert!(!question.contains(&"na".to_owned()));
        assert!(fact.contains(&"8088".to_owned()));
    }
}
