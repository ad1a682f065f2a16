//! Features of a command for the intent classifier: lemmas, lemma bigrams, the first lemma,
//! character n-grams of folded words (robust to typos and unknown words) and cue features
//! for URLs, paths, numbers, quotes, flags and question marks.

use crate::lexicon::Lexicon;
use crate::normalize::fold;
use crate::objects;
use crate::tokenizer::{Token, TokenKind};

/// Words that carry no intent on their own (politeness, fillers).
const STOP_LEMMAS: &[&str] = &[
    "prosic", "prosze", "hej", "sluchaj", "dark8", "mi", "sie", "to",
];

/// The features of a tokenized command, as strings.
pub fn extract(tokens: &[Token<'_>], lexicon: &Lexicon) -> Vec<String> {
    extract_with_objects(tokens, lexicon).0
}

/// The features, and what the command acts on (which they include), so that the engine
/// judges a reading without classifying the objects twice.
pub fn extract_with_objects(
    tokens: &[Token<'_>],
    lexicon: &Lexicon,
) -> (Vec<String>, objects::Objects) {
    let mut features = vec!["bias".to_owned()];
    let mut lemmas: Vec<String> = Vec::new();
    for token in tokens {
        match token.kind {
            TokenKind::Word | TokenKind::Identifier => {
                let lemma = lexicon.lemma(token.text).into_owned();
                let folded = fold(token.text);
                if folded.chars().count() >= 3 {
                    let padded: Vec<char> = format!("<{folded}>").chars().collect();
                    for n in 3..=4 {
                        for window in padded.windows(n) {
                            features.push(format!("c:{}", window.iter().collect::<String>()));
                        }
                    }
                }
                if !STOP_LEMMAS.contains(&lemma.as_str()) {
                    features.push(format!("l:{lemma}"));
                    lemmas.push(lemma);
                }
            }
            TokenKind::Punct => {
                if token.text == "?" {
                    features.push("k:question".to_owned());
                }
                if token.text == ":" {
                    features.push("k:colon".to_owned());
                }
            }
            TokenKind::Quoted | TokenKind::Backquoted => {
                features.push(format!("k:{:?}", token.kind).to_lowercase());
                // The first word inside quotes often names a program (`cargo build`).
                if let Some(first) = token.inner().split_whitespace().next() {
                    features.push(format!("q:{}", fold(first)));
                }
            }
            kind => features.push(format!("k:{kind:?}").to_lowercase()),
        }
    }
    if let Some(first) = lemmas.first() {
        features.push(format!("f:{first}"));
    }
    for pair in lemmas.windows(2) {
        features.push(format!("b:{}_{}", pair[0], pair[1]));
    }
    // A shell prompt sign before a command: "$ ls -la".
    if tokens.first().is_some_and(|first| first.text == "$") {
        features.push("k:prompt".to_owned());
    }
    features.push(format!("n:{}", lemmas.len().min(8)));
    // What the command acts on: the same verb on a file and on a blind are different things.
    let objects = objects::classify(tokens, lexicon);
    for (present, name) in [
        (objects.computing, "o:comp"),
        (objects.ambiguous, "o:ambiguous"),
        (objects.name, "o:name"),
        (objects.world, "o:world"),
    ] {
        if present {
            features.push(name.to_owned());
        }
    }
    let dominant = objects.dominant();
    features.push(format!("od:{dominant}"));
    if let Some(first) = lemmas.first() {
        features.push(format!("fo:{first}|{dominant}"));
    }
    (features, objects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    #[test]
    fn lemmas_bigrams_and_cues() {
        let lexicon = Lexicon::embedded().unwrap();
        let features = extract(
            &tokenize("Sklonuj https://github.com/a/b do ./x?"),
            &lexicon,
        );
        assert!(features.contains(&"l:sklonowac".to_owned()), "{features:?}");
        assert!(features.contains(&"k:url".to_owned()));
        assert!(features.contains(&"k:path".to_owned()));
        assert!(features.contains(&"k:question".to_owned()));
        assert!(features.contains(&"f:sklonowac".to_owned()));
        assert!(features.iter().any(|f| f.starts_with("c:<skl")));
    }
}
