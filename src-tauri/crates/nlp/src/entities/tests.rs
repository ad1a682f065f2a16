//! Entity extraction on real phrasings.

use super::*;
use crate::tokenizer::tokenize;

fn entities(intent: &str, text: &str) -> BTreeMap<String, String> {
    let lexicon = Lexicon::embedded().unwrap();
    let words = analyze(&tokenize(text), &lexicon);
    extract(intent, text, &words)
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn contract_examples() {
    for (intent, text, expected) in [
        (
            "BUILD_APP",
            "Zbuduj aplikację todo w Django",
            map(&[("framework", "django"), ("app_type", "todo")]),
        ),
        (
            "BUILD_APP",
            "Stwórz REST API w FastAPI o nazwie sklep",
            map(&[("framework", "fastapi"), ("name", "sklep")]),
        ),
        (
            "ANALYZE_CODE",
            "Przeanalizuj kod w katalogu ./api",
            map(&[("path", "./api")]),
        ),
        (
            "GENERATE_TESTS",
            "Wygeneruj testy dla pliku app/main.py",
            map(&[("path", "app/main.py")]),
        ),
        (
            "DEPLOY",
            "Utwórz Dockerfile dla projektu",
            map(&[("target", "docker")]),
        ),
        (
            "FILE_READ",
            "Pokaż plik README.md",
            map(&[("path", "README.md")]),
        ),
        (
            "SHELL_RUN",
            "Uruchom `cargo build --release`",
            map(&[("command", "cargo build --release")]),
        ),
        (
            "GIT_CLONE",
            "Sklonuj https://github.com/serde-rs/serde",
            map(&[("url", "https://github.com/serde-rs/serde")]),
        ),
        (
            "PACKAGE_INSTALL",
            "Zainstaluj requests przez pip",
            map(&[("package", "requests"), ("manager", "pip")]),
        ),
        (
            "HTTP_REQUEST",
            "Wyślij GET do http://localhost:8000/health",
            map(&[("method", "GET"), ("url", "http://localhost:8000/health")]),
        ),
        (
            "WEB_SEARCH",
            "Wyszukaj w internecie dokumentację axum",
            map(&[("query", "dokumentację axum")]),
        ),
        (
            "BROWSE_URL",
            "Otwórz stronę https://docs.rs",
            map(&[("url", "https://docs.rs")]),
        ),
        (
            "SYSTEM_STATUS",
            "Pokaż wolne miejsce na dyskach",
            map(&[("resource", "disk")]),
        ),
        ("PROCESS_KILL", "Zabij proces 4242", map(&[("pid", "4242")])),
        (
            "MEMORY_SAVE",
            "Zapamiętaj, że baza działa na porcie 5433",
            map(&[("content", "baza działa na porcie 5433")]),
        ),
    ] {
        assert_eq!(entities(intent, text), expected, "{text}");
    }
}

#[test]
fn each_entity_kind() {
    assert_eq!(
        entities("BUILD_APP", "Postaw apkę blog we Flasku")["framework"],
        "flask"
    );
    assert_eq!(
        entities("BUILD_APP", "zrob sklep internetowy w expressie")["app_type"],
        "sklep internetowy"
    );
    assert_eq!(
        entities(
            "BUILD_APP",
            "Stwórz projekt w Ruście o nazwie Sklep Internetowy"
        )["name"],
        "Sklep Internetowy"
    );
    assert_eq!(
        entities("FILE_DIFF", "Porównaj a.txt z b.txt"),
        map(&[("path", "a.txt"), ("path2", "b.txt")])
    );
    assert_eq!(
        entities("FILE_SEARCH", "Znajdź \"TODO\" w ./src"),
        map(&[("query", "TODO"), ("path", "./src")])
    );
    assert_eq!(
        entities("GIT_COMMIT", "Zrób commit z opisem \"poprawka\"")["message"],
        "poprawka"
    );
    assert_eq!(
        entities("GIT_PUSH", "Wypchnij zmiany na feature/login")["branch"],
        "feature/login"
    );
    assert_eq!(
        entities("GIT_PULL_REQUEST", "Otwórz PR o tytule \"Nowy endpoint\"")["title"],
        "Nowy endpoint"
    );
    assert_eq!(
        entities("PACKAGE_INSTALL", "npm install lodash"),
        map(&[("package", "lodash"), ("manager", "npm")])
    );
    assert_eq!(
        entities("PACKAGE_INSTALL", "Zainstaluj numpy pipem")["manager"],
        "pip"
    );
    assert_eq!(
        entities("DB_QUERY", "Wykonaj zapytanie SELECT * FROM users")["query"],
        "SELECT * FROM users"
    );
    assert_eq!(
        entities("SYSTEM_STATUS", "Ile mam wolnego RAM-u?")["resource"],
        "memory"
    );
    assert_eq!(
        entities("SYSTEM_STATUS", "Jak obciążony jest procesor?")["resource"],
        "cpu"
    );
    assert_eq!(
        entities("SYSTEM_STATUS", "Pokaż stan systemu")["resource"],
        "all"
    );
    assert_eq!(
        entities("PROCESS_LIST", "Czy działa nginx?")["process"],
        "nginx"
    );
    assert_eq!(
        entities("PROCESS_KILL", "Ubij firefox")["process"],
        "firefox"
    );
    assert_eq!(
        entities("MEMORY_RECALL", "Co pamiętasz o bazie danych?")["query"],
        "bazie danych"
    );
    assert_eq!(
        entities("SECRET_SET", "Zapisz GITHUB_TOKEN w sejfie")["name"],
        "GITHUB_TOKEN"
    );
    assert_eq!(
        entities("SECRET_SET", "Zapisz hasło do bazy w sejfie")["name"],
        "hasło do bazy"
    );
    assert_eq!(
        entities("DEPLOY", "Przygotuj unit systemd")["target"],
        "systemd"
    );
    assert_eq!(
        entities("DEPLOY", "Spakuj projekt do tar.gz")["target"],
        "tarball"
    );
    assert_eq!(
        entities("FILE_WRITE", "Utwórz plik notatki.txt z treścią \"ala\""),
        map(&[("path", "notatki.txt"), ("content", "ala")])
    );
    assert_eq!(
        entities("SHELL_RUN", "Wykonaj polecenie ls -la"),
        map(&[("command", "ls -la")])
    );
    assert_eq!(
        entities("GIT_CLONE", "Sklonuj https://x.org/a.git do ./b"),
        map(&[("url", "https://x.org/a.git"), ("path", "./b")])
    );
    assert_eq!(
        entities("FILE_LIST", "Pokaż pliki w katalogu domowym")["path"],
        "~"
    );
    assert_eq!(
        entities("RUN_TESTS", "Uruchom testy w katalogu src")["path"],
        "src"
    );
    assert_eq!(
        entities("FILE_READ", "Pokaż plik Dockerfile")["path"],
        "Dockerfile"
    );
    assert_eq!(
        entities("DEPLOY", "Zapakuj aplikację do kontenra")["target"],
        "docker"
    );
    assert_eq!(
        entities("BUILD_PROJECT", "Skompiluj prjoekt Sklep Internetowy")["name"],
        "Sklep Internetowy"
    );
    assert!(close_to("kontenra", "kontenera"));
    assert!(!close_to("kot", "kat"));
}

#[test]
fn copy_move_and_new_folders() {
    assert_eq!(
        entities("FILE_MOVE", "Zmień nazwę pliku a.txt na b.txt"),
        map(&[("path", "a.txt"), ("path2", "b.txt")])
    );
    assert_eq!(
        entities("FILE_MOVE", "Przenieś raport.pdf do katalogu archiwum"),
        map(&[("path", "raport.pdf"), ("path2", "archiwum")])
    );
    assert_eq!(
        entities("FILE_MOVE", "mv notatki.txt stare.txt"),
        map(&[("path", "notatki.txt"), ("path2", "stare.txt")])
    );
    assert_eq!(
        entities("FILE_COPY", "Skopiuj katalog src do kopie"),
        map(&[("path", "src"), ("path2", "kopie")])
    );
    assert_eq!(
        entities("FILE_COPY", "Zrób kopię pliku config.toml jako config.bak"),
        map(&[("path", "config.toml"), ("path2", "config.bak")])
    );
    assert_eq!(
        entities("DIR_CREATE", "Stwórz folder backup"),
        map(&[("path", "backup")])
    );
    assert_eq!(
        entities("DIR_CREATE", "Załóż katalog o nazwie zdjęcia"),
        map(&[("path", "zdjęcia")])
    );
    assert_eq!(
        entities("DIR_CREATE", "mkdir -p dane/2026"),
        map(&[("path", "dane/2026")])
    );
}

#[test]
fn paths_after_folder_nouns_and_the_current_folder() {
    assert_eq!(
        entities("FILE_LIST", "Pokaż, co jest w katalogu notatki")["path"],
        "notatki"
    );
    assert_eq!(
        entities("FILE_LIST", "Pokaż mi, jakie pliki są w .")["path"],
        "."
    );
    assert_eq!(
        entities("FILE_LIST", "Wylistuj zawartość src")["path"],
        "src"
    );
    assert_eq!(
        entities("FILE_SEARCH", "Poszukaj w tests wystąpień \"FIXME\""),
        map(&[("path", "tests"), ("query", "FIXME")])
    );
}
