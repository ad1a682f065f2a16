//! The tokenizer and `understand` on any UTF-8 text: no panic, exact token slices, a
//! confidence in [0, 1].
#![no_main]

use std::sync::OnceLock;

use dark8_nlp::Engine;
use libfuzzer_sys::fuzz_target;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::embedded().expect("the embedded NLP model loads"))
}

fuzz_target!(|text: &str| {
    for token in dark8_nlp::tokenizer::tokenize(text) {
        assert_eq!(&text[token.span.clone()], token.text);
    }
    let understood = engine().understand(text);
    assert!((0.0..=1.0).contains(&understood.confidence));
});
