//! Evaluation on the held-out split: intent accuracy, per-intent precision and recall, the
//! most frequent confusions, entity accuracy and calibration (expected calibration error).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::corpus::{Corpus, Example, Split, HELDOUT_SEED};
use crate::engine::{Engine, NlpError};

/// Held-out examples drawn per intent.
pub const HELDOUT_PER_INTENT: usize = 80;

/// Precision and recall of one intent.
#[derive(Debug, Clone, Serialize)]
pub struct IntentScore {
    /// The intent.
    pub intent: String,
    /// Correct / predicted as this intent.
    pub precision: f64,
    /// Correct / examples of this intent.
    pub recall: f64,
    /// Examples of this intent.
    pub support: usize,
}

/// One kind of mistake and how often it happened.
#[derive(Debug, Clone, Serialize)]
pub struct Confusion {
    /// The true intent.
    pub expected: String,
    /// What the engine said.
    pub predicted: String,
    /// How many times.
    pub count: usize,
    /// One example text.
    pub example: String,
}

/// The evaluation report.
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    /// Examples evaluated.
    pub examples: usize,
    /// Share of correct intents.
    pub intent_accuracy: f64,
    /// Share of examples whose entities are exactly right.
    pub entity_accuracy: f64,
    /// Share of expected (key, value) pairs found, spurious pairs counted as errors.
    pub entity_pair_accuracy: f64,
    /// Expected calibration error of the confidence (10 bins).
    pub calibration_error: f64,
    /// Mean confidence when right.
    pub mean_confidence_correct: f64,
    /// Mean confidence when wrong.
    pub mean_confidence_wrong: f64,
    /// Per intent.
    pub per_intent: Vec<IntentScore>,
    /// The most frequent mistakes.
    pub confusions: Vec<Confusion>,
    /// Examples whose entities were wrong (up to 20).
    pub entity_errors: Vec<EntityError>,
}

/// An example whose entities came out wrong.
#[derive(Debug, Clone, Serialize)]
pub struct EntityError {
    /// The command.
    pub text: String,
    /// What the corpus says.
    pub expected: BTreeMap<String, String>,
    /// What the engine found.
    pub got: BTreeMap<String, String>,
}

/// The held-out split of the embedded corpus.
pub fn heldout() -> Result<Vec<Example>, NlpError> {
    Ok(Corpus::embedded()?.generate(Split::Heldout, HELDOUT_PER_INTENT, HELDOUT_SEED))
}

/// Evaluates `engine` on `examples`.
pub fn evaluate(engine: &Engine, examples: &[Example]) -> EvalReport {
    let mut correct = 0usize;
    let mut entity_exact = 0usize;
    let (mut pairs_right, mut pairs_total) = (0usize, 0usize);
    let mut predicted_count: BTreeMap<String, usize> = BTreeMap::new();
    let mut true_count: BTreeMap<String, usize> = BTreeMap::new();
    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    let mut confusions: BTreeMap<(String, String), (usize, String)> = BTreeMap::new();
    let mut bins = [(0usize, 0.0f64, 0usize); 10];
    let (mut conf_right, mut conf_wrong) = (Vec::new(), Vec::new());
    let mut entity_errors = Vec::new();
    for example in examples {
        let got = engine.understand(&example.text);
        let right = got.intent == example.intent;
        *true_count.entry(example.intent.clone()).or_default() += 1;
        *predicted_count.entry(got.intent.clone()).or_default() += 1;
        let confidence = f64::from(got.confidence);
        let bin = ((confidence * 10.0) as usize).min(9);
        bins[bin].0 += 1;
        bins[bin].1 += confidence;
        if right {
            correct += 1;
            bins[bin].2 += 1;
            *hits.entry(example.intent.clone()).or_default() += 1;
            conf_right.push(confidence);
        } else {
            conf_wrong.push(confidence);
            let entry = confusions
                .entry((example.intent.clone(), got.intent.clone()))
                .or_insert((0, example.text.clone()));
            entry.0 += 1;
        }
        if got.entities == example.entities {
            entity_exact += 1;
        } else if entity_errors.len() < 20 {
            entity_errors.push(EntityError {
                text: example.text.clone(),
                expected: example.entities.clone(),
                got: got.entities.clone(),
            });
        }
        for (key, value) in &example.entities {
            pairs_total += 1;
            if got.entities.get(key) == Some(value) {
                pairs_right += 1;
            }
        }
        pairs_total += got
            .entities
            .keys()
            .filter(|k| !example.entities.contains_key(*k))
            .count();
    }
    let n = examples.len().max(1) as f64;
    let calibration_error = bins
        .iter()
        .filter(|b| b.0 > 0)
        .map(|&(count, sum_conf, right)| {
            let accuracy = right as f64 / count as f64;
            let mean_conf = sum_conf / count as f64;
            (count as f64 / n) * (accuracy - mean_conf).abs()
        })
        .sum();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let per_intent = true_count
        .iter()
        .map(|(intent, &support)| {
            let hit = hits.get(intent).copied().unwrap_or(0) as f64;
            IntentScore {
                intent: intent.clone(),
                precision: hit / predicted_count.get(intent).copied().unwrap_or(0).max(1) as f64,
                recall: hit / support.max(1) as f64,
                support,
            }
        })
        .collect();
    let mut confusions: Vec<Confusion> = confusions
        .into_iter()
        .map(|((expected, predicted), (count, example))| Confusion {
            expected,
            predicted,
            count,
            example,
        })
        .collect();
    confusions.sort_by_key(|c| std::cmp::Reverse(c.count));
    confusions.truncate(25);
    EvalReport {
        examples: examples.len(),
        intent_accuracy: correct as f64 / n,
        entity_accuracy: entity_exact as f64 / n,
        entity_pair_accuracy: pairs_right as f64 / pairs_total.max(1) as f64,
        calibration_error,
        mean_confidence_correct: mean(&conf_right),
        mean_confidence_wrong: mean(&conf_wrong),
        per_intent,
        confusions,
        entity_errors,
    }
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Zbiór testowy (held-out): {} poleceń", self.examples)?;
        writeln!(f, "Trafność intencji:   {:.3}", self.intent_accuracy)?;
        writeln!(
            f,
            "Trafność encji:      {:.3} (dokładne dopasowanie), {:.3} (pary klucz=wartość)",
            self.entity_accuracy, self.entity_pair_accuracy
        )?;
        writeln!(
            f,
            "Kalibracja (ECE):    {:.3}; średnia pewność: trafne {:.3}, błędne {:.3}",
            self.calibration_error, self.mean_confidence_correct, self.mean_confidence_wrong
        )?;
        writeln!(
            f,
            "\n{:<18} {:>9} {:>7} {:>6}",
            "intencja", "precyzja", "czułość", "liczba"
        )?;
        for score in &self.per_intent {
            writeln!(
                f,
                "{:<18} {:>9.3} {:>7.3} {:>6}",
                score.intent, score.precision, score.recall, score.support
            )?;
        }
        if !self.confusions.is_empty() {
            writeln!(f, "\nNajczęstsze pomyłki (oczekiwano -> otrzymano):")?;
            for c in &self.confusions {
                writeln!(
                    f,
                    "  {:>3} × {} -> {}   np. \"{}\"",
                    c.count, c.expected, c.predicted, c.example
                )?;
            }
        }
        Ok(())
    }
}
