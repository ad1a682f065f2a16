//! The examples of shared/nlp-contract.md, and the JSON form.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::collections::BTreeMap;

use dark8_nlp::Engine;

/// text, intent, entities
type Row = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

#[test]
fn contract_examples() {
    let engine = Engine::embedded().unwrap();
    let table: &[Row] = &[
        (
            "Zbuduj aplikację todo w Django",
            "BUILD_APP",
            &[("framework", "django"), ("app_type", "todo")],
        ),
        (
            "Stwórz REST API w FastAPI o nazwie sklep",
            "BUILD_APP",
            &[("framework", "fastapi"), ("name", "sklep")],
        ),
        (
            "Przeanalizuj kod w katalogu ./api",
            "ANALYZE_CODE",
            &[("path", "./api")],
        ),
        (
            "Wygeneruj testy dla pliku app/main.py",
            "GENERATE_TESTS",
            &[("path", "app/main.py")],
        ),
        (
            "Utwórz Dockerfile dla projektu",
            "DEPLOY",
            &[("target", "docker")],
        ),
        (
            "Pokaż plik README.md",
            "FILE_READ",
            &[("path", "README.md")],
        ),
        (
            "Uruchom `cargo build --release`",
            "SHELL_RUN",
            &[("command", "cargo build --release")],
        ),
        (
            "Sklonuj https://github.com/serde-rs/serde",
            "GIT_CLONE",
            &[("url", "https://github.com/serde-rs/serde")],
        ),
        (
            "Zainstaluj requests przez pip",
            "PACKAGE_INSTALL",
            &[("package", "requests"), ("manager", "pip")],
        ),
        (
            "Wyślij GET do http://localhost:8000/health",
            "HTTP_REQUEST",
            &[("method", "GET"), ("url", "http://localhost:8000/health")],
        ),
        (
            "Wyszukaj w internecie dokumentację axum",
            "WEB_SEARCH",
            &[("query", "dokumentację axum")],
        ),
        (
            "Otwórz stronę https://docs.rs",
            "BROWSE_URL",
            &[("url", "https://docs.rs")],
        ),
        (
            "Pokaż wolne miejsce na dyskach",
            "SYSTEM_STATUS",
            &[("resource", "disk")],
        ),
        ("Zabij proces 4242", "PROCESS_KILL", &[("pid", "4242")]),
        (
            "Zapamiętaj, że baza działa na porcie 5433",
            "MEMORY_SAVE",
            &[("content", "baza działa na porcie 5433")],
        ),
        ("W czym możesz mi pomóc?", "HELP", &[]),
        ("Wyjaśnij, czym jest mutex", "CHAT", &[]),
    ];
    for (text, intent, entities) in table {
        let got = engine.understand(text);
        let expected: BTreeMap<String, String> = entities
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(
            (got.intent.as_str(), &got.entities),
            (*intent, &expected),
            "{text}"
        );
        assert!((0.0..=1.0).contains(&got.confidence));
    }
}

#[test]
fn colloquial_and_diacritic_free_commands() {
    let engine = Engine::embedded().unwrap();
    for (text, intent) in [
        ("odpal testy", "RUN_TESTS"),
        ("wywal plik stary.txt", "FILE_DELETE"),
        ("utworz aplikacje blog we flasku", "BUILD_APP"),
        ("Ile mam wolnego miejsca na dysku?", "SYSTEM_STATUS"),
        ("Proszę, pokaż procesy", "PROCESS_LIST"),
        ("zrob commit", "GIT_COMMIT"),
    ] {
        assert_eq!(engine.understand(text).intent, intent, "{text}");
    }
}

#[test]
fn json_form_is_the_contracts() {
    let engine = Engine::embedded().unwrap();
    let value = serde_json::to_value(engine.understand("Zabij proces 4242")).unwrap();
    let keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["confidence", "entities", "intent", "text"]);
    assert_eq!(value["entities"]["pid"], "4242");
}
