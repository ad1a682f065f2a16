//! Memory by meaning, end to end: with the embedded e5 model in the models directory, a fact
//! is found by a question written in other words, also one saved before the model was there;
//! without the model the same question finds nothing (full text only), and an unrelated
//! question is not answered with the nearest fact.
//!
//! Needs the model file (`scripts/fetch-e5-model.sh`; `DARK8_E5_MODEL` or
//! `~/.cache/dark8-e5/e5-small-q4.bin`); without it the test says so and passes, unless
//! `DARK8_REQUIRE_E5` is set (CI).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn model_path() -> Option<PathBuf> {
    std::env::var_os("DARK8_E5_MODEL")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/dark8-e5/e5-small-q4.bin"))
        })
        .filter(|path| path.is_file())
}

fn dark8(home: &Path, line: &str) -> String {
    let out = Command::cargo_bin("dark8")
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
        .args(["run", line])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

fn install_model(home: &Path, model: &Path) {
    let models = home.join("data/models");
    std::fs::create_dir_all(&models).unwrap();
    std::os::unix::fs::symlink(model, models.join("e5-small-q4.bin")).unwrap();
}

const FACT: &str = "Zapamiętaj, że serwer produkcyjny PostgreSQL działa pod db.firma.local:5433";
const QUESTION: &str = "Co wiesz o bazie danych na produkcji?";

#[test]
fn a_fact_is_found_by_a_question_in_other_words() {
    let Some(model) = model_path() else {
        assert!(
            std::env::var_os("DARK8_REQUIRE_E5").is_none(),
            "the e5 model file is required here"
        );
        eprintln!("skipped: no e5 model file (scripts/fetch-e5-model.sh)");
        return;
    };
    // Full text alone: no word of the question is in the fact.
    let home = tempfile::tempdir().unwrap();
    assert!(dark8(home.path(), FACT).contains("Zapamiętano"));
    let answer = dark8(home.path(), QUESTION);
    assert!(answer.contains("Nie pamiętam"), "{answer}");

    // The model arrives: the fact saved before it is embedded at the next search and found.
    install_model(home.path(), &model);
    let answer = dark8(home.path(), QUESTION);
    assert!(answer.contains("db.firma.local:5433"), "{answer}");

    // A fact saved with the model is found the same way; an unrelated question gets no
    // fact passed off as an answer.
    assert!(dark8(
        home.path(),
        "Zapamiętaj, że spotkanie zespołu jest w każdy wtorek o dziesiątej"
    )
    .contains("Zapamiętano"));
    let answer = dark8(home.path(), "Przypomnij, kiedy mamy zebranie");
    assert!(answer.contains("wtorek o dziesiątej"), "{answer}");
    let answer = dark8(home.path(), "Co pamiętasz o stolicy Francji?");
    assert!(answer.contains("Nie pamiętam"), "{answer}");
}
