//! Windows of lines: up to the limits, ending at a blank line when one is near the end, so a
//! paragraph or a function is rarely cut in two.

use super::{Chunk, MAX_CHUNK_CHARS, MAX_CHUNK_LINES};

/// A window ends at a blank line found in its last this many lines.
const BLANK_LOOKBACK: usize = 20;

/// `text` (whose first line is line `first_line` of its file) in windows.
pub(super) fn chunk(text: &str, first_line: usize) -> Vec<Chunk> {
    let all: Vec<&str> = text.lines().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < all.len() {
        let mut end = start;
        let mut chars = 0;
        while end < all.len() && end - start < MAX_CHUNK_LINES {
            let width = all[end].chars().count() + 1;
            if chars + width > MAX_CHUNK_CHARS && end > start {
                break;
            }
            chars += width;
            end += 1;
        }
        if end < all.len() {
            let floor = end.saturating_sub(BLANK_LOOKBACK).max(start + 1);
            if let Some(blank) = (floor..end).rev().find(|&i| all[i].trim().is_empty()) {
                end = blank + 1;
            }
        }
        let window = &all[start..end];
        let text = window.join("\n");
        if !text.trim().is_empty() {
            for part in cut_long(&text) {
                pieces.push(Chunk {
                    start_line: first_line + start,
                    end_line: first_line + end - 1,
                    text: part,
                });
            }
        }
        start = end;
    }
    pieces
}

/// `text` in parts of at most [`MAX_CHUNK_CHARS`] characters (only a single very long line
/// needs more than one).
fn cut_long(text: &str) -> Vec<String> {
    if text.chars().count() <= MAX_CHUNK_CHARS {
        return vec![text.to_owned()];
    }
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(MAX_CHUNK_CHARS)
        .map(|part| part.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_every_line_once_and_end_at_blank_lines() {
        let mut text = String::new();
        for paragraph in 0..10 {
            for line in 0..9 {
                text.push_str(&format!("akapit {paragraph} wiersz {line}\n"));
            }
            text.push('\n');
        }
        let pieces = chunk(&text, 1);
        assert!(pieces.len() >= 2);
        let mut next = 1;
        for piece in &pieces {
            assert_eq!(piece.start_line, next, "{pieces:?}");
            assert!(piece.end_line - piece.start_line < MAX_CHUNK_LINES);
            next = piece.end_line + 1;
        }
        assert_eq!(next - 1, text.lines().count());
        // Every window but the last ends with a paragraph's blank line.
        for piece in &pieces[..pieces.len() - 1] {
            assert_eq!(piece.end_line % 10, 0, "{piece:?}");
        }
    }

    #[test]
    fn one_huge_line_is_cut_not_dropped() {
        let line = "ą".repeat(MAX_CHUNK_CHARS * 2 + 5);
        let pieces = chunk(&line, 7);
        assert_eq!(pieces.len(), 3);
        assert!(pieces.iter().all(|p| p.start_line == 7 && p.end_line == 7));
        let total: usize = pieces.iter().map(|p| p.text.chars().count()).sum();
        assert_eq!(total, MAX_CHUNK_CHARS * 2 + 5);
    }
}
