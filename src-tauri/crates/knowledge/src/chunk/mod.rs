//! Splitting a project's files into pieces worth finding on their own: by syntax where a
//! parser is there (top-level items, and the items inside one too big to keep whole), by
//! headings for Markdown, by blank-line-aligned windows for everything else. Every piece
//! knows its lines, so a search can answer "which file, which lines".

mod lines;
mod markdown;
mod syntax;

use std::path::Path;

/// The most lines one piece holds.
pub const MAX_CHUNK_LINES: usize = 60;

/// The most characters one piece holds (the e5 model reads 512 pieces of words; code runs
/// about four characters to a piece).
pub const MAX_CHUNK_CHARS: usize = 2400;

/// One piece of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Its first line, counted from 1.
    pub start_line: usize,
    /// Its last line, counted from 1 (inclusive).
    pub end_line: usize,
    /// Its text, exactly as in the file.
    pub text: String,
}

/// How a file is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Rust, by its items (tree-sitter-rust).
    Rust,
    /// Python, by its definitions (tree-sitter-python).
    Python,
    /// JavaScript and JSX, by its declarations (tree-sitter-javascript).
    JavaScript,
    /// Markdown, by headings.
    Markdown,
    /// Any other text, by windows of lines.
    Text,
}

/// Extensions of text files worth indexing that no parser here reads.
const PLAIN_EXTENSIONS: &[&str] = &[
    "txt", "rst", "toml", "yaml", "yml", "json", "ini", "cfg", "conf", "sql", "sh", "bash", "html",
    "htm", "css", "scss", "ts", "tsx", "go", "java", "kt", "c", "h", "cpp", "hpp", "cs", "php",
    "rb", "swift", "vue", "svelte", "dart", "lua", "tf", "proto", "graphql", "env",
];

/// How `path` is split, or `None` for a file not worth indexing (binaries, archives, media,
/// lock files, unknown extensions).
pub fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".lock") || name == "package-lock.json" || name.ends_with(".min.js") {
        return None;
    }
    if matches!(name, "Dockerfile" | "Makefile" | "Justfile" | "Procfile") {
        return Some(FileKind::Text);
    }
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "rs" => FileKind::Rust,
        "py" | "pyi" => FileKind::Python,
        "js" | "jsx" | "mjs" | "cjs" => FileKind::JavaScript,
        "md" | "markdown" => FileKind::Markdown,
        other if PLAIN_EXTENSIONS.contains(&other) => FileKind::Text,
        _ => return None,
    })
}

/// `text` split as `kind` files are; pieces in file order, none empty, none over the limits
/// (a single line longer than [`MAX_CHUNK_CHARS`] is cut at a character boundary).
pub fn chunk(kind: FileKind, text: &str) -> Vec<Chunk> {
    let pieces = match kind {
        FileKind::Rust => syntax::chunk(syntax::Grammar::Rust, text),
        FileKind::Python => syntax::chunk(syntax::Grammar::Python, text),
        FileKind::JavaScript => syntax::chunk(syntax::Grammar::JavaScript, text),
        FileKind::Markdown => markdown::chunk(text),
        FileKind::Text => None,
    };
    pieces.unwrap_or_else(|| lines::chunk(text, 1))
}

/// The lines `first..=last` (1-based) of `all` as one piece, or `None` when they are blank.
fn piece(all: &[&str], first: usize, last: usize) -> Option<Chunk> {
    let text = all.get(first - 1..last)?.join("\n");
    if text.trim().is_empty() {
        return None;
    }
    Some(Chunk {
        start_line: first,
        end_line: last,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_apart_by_name() {
        assert_eq!(kind_of(Path::new("src/main.rs")), Some(FileKind::Rust));
        assert_eq!(kind_of(Path::new("sklep/views.py")), Some(FileKind::Python));
        assert_eq!(kind_of(Path::new("ui/app.jsx")), Some(FileKind::JavaScript));
        assert_eq!(kind_of(Path::new("README.md")), Some(FileKind::Markdown));
        assert_eq!(
            kind_of(Path::new("deploy/Dockerfile")),
            Some(FileKind::Text)
        );
        assert_eq!(kind_of(Path::new("Cargo.lock")), None);
        assert_eq!(kind_of(Path::new("logo.png")), None);
        assert_eq!(kind_of(Path::new("dist/app.min.js")), None);
    }
}
