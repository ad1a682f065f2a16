//! `dark8 kb eval`: recall@k and MRR of search by words, by meaning and by both on a
//! retrieval set (the built-in Polish one or the user's own).

use std::path::PathBuf;

use dark8_core::kb_eval::{evaluate, EvalReport, RANKING_DEPTH};
use dark8_core::knowledge::eval::{EvalSet, RetrievalScore, POLISH_SET};
use dark8_core::tools::builtin::plural;
use dark8_core::{Dark8, Language};

use crate::commands::Context;
use crate::error::{exit_code, CliError};

/// Runs `dark8 kb eval`.
pub async fn run(
    ctx: &Context,
    dark8: &Dark8,
    set: Option<PathBuf>,
    k: usize,
) -> Result<u8, CliError> {
    let language = ctx.language();
    if k == 0 || k > RANKING_DEPTH as usize {
        return Err(CliError::new(
            match language {
                Language::Pl => format!("k musi być od 1 do {RANKING_DEPTH}, a jest {k}."),
                Language::En => format!("k must be 1 to {RANKING_DEPTH}, not {k}."),
            },
            language.pick("Np. dark8 kb eval -k 5", "E.g. dark8 kb eval -k 5"),
            exit_code::USAGE,
        ));
    }
    let set = read_set(language, set)?;
    let report = evaluate(dark8, &set, k)
        .await
        .map_err(|e| CliError::from_core(&e, language))?;
    let out = &ctx.output;
    if out.is_json() {
        out.json(&report).map_err(|e| ctx.io(e))?;
        return Ok(exit_code::SUCCESS);
    }
    for line in report_lines(language, &report, k) {
        out.line(&line).map_err(|e| ctx.io(e))?;
    }
    Ok(exit_code::SUCCESS)
}

fn read_set(language: Language, path: Option<PathBuf>) -> Result<EvalSet, CliError> {
    let (text, name) = match &path {
        None => (POLISH_SET.to_owned(), "pl-retrieval.tsv".to_owned()),
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| {
                CliError::new(
                    match language {
                        Language::Pl => format!("Nie można przeczytać {}: {e}", path.display()),
                        Language::En => format!("Cannot read {}: {e}", path.display()),
                    },
                    language.pick(
                        "Podaj plik TSV w UTF-8 albo pomiń --set, by użyć wbudowanego zestawu.",
                        "Give a UTF-8 TSV file, or leave out --set for the built-in set.",
                    ),
                    exit_code::FAILURE,
                )
            })?,
            path.display().to_string(),
        ),
    };
    EvalSet::parse(&text).map_err(|err| {
        CliError::new(
            match language {
                Language::Pl => format!(
                    "Zestaw {name} jest błędny w wierszu {}: {}",
                    err.line, err.problem
                ),
                Language::En => format!("The set {name} is wrong at line {}: {}", err.line, err.problem),
            },
            language.pick(
                "Wiersze: D<TAB>id<TAB>rodzaj<TAB>tekst oraz Q<TAB>id,id<TAB>pytanie; # to komentarz.",
                "Lines: D<TAB>id<TAB>kind<TAB>text and Q<TAB>id,id<TAB>query; # starts a comment.",
            ),
            exit_code::FAILURE,
        )
    })
}

fn report_lines(language: Language, report: &EvalReport, k: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let model = match &report.model {
        Some(model) => match language {
            Language::Pl => format!(
                "model osadzeń {model} (osadzanie {:.1} s)",
                report.embed_seconds
            ),
            Language::En => format!(
                "embedding model {model} (embedding {:.1} s)",
                report.embed_seconds
            ),
        },
        None => language
            .pick("bez modelu osadzeń", "no embedding model")
            .to_owned(),
    };
    lines.push(match language {
        Language::Pl => format!(
            "Zestaw: {} {}, {} {}; {model}.",
            report.documents,
            plural(report.documents, "dokument", "dokumenty", "dokumentów"),
            report.queries,
            plural(report.queries, "pytanie", "pytania", "pytań"),
        ),
        Language::En => format!(
            "Set: {} documents, {} queries; {model}.",
            report.documents, report.queries
        ),
    });
    lines.push(format!(
        "{:<16} {:>9} {:>8}",
        "",
        format!("recall@{k}"),
        format!("MRR@{RANKING_DEPTH}")
    ));
    let row = |name: &str, score: &RetrievalScore| {
        format!("{name:<16} {:>9.3} {:>8.3}", score.recall_at_k, score.mrr)
    };
    lines.push(row(
        language.pick("po słowach", "by words"),
        &report.lexical,
    ));
    match &report.vector {
        Some(score) => lines.push(row(language.pick("po znaczeniu", "by meaning"), score)),
        None => lines.push(format!(
            "{:<16} {}",
            language.pick("po znaczeniu", "by meaning"),
            language.pick(
                "— brak modelu osadzeń (dark8 model pull e5-small)",
                "— no embedding model (dark8 model pull e5-small)",
            )
        )),
    }
    lines.push(row(language.pick("łącznie", "hybrid"), &report.hybrid));
    lines.push(match language {
        Language::Pl => format!(
            "Wyszukiwanie: {:.1} s na wszystkie pytania we wszystkich trybach.",
            report.search_seconds
        ),
        Language::En => format!(
            "Search: {:.1} s for every query in every mode.",
            report.search_seconds
        ),
    });
    lines
}
