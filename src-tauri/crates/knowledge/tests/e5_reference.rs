//! The embedded e5 embedder against an independent reference computed from the same weights
//! (scripts/e5_reference.py: its own file parser, the Hugging Face `tokenizers` Unigram
//! lattice, a float64 NumPy forward pass), on 50 Polish texts as passages and as queries:
//! every cosine at least 0.99, and the same pieces.
//!
//! Needs the model file (`scripts/fetch-e5-model.sh`; `DARK8_E5_MODEL` or
//! `~/.cache/dark8-e5/e5-small-q4.bin`) and a Python with numpy and tokenizers
//! (`DARK8_E5_REFERENCE_PYTHON`, else `python3`); without them the test says so and passes,
//! unless `DARK8_REQUIRE_E5` is set (CI).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use std::path::{Path, PathBuf};
use std::process::Command;

use dark8_knowledge::embed::cosine;
use dark8_knowledge::search::CONFIDENT_SIMILARITY;
use dark8_knowledge::{E5Embedder, Role};
use serde_json::Value;

fn model_path() -> Option<PathBuf> {
    std::env::var_os("DARK8_E5_MODEL")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|home| PathBuf::from(home).join(".cache/dark8-e5/e5-small-q4.bin"))
        })
        .filter(|path| path.is_file())
}

fn required() -> bool {
    std::env::var_os("DARK8_REQUIRE_E5").is_some()
}

fn texts_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/polish_texts.txt")
}

/// The reference's ids and vectors, or `None` when its Python cannot run here.
fn reference(model: &Path, role: &str) -> Option<Value> {
    let python = std::env::var("DARK8_E5_REFERENCE_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../scripts/e5_reference.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(model)
        .arg(texts_file())
        .arg(role)
        .output()
        .ok()?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!required(), "the reference failed: {stderr}");
        eprintln!("skipped: the reference does not run here ({python}): {stderr}");
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn embeddings_agree_with_an_independent_reference_on_fifty_polish_texts() {
    let Some(model_file) = model_path() else {
        assert!(!required(), "the e5 model file is required here");
        eprintln!("skipped: no e5 model file (scripts/fetch-e5-model.sh)");
        return;
    };
    let model = E5Embedder::load(&model_file).unwrap();
    assert_eq!(model.dimension(), 384);
    let text = std::fs::read_to_string(texts_file()).unwrap();
    let texts: Vec<&str> = text.lines().collect();
    assert_eq!(texts.len(), 50);
    for (role, name) in [(Role::Passage, "passage"), (Role::Query, "query")] {
        let Some(reference) = reference(&model_file, name) else {
            return;
        };
        let ours = model.embed_batch(&texts, role).unwrap();
        let mut worst = (1.0f32, "");
        let mut same_pieces = 0;
        for (i, text) in texts.iter().enumerate() {
            let expected: Vec<f32> = reference["vectors"][i]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap() as f32)
                .collect();
            let similarity = cosine(&ours[i], &expected);
            if similarity < worst.0 {
                worst = (similarity, text);
            }
            let prefix = if role == Role::Query {
                "query: "
            } else {
                "passage: "
            };
            let mut ids = vec![0u32];
            ids.extend(model.tokenizer().encode(&format!("{prefix}{text}")));
            ids.push(2);
            let theirs: Vec<u32> = reference["ids"][i]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap() as u32)
                .collect();
            if ids == theirs {
                same_pieces += 1;
            } else {
                eprintln!("{name} {i}: pieces differ: ours {ids:?}, reference {theirs:?}");
            }
        }
        eprintln!(
            "{name}: lowest cosine {:.6} ({}), same pieces in {same_pieces} of 50",
            worst.0, worst.1
        );
        assert!(
            worst.0 >= 0.99,
            "{name}: cosine {} for {:?}",
            worst.0,
            worst.1
        );
        assert!(
            same_pieces >= 49,
            "{name}: same pieces in only {same_pieces} of 50"
        );
    }
}

#[test]
fn meaning_finds_the_answer_written_in_other_words() {
    let Some(model_file) = model_path() else {
        assert!(!required(), "the e5 model file is required here");
        return;
    };
    let model = E5Embedder::load(&model_file).unwrap();
    let passages = [
        "Serwer produkcyjny PostgreSQL działa pod db.firma.local:5433.",
        "Spotkanie zespołu odbywa się w każdy wtorek o dziesiątej.",
        "Przepis na pierogi ruskie: ziemniaki, twaróg, cebula i sól.",
    ];
    let stored = model.embed_batch(&passages, Role::Passage).unwrap();
    for (query, answer) in [
        ("gdzie jest baza produkcyjna", 0),
        ("kiedy mamy zebranie", 1),
        ("jak zrobic pierogi", 2),
    ] {
        let q = model.embed(query, Role::Query).unwrap();
        let best = (0..passages.len())
            .max_by(|&a, &b| cosine(&q, &stored[a]).total_cmp(&cosine(&q, &stored[b])))
            .unwrap();
        assert_eq!(best, answer, "{query:?} found {:?}", passages[best]);
    }
}

#[test]
fn answers_clear_the_confidence_bar_and_unrelated_facts_do_not() {
    let Some(model_file) = model_path() else {
        assert!(!required(), "the e5 model file is required here");
        return;
    };
    let model = E5Embedder::load(&model_file).unwrap();
    let facts = [
        "serwer produkcyjny PostgreSQL działa pod db.firma.local:5433",
        "spotkanie zespołu odbywa się w każdy wtorek o dziesiątej",
        "przepis na pierogi ruskie: ziemniaki, twaróg, cebula i sól",
        "hasło do wifi w biurze to Zielona-Herbata-77",
        "klucz do piwnicy leży w szufladzie biurka",
    ];
    // Each question's answer is the fact of the same index; the last three have none.
    let questions = [
        "Co wiesz o bazie danych na produkcji?",
        "kiedy mamy zebranie",
        "jak zrobic pierogi",
        "jakie jest haslo do sieci bezprzewodowej",
        "gdzie jest klucz od piwnicy",
        "jaka jest stolica Francji",
        "ile kosztuje bilet do kina",
        "pogoda na jutro",
    ];
    let stored = model.embed_batch(&facts, Role::Passage).unwrap();
    for (q, question) in questions.iter().enumerate() {
        let asked = model.embed(question, Role::Query).unwrap();
        for (f, fact) in stored.iter().enumerate() {
            let similarity = cosine(&asked, fact);
            if q == f {
                assert!(
                    similarity >= CONFIDENT_SIMILARITY,
                    "{question:?} → {:?}: {similarity}",
                    facts[f]
                );
            } else {
                assert!(
                    similarity < CONFIDENT_SIMILARITY,
                    "{question:?} → {:?}: {similarity}",
                    facts[f]
                );
            }
        }
    }
}

#[test]
fn a_damaged_file_is_an_error_with_a_hint_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("dark8-e5-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("e5-small-q4.bin");
    std::fs::write(&bad, b"GGUF nie ten plik").unwrap();
    let err = E5Embedder::load(&bad).unwrap_err();
    assert!(err.to_string().contains("zły nagłówek"), "{err}");
    assert!(err.hint().contains("dark8 model pull"));
    if let Some(model_file) = model_path() {
        // Every cut of the real file fails cleanly.
        let bytes = std::fs::read(model_file).unwrap();
        for len in [3, 8, 60, 5_000, 4_638_000, 60_000_000, bytes.len() - 1] {
            assert!(
                E5Embedder::from_bytes(&bytes[..len]).is_err(),
                "cut at {len}"
            );
        }
    }
    let missing = E5Embedder::load(&dir.join("nie-ma.bin")).unwrap_err();
    assert!(
        missing.to_string().contains("nie mogę odczytać"),
        "{missing}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
