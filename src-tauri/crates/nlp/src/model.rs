//! The intent classifier: multinomial logistic regression over sparse string features,
//! trained by SGD with a fixed seed, with temperature scaling for calibrated confidence.
//!
//! File format (little-endian): `D8IM`, version u32, classes (u32 count, then u32 length +
//! UTF-8 each), temperature f32, features (u32 count, then u32 length + UTF-8 each, sorted),
//! then per feature one f32 scale and one i8 weight per class (weights quantized per row).

use std::collections::HashMap;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const MAGIC: &[u8; 4] = b"D8IM";
const VERSION: u32 = 1;

/// How training runs.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    /// Passes over the data.
    pub epochs: usize,
    /// Initial learning rate.
    pub learning_rate: f32,
    /// Multiplicative weight decay per epoch (L2).
    pub decay: f32,
    /// Features seen fewer times are dropped.
    pub min_count: usize,
    /// Seed of the shuffles.
    pub seed: u64,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            epochs: 14,
            learning_rate: 1.0,
            decay: 0.9995,
            min_count: 2,
            seed: 8,
        }
    }
}

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid intent model: {0}")]
pub struct ModelError(pub String);

/// The trained classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct IntentModel {
    classes: Vec<String>,
    feature_index: HashMap<String, u32>,
    /// `weights[f * classes + c]`, always equal to `quantized * scales[f]`.
    weights: Vec<f32>,
    /// Per-feature scale of the stored weights.
    scales: Vec<f32>,
    /// Stored weights.
    quantized: Vec<i8>,
    temperature: f32,
}

impl IntentModel {
    /// The class names (contract intents), in index order.
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    /// Number of features the model knows.
    pub fn feature_count(&self) -> usize {
        self.feature_index.len()
    }

    /// The calibration temperature.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Raw class scores (logits) of a feature list.
    pub fn logits(&self, features: &[String]) -> Vec<f32> {
        let n = self.classes.len();
        let mut scores = vec![0.0f32; n];
        for feature in features {
            if let Some(&f) = self.feature_index.get(feature) {
                let row = &self.weights[f as usize * n..(f as usize + 1) * n];
                for (score, weight) in scores.iter_mut().zip(row) {
                    *score += weight;
                }
            }
        }
        scores
    }

    /// Calibrated class probabilities of a feature list.
    pub fn probabilities(&self, features: &[String]) -> Vec<f32> {
        let logits = self.logits(features);
        softmax(&logits, self.temperature)
    }

    /// Trains on `(features, class index)` pairs.
    pub fn train(
        classes: Vec<String>,
        examples: &[(Vec<String>, usize)],
        options: TrainOptions,
    ) -> IntentModel {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (features, _) in examples {
            for feature in features {
                *counts.entry(feature.as_str()).or_default() += 1;
            }
        }
        let mut kept: Vec<&str> = counts
            .into_iter()
            .filter(|&(_, count)| count >= options.min_count)
            .map(|(feature, _)| feature)
            .collect();
        kept.sort_unstable();
        let feature_index: HashMap<String, u32> = kept
            .iter()
            .enumerate()
            .map(|(i, f)| ((*f).to_owned(), i as u32))
            .collect();
        let n = classes.len();
        let mut weights = vec![0.0f32; feature_index.len() * n];
        let encoded: Vec<(Vec<u32>, usize)> = examples
            .iter()
            .map(|(features, class)| {
                let ids = features
                    .iter()
                    .filter_map(|f| feature_index.get(f).copied())
                    .collect();
                (ids, *class)
            })
            .collect();
        let mut order: Vec<usize> = (0..encoded.len()).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
        let mut scores = vec![0.0f32; n];
        for epoch in 0..options.epochs {
            order.shuffle(&mut rng);
            let rate = options.learning_rate / (1.0 + epoch as f32 * 0.5);
            for &i in &order {
                let (ids, class) = &encoded[i];
                scores.iter_mut().for_each(|s| *s = 0.0);
                for &f in ids {
                    let row = &weights[f as usize * n..(f as usize + 1) * n];
                    for (score, weight) in scores.iter_mut().zip(row) {
                        *score += weight;
                    }
                }
                let probabilities = softmax(&scores, 1.0);
                let scale = rate / (ids.len().max(1) as f32).sqrt();
                for &f in ids {
                    let row = &mut weights[f as usize * n..(f as usize + 1) * n];
                    for (c, weight) in row.iter_mut().enumerate() {
                        let target = if c == *class { 1.0 } else { 0.0 };
                        *weight -= scale * (probabilities[c] - target);
                    }
                }
            }
            weights.iter_mut().for_each(|w| *w *= options.decay);
        }
        let mut model = IntentModel {
            classes,
            feature_index,
            weights,
            scales: Vec::new(),
            quantized: Vec::new(),
            temperature: 1.0,
        };
        // Store exactly what a loaded model would see.
        model.quantize();
        model
    }

    /// Picks the temperature that minimizes the negative log-likelihood of `(logits, true
    /// class)` pairs, e.g. of models that did not train on those examples.
    pub fn calibrate(&mut self, logits: &[(Vec<f32>, usize)]) {
        let mut best = (f32::INFINITY, 1.0f32);
        for step in 1..=100 {
            let temperature = step as f32 * 0.1;
            let nll: f32 = logits
                .iter()
                .map(|(l, class)| -softmax(l, temperature)[*class].max(1e-9).ln())
                .sum();
            if nll < best.0 {
                best = (nll, temperature);
            }
        }
        self.temperature = best.1;
    }

    /// Rounds weights the way the file stores them (per-row scale, i8).
    fn quantize(&mut self) {
        let n = self.classes.len();
        self.scales.clear();
        self.quantized.clear();
        for row in self.weights.chunks_mut(n) {
            let (scale, quantized) = quantize_row(row);
            for (w, &q) in row.iter_mut().zip(&quantized) {
                *w = f32::from(q) * scale;
            }
            self.scales.push(scale);
            self.quantized.extend(quantized);
        }
    }

    /// Serializes the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        write_strings(&mut out, self.classes.iter().map(String::as_str));
        out.extend_from_slice(&self.temperature.to_le_bytes());
        let mut features: Vec<(&String, &u32)> = self.feature_index.iter().collect();
        features.sort_by_key(|(_, &i)| i);
        write_strings(&mut out, features.iter().map(|(f, _)| f.as_str()));
        let n = self.classes.len();
        for (scale, row) in self.scales.iter().zip(self.quantized.chunks(n)) {
            out.extend_from_slice(&scale.to_le_bytes());
            out.extend(row.iter().map(|q| q.to_le_bytes()[0]));
        }
        out
    }

    /// Reads a model written by [`IntentModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<IntentModel, ModelError> {
        let mut reader = Reader { bytes, pos: 0 };
        if reader.take(4)? != MAGIC {
            return Err(ModelError("not a DARK8 intent model".to_owned()));
        }
        let version = reader.u32()?;
        if version != VERSION {
            return Err(ModelError(format!("version {version}, expected {VERSION}")));
        }
        let classes = reader.strings()?;
        let temperature = f32::from_le_bytes(reader.array()?);
        let features = reader.strings()?;
        let n = classes.len();
        let mut weights = Vec::with_capacity(features.len() * n);
        let mut scales = Vec::with_capacity(features.len());
        let mut quantized = Vec::with_capacity(features.len() * n);
        for _ in 0..features.len() {
            let scale = f32::from_le_bytes(reader.array()?);
            scales.push(scale);
            for &byte in reader.take(n)? {
                let q = i8::from_le_bytes([byte]);
                quantized.push(q);
                weights.push(f32::from(q) * scale);
            }
        }
        if reader.pos != bytes.len() {
            return Err(ModelError("trailing bytes".to_owned()));
        }
        let feature_index = features
            .into_iter()
            .enumerate()
            .map(|(i, f)| (f, i as u32))
            .collect();
        Ok(IntentModel {
            classes,
            feature_index,
            weights,
            scales,
            quantized,
            temperature,
        })
    }
}

fn quantize_row(row: &[f32]) -> (f32, Vec<i8>) {
    let max = row.iter().fold(0.0f32, |m, w| m.max(w.abs()));
    if max == 0.0 {
        return (0.0, vec![0; row.len()]);
    }
    let scale = max / 127.0;
    let quantized = row
        .iter()
        .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (scale, quantized)
}

/// Softmax of `logits / temperature`.
pub fn softmax(logits: &[f32], temperature: f32) -> Vec<f32> {
    let max = logits.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x));
    let exps: Vec<f32> = logits
        .iter()
        .map(|&x| ((x - max) / temperature).exp())
        .collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

fn write_strings<'a>(out: &mut Vec<u8>, strings: impl ExactSizeIterator<Item = &'a str>) {
    out.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    for s in strings {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| ModelError("truncated".to_owned()))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let slice = self.take(N)?;
        let mut array = [0u8; N];
        array.copy_from_slice(slice);
        Ok(array)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn strings(&mut self) -> Result<Vec<String>, ModelError> {
        let count = self.u32()? as usize;
        let mut strings = Vec::with_capacity(count.min(1 << 20));
        for _ in 0..count {
            let len = self.u32()? as usize;
            let bytes = self.take(len)?;
            strings.push(String::from_utf8(bytes.to_vec()).map_err(|e| ModelError(e.to_string()))?);
        }
        Ok(strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Vec<String>, Vec<(Vec<String>, usize)>) {
        let classes = vec!["A".to_owned(), "B".to_owned()];
        let mut examples = Vec::new();
        for _ in 0..20 {
            examples.push((vec!["bias".to_owned(), "x".to_owned()], 0));
            examples.push((vec!["bias".to_owned(), "y".to_owned()], 1));
        }
        (classes, examples)
    }

    #[test]
    fn learns_separates_and_round_trips() {
        let (classes, examples) = toy();
        let mut model = IntentModel::train(classes, &examples, TrainOptions::default());
        let logits: Vec<_> = examples
            .iter()
            .map(|(f, c)| (model.logits(f), *c))
            .collect();
        model.calibrate(&logits);
        let p = model.probabilities(&["bias".to_owned(), "x".to_owned()]);
        assert!(p[0] > 0.9, "{p:?}");
        let back = IntentModel::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(back, model);
    }

    #[test]
    fn rejects_garbage() {
        assert!(IntentModel::from_bytes(b"nope").is_err());
        let (classes, examples) = toy();
        let bytes = IntentModel::train(classes, &examples, TrainOptions::default()).to_bytes();
        assert!(IntentModel::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }
}
