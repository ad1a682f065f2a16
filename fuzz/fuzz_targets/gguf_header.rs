//! The GGUF header check of a model import on any file: accepted exactly when it starts
//! with the magic, and then copied byte for byte.
#![no_main]

use std::sync::OnceLock;

use dark8_agent::llm::models::ModelStore;
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"))
}

fuzz_target!(|data: &[u8]| {
    let source = dir().path().join("wejscie.gguf");
    std::fs::write(&source, data).expect("write the input");
    let store = ModelStore::new(dir().path().join("models"));
    match store.import(&source) {
        Ok((path, _)) => {
            assert!(data.starts_with(b"GGUF"));
            assert_eq!(std::fs::read(path).expect("the copy"), data);
        }
        Err(_) => assert!(!data.starts_with(b"GGUF")),
    }
});
