//! The engine: text in, [`Understanding`] out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::corpus::{Corpus, CorpusError, Split, CALIBRATION_SEED, TRAIN_SEED};
use crate::entities::{allowed_keys, analyze, extract};
use crate::features;
use crate::lexicon::Lexicon;
use crate::model::{IntentModel, ModelError, TrainOptions};
use crate::objects::Objects;
use crate::tokenizer::{tokenize, Token};

/// The trained model, checked in and embedded (`dark8 nlp train` writes it).
static EMBEDDED_MODEL: &[u8] = include_bytes!("../model/intent.bin");

/// At most this many tokens are looked at (a command is short; a pasted file is not one).
const MAX_TOKENS: usize = 512;

/// Destructive intents whose object must be on the computer (a path, a program, a name): git
/// pushes and commits act on the repository the command is run in and need none.
const NEEDS_AN_OBJECT: &[&str] = &[
    "FILE_DELETE",
    "FILE_WRITE",
    "FILE_MOVE",
    "SHELL_RUN",
    "PROCESS_KILL",
    "PACKAGE_INSTALL",
    "SECRET_SET",
    "DEPLOY",
    "HTTP_REQUEST",
    "DB_QUERY",
];

/// The confidence of a destructive reading whose words name nothing on a computer ("Zamknij
/// zasłony" as PROCESS_KILL): below the action threshold, so DARK8 asks instead of acting.
pub const UNSUPPORTED_DESTRUCTIVE_CONFIDENCE: f32 = 0.4;

/// Training examples drawn per intent.
pub const TRAIN_PER_INTENT: usize = 400;
/// Calibration examples drawn per intent.
pub const CALIBRATION_PER_INTENT: usize = 60;

/// What went wrong loading or training the engine.
#[derive(Debug, thiserror::Error)]
pub enum NlpError {
    /// The embedded lexicon is damaged.
    #[error("the lexicon is damaged: {0}")]
    Lexicon(#[from] fst::Error),
    /// The model file is damaged.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The corpus files are invalid.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
}

/// What the engine understood (the contract's JSON object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Understanding {
    /// The text as given.
    pub text: String,
    /// The contract intent name.
    pub intent: String,
    /// Calibrated confidence in [0, 1].
    pub confidence: f32,
    /// Entities the text states.
    pub entities: BTreeMap<String, String>,
}

/// Lexicon plus intent model.
#[derive(Debug)]
pub struct Engine {
    lexicon: Lexicon,
    model: IntentModel,
}

impl Engine {
    /// The engine with the embedded lexicon and model.
    pub fn embedded() -> Result<Engine, NlpError> {
        Ok(Engine {
            lexicon: Lexicon::embedded()?,
            model: IntentModel::from_bytes(EMBEDDED_MODEL)?,
        })
    }

    /// The engine with the embedded lexicon and the given model.
    pub fn with_model(model: IntentModel) -> Result<Engine, NlpError> {
        Ok(Engine {
            lexicon: Lexicon::embedded()?,
            model,
        })
    }

    /// Trains a model on the embedded corpus, reproducibly (fixed seeds).
    pub fn train() -> Result<IntentModel, NlpError> {
        let lexicon = Lexicon::embedded()?;
        let corpus = Corpus::embedded()?;
        let classes = corpus.intents();
        let encode = |examples: Vec<crate::corpus::Example>| -> Vec<(Vec<String>, usize)> {
            examples
                .into_iter()
                .filter_map(|e| {
                    let class = classes.iter().position(|c| *c == e.intent)?;
                    let tokens = tokenize(&e.text);
                    Some((features::extract(&tokens, &lexicon), class))
                })
                .collect()
        };
        let options = TrainOptions::default();
        // Confidence must reflect phrasings the model has not seen: fit the temperature on
        // models trained on one half of the templates and scored on the other half.
        let mut cross_logits = Vec::new();
        for part in 0..2 {
            let half = encode(corpus.generate(
                Split::TrainHalf { part },
                TRAIN_PER_INTENT / 2,
                TRAIN_SEED,
            ));
            let other = encode(corpus.generate(
                Split::TrainHalf { part: 1 - part },
                CALIBRATION_PER_INTENT,
                CALIBRATION_SEED,
            ));
            let half_model = IntentModel::train(classes.clone(), &half, options);
            cross_logits.extend(other.iter().map(|(f, c)| (half_model.logits(f), *c)));
        }
        let train = encode(corpus.generate(Split::Train, TRAIN_PER_INTENT, TRAIN_SEED));
        let mut model = IntentModel::train(classes.clone(), &train, options);
        model.calibrate(&cross_logits);
        Ok(model)
    }

    /// The intent model.
    pub fn model(&self) -> &IntentModel {
        &self.model
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Understands one command.
    pub fn understand(&self, text: &str) -> Understanding {
        let mut tokens = tokenize(text);
        tokens.truncate(MAX_TOKENS);
        let (intent, mut confidence, objects) = self.classify(&tokens);
        if confidence > UNSUPPORTED_DESTRUCTIVE_CONFIDENCE
            && NEEDS_AN_OBJECT.contains(&intent.as_str())
            && !objects.computing
            && !objects.name
            && objects.dominant() != "comp"
        {
            // A destructive reading with nothing on the computer to act on is a guess.
            confidence = UNSUPPORTED_DESTRUCTIVE_CONFIDENCE;
        }
        let entities = self.entities_for(&intent, text, &tokens);
        Understanding {
            text: text.to_owned(),
            intent,
            confidence,
            entities,
        }
    }

    /// The intent, its calibrated probability and what the command acts on.
    fn classify(&self, tokens: &[Token<'_>]) -> (String, f32, Objects) {
        if !tokens
            .iter()
            .any(|t| t.is_wordlike() || t.kind != crate::tokenizer::TokenKind::Punct)
        {
            return ("CHAT".to_owned(), 0.2, Objects::default());
        }
        let (features, objects) = features::extract_with_objects(tokens, &self.lexicon);
        let probabilities = self.model.probabilities(&features);
        let (best, p) = probabilities
            .iter()
            .enumerate()
            .fold(
                (0, f32::MIN),
                |acc, (i, &p)| if p > acc.1 { (i, p) } else { acc },
            );
        let intent = self
            .model
            .classes()
            .get(best)
            .cloned()
            .unwrap_or_else(|| "CHAT".to_owned());
        (intent, (p * 1000.0).round() / 1000.0, objects)
    }

    /// The entities of `intent` in `text` (also used for follow-ups with an inherited intent).
    pub fn entities_for(
        &self,
        intent: &str,
        text: &str,
        tokens: &[Token<'_>],
    ) -> BTreeMap<String, String> {
        let words = analyze(tokens, &self.lexicon);
        let mut entities = extract(intent, text, &words);
        let allowed = allowed_keys(intent);
        entities.retain(|key, _| allowed.contains(&key.as_str()));
        entities
    }
}
