//! Markdown by sections: each heading starts a piece (a fenced code block's `#` lines are
//! not headings); a section over the limits is split in windows.

use super::{lines, Chunk};

/// `text` by its sections, or `None` when it has no heading (windows then).
pub(super) fn chunk(text: &str) -> Option<Vec<Chunk>> {
    let all: Vec<&str> = text.lines().collect();
    let mut starts = Vec::new();
    let mut fenced = false;
    for (i, line) in all.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced && trimmed.starts_with('#') {
            starts.push(i);
        }
    }
    if starts.is_empty() {
        return None;
    }
    if starts[0] != 0 {
        starts.insert(0, 0);
    }
    let mut pieces = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(all.len());
        let section = all[start..end].join("\n");
        if section.trim().is_empty() {
            continue;
        }
        pieces.extend(lines::chunk(&section, start + 1));
    }
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_heading_starts_a_piece_but_not_inside_code() {
        let text = "Wstęp\n\n# Instalacja\npip install sklep\n```sh\n# komentarz\nmake\n```\n## Logowanie\nKonto Google albo hasło.\n";
        let pieces = chunk(text).unwrap();
        let starts: Vec<usize> = pieces.iter().map(|p| p.start_line).collect();
        assert_eq!(starts, [1, 3, 9]);
        assert!(pieces[1].text.contains("# komentarz"));
        assert_eq!(pieces[2].end_line, 10);
        assert!(chunk("bez nagłówków\n").is_none());
    }
}
