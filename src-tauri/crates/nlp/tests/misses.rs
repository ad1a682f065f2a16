//! The kinds of misses new users met (issue "Polish understanding, round two"), one sentence
//! per kind: the intent and the entities the engine must read.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use dark8_nlp::Engine;

fn check(engine: &Engine, text: &str, intent: &str, entities: &[(&str, &str)]) {
    let got = engine.understand(text);
    assert_eq!(got.intent, intent, "{text}: {got:?}");
    assert!(got.confidence >= 0.5, "{text}: {got:?}");
    for (key, value) in entities {
        assert_eq!(
            got.entities.get(*key).map(String::as_str),
            Some(*value),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn the_kinds_of_misses_are_read_right() {
    let engine = Engine::embedded().unwrap();
    // A run read as a delete is the worst error there is.
    check(
        &engine,
        "Odpal skrypt ./deploy.sh",
        "SHELL_RUN",
        &[("command", "./deploy.sh")],
    );
    check(
        &engine,
        "Wykonaj skrypt ./backup.sh",
        "SHELL_RUN",
        &[("command", "./backup.sh")],
    );
    // Paths after folder and project phrases.
    check(
        &engine,
        "Przeanalizuj kod w katalogu api pod kątem bezpieczeństwa",
        "ANALYZE_CODE",
        &[("path", "api")],
    );
    check(
        &engine,
        "Sprawdź projekt blog pod kątem błędów",
        "ANALYZE_CODE",
        &[("path", "blog")],
    );
    check(
        &engine,
        "Uruchom testy w projekcie sklep",
        "RUN_TESTS",
        &[("path", "sklep")],
    );
    check(
        &engine,
        "Zbuduj projekt w katalogu backend",
        "BUILD_PROJECT",
        &[("path", "backend")],
    );
    check(
        &engine,
        "Przeszukaj kod pod kątem TODO",
        "FILE_SEARCH",
        &[("query", "TODO")],
    );
    // Lists, branches, frameworks, implied managers.
    check(
        &engine,
        "Zainstaluj numpy i pandas",
        "PACKAGE_INSTALL",
        &[("package", "numpy pandas")],
    );
    check(
        &engine,
        "Zainstaluj numpy, pandas i scipy przez pip",
        "PACKAGE_INSTALL",
        &[("package", "numpy pandas scipy"), ("manager", "pip")],
    );
    check(
        &engine,
        "Dodaj do projektu node pakiet express",
        "PACKAGE_INSTALL",
        &[("package", "express"), ("manager", "npm")],
    );
    check(
        &engine,
        "Wypchnij zmiany do gałęzi develop",
        "GIT_PUSH",
        &[("branch", "develop")],
    );
    check(
        &engine,
        "Wypchnij commit na gałąź feature/login",
        "GIT_PUSH",
        &[("branch", "feature/login")],
    );
    check(
        &engine,
        "Zrób push brancha main",
        "GIT_PUSH",
        &[("branch", "main")],
    );
    check(
        &engine,
        "Zbuduj aplikację todo w Node",
        "BUILD_APP",
        &[("framework", "nodejs"), ("app_type", "todo")],
    );
    check(
        &engine,
        "Zbuduj aplikację todo",
        "BUILD_APP",
        &[("app_type", "todo")],
    );
    check(
        &engine,
        "Utwórz aplikację todo",
        "BUILD_APP",
        &[("app_type", "todo")],
    );
    // Recall, not save or git.
    check(
        &engine,
        "Przypomnij mi, na jakim porcie działa baza",
        "MEMORY_RECALL",
        &[],
    );
    check(
        &engine,
        "Jakie projekty ostatnio tworzyłem?",
        "MEMORY_RECALL",
        &[],
    );
    // Tests are generated, a production build is a build.
    check(
        &engine,
        "Dodaj testy do modułu app/models.py",
        "GENERATE_TESTS",
        &[("path", "app/models.py")],
    );
    check(
        &engine,
        "Zbuduj wersję produkcyjną projektu",
        "BUILD_PROJECT",
        &[],
    );
    // A question about programming is conversation.
    check(&engine, "Jak działa pożyczanie w Ruście?", "CHAT", &[]);
    // From the agent's notes.
    check(
        &engine,
        "Wykonaj zapytanie \"SELECT * FROM users\"",
        "DB_QUERY",
        &[("query", "SELECT * FROM users")],
    );
    check(
        &engine,
        "Zmień nazwę pliku a.txt na b.txt",
        "FILE_MOVE",
        &[("path", "a.txt"), ("path2", "b.txt")],
    );
    check(
        &engine,
        "Policz, ile linii ma plik dane.csv",
        "FILE_READ",
        &[("path", "dane.csv")],
    );
    check(
        &engine,
        "Skopiuj plik a.txt do kopie",
        "FILE_COPY",
        &[("path", "a.txt"), ("path2", "kopie")],
    );
    check(
        &engine,
        "Stwórz folder backup",
        "DIR_CREATE",
        &[("path", "backup")],
    );
}

#[test]
fn a_destructive_reading_without_a_computing_object_is_never_confident() {
    let engine = Engine::embedded().unwrap();
    for text in [
        "Zamknij zasłony w salonie",
        "Usuń plamę z obrusu",
        "Zatrzymaj odkurzacz",
    ] {
        let got = engine.understand(text);
        assert!(
            got.intent == "CHAT" || got.confidence < 0.5,
            "{text}: {got:?}"
        );
    }
    let kill = engine.understand("Zamknij firefox");
    assert_eq!(kill.intent, "PROCESS_KILL", "{kill:?}");
    assert!(kill.confidence >= 0.5, "{kill:?}");
}
