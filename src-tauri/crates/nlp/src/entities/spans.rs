//! Span rules: where a path, a name, an app type or free text starts and ends in a command.

use super::gazetteers::framework;
use super::Analyzed;
use crate::tokenizer::TokenKind;

/// Text from byte `start` to the end, without closing punctuation.
pub(super) fn tail(text: &str, start: usize) -> Option<String> {
    let rest = text.get(start..)?.trim();
    let rest = rest.trim_end_matches(['.', '?', '!', ';']).trim();
    (!rest.is_empty()).then(|| rest.to_owned())
}

pub(super) fn first_of_kind(words: &[Analyzed<'_>], kind: TokenKind) -> Option<String> {
    words
        .iter()
        .find(|w| w.token.kind == kind)
        .map(|w| w.token.text.to_owned())
}

/// A URL, or a bare domain such as `onet.pl` (which the tokenizer reads as a file name).
pub(super) fn url(words: &[Analyzed<'_>]) -> Option<String> {
    first_of_kind(words, TokenKind::Url).or_else(|| {
        words
            .iter()
            .find(|w| w.token.kind == TokenKind::Path && is_domain(w.token.text))
            .map(|w| w.token.text.to_owned())
    })
}

/// `onet.pl`, `docs.rs`, `example.com/api`: a host with a top-level domain, not a file.
pub(super) fn is_domain(text: &str) -> bool {
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

pub(super) fn first_quoted(words: &[Analyzed<'_>]) -> Option<String> {
    words
        .iter()
        .find(|w| matches!(w.token.kind, TokenKind::Quoted | TokenKind::Backquoted))
        .map(|w| w.token.inner().to_owned())
}

pub(super) fn all_paths(words: &[Analyzed<'_>]) -> Vec<String> {
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

pub(super) fn first_path(words: &[Analyzed<'_>]) -> Option<String> {
    all_paths(words).into_iter().next()
}

/// "katalog domowy" -> `~`.
pub(super) fn home_dir_phrase(words: &[Analyzed<'_>]) -> Option<String> {
    words
        .windows(2)
        .any(|pair| {
            matches!(pair[0].lemma.as_str(), "katalog" | "folder") && pair[1].lemma == "domowy"
        })
        .then(|| "~".to_owned())
}

/// Words that introduce a location.
pub(super) const PATH_CUES: &[&str] = &[
    "katalog",
    "folder",
    "plik",
    "modul",
    "w",
    "we",
    "dla",
    "do",
    "na",
    "z",
    "zawartosc",
    "projekt",
];

/// Folder names that are paths wherever they stand.
const KNOWN_DIRS: &[&str] = &[
    "src", "app", "lib", "tests", "test", "docs", "pkg", "cmd", "bin",
];

/// A bare name after a location cue (`w katalogu src`, `dla app`, `do katalogu notatki`,
/// `zawartość src`, `w .`) that is no Polish word, or any name right after a folder noun.
pub(super) fn path_after_cue(words: &[Analyzed<'_>]) -> Option<String> {
    for (i, word) in words.iter().enumerate().skip(1) {
        let cue = &words[i - 1];
        if !PATH_CUES.contains(&cue.lemma.as_str()) && !is_folder_noun(cue) {
            continue;
        }
        let followed_by_end = words[i + 1..]
            .iter()
            .all(|next| next.token.kind == TokenKind::Punct)
            || words
                .get(i + 1)
                .is_some_and(|next| is_function_word(&next.folded) || next.folded == "pod");
        // "w ." / "w .." : the current or parent folder, written as punctuation.
        if matches!(word.token.text, "." | "..")
            && words[i + 1..]
                .iter()
                .all(|next| next.token.kind == TokenKind::Punct)
        {
            return Some(word.token.text.to_owned());
        }
        if !word.token.is_wordlike() || is_function_word(&word.folded) {
            continue;
        }
        let looks_like_code = word.token.text.contains(['_', '.', '/'])
            || word.token.text.chars().any(|c| c.is_ascii_digit())
            || matches!(word.folded.as_str(), "api")
            || KNOWN_DIRS.contains(&word.folded.as_str());
        let named_dir = is_folder_noun(cue)
            && (followed_by_end
                || word
                    .token
                    .text
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase));
        let known_dir = named_dir || KNOWN_DIRS.contains(&word.folded.as_str());
        if known_dir
            || (followed_by_end && (looks_like_code || word.token.kind == TokenKind::Identifier))
        {
            return Some(word.token.text.to_owned());
        }
    }
    None
}

/// "katalog", "folder", "projekt" with typos ("katallog", "foolderze").
fn is_folder_noun(w: &Analyzed<'_>) -> bool {
    matches!(w.lemma.as_str(), "katalog" | "folder" | "podkatalog")
        || [
            "katalog",
            "katalogu",
            "katalogze",
            "folder",
            "folderu",
            "folderze",
        ]
        .iter()
        .any(|target| close_to(&w.folded, target))
}

/// The name after "projekt" (typos allowed), with capitalized words that continue it.
pub(super) fn project_name(words: &[Analyzed<'_>]) -> Option<String> {
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
pub(super) fn with_capitalized_continuation(first: &Analyzed<'_>, rest: &[Analyzed<'_>]) -> String {
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

pub(super) fn is_function_word(folded: &str) -> bool {
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
pub(super) fn rest_after_cue(text: &str, words: &[Analyzed<'_>], cues: &[&str]) -> Option<String> {
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
pub(super) fn rest_after_punct(text: &str, words: &[Analyzed<'_>], punct: &str) -> Option<String> {
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
pub(super) fn mentions(words: &[Analyzed<'_>], stems: &[&str], near: &[&str]) -> bool {
    words.iter().any(|w| {
        stems.iter().any(|stem| w.folded.starts_with(stem))
            || near.iter().any(|target| close_to(&w.folded, target))
    })
}

/// Words an app type never contains: prepositions, framework cues, naming cues.
pub(super) fn ends_app_type(w: &Analyzed<'_>) -> bool {
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
pub(super) fn is_app_noun(w: &Analyzed<'_>) -> bool {
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

pub(super) fn app_type(text: &str, words: &[Analyzed<'_>]) -> Option<String> {
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

pub(super) fn name_after_cue(words: &[Analyzed<'_>]) -> Option<String> {
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

/// Nouns for a folder.
fn is_dir_noun(w: &Analyzed<'_>) -> bool {
    matches!(w.lemma.as_str(), "katalozek" | "folderek")
        || w.folded.starts_with("katalog")
        || w.folded.starts_with("folder")
        || is_folder_noun(w)
}

/// Words between a folder noun or a destination cue and the name: "nowy", "pusty", "o
/// nazwie", "pod nazwą", "nazwę".
fn is_naming_filler(w: &Analyzed<'_>) -> bool {
    close_to(&w.folded, "nazwie")
        || matches!(
            w.folded.as_str(),
            "nowy"
                | "nowego"
                | "nowa"
                | "pusty"
                | "pustego"
                | "o"
                | "nazwie"
                | "pod"
                | "nazwa"
                | "nazwe"
                | "nazwany"
                | "-p"
                | "mi"
        )
}

/// The name of a folder to make: a path, or the word after "katalog"/"folder" (with "o
/// nazwie" and the like skipped), or after `mkdir`.
pub(super) fn dir_name(words: &[Analyzed<'_>]) -> Option<String> {
    if let Some(path) = first_path(words) {
        return Some(path);
    }
    let at = words
        .iter()
        .position(|w| is_dir_noun(w) || w.folded == "mkdir")?;
    words[at + 1..]
        .iter()
        .find(|w| !is_naming_filler(w) && !is_dir_noun(w))
        .filter(|w| {
            matches!(
                w.token.kind,
                TokenKind::Word | TokenKind::Identifier | TokenKind::Path | TokenKind::Quoted
            )
        })
        .map(|w| w.token.inner().to_owned())
}

/// The source of a copy or move: the first path, else the name after a file or folder noun.
pub(super) fn source_path(words: &[Analyzed<'_>]) -> Option<String> {
    first_path(words).or_else(|| {
        let at = words
            .iter()
            .position(|w| is_dir_noun(w) || w.lemma == "plik")?;
        let next = words.get(at + 1)?;
        (next.token.is_wordlike() && !is_function_word(&next.folded))
            .then(|| next.token.text.to_owned())
    })
}

/// The destination of a copy or move: the second path, else the name after the last "do",
/// "na", "jako", "w" (a folder noun and "nazwę" skipped): "do katalogu archiwum" -> archiwum.
pub(super) fn destination(words: &[Analyzed<'_>], source: Option<&str>) -> Option<String> {
    let paths = all_paths(words);
    if let Some(second) = paths.get(1) {
        return Some(second.clone());
    }
    let cue = words.iter().rposition(|w| {
        matches!(
            w.folded.as_str(),
            "do" | "na" | "jako" | "w" | "we" | "nazywac" | "nazywa" | "nazywal"
        ) || (w.folded == "sie" && words.first().is_some_and(|f| f.folded == "niech"))
    });
    let candidates = match cue {
        Some(at) => &words[at + 1..],
        // `cp a b`, `mv a b`: the token after the source.
        None => {
            let at = words.iter().position(|w| Some(w.token.text) == source)?;
            &words[at + 1..]
        }
    };
    candidates
        .iter()
        .find(|w| !is_dir_noun(w) && !is_naming_filler(w) && w.folded != "sie")
        .filter(|w| w.token.is_wordlike() || w.token.kind == TokenKind::Path)
        .map(|w| w.token.text.to_owned())
        .filter(|d| Some(d.as_str()) != source)
}
