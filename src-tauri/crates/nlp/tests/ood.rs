//! Sentences that are no computer command: the engine must not read them as confident
//! commands that change something. Home Assistant's public Polish test sentences (CC BY 4.0,
//! see tests/fixtures/README.md) and DARK8's own held-out set; neither is used for training.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic

use dark8_nlp::{ood, Engine};

fn report(file: &str) -> ood::OodReport {
    let engine = Engine::embedded().unwrap();
    let sentences = ood::read_sentences(file);
    assert!(sentences.len() >= 300, "{} sentences", sentences.len());
    let report = ood::evaluate_ood(&engine, &sentences);
    println!("{report}");
    report
}

#[test]
fn home_assistant_sentences_are_never_confident_destructive_commands() {
    let report = report(include_str!("fixtures/ha-intents-pl-ood.tsv"));
    assert_eq!(report.sentences, 600);
    assert_eq!(report.confident_destructive, 0, "{:?}", report.misses);
    assert!(report.safe_share() >= 0.95, "{:.3}", report.safe_share());
}

#[test]
fn dark8s_own_out_of_domain_sentences_are_never_confident_destructive_commands() {
    let report = report(include_str!("fixtures/dark8-ood-pl.txt"));
    assert!(report.sentences >= 300);
    assert_eq!(report.confident_destructive, 0, "{:?}", report.misses);
    assert!(report.safe_share() >= 0.95, "{:.3}", report.safe_share());
}
