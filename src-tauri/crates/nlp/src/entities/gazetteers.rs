//! Gazetteers: frameworks, package managers, deploy targets, resources, HTTP methods and
//! process names, matched through lemmas and with typos allowed.

use super::spans::{is_function_word, mentions};
use super::Analyzed;
use crate::tokenizer::TokenKind;

pub(super) fn framework(words: &[Analyzed<'_>]) -> Option<String> {
    words.iter().find_map(|w| {
        let key = if w.lemma.is_empty() {
            &w.folded
        } else {
            &w.lemma
        };
        let base = key.split(['\'', '-']).next().unwrap_or(key);
        let value = match base {
            "django" => "django",
            "flask" => "flask",
            "fastapi" => "fastapi",
            "express" | "express.js" | "expressjs" | "node" | "node.js" | "nodejs" => "nodejs",
            "rust" | "axum" => "rust",
            _ => return None,
        };
        Some(value.to_owned())
    })
}

/// The manager a project's language implies: "w projekcie node" -> npm, "projekt Django" ->
/// pip, "projekt w Ruście" -> cargo.
pub(super) fn implied_manager(words: &[Analyzed<'_>]) -> Option<String> {
    let at = words.iter().position(|w| w.lemma == "projekt")?;
    words[at + 1..(at + 4).min(words.len())]
        .iter()
        .find_map(|w| {
            let base = w.lemma.split(['\'', '-']).next().unwrap_or(&w.lemma);
            match base {
                "node" | "nodejs" | "node.js" | "javascript" | "typescript" | "react"
                | "express" | "vue" => Some("npm"),
                "python" | "django" | "flask" | "fastapi" => Some("pip"),
                "rust" | "axum" => Some("cargo"),
                _ => None,
            }
        })
        .map(str::to_owned)
}

pub(super) fn manager(words: &[Analyzed<'_>]) -> Option<String> {
    words.iter().find_map(|w| {
        let base = w.lemma.split(['\'', '-']).next().unwrap_or(&w.lemma);
        ["pip", "npm", "cargo", "apt", "brew"]
            .iter()
            .find(|&&m| base == m || w.folded.split(['\'', '-']).next() == Some(m))
            .map(|m| (*m).to_owned())
    })
}

pub(super) fn deploy_target(words: &[Analyzed<'_>]) -> Option<String> {
    if mentions(
        words,
        &["docker", "kontener", "zdockeryz"],
        &[
            "dockerfile",
            "docker",
            "kontenera",
            "kontener",
            "kontenerze",
            "dockera",
        ],
    ) {
        Some("docker".to_owned())
    } else if mentions(
        words,
        &["systemd", "uslug", "unit"],
        &["systemd", "usluga", "usluge"],
    ) {
        Some("systemd".to_owned())
    } else if mentions(
        words,
        &["tar.gz", "tarball", "archiw", "tgz"],
        &["tarball", "tarballa", "archiwum"],
    ) {
        Some("tarball".to_owned())
    } else {
        None
    }
}

pub(super) fn resource(words: &[Analyzed<'_>]) -> Option<String> {
    let mut found: Option<&str> = None;
    for w in words {
        let specific = match w.lemma.as_str() {
            "dysk" | "miejsce" => Some("disk"),
            "procesor" | "cpu" | "rdzen" => Some("cpu"),
            "pamiec" | "ram" => Some("memory"),
            _ => None,
        };
        if let Some(resource) = specific {
            if found.is_some_and(|f| f != resource) {
                return Some("all".to_owned());
            }
            found = Some(resource);
        }
    }
    if let Some(resource) = found {
        return Some(resource.to_owned());
    }
    words
        .iter()
        .any(|w| {
            matches!(
                w.lemma.as_str(),
                "system"
                    | "zasob"
                    | "komputer"
                    | "maszyna"
                    | "stan"
                    | "statystyka"
                    | "monitor"
                    | "raport"
            )
        })
        .then(|| "all".to_owned())
}

pub(super) fn http_method(words: &[Analyzed<'_>]) -> Option<String> {
    words.iter().find_map(|w| {
        let base = w.token.text.split('-').next().unwrap_or(w.token.text);
        let upper = base.to_ascii_uppercase();
        let is_method = matches!(
            upper.as_str(),
            "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS"
        );
        // Lower-case "get"/"post" count only when written as a method (near a URL).
        (is_method && (base == upper || words.iter().any(|x| x.token.kind == TokenKind::Url)))
            .then_some(upper)
    })
}

/// Well-known process names.
pub(crate) const PROCESSES: &[&str] = &[
    "firefox",
    "chrome",
    "chromium",
    "python",
    "python3",
    "node",
    "nginx",
    "postgres",
    "mysql",
    "java",
    "code",
    "spotify",
    "slack",
    "docker",
    "redis",
    "apache",
    "httpd",
    "ssh",
    "sshd",
    "vim",
    "emacs",
    "zoom",
    "teams",
    "discord",
    "steam",
    "thunderbird",
    "gimp",
    "obs",
    "cargo",
    "rustc",
    "npm",
    "ollama",
    "dark8",
    "systemd",
    "bash",
    "zsh",
];

pub(super) fn process_name(words: &[Analyzed<'_>], after_verb: bool) -> Option<String> {
    // A known program, also inflected ("firefoxa" -> firefox).
    if let Some(known) = words.iter().find_map(|w| {
        PROCESSES.iter().find(|p| {
            w.folded == **p
                || (w.folded.starts_with(**p) && w.folded.len() <= p.len() + 3 && p.len() >= 4)
        })
    }) {
        return Some((*known).to_owned());
    }
    let cue = words.iter().position(|w| {
        matches!(
            w.lemma.as_str(),
            "proces" | "program" | "aplikacja" | "dzialanie"
        )
    });
    let start = match (cue, after_verb) {
        (Some(at), _) => at + 1,
        (None, true) => 1,
        (None, false) => return None,
    };
    // An unknown word (no Polish lemma) names a program; Polish words do not.
    words[start.min(words.len())..]
        .iter()
        .find(|w| {
            w.token.is_wordlike()
                && !is_function_word(&w.folded)
                && (w.token.kind == TokenKind::Identifier || !w.known)
                && !matches!(w.folded.as_str(), "pid" | "na" | "sile")
        })
        .map(|w| w.token.text.to_owned())
}
