//! Entity extraction: patterns (URLs, paths, pids, quoted commands, HTTP methods, SQL),
//! gazetteers that know inflection (through lemmas), and span rules for free text that drop
//! the command words around it. Only the keys the contract allows for the intent are kept.

use std::collections::BTreeMap;

use crate::lexicon::Lexicon;
use crate::normalize::fold;
use crate::tokenizer::{Token, TokenKind};

mod gazetteers;
mod patterns;
mod spans;
#[cfg(test)]
mod tests;

pub(crate) use gazetteers::PROCESSES;
use gazetteers::{
    deploy_target, framework, http_method, implied_manager, manager, process_name, resource,
};
use patterns::{
    branch, package, recall_query, search_query, secret_name, shell_command, sql, web_query,
};
pub use spans::close_to;
use spans::{
    all_paths, app_type, destination, dir_name, first_path, first_quoted, name_after_cue,
    path_after_cue, project_name, rest_after_cue, rest_after_punct, source_path, url,
};

/// A token with its folded text and lemma.
#[derive(Debug, Clone)]
pub struct Analyzed<'a> {
    /// The token.
    pub token: Token<'a>,
    /// Lower-cased, diacritics folded.
    pub folded: String,
    /// The lemma (folded); for non-words the folded text.
    pub lemma: String,
    /// Whether the lexicon knows the word (a Polish word rather than a name).
    pub known: bool,
}

/// Analyzes tokens once for all rules.
pub fn analyze<'a>(tokens: &[Token<'a>], lexicon: &Lexicon) -> Vec<Analyzed<'a>> {
    tokens
        .iter()
        .map(|token| {
            let folded = fold(token.text);
            let lemma = if token.is_wordlike() {
                lexicon.lemma(token.text).into_owned()
            } else {
                folded.clone()
            };
            let known = lexicon.lookup(&folded).is_some();
            Analyzed {
                token: token.clone(),
                folded,
                lemma,
                known,
            }
        })
        .collect()
}

/// The entity keys the contract allows per intent.
pub fn allowed_keys(intent: &str) -> &'static [&'static str] {
    match intent {
        "BUILD_APP" => &["framework", "app_type", "name"],
        "ANALYZE_CODE" | "RUN_TESTS" | "GENERATE_TESTS" | "FILE_READ" | "FILE_LIST"
        | "FILE_DELETE" => &["path"],
        "BUILD_PROJECT" => &["path", "name"],
        "DEPLOY" => &["target"],
        "FILE_WRITE" => &["path", "content"],
        "FILE_DIFF" | "FILE_COPY" | "FILE_MOVE" => &["path", "path2"],
        "DIR_CREATE" => &["path"],
        "FILE_SEARCH" => &["query", "path"],
        "SHELL_RUN" => &["command"],
        "GIT_CLONE" => &["url", "path"],
        "GIT_COMMIT" => &["message"],
        "GIT_PUSH" => &["branch"],
        "GIT_PULL_REQUEST" => &["title"],
        "PACKAGE_INSTALL" => &["package", "manager"],
        "HTTP_REQUEST" => &["method", "url"],
        "DB_QUERY" | "WEB_SEARCH" | "MEMORY_RECALL" => &["query"],
        "BROWSE_URL" | "SCRAPE_PAGE" => &["url"],
        "SYSTEM_STATUS" => &["resource"],
        "PROCESS_LIST" => &["process"],
        "PROCESS_KILL" => &["pid", "process"],
        "MEMORY_SAVE" => &["content"],
        "SECRET_SET" => &["name"],
        _ => &[],
    }
}

/// Extracts the entities of `intent` from the analyzed tokens of `text`.
pub fn extract(intent: &str, text: &str, words: &[Analyzed<'_>]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut put = |key: &str, value: Option<String>| {
        if let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
            out.insert(key.to_owned(), value);
        }
    };
    match intent {
        "BUILD_APP" => {
            put("framework", framework(words));
            put("name", name_after_cue(words));
            put("app_type", app_type(text, words));
        }
        "ANALYZE_CODE" | "RUN_TESTS" | "GENERATE_TESTS" => {
            // "Sprawdź projekt blog pod kątem błędów", "testy w projekcie sklep": a project is
            // a folder of the workspace.
            put(
                "path",
                first_path(words)
                    .or_else(|| path_after_cue(words))
                    .or_else(|| project_name(words)),
            );
        }
        "FILE_LIST" => {
            put("path", first_path(words).or_else(|| path_after_cue(words)));
        }
        "FILE_READ" | "FILE_DELETE" => {
            put("path", first_path(words).or_else(|| path_after_cue(words)));
        }
        "BUILD_PROJECT" => {
            let path = first_path(words).or_else(|| path_after_cue(words));
            if path.is_none() {
                put("name", project_name(words));
            }
            put("path", path);
        }
        "DEPLOY" => put("target", deploy_target(words)),
        "FILE_WRITE" => {
            put("path", first_path(words).or_else(|| path_after_cue(words)));
            put(
                "content",
                first_quoted(words)
                    .or_else(|| {
                        rest_after_cue(
                            text,
                            words,
                            &["trescia", "tekst", "tekstem", "zdanie", "wpis"],
                        )
                    })
                    .or_else(|| rest_after_punct(text, words, ":")),
            );
        }
        "FILE_DIFF" => {
            let paths = all_paths(words);
            put("path", paths.first().cloned());
            put("path2", paths.get(1).cloned());
        }
        "FILE_COPY" | "FILE_MOVE" => {
            let source = source_path(words);
            put("path2", destination(words, source.as_deref()));
            put("path", source);
        }
        "DIR_CREATE" => put("path", dir_name(words)),
        "FILE_SEARCH" => {
            let paths = all_paths(words);
            put("query", search_query(words, &paths));
            put(
                "path",
                paths.into_iter().last().or_else(|| path_after_cue(words)),
            );
        }
        "SHELL_RUN" => put("command", shell_command(text, words)),
        "GIT_CLONE" => {
            put("url", url(words));
            put("path", first_path(words).or_else(|| path_after_cue(words)));
        }
        "GIT_COMMIT" => put(
            "message",
            first_quoted(words)
                .or_else(|| rest_after_cue(text, words, &["opisem", "wiadomoscia", "-m", "jako"]))
                .or_else(|| rest_after_punct(text, words, ":")),
        ),
        "GIT_PUSH" => put("branch", branch(words)),
        "GIT_PULL_REQUEST" => put(
            "title",
            first_quoted(words)
                .or_else(|| rest_after_cue(text, words, &["tytulem", "tytule", "zatytulowany"]))
                .or_else(|| rest_after_punct(text, words, ":")),
        ),
        "PACKAGE_INSTALL" => {
            put("manager", manager(words).or_else(|| implied_manager(words)));
            put("package", package(words));
        }
        "HTTP_REQUEST" => {
            put("method", http_method(words));
            put("url", url(words));
        }
        "DB_QUERY" => put("query", sql(text, words)),
        "WEB_SEARCH" => put("query", web_query(text, words)),
        "BROWSE_URL" | "SCRAPE_PAGE" => put("url", url(words)),
        "SYSTEM_STATUS" => put("resource", resource(words)),
        "PROCESS_LIST" => put("process", process_name(words, false)),
        "PROCESS_KILL" => {
            let pid = words
                .iter()
                .find(|w| {
                    w.token.kind == TokenKind::Number
                        && w.token.text.chars().all(|c| c.is_ascii_digit())
                })
                .map(|w| w.token.text.to_owned());
            if pid.is_none() {
                put("process", process_name(words, true));
            }
            put("pid", pid);
        }
        "MEMORY_SAVE" => put(
            "content",
            rest_after_cue(text, words, &["ze", "iz"])
                .or_else(|| rest_after_punct(text, words, ":")),
        ),
        "MEMORY_RECALL" => put("query", recall_query(text, words)),
        "SECRET_SET" => put("name", secret_name(text, words)),
        _ => {}
    }
    out
}
