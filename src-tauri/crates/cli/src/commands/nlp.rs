//! `dark8 nlp train`, `dark8 nlp eval` and `dark8 nlp eval --ood FILE`.

use std::path::PathBuf;
use std::time::Instant;

use dark8_core::nlp::{eval, ood, Engine};

use crate::commands::understand::engine;
use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Where the model lives in a checkout.
const MODEL_IN_REPO: &str = "src-tauri/crates/nlp/model/intent.bin";

fn nlp_error(ctx: &Context, err: impl std::fmt::Display) -> CliError {
    CliError {
        message: match ctx.language() {
            dark8_core::Language::Pl => format!("Silnik NLP: {err}"),
            dark8_core::Language::En => format!("NLP engine: {err}"),
        },
        hint: ctx
            .language()
            .pick(
                "Sprawdź pliki korpusu (src-tauri/crates/nlp/corpus) i uruchom ponownie.",
                "Check the corpus files (src-tauri/crates/nlp/corpus) and run again.",
            )
            .to_owned(),
        code: exit_code::FAILURE,
    }
}

/// Trains on the embedded corpus and writes the model atomically.
pub fn train(ctx: &Context, out: Option<PathBuf>) -> Result<u8, CliError> {
    let target =
        match out {
            Some(path) => path,
            None if std::path::Path::new(MODEL_IN_REPO)
                .parent()
                .is_some_and(|p| p.is_dir()) =>
            {
                PathBuf::from(MODEL_IN_REPO)
            }
            None => return Err(CliError {
                message: ctx
                    .language()
                    .pick(
                        "Nie wiem, gdzie zapisać model: to nie jest katalog repozytorium DARK8.",
                        "No place for the model: this is not the DARK8 repository.",
                    )
                    .to_owned(),
                hint: ctx
                    .language()
                    .pick(
                        "Podaj plik: `dark8 nlp train --out model.bin`.",
                        "Give a file: `dark8 nlp train --out model.bin`.",
                    )
                    .to_owned(),
                code: exit_code::FAILURE,
            }),
        };
    let started = Instant::now();
    let model = Engine::train().map_err(|e| nlp_error(ctx, e))?;
    let bytes = model.to_bytes();
    let temporary = target.with_extension("bin.tmp");
    std::fs::write(&temporary, &bytes)
        .and_then(|()| std::fs::rename(&temporary, &target))
        .map_err(|e| ctx.io(e))?;
    let engine = Engine::with_model(model).map_err(|e| nlp_error(ctx, e))?;
    let report = eval::evaluate(&engine, &eval::heldout().map_err(|e| nlp_error(ctx, e))?);
    ctx.output
        .line(&format!(
            "Model zapisany: {} ({} KiB, {} cech, temperatura {:.1}) w {:.1} s; held-out: intencje {:.3}, encje {:.3}",
            target.display(),
            bytes.len() / 1024,
            engine.model().feature_count(),
            engine.model().temperature(),
            started.elapsed().as_secs_f64(),
            report.intent_accuracy,
            report.entity_accuracy,
        ))
        .map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

/// Evaluates the embedded model on the held-out split.
pub fn eval(ctx: &Context) -> Result<u8, CliError> {
    let engine = engine(ctx)?;
    let report = eval::evaluate(&engine, &eval::heldout().map_err(|e| nlp_error(ctx, e))?);
    if ctx.output.is_json() {
        ctx.output.json(&report).map_err(|e| ctx.io(e))?;
    } else {
        ctx.output
            .line(report.to_string().trim_end())
            .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Reads a file of out-of-domain sentences and reports how many the engine would act on.
pub fn eval_ood(ctx: &Context, file: &std::path::Path) -> Result<u8, CliError> {
    let text = std::fs::read_to_string(file).map_err(|err| CliError {
        message: match ctx.language() {
            dark8_core::Language::Pl => format!("Nie mogę przeczytać {}: {err}", file.display()),
            dark8_core::Language::En => format!("Cannot read {}: {err}", file.display()),
        },
        hint: ctx
            .language()
            .pick(
                "Podaj plik tekstowy UTF-8: jedno zdanie na linię (albo TSV z tekstem w pierwszej kolumnie).",
                "Give a UTF-8 text file: one sentence per line (or a TSV with the text first).",
            )
            .to_owned(),
        code: exit_code::FAILURE,
    })?;
    let sentences = ood::read_sentences(&text);
    if sentences.is_empty() {
        return Err(CliError {
            message: ctx
                .language()
                .pick(
                    "W pliku nie ma żadnego zdania.",
                    "The file holds no sentence.",
                )
                .to_owned(),
            hint: ctx
                .language()
                .pick(
                    "Jedno zdanie na linię; linie z # na początku są pomijane.",
                    "One sentence per line; lines starting with # are skipped.",
                )
                .to_owned(),
            code: exit_code::USAGE,
        });
    }
    let engine = engine(ctx)?;
    let report = ood::evaluate_ood(&engine, &sentences);
    if ctx.output.is_json() {
        ctx.output.json(&report).map_err(|e| ctx.io(e))?;
    } else {
        ctx.output
            .line(report.to_string().trim_end())
            .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}
