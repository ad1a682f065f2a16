//! The engine on the held-out split (phrasings it never trained on), and the reproducibility
//! of the embedded model.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use dark8_nlp::{eval, Engine};

#[test]
fn heldout_accuracy_meets_the_bar() {
    let engine = Engine::embedded().unwrap();
    let heldout = eval::heldout().unwrap();
    assert!(heldout.len() >= 2000, "{} held-out examples", heldout.len());
    let report = eval::evaluate(&engine, &heldout);
    println!("{report}");
    assert!(
        report.intent_accuracy >= 0.97,
        "intent accuracy {:.3}",
        report.intent_accuracy
    );
    assert!(
        report.entity_accuracy >= 0.95,
        "entity accuracy {:.3}",
        report.entity_accuracy
    );
    // Confidence means something: calibrated, and lower when wrong.
    assert!(
        report.calibration_error < 0.08,
        "ECE {:.3}",
        report.calibration_error
    );
    assert!(report.mean_confidence_wrong < report.mean_confidence_correct - 0.1);
}

#[test]
fn training_is_reproducible_and_the_embedded_model_is_current() {
    let trained = Engine::train().unwrap().to_bytes();
    let again = Engine::train().unwrap().to_bytes();
    assert!(trained == again, "two trainings differ");
    let embedded = include_bytes!("../model/intent.bin");
    assert!(
        trained.as_slice() == embedded.as_slice(),
        "model/intent.bin is stale: run `cargo run -- nlp train` and commit it"
    );
}
