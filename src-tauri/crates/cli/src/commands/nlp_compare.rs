//! `dark8 nlp eval --llm`: the NLP engine and the configured language model read the same
//! held-out commands; accuracy and latency side by side.

use std::time::{Duration, Instant};

use dark8_core::agent::llm::classify::read_command;
use dark8_core::nlp::corpus::Example;
use dark8_core::nlp::eval;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::commands::understand::engine;
use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// One engine's row.
#[derive(Debug, Serialize)]
struct Row {
    /// What read the commands.
    engine: String,
    /// Share of right intents.
    intent_accuracy: f64,
    /// Share of examples whose entities are exactly right.
    entity_accuracy: f64,
    /// Median time per command, in milliseconds.
    p50_ms: f64,
    /// 95th percentile, in milliseconds.
    p95_ms: f64,
    /// Replies that were no valid reading (counted as wrong).
    failures: usize,
}

/// The comparison.
#[derive(Debug, Serialize)]
struct Comparison {
    /// Commands read by both.
    examples: usize,
    /// Per intent in the sample.
    per_intent: usize,
    /// The engine first, the model second.
    rows: Vec<Row>,
}

/// Scores readings against the examples.
fn row(
    engine: String,
    examples: &[Example],
    readings: &[Option<(String, std::collections::BTreeMap<String, String>)>],
    times: &mut [Duration],
) -> Row {
    let n = examples.len().max(1) as f64;
    let mut intents = 0usize;
    let mut entities = 0usize;
    for (example, reading) in examples.iter().zip(readings) {
        if let Some((intent, found)) = reading {
            intents += usize::from(*intent == example.intent);
            entities += usize::from(*found == example.entities);
        }
    }
    times.sort_unstable();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Row {
        engine,
        intent_accuracy: intents as f64 / n,
        entity_accuracy: entities as f64 / n,
        p50_ms: at(0.5),
        p95_ms: at(0.95),
        failures: readings.iter().filter(|r| r.is_none()).count(),
    }
}

/// A brain's description with a model path cut to the file name, for the table:
/// `wbudowany llama.cpp (/a/b/model.gguf)` -> `wbudowany llama.cpp (model.gguf)`.
fn short_name(engine: &str) -> String {
    match engine.split_once(" (") {
        Some((kind, rest)) if rest.contains('/') => {
            let path = rest.trim_end_matches(')');
            let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
            format!("{kind} ({file})")
        }
        _ => engine.to_owned(),
    }
}

/// The first `per_intent` held-out examples of every intent.
fn sample(per_intent: usize) -> Result<Vec<Example>, dark8_core::nlp::NlpError> {
    let mut taken: std::collections::BTreeMap<String, usize> = Default::default();
    Ok(eval::heldout()?
        .into_iter()
        .filter(|example| {
            let count = taken.entry(example.intent.clone()).or_default();
            *count += 1;
            *count <= per_intent
        })
        .collect())
}

/// Runs both engines on the sample and prints the rows.
pub async fn run(ctx: &Context, per_intent: usize) -> Result<u8, CliError> {
    let lang = ctx.language();
    let examples = sample(per_intent).map_err(|e| CliError {
        message: format!("{e}"),
        hint: String::new(),
        code: exit_code::FAILURE,
    })?;
    let nlp = engine(ctx)?;
    let dark8 = ctx.start().await?;
    let (brain, status) = dark8.brain().await;
    let Some(brain) = brain else {
        dark8.shutdown().await;
        return Err(CliError {
            message: lang
                .pick(
                    &format!("Nie ma modelu językowego do porównania: {}", status.detail),
                    &format!("No language model to compare with: {}", status.detail),
                )
                .to_owned(),
            hint: lang
                .pick(
                    "Pobierz model wbudowany: `dark8 model pull qwen2.5-coder-0.5b` (albo ustaw [llm] w config.toml).",
                    "Get the embedded model: `dark8 model pull qwen2.5-coder-0.5b` (or set [llm] in config.toml).",
                )
                .to_owned(),
            code: exit_code::DOCTOR_MISSING,
        });
    };
    let mut nlp_times = Vec::with_capacity(examples.len());
    let nlp_readings: Vec<_> = examples
        .iter()
        .map(|example| {
            let started = Instant::now();
            let got = nlp.understand(&example.text);
            nlp_times.push(started.elapsed());
            Some((got.intent, got.entities))
        })
        .collect();
    let mut llm_times = Vec::with_capacity(examples.len());
    let mut llm_readings = Vec::with_capacity(examples.len());
    for (i, example) in examples.iter().enumerate() {
        let started = Instant::now();
        let reading = read_command(brain.as_ref(), &example.text, CancellationToken::new()).await;
        llm_times.push(started.elapsed());
        if !ctx.output.is_json() {
            eprint!("\r{}/{}", i + 1, examples.len());
        }
        llm_readings.push(reading.ok().map(|r| (r.intent, r.entities)));
    }
    if !ctx.output.is_json() {
        eprintln!();
    }
    let comparison = Comparison {
        examples: examples.len(),
        per_intent,
        rows: vec![
            row(
                "DARK8 NLP".to_owned(),
                &examples,
                &nlp_readings,
                &mut nlp_times,
            ),
            row(brain.describe(), &examples, &llm_readings, &mut llm_times),
        ],
    };
    dark8.shutdown().await;
    if ctx.output.is_json() {
        ctx.output.json(&comparison).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    let mut text = match lang {
        dark8_core::Language::Pl => format!(
            "Te same {} poleceń z odłożonej części korpusu ({per_intent} na intencję):\n{:<34} {:>9} {:>7} {:>11} {:>11} {:>8}\n",
            comparison.examples, "silnik", "intencje", "encje", "p50", "p95", "błędy"
        ),
        dark8_core::Language::En => format!(
            "The same {} held-out commands ({per_intent} per intent):\n{:<34} {:>9} {:>7} {:>11} {:>11} {:>8}\n",
            comparison.examples, "engine", "intents", "entities", "p50", "p95", "failures"
        ),
    };
    for row in &comparison.rows {
        text.push_str(&format!(
            "{:<34} {:>9.3} {:>7.3} {:>8.2} ms {:>8.2} ms {:>8}\n",
            short_name(&row.engine),
            row.intent_accuracy,
            row.entity_accuracy,
            row.p50_ms,
            row.p95_ms,
            row.failures
        ));
    }
    ctx.output.line(text.trim_end()).map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn model_paths_are_cut_to_the_file_name() {
        assert_eq!(
            short_name("wbudowany llama.cpp (/root/.cache/m/qwen.gguf)"),
            "wbudowany llama.cpp (qwen.gguf)"
        );
        assert_eq!(short_name("DARK8 NLP"), "DARK8 NLP");
    }
}
