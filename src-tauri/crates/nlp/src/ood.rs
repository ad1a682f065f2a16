//! Out-of-domain evaluation: how often the engine answers a sentence that is no computer
//! command with a confident intent that would change something.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::engine::Engine;

/// Below this confidence the agent does not act on the engine's guess (it asks or hands the
/// sentence to a language model).
pub const ACT_CONFIDENCE: f32 = 0.5;

/// Intents that destroy or send something when carried out (the external test set's list).
pub const DESTRUCTIVE_INTENTS: &[&str] = &[
    "FILE_DELETE",
    "FILE_WRITE",
    "FILE_MOVE",
    "SHELL_RUN",
    "GIT_PUSH",
    "GIT_COMMIT",
    "PROCESS_KILL",
    "PACKAGE_INSTALL",
    "SECRET_SET",
    "DEPLOY",
    "HTTP_REQUEST",
    "DB_QUERY",
];

/// Intents that change the machine without destroying anything (they make files, projects,
/// clones, builds, tests, pull requests or memories).
pub const CONSTRUCTIVE_INTENTS: &[&str] = &[
    "BUILD_APP",
    "BUILD_PROJECT",
    "RUN_TESTS",
    "GENERATE_TESTS",
    "FILE_COPY",
    "DIR_CREATE",
    "GIT_CLONE",
    "GIT_PULL_REQUEST",
    "MEMORY_SAVE",
];

/// True when carrying out `intent` changes something (destructive or constructive).
pub fn has_side_effects(intent: &str) -> bool {
    DESTRUCTIVE_INTENTS.contains(&intent) || CONSTRUCTIVE_INTENTS.contains(&intent)
}

/// One sentence the engine read as a confident command.
#[derive(Debug, Clone, Serialize)]
pub struct OodMiss {
    /// The sentence.
    pub text: String,
    /// The intent it was given.
    pub intent: String,
    /// With this confidence.
    pub confidence: f32,
}

/// The out-of-domain report.
#[derive(Debug, Clone, Serialize)]
pub struct OodReport {
    /// Sentences read.
    pub sentences: usize,
    /// Read as CHAT.
    pub chat: usize,
    /// Another intent below [`ACT_CONFIDENCE`].
    pub low_confidence: usize,
    /// A confident intent other than CHAT (read-only ones included).
    pub confident_commands: usize,
    /// A confident destructive intent ([`DESTRUCTIVE_INTENTS`]).
    pub confident_destructive: usize,
    /// A confident intent with side effects of any kind.
    pub confident_side_effects: usize,
    /// Confident non-CHAT answers per intent.
    pub per_intent: BTreeMap<String, usize>,
    /// The confident side-effect answers, most confident first (up to 30).
    pub misses: Vec<OodMiss>,
}

impl OodReport {
    /// Share of sentences that are CHAT or below the action threshold.
    pub fn safe_share(&self) -> f64 {
        (self.chat + self.low_confidence) as f64 / self.sentences.max(1) as f64
    }
}

/// The sentences of a test file: one per line, or the first column of a TSV; a `text` header,
/// empty lines and `#` comments are skipped.
pub fn read_sentences(file: &str) -> Vec<String> {
    file.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let text = line.split('\t').next().unwrap_or("").trim();
            let header = i == 0 && text.eq_ignore_ascii_case("text");
            (!text.is_empty() && !text.starts_with('#') && !header).then(|| text.to_owned())
        })
        .collect()
}

/// Reads every sentence with `engine` and counts the answers it would act on.
pub fn evaluate_ood(engine: &Engine, sentences: &[String]) -> OodReport {
    let mut report = OodReport {
        sentences: sentences.len(),
        chat: 0,
        low_confidence: 0,
        confident_commands: 0,
        confident_destructive: 0,
        confident_side_effects: 0,
        per_intent: BTreeMap::new(),
        misses: Vec::new(),
    };
    for text in sentences {
        let got = engine.understand(text);
        if got.intent == "CHAT" {
            report.chat += 1;
            continue;
        }
        if got.confidence < ACT_CONFIDENCE {
            report.low_confidence += 1;
            continue;
        }
        report.confident_commands += 1;
        *report.per_intent.entry(got.intent.clone()).or_default() += 1;
        if DESTRUCTIVE_INTENTS.contains(&got.intent.as_str()) {
            report.confident_destructive += 1;
        }
        if has_side_effects(&got.intent) {
            report.confident_side_effects += 1;
            report.misses.push(OodMiss {
                text: text.clone(),
                intent: got.intent,
                confidence: got.confidence,
            });
        }
    }
    report
        .misses
        .sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    report.misses.truncate(30);
    report
}

impl fmt::Display for OodReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let share = |count: usize| 100.0 * count as f64 / self.sentences.max(1) as f64;
        writeln!(f, "Zdania spoza dziedziny: {}", self.sentences)?;
        writeln!(
            f,
            "CHAT lub niska pewność (< {ACT_CONFIDENCE}): {} ({:.1} %)",
            self.chat + self.low_confidence,
            100.0 * self.safe_share()
        )?;
        writeln!(
            f,
            "Pewne polecenia:        {} ({:.1} %), w tym zmieniające coś {} ({:.1} %), niszczące {} ({:.1} %)",
            self.confident_commands,
            share(self.confident_commands),
            self.confident_side_effects,
            share(self.confident_side_effects),
            self.confident_destructive,
            share(self.confident_destructive)
        )?;
        if !self.per_intent.is_empty() {
            writeln!(f, "\nPewne polecenia według intencji:")?;
            for (intent, count) in &self.per_intent {
                writeln!(f, "  {intent:<18} {count:>4}")?;
            }
        }
        if !self.misses.is_empty() {
            writeln!(f, "\nZdania, na których DARK8 by działał:")?;
            for miss in &self.misses {
                writeln!(
                    f,
                    "  {:.2} {:<16} \"{}\"",
                    miss.confidence, miss.intent, miss.text
                )?;
            }
        }
        Ok(())
    }
}
