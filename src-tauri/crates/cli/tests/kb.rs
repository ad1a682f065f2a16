//! `dark8 kb` end to end on the real binary and a real database: entries of every kind added,
//! listed, found by their words, removed (a second removal is a Polish error with a hint);
//! without an embedding model `reindex` says how to get one. With the embedded e5 model
//! (`DARK8_E5_MODEL` or `~/.cache/dark8-e5/e5-small-q4.bin`; required when
//! `DARK8_REQUIRE_E5` is set), entries saved before the model are embedded by `reindex`, the
//! vector index is saved beside the database, and a question in other words finds its entry.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
#![cfg(unix)] // links the model into the test home with a symlink

use std::path::Path;

use assert_cmd::Command;

mod common;

fn kb(home: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("dark8")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DARK8_HOME", home)
        .env("DARK8_LLM__PROVIDER", "none")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/dark8-tests-no-bus",
        )
        .current_dir(home)
        .arg("kb")
        .args(args)
        .assert()
}

fn stdout(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.success().get_output().stdout.clone()).unwrap()
}

const SERVER: &str = "Serwer produkcyjny PostgreSQL działa pod db.firma.local:5433";

#[test]
fn entries_are_added_listed_found_and_removed() {
    let home = tempfile::tempdir().unwrap();
    let added = stdout(kb(home.path(), &["add", SERVER, "--tag", "infra"]));
    assert!(added.starts_with("Zapisano wpis #1 (fakt)."), "{added}");
    assert!(added.contains("dark8 model pull e5-small"), "{added}");
    stdout(kb(
        home.path(),
        &["add", "fn main() { println!(\"cześć\"); }", "--type", "kod"],
    ));
    stdout(kb(
        home.path(),
        &["add", "Każdy endpoint loguje żądanie", "-t", "pattern"],
    ));

    let listed = stdout(kb(home.path(), &["list"]));
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "{listed}");
    assert!(
        lines[0].starts_with("#3") && lines[0].contains("wzorzec"),
        "{listed}"
    );
    assert!(lines[1].contains("kod"), "{listed}");
    assert!(
        lines[2].contains("[infra]") && lines[2].contains("db.firma.local"),
        "{listed}"
    );
    let only_code = stdout(kb(home.path(), &["list", "--type", "code-snippet"]));
    assert_eq!(only_code.lines().count(), 1, "{only_code}");

    // By its words, inflected: "serwera produkcyjnego" finds "Serwer produkcyjny".
    let found = stdout(kb(home.path(), &["search", "adres serwera produkcyjnego"]));
    assert!(found.lines().next().unwrap().starts_with("#1 "), "{found}");
    let json = kb(home.path(), &["--json", "search", "serwer"]);
    let parsed: serde_json::Value =
        serde_json::from_slice(&json.success().get_output().stdout).unwrap();
    assert_eq!(parsed[0]["id"], 1);

    let removed = stdout(kb(home.path(), &["rm", "1"]));
    assert!(removed.starts_with("Usunięto wpis #1 (fakt)"), "{removed}");
    let again = kb(home.path(), &["rm", "1"]).failure().code(1);
    let err = String::from_utf8(again.get_output().stderr.clone()).unwrap();
    assert!(err.contains("W bazie wiedzy nie ma wpisu #1."), "{err}");
    assert!(err.contains("dark8 kb list"), "{err}");
    let nothing = stdout(kb(home.path(), &["search", "serwer produkcyjny"]));
    assert!(nothing.starts_with("Nic nie znaleziono"), "{nothing}");

    let empty = kb(home.path(), &["add", "   "]).failure().code(2);
    let err = String::from_utf8(empty.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Wpis jest pusty."), "{err}");

    let no_model = kb(home.path(), &["reindex"]).failure().code(1);
    let err = String::from_utf8(no_model.get_output().stderr.clone()).unwrap();
    assert!(err.contains("Nie ma modelu osadzeń"), "{err}");
    assert!(err.contains("dark8 model pull e5-small"), "{err}");
}

#[test]
fn reindex_embeds_older_entries_and_a_question_in_other_words_finds_them() {
    let Some(model) = common::e5_model_or_skip() else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    // Saved before the model was there: words only.
    for text in [
        SERVER,
        "Klucze do biura ma pani Ania z recepcji",
        "Kopie zapasowe robimy w każdy piątek o 22:00",
    ] {
        stdout(kb(home.path(), &["add", text]));
    }
    common::install_e5(home.path(), &model);

    let reindexed = stdout(kb(home.path(), &["reindex"]));
    assert_eq!(
        reindexed.trim(),
        "Osadzono 3 wpisy modelem multilingual-e5-small-q4; indeks wektorów zbudowany od nowa: 3 wpisy.",
    );
    let index = home.path().join("data/index/multilingual-e5-small-q4");
    assert!(
        index.join("current").is_file(),
        "no saved index in {}",
        index.display()
    );

    let added = stdout(kb(
        home.path(),
        &["add", "Faktury wysyłamy do 10. dnia miesiąca"],
    ));
    assert!(
        added.contains("wektor modelu multilingual-e5-small-q4"),
        "{added}"
    );
    // No word in common with the entry it means.
    let found = stdout(kb(
        home.path(),
        &["search", "gdzie jest baza na produkcji", "-n", "1"],
    ));
    assert!(found.contains("db.firma.local"), "{found}");
    let found = stdout(kb(
        home.path(),
        &["search", "kiedy trzeba wystawić rachunki", "-n", "1"],
    ));
    assert!(found.contains("Faktury"), "{found}");
}

#[test]
fn eval_without_a_model_scores_words_alone_and_names_a_bad_set_line() {
    let home = tempfile::tempdir().unwrap();
    let report = stdout(kb(home.path(), &["eval"]));
    assert!(
        report.contains("Zestaw: 306 dokumentów, 82 pytania; bez modelu osadzeń."),
        "{report}"
    );
    assert!(report.contains("brak modelu osadzeń"), "{report}");
    assert!(report.contains("po słowach"), "{report}");
    // The user's store is not where the set went.
    let listed = stdout(kb(home.path(), &["list"]));
    assert!(listed.contains("Baza wiedzy jest pusta"), "{listed}");

    let set = home.path().join("zestaw.tsv");
    std::fs::write(
        &set,
        "D\tserwer\tfact\tSerwer stoi w Poznaniu\nQ\tbaza\tgdzie jest serwer\n",
    )
    .unwrap();
    let bad = kb(home.path(), &["eval", "--set", set.to_str().unwrap()])
        .failure()
        .code(1);
    let err = String::from_utf8(bad.get_output().stderr.clone()).unwrap();
    assert!(err.contains("w wierszu 2"), "{err}");
    assert!(err.contains("`baza`"), "{err}");
    kb(home.path(), &["eval", "-k", "0"]).failure().code(2);
}

#[test]
fn eval_with_the_model_finds_hybrid_search_at_least_as_good_as_either_alone() {
    let Some(model) = common::e5_model_or_skip() else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    common::install_e5(home.path(), &model);
    let report: serde_json::Value =
        serde_json::from_str(&stdout(kb(home.path(), &["eval", "--json"]))).unwrap();
    assert_eq!(report["documents"], 306);
    assert_eq!(report["queries"], 82);
    let metric = |mode: &str, name: &str| report[mode][name].as_f64().unwrap();
    for name in ["recall_at_k", "mrr"] {
        let hybrid = metric("hybrid", name);
        assert!(hybrid >= metric("lexical", name), "{name}: {report}");
        assert!(hybrid >= metric("vector", name), "{name}: {report}");
    }
    // The set is answerable: most questions find their answer among the first five.
    assert!(metric("hybrid", "recall_at_k") >= 0.85, "{report}");
}
