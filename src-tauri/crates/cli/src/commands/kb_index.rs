//! `dark8 kb index PATH`: a project's code and docs into the knowledge base, file by file,
//! re-reading only the files that changed since the last run.

use std::path::Path;

use dark8_core::agent::memory::{ProjectIndexError, ProjectIndexReport};
use dark8_core::tools::builtin::plural;
use dark8_core::{CoreError, Dark8, Language};

use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Runs `dark8 kb index PATH`.
pub async fn run(ctx: &Context, dark8: &Dark8, path: &Path) -> Result<u8, CliError> {
    let language = ctx.language();
    let memory = dark8
        .memory()
        .map_err(|e| CliError::from_core(&e, language))?;
    let report = memory
        .index_project(path)
        .await
        .map_err(|err| index_error(language, path, err))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&report).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    out.line(&summary(language, &report))
        .map_err(|e| ctx.io(e))?;
    Ok(exit_code::SUCCESS)
}

fn index_error(language: Language, path: &Path, err: ProjectIndexError) -> CliError {
    match err {
        ProjectIndexError::Store(err) => CliError::from_core(&CoreError::Store(err), language),
        ProjectIndexError::Root { source, .. } => CliError::new(
            match language {
                Language::Pl => format!("Nie można otworzyć katalogu {}: {source}", path.display()),
                Language::En => format!("Cannot open the directory {}: {source}", path.display()),
            },
            language.pick(
                "Podaj istniejący katalog projektu, np. dark8 kb index .",
                "Give an existing project directory, e.g. dark8 kb index .",
            ),
            exit_code::FAILURE,
        ),
        ProjectIndexError::NotADirectory(_) => CliError::new(
            match language {
                Language::Pl => format!("{} to plik, a nie katalog projektu.", path.display()),
                Language::En => format!("{} is a file, not a project directory.", path.display()),
            },
            language.pick(
                "Podaj katalog, w którym leży projekt; pojedynczy plik dodasz przez dark8 kb add.",
                "Give the directory the project is in; a single file goes in with dark8 kb add.",
            ),
            exit_code::USAGE,
        ),
    }
}

fn summary(language: Language, report: &ProjectIndexReport) -> String {
    match language {
        Language::Pl => {
            let mut line = format!(
                "Projekt {}: przeczytano {} {} ({} {}), bez zmian {}, usunięto {}, pominięto {}.",
                report.root,
                report.files_indexed,
                plural(report.files_indexed, "plik", "pliki", "plików"),
                report.chunks_added,
                plural(report.chunks_added, "fragment", "fragmenty", "fragmentów"),
                report.files_unchanged,
                report.files_removed,
                report.files_skipped,
            );
            match report.embedded {
                Some(n) => line.push_str(&format!(
                    " Osadzono {n} {}.",
                    plural(n, "fragment", "fragmenty", "fragmentów")
                )),
                None => line.push_str(
                    " Bez modelu osadzeń: fragmenty są szukane po słowach (dark8 model pull e5-small).",
                ),
            }
            line
        }
        Language::En => {
            let mut line = format!(
                "Project {}: read {} files ({} pieces), {} unchanged, {} removed, {} skipped.",
                report.root,
                report.files_indexed,
                report.chunks_added,
                report.files_unchanged,
                report.files_removed,
                report.files_skipped,
            );
            match report.embedded {
                Some(n) => line.push_str(&format!(" Embedded {n} pieces.")),
                None => line.push_str(
                    " No embedding model: pieces are found by their words (dark8 model pull e5-small).",
                ),
            }
            line
        }
    }
}
