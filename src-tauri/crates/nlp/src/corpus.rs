//! The intent corpus: templates (`corpus/intents.txt`) and slot fillers (`corpus/slots.txt`)
//! expanded into labelled examples, reproducibly from a seed.
//!
//! The held-out split uses templates the training split never sees (different phrasings), and
//! fillers that only it uses, so it measures generalization, not memory.

use std::collections::{BTreeMap, HashMap, HashSet};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::normalize::fold;

/// The corpus templates, embedded so `dark8 nlp train` works outside a checkout.
pub const INTENTS_TXT: &str = include_str!("../corpus/intents.txt");
/// The corpus slot fillers.
pub const SLOTS_TXT: &str = include_str!("../corpus/slots.txt");

/// Seed of the training split.
pub const TRAIN_SEED: u64 = 8_2024;
/// Seed of the calibration split (training templates, other draws).
pub const CALIBRATION_SEED: u64 = 8_2025;
/// Seed of the held-out split.
pub const HELDOUT_SEED: u64 = 8_2026;

/// Which part of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Training templates and training fillers.
    Train,
    /// Held-out templates; fillers from both parts, held-out ones preferred.
    Heldout,
    /// Every second training template: those with `index % 2 == part` (for cross-validated
    /// calibration: train on one half, measure confidence on the other).
    TrainHalf {
        /// 0 or 1.
        part: usize,
    },
}

/// One labelled command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Example {
    /// The command text.
    pub text: String,
    /// The contract intent name.
    pub intent: String,
    /// The entities the text states.
    pub entities: BTreeMap<String, String>,
}

/// Errors in the corpus files.
#[derive(Debug, thiserror::Error)]
#[error("corpus line {line}: {message}")]
pub struct CorpusError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug, Clone)]
struct Filler {
    surface: String,
    value: Option<String>,
}

#[derive(Debug, Default)]
struct Slot {
    train: Vec<Filler>,
    heldout: Vec<Filler>,
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Alternatives(Vec<Vec<Part>>),
    Slot {
        entity: Option<String>,
        slot: String,
    },
    Literal {
        entity: String,
        value: String,
    },
}

#[derive(Debug)]
struct IntentTemplates {
    train: Vec<Vec<Part>>,
    heldout: Vec<Vec<Part>>,
    /// Examples are drawn `weight` times `per_intent` (`=CHAT *3`: the class with the widest
    /// variety needs more of them).
    weight: usize,
}

/// The parsed corpus.
#[derive(Debug)]
pub struct Corpus {
    slots: HashMap<String, Slot>,
    intents: Vec<(String, IntentTemplates)>,
}

impl Corpus {
    /// The embedded corpus.
    pub fn embedded() -> Result<Corpus, CorpusError> {
        Corpus::parse(INTENTS_TXT, SLOTS_TXT)
    }

    /// Parses template and slot files.
    pub fn parse(intents: &str, slots: &str) -> Result<Corpus, CorpusError> {
        let slots = parse_slots(slots)?;
        let mut parsed: Vec<(String, IntentTemplates)> = Vec::new();
        let mut heldout = false;
        for (i, raw) in intents.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |message: String| CorpusError {
                line: i + 1,
                message,
            };
            if let Some(header) = line.strip_prefix('=') {
                let (intent, weight) = match header.split_once('*') {
                    Some((intent, weight)) => (
                        intent,
                        weight
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .filter(|w| (1..=10).contains(w))
                            .ok_or_else(|| error(format!("bad weight {weight:?} (1 to 10)")))?,
                    ),
                    None => (header, 1),
                };
                parsed.push((
                    intent.trim().to_owned(),
                    IntentTemplates {
                        train: Vec::new(),
                        heldout: Vec::new(),
                        weight,
                    },
                ));
                heldout = false;
                continue;
            }
            if line == "-heldout" {
                heldout = true;
                continue;
            }
            let Some((_, templates)) = parsed.last_mut() else {
                return Err(error("template before any =INTENT".to_owned()));
            };
            let parts = parse_template(line).map_err(error)?;
            check_slots(&parts, &slots).map_err(error)?;
            if heldout {
                templates.heldout.push(parts);
            } else {
                templates.train.push(parts);
            }
        }
        Ok(Corpus {
            slots,
            intents: parsed,
        })
    }

    /// The intent names, in corpus order.
    pub fn intents(&self) -> Vec<String> {
        self.intents.iter().map(|(name, _)| name.clone()).collect()
    }

    /// Draws `per_intent` distinct examples per intent from `split`, reproducibly from `seed`.
    pub fn generate(&self, split: Split, per_intent: usize, seed: u64) -> Vec<Example> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut examples = Vec::new();
        for (intent, templates) in &self.intents {
            let half: Vec<Vec<Part>>;
            let pool = match split {
                Split::Train => &templates.train,
                Split::Heldout => &templates.heldout,
                Split::TrainHalf { part } => {
                    half = templates
                        .train
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 2 == part)
                        .map(|(_, t)| t.clone())
                        .collect();
                    &half
                }
            };
            if pool.is_empty() {
                continue;
            }
            let wanted = per_intent * templates.weight;
            let mut seen = HashSet::new();
            let mut attempts = 0;
            while seen.len() < wanted && attempts < wanted * 20 {
                attempts += 1;
                let Some(template) = pool.choose(&mut rng) else {
                    break;
                };
                let mut rendered = Rendered::default();
                self.render(template, split, &mut rng, &mut rendered);
                let example = augment(rendered, intent, &mut rng);
                if example.text.is_empty() || !seen.insert(example.text.clone()) {
                    continue;
                }
                examples.push(example);
            }
        }
        examples
    }

    fn render(&self, parts: &[Part], split: Split, rng: &mut ChaCha8Rng, out: &mut Rendered) {
        for part in parts {
            match part {
                Part::Text(text) => out.text.push_str(text),
                Part::Alternatives(options) => {
                    if let Some(option) = options.choose(rng) {
                        self.render(option, split, rng, out);
                    }
                }
                Part::Literal { entity, value } => {
                    out.entities.insert(entity.clone(), (value.clone(), false));
                }
                Part::Slot { entity, slot } => {
                    let Some(slot) = self.slots.get(slot) else {
                        continue;
                    };
                    let pool = match split {
                        Split::Heldout if !slot.heldout.is_empty() && rng.random_bool(0.6) => {
                            &slot.heldout
                        }
                        _ => &slot.train,
                    };
                    let Some(filler) = pool.choose(rng) else {
                        continue;
                    };
                    let start = out.text.len();
                    out.text.push_str(&filler.surface);
                    out.protected.push(start..out.text.len());
                    if let Some(entity) = entity {
                        let (value, free_text) = match &filler.value {
                            Some(value) => (value.clone(), false),
                            None => (filler.surface.clone(), true),
                        };
                        out.entities.insert(entity.clone(), (value, free_text));
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default)]
struct Rendered {
    text: String,
    /// Byte ranges of slot fillers (no typos there).
    protected: Vec<std::ops::Range<usize>>,
    /// entity -> (value, is free text in the user's words)
    entities: BTreeMap<String, (String, bool)>,
}

/// Adds the noise people type with: no diacritics, lower case, typos, punctuation.
fn augment(rendered: Rendered, intent: &str, rng: &mut ChaCha8Rng) -> Example {
    let Rendered {
        mut text,
        protected,
        entities,
    } = rendered;
    // A typo in a word outside the fillers.
    if rng.random_bool(0.12) {
        text = with_typo(&text, &protected, rng);
    }
    let strip_diacritics = rng.random_bool(0.3);
    let mut entities: BTreeMap<String, String> = entities
        .into_iter()
        .map(|(key, (value, free_text))| {
            let value = if strip_diacritics && free_text {
                fold_keep_case(&value)
            } else {
                value
            };
            (key, value)
        })
        .collect();
    if strip_diacritics {
        text = fold_keep_case(&text);
    }
    if rng.random_bool(0.25) {
        text = lower_first(&text);
    }
    let text = tidy(&text);
    let mut text = text;
    if rng.random_bool(0.15) && !text.ends_with(['?', '.', '!', '`', '"']) {
        text.push_str([".", "!", "?"].choose(rng).unwrap_or(&"."));
        text = text.replace(".!", "!");
    }
    entities.retain(|_, v| !v.is_empty());
    for value in entities.values_mut() {
        *value = value.trim().to_owned();
    }
    Example {
        text,
        intent: intent.to_owned(),
        entities,
    }
}

fn fold_keep_case(text: &str) -> String {
    text.chars()
        .map(|c| {
            let lower: String = c.to_lowercase().collect();
            let folded = fold(&lower);
            if c.is_uppercase() {
                folded.to_uppercase()
            } else {
                folded
            }
        })
        .collect()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Collapses spaces and removes spaces before punctuation.
fn tidy(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    for c in collapsed.chars() {
        if matches!(c, ',' | '?' | '!' | ':') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// Swaps, drops or doubles one letter of a word of 5+ letters outside the protected ranges.
fn with_typo(text: &str, protected: &[std::ops::Range<usize>], rng: &mut ChaCha8Rng) -> String {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphabetic() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            let inside = protected.iter().any(|r| r.start <= s && i <= r.end);
            if !inside && text[s..i].chars().count() >= 5 {
                words.push(s..i);
            }
        }
    }
    let Some(range) = words.choose(rng).cloned() else {
        return text.to_owned();
    };
    let mut chars: Vec<char> = text[range.clone()].chars().collect();
    let at = rng.random_range(1..chars.len() - 1);
    match rng.random_range(0..3) {
        0 => chars.swap(at, at + 1),
        1 => {
            chars.remove(at);
        }
        _ => chars.insert(at, chars[at]),
    }
    let word: String = chars.into_iter().collect();
    format!("{}{}{}", &text[..range.start], word, &text[range.end..])
}

fn parse_slots(text: &str) -> Result<HashMap<String, Slot>, CorpusError> {
    let mut slots: HashMap<String, Slot> = HashMap::new();
    let mut current: Option<String> = None;
    let mut heldout = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('@') {
            current = Some(name.trim().to_owned());
            slots.entry(name.trim().to_owned()).or_default();
            heldout = false;
            continue;
        }
        if line == "-heldout" {
            heldout = true;
            continue;
        }
        let Some(slot) = current.as_ref().and_then(|name| slots.get_mut(name)) else {
            return Err(CorpusError {
                line: i + 1,
                message: "filler before any @slot".to_owned(),
            });
        };
        let filler = match line.split_once("=>") {
            Some((surface, value)) => Filler {
                surface: surface.trim().to_owned(),
                value: Some(value.trim().to_owned()),
            },
            None => Filler {
                surface: line.to_owned(),
                value: None,
            },
        };
        if heldout {
            slot.heldout.push(filler);
        } else {
            slot.train.push(filler);
        }
    }
    Ok(slots)
}

fn check_slots(parts: &[Part], slots: &HashMap<String, Slot>) -> Result<(), String> {
    for part in parts {
        match part {
            Part::Slot { slot, .. } if !slots.contains_key(slot) => {
                return Err(format!("unknown slot `{slot}`"))
            }
            Part::Alternatives(options) => {
                for option in options {
                    check_slots(option, slots)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Parses `text {slot} [a|b] {key=slot} {key:value}` into parts.
fn parse_template(line: &str) -> Result<Vec<Part>, String> {
    let chars: Vec<char> = line.chars().collect();
    let mut pos = 0;
    let parts = parse_sequence(&chars, &mut pos, false)?;
    if pos != chars.len() {
        return Err(format!("unexpected `{}`", chars[pos]));
    }
    Ok(parts)
}

fn parse_sequence(
    chars: &[char],
    pos: &mut usize,
    in_alternative: bool,
) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    while *pos < chars.len() {
        let c = chars[*pos];
        match c {
            '|' | ']' if in_alternative => break,
            '[' => {
                *pos += 1;
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                let mut options = Vec::new();
                loop {
                    options.push(parse_sequence(chars, pos, true)?);
                    match chars.get(*pos) {
                        Some('|') => *pos += 1,
                        Some(']') => {
                            *pos += 1;
                            break;
                        }
                        _ => return Err("unclosed [".to_owned()),
                    }
                }
                parts.push(Part::Alternatives(options));
            }
            '{' => {
                let end = chars[*pos..]
                    .iter()
                    .position(|&ch| ch == '}')
                    .ok_or("unclosed {")?;
                let inner: String = chars[*pos + 1..*pos + end].iter().collect();
                *pos += end + 1;
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(if let Some((entity, value)) = inner.split_once(':') {
                    Part::Literal {
                        entity: entity.trim().to_owned(),
                        value: value.trim().to_owned(),
                    }
                } else if let Some((entity, slot)) = inner.split_once('=') {
                    Part::Slot {
                        entity: Some(entity.trim().to_owned()),
                        slot: slot.trim().to_owned(),
                    }
                } else {
                    Part::Slot {
                        entity: None,
                        slot: inner.trim().to_owned(),
                    }
                });
            }
            _ => {
                text.push(c);
                *pos += 1;
            }
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_corpus_parses_and_covers_every_contract_intent() {
        let corpus = Corpus::embedded().unwrap();
        let intents = corpus.intents();
        assert_eq!(intents.len(), 35, "{intents:?}");
        for (_, templates) in &corpus.intents {
            assert!(!templates.train.is_empty());
            assert!(!templates.heldout.is_empty());
        }
    }

    #[test]
    fn generation_is_reproducible_and_records_entities() {
        let corpus = Corpus::embedded().unwrap();
        let a = corpus.generate(Split::Train, 20, 1);
        let b = corpus.generate(Split::Train, 20, 1);
        assert_eq!(a, b);
        let build = a.iter().find(|e| e.intent == "BUILD_APP").unwrap();
        assert!(build.entities.contains_key("framework"), "{build:?}");
    }

    #[test]
    fn templates_with_alternatives_and_literals() {
        let corpus = Corpus::parse(
            "=DEPLOY\n[Zrób|Przygotuj] obraz{target:docker}\n-heldout\nDockeryzuj{target:docker}\n",
            "@x\na\n",
        )
        .unwrap();
        let examples = corpus.generate(Split::Train, 2, 3);
        assert_eq!(examples.len(), 2);
        assert!(examples.iter().all(|e| e.entities["target"] == "docker"));
    }
}
