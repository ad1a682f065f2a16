//! Entity extraction: patterns (URLs, paths, pids, quoted commands, HTTP methods, SQL),
//! gazetteers that know inflection (through lemmas), and span rules for free text that drop
//! the command words around it. Only the keys the contract allows for the intent are kept.

use std::collections::BTreeMap;

use crate::lexicon::Lexicon;
use crate::normalize::fold;
use crate::tokenizer::{Token, TokenKind};

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
        "FILE_DIFF" => &["path", "path2"],
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
        "ANALYZE_CODE" | "RUN_TESTS" | "GENERATE_TESTS" | "FILE_LIST" => {
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
        "FILE_SEARCH" => {
            let paths = all_paths(words);
            put("query", search_query(words, &paths));
            put("path", paths.into_iter().last());
        }
        "SHELL_RUN" => put("command", shell_command(text, words)),
        "GIT_CLONE" => {
            put("url", url(words));
            put("path", first_path(words));
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
            put("manager", manager(words));
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

// ---- helpers -------------------------------------------------------------------------------

/// Text from byte `start` to the end, without closing punctuation.
fn tail(text: &str, start: usize) -> Option<String> {
    let rest = text.get(start..)?.trim();
    let rest = rest.trim_end_matches(['.', '?', '!', ';']).trim();
    (!rest.is_empty()).then(|| rest.to_owned())
}

fn first_of_kind(words: &[Analyzed<'_>], kind: TokenKind) -> Option<String> {
    words
        .iter()
        .find(|w| w.token.kind == kind)
        .map(|w| w.token.text.to_owned())
}

/// A URL, or a bare domain such as `onet.pl` (which the tokenizer reads as a file name).
fn url(words: &[Analyzed<'_>]) -> Option<String> {
    first_of_kind(words, TokenKind::Url).or_else(|| {
        words
            .iter()
            .find(|w| w.token.kind == TokenKind::Path && is_domain(w.token.text))
            .map(|w| w.token.text.to_owned())
    })
}

/// `onet.pl`, `docs.rs`, `example.com/api`: a host with a top-level domain, not a file.
fn is_domain(text: &str) -> bool {
    const FILE_EXTENSIONS: &[&str] = &[
        "py", "rs", "md", "txt", "json", "toml", "yaml", "yml", "js", "ts", "html", "css", "log",
        "csv", "lock", "sh", "c", "h", "cpp", "go", "java", "env", "example", "old", "bak", "db",
        "sql", "xml", "ini", "cfg", "conf", "tsx", "jsx",
    ];
    let host = text.split('/').next().unwrap_or(text);
    let Some((name, tld)) = host.rsplit_once('.') else {
        return false;
    };
    !name.is_empty()
        && !text.starts_with(['.', '/', '~'])
        && (2..=6).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && !FILE_EXTENSIONS.contains(&tld)
}

fn first_quoted(words: &[Analyzed<'_>]) -> Option<String> {
    words
        .iter()
        .find(|w| matches!(w.token.kind, TokenKind::Quoted | TokenKind::Backquoted))
        .map(|w| w.token.inner().to_owned())
}

fn all_paths(words: &[Analyzed<'_>]) -> Vec<String> {
    let mut paths: Vec<String> = words
        .iter()
        .filter(|w| w.token.kind == TokenKind::Path)
        .map(|w| w.token.text.to_owned())
        .collect();
    if let Some(home) = home_dir_phrase(words) {
        paths.push(home);
    }
    paths
}

fn first_path(words: &[Analyzed<'_>]) -> Option<String> {
    all_paths(words).into_iter().next()
}

/// "katalog domowy" -> `~`.
fn home_dir_phrase(words: &[Analyzed<'_>]) -> Option<String> {
    words
        .windows(2)
        .any(|pair| {
            matches!(pair[0].lemma.as_str(), "katalog" | "folder") && pair[1].lemma == "domowy"
        })
        .then(|| "~".to_owned())
}

/// Words that introduce a location.
const PATH_CUES: &[&str] = &[
    "katalog", "folder", "plik", "modul", "w", "we", "dla", "do", "na",
];

/// A bare name after a location cue (`w katalogu src`, `dla app`) that is no Polish word.
fn path_after_cue(words: &[Analyzed<'_>]) -> Option<String> {
    for (i, word) in words.iter().enumerate().skip(1) {
        if !word.token.is_wordlike() || !PATH_CUES.contains(&words[i - 1].lemma.as_str()) {
            continue;
        }
        let followed_by_end = words
            .get(i + 1)
            .is_none_or(|next| next.token.kind == TokenKind::Punct);
        let looks_like_code = word.token.text.contains(['_', '.', '/'])
            || word.token.text.chars().any(|c| c.is_ascii_digit())
            || matches!(
                word.folded.as_str(),
                "src" | "app" | "lib" | "tests" | "test" | "api" | "docs" | "pkg" | "cmd" | "bin"
            );
        let named_dir = matches!(words[i - 1].lemma.as_str(), "katalog" | "folder")
            && word
                .token
                .text
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        let known_dir = named_dir
            || matches!(
                word.folded.as_str(),
                "src" | "app" | "lib" | "tests" | "test" | "docs" | "pkg" | "cmd" | "bin"
            );
        if known_dir
            || (followed_by_end && (looks_like_code || word.token.kind == TokenKind::Identifier))
        {
            return Some(word.token.text.to_owned());
        }
    }
    None
}

/// The name after "projekt" (typos allowed), with capitalized words that continue it.
fn project_name(words: &[Analyzed<'_>]) -> Option<String> {
    let at = words.iter().position(|w| {
        w.lemma == "projekt" || close_to(&w.folded, "projekt") || close_to(&w.folded, "projektu")
    })?;
    let first = words.get(at + 1)?;
    if first.token.kind == TokenKind::Quoted {
        return Some(first.token.inner().to_owned());
    }
    if !first.token.is_wordlike() || is_function_word(&first.folded) {
        return None;
    }
    Some(with_capitalized_continuation(first, &words[at + 2..]))
}

/// "Sklep Internetowy": a capitalized word continues a capitalized name.
fn with_capitalized_continuation(first: &Analyzed<'_>, rest: &[Analyzed<'_>]) -> String {
    let mut name = first.token.text.to_owned();
    if first
        .token
        .text
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
    {
        for w in rest {
            if w.token.kind == TokenKind::Word
                && w.token.text.chars().next().is_some_and(char::is_uppercase)
            {
                name.push(' ');
                name.push_str(w.token.text);
            } else {
                break;
            }
        }
    }
    name
}

fn is_function_word(folded: &str) -> bool {
    matches!(
        folded,
        "w" | "we"
            | "na"
            | "do"
            | "z"
            | "ze"
            | "i"
            | "a"
            | "o"
            | "dla"
            | "od"
            | "po"
            | "pod"
            | "przez"
            | "jeszcze"
            | "raz"
            | "go"
            | "je"
            | "to"
            | "ten"
            | "ta"
            | "mi"
            | "sie"
    )
}

/// Text after the first token whose folded form is one of `cues`.
fn rest_after_cue(text: &str, words: &[Analyzed<'_>], cues: &[&str]) -> Option<String> {
    let at = words
        .iter()
        .position(|w| cues.contains(&w.folded.as_str()))?;
    let next = words.get(at + 1)?;
    if matches!(next.token.kind, TokenKind::Quoted | TokenKind::Backquoted) {
        return Some(next.token.inner().to_owned());
    }
    let start = if next.token.text == ":" {
        words.get(at + 2)?.token.span.start
    } else {
        next.token.span.start
    };
    tail(text, start)
}

/// Text after the first punctuation token `punct`.
fn rest_after_punct(text: &str, words: &[Analyzed<'_>], punct: &str) -> Option<String> {
    let at = words
        .iter()
        .position(|w| w.token.kind == TokenKind::Punct && w.token.text == punct)?;
    tail(text, words.get(at + 1)?.token.span.start)
}

/// True when `word` is `target` with at most one typo (two for long words): an insertion,
/// deletion, substitution or swap of neighbours.
pub fn close_to(word: &str, target: &str) -> bool {
    let a: Vec<char> = word.chars().collect();
    let b: Vec<char> = target.chars().collect();
    let allowed = match b.len() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    };
    if a.len().abs_diff(b.len()) > allowed {
        return false;
    }
    // Optimal string alignment distance.
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()] <= allowed
}

/// True when some folded token starts like `stem` or is a near miss of one of `words`.
fn mentions(words: &[Analyzed<'_>], stems: &[&str], near: &[&str]) -> bool {
    words.iter().any(|w| {
        stems.iter().any(|stem| w.folded.starts_with(stem))
            || near.iter().any(|target| close_to(&w.folded, target))
    })
}

// ---- gazetteers ----------------------------------------------------------------------------

fn framework(words: &[Analyzed<'_>]) -> Option<String> {
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

fn manager(words: &[Analyzed<'_>]) -> Option<String> {
    words.iter().find_map(|w| {
        let base = w.lemma.split(['\'', '-']).next().unwrap_or(&w.lemma);
        ["pip", "npm", "cargo", "apt", "brew"]
            .iter()
            .find(|&&m| base == m || w.folded.split(['\'', '-']).next() == Some(m))
            .map(|m| (*m).to_owned())
    })
}

fn deploy_target(words: &[Analyzed<'_>]) -> Option<String> {
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

fn resource(words: &[Analyzed<'_>]) -> Option<String> {
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

fn http_method(words: &[Analyzed<'_>]) -> Option<String> {
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
const PROCESSES: &[&str] = &[
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

fn process_name(words: &[Analyzed<'_>], after_verb: bool) -> Option<String> {
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

// ---- span rules ----------------------------------------------------------------------------

/// Words an app type never contains: prepositions, framework cues, naming cues.
fn ends_app_type(w: &Analyzed<'_>) -> bool {
    w.token.kind == TokenKind::Punct
        || matches!(
            w.folded.as_str(),
            "w" | "we"
                | "na"
                | "z"
                | "przy"
                | "oparty"
                | "oparte"
                | "korzystajac"
                | "bazujac"
                | "uzywajac"
                | "o"
                | "nazwany"
                | "pod"
                | "napisany"
                | "napisana"
                | "ktory"
                | "nazwij"
                | "i"
        )
        || framework(std::slice::from_ref(w)).is_some()
}

/// Nouns for "an application" that are not its type (matched by folded stem, so unknown
/// diminutives such as "aplikacyjkę" or "webaplikację" count too).
fn is_app_noun(w: &Analyzed<'_>) -> bool {
    const STEMS: &[&str] = &[
        "aplikac",
        "webaplikac",
        "apk",
        "appk",
        "projekt",
        "serwis",
        "backend",
        "mikroserwis",
        "uslug",
        "stron",
        "program",
        "system",
        "serwer",
        "szkielet",
        "szablon",
        "boilerplate",
        "starter",
    ];
    w.token.is_wordlike()
        && (matches!(w.folded.as_str(), "api" | "rest" | "app")
            || STEMS.iter().any(|stem| w.folded.starts_with(stem)))
}

fn app_type(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    // After the last app noun, or right after the verb (and "mi", "nowy", "szybko").
    let start = match words.iter().rposition(is_app_noun) {
        Some(at) => at + 1,
        None => {
            // Without an app noun the command must start with a verb ("Zbuduj blog ...").
            if !words
                .first()
                .is_some_and(|w| w.lemma.len() > 3 && w.lemma.ends_with('c'))
            {
                return None;
            }
            let mut at = 1;
            while words.get(at).is_some_and(|w| {
                matches!(
                    w.folded.as_str(),
                    "mi" | "szybko" | "nowy" | "nowa" | "nowe" | "sobie" | "razem" | "od" | "zera"
                ) || w.token.kind == TokenKind::Punct
            }) {
                at += 1;
            }
            at
        }
    };
    let mut first = start;
    while words
        .get(first)
        .is_some_and(|w| matches!(w.folded.as_str(), "typu" | "rodzaju" | "jako" | "do"))
    {
        first += 1;
    }
    let end = words[first.min(words.len())..]
        .iter()
        .position(ends_app_type)
        .map_or(words.len(), |p| first + p);
    if first >= end {
        return None;
    }
    let span = words[first].token.span.start..words[end - 1].token.span.end;
    let value = text.get(span)?.trim();
    // The verb alone or a generic noun is no app type.
    (!value.is_empty() && !words[first..end].iter().all(is_app_noun)).then(|| value.to_owned())
}

fn name_after_cue(words: &[Analyzed<'_>]) -> Option<String> {
    let cue_end = words.iter().enumerate().find_map(|(i, w)| {
        let next = words.get(i + 1).map(|n| n.folded.as_str());
        match (w.folded.as_str(), next) {
            ("o", Some("nazwie")) | ("pod", Some("nazwa")) | ("pod", Some("nazwie")) => Some(i + 2),
            ("nazwany" | "nazwana" | "nazwane", _) => Some(i + 1),
            ("nazwij", Some("go" | "ja" | "je")) => Some(i + 2),
            ("nazwij", _) => Some(i + 1),
            ("nazywa", Some("sie")) => Some(i + 2),
            _ => None,
        }
    })?;
    let first = words.get(cue_end)?;
    if matches!(first.token.kind, TokenKind::Quoted | TokenKind::Backquoted) {
        return Some(first.token.inner().to_owned());
    }
    if !first.token.is_wordlike() && first.token.kind != TokenKind::Path {
        return None;
    }
    Some(with_capitalized_continuation(first, &words[cue_end + 1..]))
}

fn shell_command(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(quoted) = first_quoted(words) {
        return Some(quoted);
    }
    // Skip the command words: verbs, "polecenie", "w terminalu", "mi", ":" and a "$" prompt.
    let skip = |w: &Analyzed<'_>| {
        matches!(
            w.lemma.as_str(),
            "uruchomic"
                | "wykonac"
                | "odpalic"
                | "puscic"
                | "wpisac"
                | "polecenie"
                | "komenda"
                | "terminal"
                | "konsola"
                | "powloka"
                | "shell"
                | "bash"
                | "przez"
                | "przepuscic"
                | "rzucic"
                | "prosic"
                | "prosze"
                | "mi"
                | "w"
                | "we"
                | "na"
        ) || matches!(
            w.folded.as_str(),
            "w" | "we" | "mi" | "prosze" | "$" | ":" | "," | "basha" | "shellu"
        )
    };
    let start = words.iter().position(|w| !skip(w))?;
    tail(text, words[start].token.span.start)
}

fn branch(words: &[Analyzed<'_>]) -> Option<String> {
    const NOT_BRANCHES: &[&str] = &[
        "serwer",
        "remote",
        "origin",
        "originie",
        "github",
        "githuba",
        "gitlab",
        "zdalne",
        "zdalnego",
        "repozytorium",
        "repo",
        "serwera",
    ];
    for (i, w) in words.iter().enumerate() {
        let cue = matches!(
            w.folded.as_str(),
            "na" | "do" | "galaz" | "branch" | "origin" | "galezi" | "galaź"
        );
        if !cue {
            continue;
        }
        if let Some(next) = words.get(i + 1) {
            if next.token.is_wordlike()
                && !NOT_BRANCHES.contains(&next.folded.as_str())
                && !is_function_word(&next.folded)
            {
                return Some(next.token.text.to_owned());
            }
        }
    }
    None
}

fn package(words: &[Analyzed<'_>]) -> Option<String> {
    // After "install"/"add" (pip install x, cargo add x), else after the verb and a
    // "pakiet"-like noun.
    let start = words
        .iter()
        .position(|w| matches!(w.folded.as_str(), "install" | "add" | "i"))
        .map(|at| at + 1)
        .unwrap_or(1);
    words[start.min(words.len())..]
        .iter()
        .find(|w| {
            (w.token.is_wordlike() || w.token.kind == TokenKind::Path)
                && !matches!(
                    w.lemma.as_str(),
                    "pakiet"
                        | "paczka"
                        | "biblioteka"
                        | "zaleznosc"
                        | "projekt"
                        | "mi"
                        | "przez"
                        | "do"
                        | "postawic"
                        | "wrzucic"
                        | "dociagnac"
                        | "zainstalowac"
                )
                && !is_function_word(&w.folded)
                && manager(std::slice::from_ref(*w)).is_none()
        })
        .map(|w| w.token.text.to_owned())
}

fn sql(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(quoted) =
        first_quoted(words).filter(|q| is_sql_start(q.split_whitespace().next().unwrap_or("")))
    {
        return Some(quoted);
    }
    let at = words.iter().position(|w| is_sql_start(w.token.text))?;
    let rest = text.get(words[at].token.span.start..)?.trim();
    Some(rest.trim_end_matches(['?', '!']).trim().to_owned())
}

fn is_sql_start(word: &str) -> bool {
    matches!(
        word.to_ascii_uppercase().as_str(),
        "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH" | "CREATE" | "DROP" | "ALTER" | "PRAGMA"
    )
}

fn web_query(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    const COMMAND_WORDS: &[&str] = &[
        "wyszukac",
        "wyszukaj",
        "znalezc",
        "poszukac",
        "googlowac",
        "sprawdzic",
        "przeszukac",
        "zrobic",
        "research",
        "w",
        "we",
        "internet",
        "siec",
        "net",
        "google",
        "wyszukiwarka",
        "informacja",
        "o",
        "pod",
        "kat",
        "katem",
        "co",
        "mowic",
        "na",
        "temat",
        "prosic",
        "prosze",
        "mi",
        "szukac",
    ];
    let start = words.iter().position(|w| {
        !(COMMAND_WORDS.contains(&w.lemma.as_str())
            || COMMAND_WORDS.contains(&w.folded.as_str())
            || w.token.kind == TokenKind::Punct)
    })?;
    tail(text, words[start].token.span.start)
}

fn search_query(words: &[Analyzed<'_>], paths: &[String]) -> Option<String> {
    if let Some(quoted) = first_quoted(words) {
        return Some(quoted);
    }
    if let Some(identifier) = words.iter().skip(1).find(|w| {
        w.token.kind == TokenKind::Identifier && !paths.contains(&w.token.text.to_owned())
    }) {
        return Some(identifier.token.text.to_owned());
    }
    const COMMAND_WORDS: &[&str] = &[
        "znalezc",
        "wyszukac",
        "szukac",
        "poszukac",
        "tekst",
        "fraza",
        "ciag",
        "slowo",
        "wszystek",
        "wystapienie",
        "w",
        "kod",
        "plik",
        "gdzie",
        "ktory",
        "byc",
        "wystepowac",
        "uzywac",
        "grep",
        "przeszukac",
        "pod",
        "kat",
        "katem",
        "wskazac",
        "miejsce",
        "pojawiac",
        "zawierac",
    ];
    words
        .iter()
        .find(|w| {
            w.token.kind != TokenKind::Punct
                && w.token.kind != TokenKind::Path
                && !COMMAND_WORDS.contains(&w.lemma.as_str())
                && !COMMAND_WORDS.contains(&w.folded.as_str())
        })
        .map(|w| w.token.text.to_owned())
}

fn recall_query(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    // After the last "o" / "na temat" / "w temacie" / "w pamięci" cue.
    let at = words
        .iter()
        .rposition(|w| matches!(w.folded.as_str(), "o" | "temat" | "temacie" | "pamieci"))?;
    tail(text, words.get(at + 1)?.token.span.start)
}

fn secret_name(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(upper) = words.iter().find(|w| {
        w.token.kind == TokenKind::Identifier
            && w.token.text.contains('_')
            && w.token
                .text
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    }) {
        return Some(upper.token.text.to_owned());
    }
    const LEAD: &[&str] = &[
        "zapisac",
        "ustawic",
        "dodac",
        "przechowac",
        "schowac",
        "umiescic",
        "zabezpieczyc",
        "zapamietac",
        "sekret",
        "bezpiecznie",
        "w",
        "sejf",
        "skarbiec",
        "prosic",
        "prosze",
        "mi",
    ];
    const TRAIL: &[&str] = &["do", "w", "we"];
    let mut start = 0;
    while words.get(start).is_some_and(|w| {
        LEAD.contains(&w.lemma.as_str())
            || LEAD.contains(&w.folded.as_str())
            || w.token.kind == TokenKind::Punct
    }) {
        start += 1;
    }
    // Cut a trailing location: "w sejfie", "do sejfu", "w pęku kluczy".
    let end = (start..words.len())
        .find(|&i| {
            TRAIL.contains(&words[i].folded.as_str())
                && words.get(i + 1).is_some_and(|next| {
                    matches!(next.lemma.as_str(), "sejf" | "keyring" | "pek" | "skarbiec")
                })
        })
        .unwrap_or(words.len());
    if start >= end {
        return None;
    }
    let span = words[start].token.span.start..words[end - 1].token.span.end;
    text.get(span)
        .map(|s| s.trim_end_matches(['.', '?', '!']).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::tokenize;

    fn entities(intent: &str, text: &str) -> BTreeMap<String, String> {
        let lexicon = Lexicon::embedded().unwrap();
        let words = analyze(&tokenize(text), &lexicon);
        extract(intent, text, &words)
    }

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn contract_examples() {
        for (intent, text, expected) in [
            (
                "BUILD_APP",
                "Zbuduj aplikację todo w Django",
                map(&[("framework", "django"), ("app_type", "todo")]),
            ),
            (
                "BUILD_APP",
                "Stwórz REST API w FastAPI o nazwie sklep",
                map(&[("framework", "fastapi"), ("name", "sklep")]),
            ),
            (
                "ANALYZE_CODE",
                "Przeanalizuj kod w katalogu ./api",
                map(&[("path", "./api")]),
            ),
            (
                "GENERATE_TESTS",
                "Wygeneruj testy dla pliku app/main.py",
                map(&[("path", "app/main.py")]),
            ),
            (
                "DEPLOY",
                "Utwórz Dockerfile dla projektu",
                map(&[("target", "docker")]),
            ),
            (
                "FILE_READ",
                "Pokaż plik README.md",
                map(&[("path", "README.md")]),
            ),
            (
                "SHELL_RUN",
                "Uruchom `cargo build --release`",
                map(&[("command", "cargo build --release")]),
            ),
            (
                "GIT_CLONE",
                "Sklonuj https://github.com/serde-rs/serde",
                map(&[("url", "https://github.com/serde-rs/serde")]),
            ),
            (
                "PACKAGE_INSTALL",
                "Zainstaluj requests przez pip",
                map(&[("package", "requests"), ("manager", "pip")]),
            ),
            (
                "HTTP_REQUEST",
                "Wyślij GET do http://localhost:8000/health",
                map(&[("method", "GET"), ("url", "http://localhost:8000/health")]),
            ),
            (
                "WEB_SEARCH",
                "Wyszukaj w internecie dokumentację axum",
                map(&[("query", "dokumentację axum")]),
            ),
            (
                "BROWSE_URL",
                "Otwórz stronę https://docs.rs",
                map(&[("url", "https://docs.rs")]),
            ),
            (
                "SYSTEM_STATUS",
                "Pokaż wolne miejsce na dyskach",
                map(&[("resource", "disk")]),
            ),
            ("PROCESS_KILL", "Zabij proces 4242", map(&[("pid", "4242")])),
            (
                "MEMORY_SAVE",
                "Zapamiętaj, że baza działa na porcie 5433",
                map(&[("content", "baza działa na porcie 5433")]),
            ),
        ] {
            assert_eq!(entities(intent, text), expected, "{text}");
        }
    }

    #[test]
    fn each_entity_kind() {
        assert_eq!(
            entities("BUILD_APP", "Postaw apkę blog we Flasku")["framework"],
            "flask"
        );
        assert_eq!(
            entities("BUILD_APP", "zrob sklep internetowy w expressie")["app_type"],
            "sklep internetowy"
        );
        assert_eq!(
            entities(
                "BUILD_APP",
                "Stwórz projekt w Ruście o nazwie Sklep Internetowy"
            )["name"],
            "Sklep Internetowy"
        );
        assert_eq!(
            entities("FILE_DIFF", "Porównaj a.txt z b.txt"),
            map(&[("path", "a.txt"), ("path2", "b.txt")])
        );
        assert_eq!(
            entities("FILE_SEARCH", "Znajdź \"TODO\" w ./src"),
            map(&[("query", "TODO"), ("path", "./src")])
        );
        assert_eq!(
            entities("GIT_COMMIT", "Zrób commit z opisem \"poprawka\"")["message"],
            "poprawka"
        );
        assert_eq!(
            entities("GIT_PUSH", "Wypchnij zmiany na feature/login")["branch"],
            "feature/login"
        );
        assert_eq!(
            entities("GIT_PULL_REQUEST", "Otwórz PR o tytule \"Nowy endpoint\"")["title"],
            "Nowy endpoint"
        );
        assert_eq!(
            entities("PACKAGE_INSTALL", "npm install lodash"),
            map(&[("package", "lodash"), ("manager", "npm")])
        );
        assert_eq!(
            entities("PACKAGE_INSTALL", "Zainstaluj numpy pipem")["manager"],
            "pip"
        );
        assert_eq!(
            entities("DB_QUERY", "Wykonaj zapytanie SELECT * FROM users")["query"],
            "SELECT * FROM users"
        );
        assert_eq!(
            entities("SYSTEM_STATUS", "Ile mam wolnego RAM-u?")["resource"],
            "memory"
        );
        assert_eq!(
            entities("SYSTEM_STATUS", "Jak obciążony jest procesor?")["resource"],
            "cpu"
        );
        assert_eq!(
            entities("SYSTEM_STATUS", "Pokaż stan systemu")["resource"],
            "all"
        );
        assert_eq!(
            entities("PROCESS_LIST", "Czy działa nginx?")["process"],
            "nginx"
        );
        assert_eq!(
            entities("PROCESS_KILL", "Ubij firefox")["process"],
            "firefox"
        );
        assert_eq!(
            entities("MEMORY_RECALL", "Co pamiętasz o bazie danych?")["query"],
            "bazie danych"
        );
        assert_eq!(
            entities("SECRET_SET", "Zapisz GITHUB_TOKEN w sejfie")["name"],
            "GITHUB_TOKEN"
        );
        assert_eq!(
            entities("SECRET_SET", "Zapisz hasło do bazy w sejfie")["name"],
            "hasło do bazy"
        );
        assert_eq!(
            entities("DEPLOY", "Przygotuj unit systemd")["target"],
            "systemd"
        );
        assert_eq!(
            entities("DEPLOY", "Spakuj projekt do tar.gz")["target"],
            "tarball"
        );
        assert_eq!(
            entities("FILE_WRITE", "Utwórz plik notatki.txt z treścią \"ala\""),
            map(&[("path", "notatki.txt"), ("content", "ala")])
        );
        assert_eq!(
            entities("SHELL_RUN", "Wykonaj polecenie ls -la"),
            map(&[("command", "ls -la")])
        );
        assert_eq!(
            entities("GIT_CLONE", "Sklonuj https://x.org/a.git do ./b"),
            map(&[("url", "https://x.org/a.git"), ("path", "./b")])
        );
        assert_eq!(
            entities("FILE_LIST", "Pokaż pliki w katalogu domowym")["path"],
            "~"
        );
        assert_eq!(
            entities("RUN_TESTS", "Uruchom testy w katalogu src")["path"],
            "src"
        );
        assert_eq!(
            entities("FILE_READ", "Pokaż plik Dockerfile")["path"],
            "Dockerfile"
        );
        assert_eq!(
            entities("DEPLOY", "Zapakuj aplikację do kontenra")["target"],
            "docker"
        );
        assert_eq!(
            entities("BUILD_PROJECT", "Skompiluj prjoekt Sklep Internetowy")["name"],
            "Sklep Internetowy"
        );
        assert!(close_to("kontenra", "kontenera"));
        assert!(!close_to("kot", "kat"));
    }
}
