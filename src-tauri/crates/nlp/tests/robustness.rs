//! Any UTF-8 input returns an answer and never panics.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use dark8_nlp::{Engine, Session};
use proptest::prelude::*;

fn check(engine: &Engine, text: &str) {
    let got = engine.understand(text);
    assert_eq!(got.text, text);
    assert!((0.0..=1.0).contains(&got.confidence), "{}", got.confidence);
    assert!(!got.intent.is_empty());
}

#[test]
fn odd_inputs() {
    let engine = Engine::embedded().unwrap();
    let big = "Zbuduj aplikację todo w Django ".repeat(3500); // ~100 KB
    assert!(big.len() > 100_000);
    for text in [
        "",
        " ",
        "\0\u{1}\u{7f}\t\r",
        "مرحبا بالعالم",
        "\u{202e}ʇxǝʇ \u{200f}",
        "😀😀😀",
        "🇵🇱 👨‍👩‍👧",
        "\"",
        "`",
        "„”",
        "----",
        "////",
        "C:\\",
        "http://",
        "ą'ę'ś",
        big.as_str(),
    ] {
        check(&engine, text);
    }
    let mut session = Session::new();
    for text in ["", "to samo", "w nim", "a teraz to samo we Flasku"] {
        session.understand(&engine, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn any_string_gets_an_answer(text in any::<String>()) {
        let engine = Engine::embedded().unwrap();
        check(&engine, &text);
    }

    /// Tokens point into the text exactly, in order, without overlapping.
    #[test]
    fn tokens_are_exact_ordered_slices_of_the_text(text in any::<String>()) {
        let mut end = 0;
        for token in dark8_nlp::tokenizer::tokenize(&text) {
            prop_assert_eq!(&text[token.span.clone()], token.text);
            prop_assert!(token.span.start >= end, "{:?}", token.span);
            end = token.span.end;
        }
    }

    #[test]
    fn command_like_strings_get_an_answer(text in "[a-zA-ZąęółśżźćńĄĘÓŁŚŻŹĆŃ0-9 ./~`\"'„”:_@?!,-]{0,80}") {
        let engine = Engine::embedded().unwrap();
        check(&engine, &text);
    }
}
