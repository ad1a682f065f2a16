//! Source code by its syntax (tree-sitter): a piece per top-level item, small neighbours
//! (comments, attributes, imports) kept with the item they precede; an item over the limits
//! is split at the items of its body (an `impl`'s methods, a class's functions), and what is
//! still too long goes in windows. Pieces cover the file's lines in order.

use tree_sitter::{Node, Parser};

use super::{lines, piece, Chunk, MAX_CHUNK_CHARS, MAX_CHUNK_LINES};

/// The parsers there are.
#[derive(Debug, Clone, Copy)]
pub(super) enum Grammar {
    Rust,
    Python,
    JavaScript,
}

/// `text` by its syntax, or `None` when the parser cannot read it at all.
pub(super) fn chunk(grammar: Grammar, text: &str) -> Option<Vec<Chunk>> {
    let language: tree_sitter::Language = match grammar {
        Grammar::Rust => tree_sitter_rust::LANGUAGE.into(),
        Grammar::Python => tree_sitter_python::LANGUAGE.into(),
        Grammar::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
    };
    let mut parser = Parser::new();
    parser.set_language(&language).ok()?;
    let tree = parser.parse(text, None)?;
    let all: Vec<&str> = text.lines().collect();
    if all.is_empty() {
        return Some(Vec::new());
    }
    let mut starts = vec![0];
    split(tree.root_node(), &all, &mut starts, false);
    starts.sort_unstable();
    starts.dedup();
    let mut pieces = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(all.len());
        if start >= end {
            continue;
        }
        let last = last_non_blank(&all, start, end);
        if lines_fit(&all, start, last + 1) {
            pieces.extend(piece(&all, start + 1, last + 1));
        } else {
            pieces.extend(lines::chunk(&all[start..=last].join("\n"), start + 1));
        }
    }
    Some(pieces)
}

/// Adds to `starts` the rows (0-based) where pieces inside `node` begin. One-line neighbours
/// (comments, attributes, imports) right above an item, with no blank line between, go with
/// it. With `keep_first`, the first group stays with what precedes it (the item's header).
fn split(node: Node<'_>, all: &[&str], starts: &mut Vec<usize>, keep_first: bool) {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
    let mut group_start: Option<usize> = None;
    let mut group_has_item = false;
    let mut chain_start: Option<usize> = None;
    let mut previous_end: Option<usize> = None;
    let begin = |row: usize, group_start: &mut Option<usize>, starts: &mut Vec<usize>| {
        if group_start.is_some() || !keep_first {
            starts.push(row);
        }
        *group_start = Some(row);
    };
    for child in children {
        let (first, last) = rows_of(child);
        let blank_before = previous_end.is_some_and(|end| first > end + 1);
        let too_big = group_start.is_some_and(|start| !lines_fit(all, start, last + 1));
        if last > first {
            let attach = if blank_before {
                first
            } else {
                chain_start.unwrap_or(first)
            };
            let separate = match group_start {
                None => true,
                Some(start) => group_has_item || attach > start || too_big,
            };
            if separate {
                begin(attach, &mut group_start, starts);
            }
            group_has_item = true;
            chain_start = None;
            if !lines_fit(all, first, last + 1) {
                if let Some(body) = body_of(child) {
                    split(body, all, starts, true);
                    // What follows the item starts afresh.
                    starts.push(last + 1);
                    group_start = None;
                    group_has_item = false;
                }
            }
        } else {
            if group_start.is_none() || (group_has_item && blank_before) || too_big {
                begin(first, &mut group_start, starts);
                group_has_item = false;
            }
            if blank_before || chain_start.is_none() {
                chain_start = Some(first);
            }
        }
        previous_end = Some(last);
    }
}

/// The first and last row `node` has text on (a line comment's node ends at column 0 of
/// the next row: that row is not its).
fn rows_of(node: Node<'_>) -> (usize, usize) {
    let (start, end) = (node.start_position(), node.end_position());
    let last = if end.column == 0 && end.row > start.row {
        end.row - 1
    } else {
        end.row
    };
    (start.row, last)
}

/// The child of `node` that holds its items: the one with the most named children.
fn body_of(node: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = node.walk();
    let best = node
        .named_children(&mut cursor)
        .max_by_key(|child| child.named_child_count())?;
    (best.named_child_count() > 1).then_some(best)
}

/// Whether rows `start..end` fit in one piece.
fn lines_fit(all: &[&str], start: usize, end: usize) -> bool {
    let end = end.min(all.len());
    if end.saturating_sub(start) > MAX_CHUNK_LINES {
        return false;
    }
    let chars: usize = all[start.min(end)..end]
        .iter()
        .map(|line| line.chars().count() + 1)
        .sum();
    chars <= MAX_CHUNK_CHARS
}

/// The last row of `start..end` with text on it (`start` when all are blank).
fn last_non_blank(all: &[&str], start: usize, end: usize) -> usize {
    (start..end)
        .rev()
        .find(|&row| !all[row].trim().is_empty())
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: &str = r#"import os
from django.contrib.auth import login

# Widok logowania klienta
def login_view(request):
    form = LoginForm(request.POST or None)
    if form.is_valid():
        login(request, form.get_user())
    return render(request, "login.html")


def logout_view(request):
    logout(request)
    return redirect("home")
"#;

    #[test]
    fn python_functions_are_pieces_with_their_comments() {
        let pieces = chunk(Grammar::Python, SHOP).unwrap();
        let ranges: Vec<(usize, usize)> =
            pieces.iter().map(|p| (p.start_line, p.end_line)).collect();
        assert_eq!(ranges, [(1, 2), (4, 9), (12, 14)], "{pieces:#?}");
        assert!(pieces[1].text.starts_with("# Widok logowania"));
    }

    #[test]
    fn a_big_rust_impl_is_split_at_its_methods_keeping_its_header() {
        let mut text = String::from("use std::fmt;\n\nimpl Sklep {\n");
        for method in 0..6 {
            text.push_str(&format!(
                "    /// Metoda {method}\n    fn metoda_{method}(&self) -> u32 {{\n"
            ));
            for line in 0..12 {
                text.push_str(&format!("        let x{line} = {line};\n"));
            }
            text.push_str("        0\n    }\n\n");
        }
        text.push_str("}\n\nfn main() {}\n");
        let pieces = chunk(Grammar::Rust, &text).unwrap();
        assert!(pieces.len() >= 4, "{pieces:#?}");
        let header = pieces
            .iter()
            .find(|p| p.text.contains("impl Sklep"))
            .unwrap();
        assert!(header.text.contains("fn metoda_0"), "{header:?}");
        assert!(pieces
            .iter()
            .all(|p| p.end_line - p.start_line < MAX_CHUNK_LINES));
        assert!(pieces.last().unwrap().text.contains("fn main"));
        // In order, never overlapping.
        for pair in pieces.windows(2) {
            assert!(pair[0].end_line < pair[1].start_line, "{pair:?}");
        }
    }

    #[test]
    fn javascript_declarations_are_pieces() {
        let text = "const a = 1;\n\nfunction zaloguj(email) {\n  return fetch('/api/login');\n}\n\nclass Koszyk {\n  dodaj(p) {\n    this.p = p;\n  }\n}\n";
        let pieces = chunk(Grammar::JavaScript, text).unwrap();
        let starts: Vec<usize> = pieces.iter().map(|p| p.start_line).collect();
        assert_eq!(starts, [1, 3, 7], "{pieces:#?}");
    }
}
