//! Tokenizer for Polish commands as people type them.
//!
//! URLs, e-mails, file paths, quoted and back-quoted spans, numbers, versions, flags and
//! identifiers stay single tokens; punctuation is split off; every token keeps its byte span
//! in the original text.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word of natural language (letters, inner apostrophe or hyphen: `Django'a`).
    Word,
    /// An integer or decimal number (`4242`, `2,5`).
    Number,
    /// A version (`3.13`, `v1.2.3`).
    Version,
    /// A URL (`https://docs.rs`, `www.example.com`).
    Url,
    /// An e-mail address.
    Email,
    /// A file path or file name (`./a/b.py`, `~/x`, `C:\x`, `README.md`).
    Path,
    /// Text in quotes (`"..."`, `„...”`, `'...'`); [`Token::inner`] drops the quotes.
    Quoted,
    /// Text in back-quotes; [`Token::inner`] drops them.
    Backquoted,
    /// A command-line flag (`-la`, `--release`).
    Flag,
    /// A programming identifier (`parse_config`, `feature/login`, `utf8`).
    Identifier,
    /// Punctuation.
    Punct,
    /// Any other symbol (emoji, `+`, `=` ...).
    Symbol,
}

/// One token with its byte span in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token's text exactly as in the original (quotes included).
    pub text: &'a str,
    /// What it is.
    pub kind: TokenKind,
    /// Byte range in the original text; `&original[span] == text`.
    pub span: Range<usize>,
}

impl<'a> Token<'a> {
    /// The text without its quotes (for quoted and back-quoted tokens), trimmed.
    pub fn inner(&self) -> &'a str {
        match self.kind {
            TokenKind::Quoted | TokenKind::Backquoted => {
                let mut chars = self.text.chars();
                let open = chars.next().map_or(0, char::len_utf8);
                let close = chars.next_back().map_or(0, char::len_utf8);
                self.text
                    .get(open..self.text.len().saturating_sub(close))
                    .unwrap_or("")
                    .trim()
            }
            _ => self.text,
        }
    }

    /// True for tokens made of letters (words and identifiers).
    pub fn is_wordlike(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Identifier)
    }
}

/// The closing quote for an opening one.
fn closing_quote(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '\'' => Some('\''),
        '`' => Some('`'),
        '„' => Some('”'),
        '“' => Some('”'),
        '«' => Some('»'),
        '»' => Some('«'),
        '‚' => Some('’'),
        '‘' => Some('’'),
        _ => None,
    }
}

/// Characters split off the start of a run.
fn is_leading_punct(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '<' | '¿' | '¡' | ',' | ';' | ':' | '!' | '?'
    )
}

/// Characters split off the end of a run.
fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '>' | '…' | '"' | '\'' | '”' | '»'
    )
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while let Some(c) = text[pos..].chars().next() {
        if c.is_whitespace() || c.is_control() {
            pos += c.len_utf8();
            continue;
        }
        if let Some(end) = quoted_span_end(text, pos, c) {
            let kind = if c == '`' {
                TokenKind::Backquoted
            } else {
                TokenKind::Quoted
            };
            tokens.push(Token {
                text: &text[pos..end],
                kind,
                span: pos..end,
            });
            pos = end;
            continue;
        }
        let run_end = text[pos..]
            .char_indices()
            .find(|&(_, ch)| ch.is_whitespace() || ch.is_control())
            .map_or(text.len(), |(i, _)| pos + i);
        push_run(text, pos..run_end, &mut tokens);
        pos = run_end;
    }
    tokens
}

/// If a quote opens at `pos` and closes later, the byte end of the quoted span.
fn quoted_span_end(text: &str, pos: usize, open: char) -> Option<usize> {
    let close = closing_quote(open)?;
    // An apostrophe inside a word (Django'a) opens nothing.
    if open == '\'' {
        let before = text[..pos].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            return None;
        }
    }
    let body_start = pos + open.len_utf8();
    let rel = text[body_start..].find(close)?;
    let end = body_start + rel + close.len_utf8();
    // Straight single quotes must close before a non-letter, or they are apostrophes.
    if open == '\'' {
        let after = text[end..].chars().next();
        if after.is_some_and(char::is_alphanumeric) {
            return None;
        }
    }
    Some(end)
}

/// Tokenizes one whitespace-free run `text[range]`.
fn push_run<'a>(text: &'a str, range: Range<usize>, tokens: &mut Vec<Token<'a>>) {
    let (mut start, mut end) = (range.start, range.end);
    // Leading punctuation.
    while let Some(c) = text[start..end].chars().next() {
        if is_leading_punct(c) && start + c.len_utf8() <= end {
            tokens.push(punct(text, start..start + c.len_utf8()));
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation (kept aside to push after the core).
    let mut trailing = Vec::new();
    while let Some(c) = text[start..end].chars().next_back() {
        let keep = c == ')'
            && text[start..end].matches('(').count() >= text[start..end].matches(')').count();
        if is_trailing_punct(c) && !keep && end - c.len_utf8() > start {
            trailing.push(punct(text, end - c.len_utf8()..end));
            end -= c.len_utf8();
        } else if is_trailing_punct(c) && !keep && end - c.len_utf8() == start {
            trailing.push(punct(text, start..end));
            end = start;
        } else {
            break;
        }
    }
    if start < end {
        push_core(text, start..end, tokens);
    }
    tokens.extend(trailing.into_iter().rev());
}

fn punct(text: &str, span: Range<usize>) -> Token<'_> {
    Token {
        text: &text[span.clone()],
        kind: TokenKind::Punct,
        span,
    }
}

/// Classifies the core of a run (punctuation already split off).
fn push_core<'a>(text: &'a str, span: Range<usize>, tokens: &mut Vec<Token<'a>>) {
    let core = &text[span.clone()];
    if let Some(kind) = whole_token_kind(core) {
        tokens.push(Token {
            text: core,
            kind,
            span,
        });
        return;
    }
    // Mixed content (e.g. `a,b`, `2+2`, `ok😀`): split into letter/digit runs and symbols.
    let mut piece_start: Option<usize> = None;
    for (i, c) in core.char_indices() {
        let at = span.start + i;
        if c.is_alphanumeric() || c == '_' {
            piece_start.get_or_insert(at);
            continue;
        }
        if let Some(s) = piece_start.take() {
            push_piece(text, s..at, tokens);
        }
        let kind = if c.is_ascii_punctuation()
            && !matches!(
                c,
                '+' | '=' | '*' | '&' | '|' | '^' | '~' | '$' | '#' | '%' | '@'
            ) {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        tokens.push(Token {
            text: &text[at..at + c.len_utf8()],
            kind,
            span: at..at + c.len_utf8(),
        });
    }
    if let Some(s) = piece_start {
        push_piece(text, s..span.end, tokens);
    }
}

fn push_piece<'a>(text: &'a str, span: Range<usize>, tokens: &mut Vec<Token<'a>>) {
    let piece = &text[span.clone()];
    let kind = whole_token_kind(piece).unwrap_or(TokenKind::Word);
    tokens.push(Token {
        text: piece,
        kind,
        span,
    });
}

/// The kind of `core` when it is one token as a whole.
fn whole_token_kind(core: &str) -> Option<TokenKind> {
    let lower = core.to_ascii_lowercase();
    if [
        "http://", "https://", "ftp://", "ws://", "wss://", "file://", "git@", "ssh://",
    ]
    .iter()
    .any(|scheme| lower.starts_with(scheme))
        || (lower.starts_with("www.") && core.len() > 4)
    {
        return Some(TokenKind::Url);
    }
    if is_email(core) {
        return Some(TokenKind::Email);
    }
    if is_flag(core) {
        return Some(TokenKind::Flag);
    }
    if is_number(core) {
        return Some(TokenKind::Number);
    }
    if is_version(core) {
        return Some(TokenKind::Version);
    }
    if is_path(core) || is_known_file_name(core) {
        return Some(TokenKind::Path);
    }
    if core.contains('/') || core.contains('\\') {
        // `feature/login`, `origin/main`: slashes but no file-like shape.
        if core
            .chars()
            .all(|c| c.is_alphanumeric() || "/_-.".contains(c))
        {
            return Some(TokenKind::Identifier);
        }
        return None;
    }
    if is_word(core) {
        return Some(TokenKind::Word);
    }
    if is_identifier(core) {
        return Some(TokenKind::Identifier);
    }
    None
}

fn is_email(core: &str) -> bool {
    let Some((local, domain)) = core.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "._%+-".contains(c))
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || ".-".contains(c))
}

fn is_flag(core: &str) -> bool {
    let body = core.strip_prefix("--").or_else(|| core.strip_prefix('-'));
    body.is_some_and(|b| {
        b.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && b.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=.".contains(c))
    })
}

fn is_number(core: &str) -> bool {
    let digits = core.strip_prefix('-').unwrap_or(core);
    let mut parts = digits.splitn(2, [',', '.']);
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| {
            !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) && core.contains(',')
        })
}

fn is_version(core: &str) -> bool {
    let body = core
        .strip_prefix('v')
        .or_else(|| core.strip_prefix('V'))
        .unwrap_or(core);
    let parts: Vec<&str> = body.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

fn is_path(core: &str) -> bool {
    let starts_like_path = ["./", "../", "~/", "~\\", ".\\", "..\\", "/"]
        .iter()
        .any(|p| core.starts_with(p))
        || core == "~"
        || core == "."
        || core == ".."
        || is_windows_drive(core);
    if starts_like_path {
        return true;
    }
    // A file name or a relative path ending in one: `README.md`, `app/main.py`, `.env`.
    let last = core.rsplit(['/', '\\']).next().unwrap_or(core);
    has_file_extension(last) || (core.contains(['/', '\\']) && core.ends_with(['/', '\\']))
}

/// Well-known file names without an extension.
fn is_known_file_name(core: &str) -> bool {
    matches!(
        core,
        "Dockerfile"
            | "Makefile"
            | "Procfile"
            | "Jenkinsfile"
            | "Vagrantfile"
            | "Containerfile"
            | "Gemfile"
            | "Rakefile"
            | "LICENSE"
            | "README"
            | "CHANGELOG"
            | "CODEOWNERS"
    )
}

fn is_windows_drive(core: &str) -> bool {
    let mut chars = core.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(d), Some(':'), Some('\\' | '/')) if d.is_ascii_alphabetic()
    )
}

fn has_file_extension(name: &str) -> bool {
    if name.starts_with('.') && name.len() > 1 && !name[1..].contains('.') {
        // Dot files: `.env`, `.gitignore`.
        return name[1..]
            .chars()
            .all(|c| c.is_alphanumeric() || "_-".contains(c));
    }
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && (1..=10).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && ext.chars().any(|c| c.is_ascii_alphabetic())
        && stem
            .chars()
            .all(|c| c.is_alphanumeric() || "._-+".contains(c))
}

fn is_word(core: &str) -> bool {
    let mut previous_joiner = true;
    for c in core.chars() {
        if c.is_alphabetic() {
            previous_joiner = false;
        } else if matches!(c, '\'' | '’' | '-') {
            if previous_joiner {
                return false;
            }
            previous_joiner = true;
        } else {
            return false;
        }
    }
    !previous_joiner
}

fn is_identifier(core: &str) -> bool {
    core.chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && core
            .chars()
            .all(|c| c.is_alphanumeric() || "_-:.".contains(c))
        && core.chars().any(char::is_alphabetic)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.text, t.kind))
            .collect()
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "Zbuduj aplikację „todo” w Django'u, proszę 😀!";
        for token in tokenize(text) {
            assert_eq!(&text[token.span.clone()], token.text);
        }
    }

    #[test]
    fn keeps_special_tokens_whole() {
        use TokenKind::*;
        assert_eq!(
            kinds("Sklonuj https://github.com/serde-rs/serde do ./vendor/serde."),
            vec![
                ("Sklonuj", Word),
                ("https://github.com/serde-rs/serde", Url),
                ("do", Word),
                ("./vendor/serde", Path),
                (".", Punct)
            ]
        );
        assert_eq!(
            kinds("Uruchom `cargo build --release` teraz"),
            vec![
                ("Uruchom", Word),
                ("`cargo build --release`", Backquoted),
                ("teraz", Word)
            ]
        );
        assert_eq!(
            kinds("ls -la ~/x C:\\x app/main.py README.md"),
            vec![
                ("ls", Word),
                ("-la", Flag),
                ("~/x", Path),
                ("C:\\x", Path),
                ("app/main.py", Path),
                ("README.md", Path)
            ]
        );
        assert_eq!(
            kinds("python 3.13, port 5433 i 2,5 GB"),
            vec![
                ("python", Word),
                ("3.13", Version),
                (",", Punct),
                ("port", Word),
                ("5433", Number),
                ("i", Word),
                ("2,5", Number),
                ("GB", Word)
            ]
        );
        assert_eq!(
            kinds("funkcja parse_config na gałęzi feature/login, mail ola@example.com"),
            vec![
                ("funkcja", Word),
                ("parse_config", Identifier),
                ("na", Word),
                ("gałęzi", Word),
                ("feature/login", Identifier),
                (",", Punct),
                ("mail", Word),
                ("ola@example.com", Email)
            ]
        );
    }

    #[test]
    fn quotes_and_apostrophes() {
        let tokens = tokenize("Zapisz \"baza na 5433\" w Django'a");
        assert_eq!(tokens[1].kind, TokenKind::Quoted);
        assert_eq!(tokens[1].inner(), "baza na 5433");
        assert_eq!(tokens[3].text, "Django'a");
        assert_eq!(tokens[3].kind, TokenKind::Word);
        let tokens = tokenize("napisz „cześć” i 'hej'");
        assert_eq!(tokens[1].inner(), "cześć");
        assert_eq!(tokens[3].inner(), "hej");
        // An unclosed quote is just punctuation.
        assert_eq!(kinds("\"otwarte")[0], ("\"", TokenKind::Punct));
    }

    #[test]
    fn punctuation_and_emoji_are_split() {
        let tokens = kinds("Ile mam miejsca?! 😀 (dysk)");
        assert_eq!(tokens[2], ("miejsca", TokenKind::Word));
        assert_eq!(tokens[3], ("?", TokenKind::Punct));
        assert_eq!(tokens[4], ("!", TokenKind::Punct));
        assert_eq!(tokens[5], ("😀", TokenKind::Symbol));
        assert_eq!(tokens[6], ("(", TokenKind::Punct));
        assert_eq!(tokens[7], ("dysk", TokenKind::Word));
        assert_eq!(tokens[8], (")", TokenKind::Punct));
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            " ",
            "\"",
            "`",
            "'",
            "''",
            "„",
            "-",
            "--",
            "..",
            "@",
            "a@",
            "@b.c",
            "\u{202e}abc",
            "\0\u{1}",
            "ą'ę",
            "1.",
            "v.",
            "C:",
        ] {
            let tokens = tokenize(text);
            for token in tokens {
                assert_eq!(&text[token.span.clone()], token.text);
            }
        }
    }
}
