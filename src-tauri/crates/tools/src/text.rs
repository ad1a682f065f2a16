//! Plain-text layout for what tools show a person at a terminal: padding, shortening, tables.

/// `text` padded with spaces to `width` characters (longer text is left as it is).
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        text.to_owned()
    } else {
        format!("{text}{}", " ".repeat(width - len))
    }
}

/// Shortens `text` to at most `max` characters on one line, marking the cut with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    let single_line = text.replace(['\n', '\r'], " ");
    if single_line.chars().count() <= max {
        single_line
    } else {
        let kept: String = single_line.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// The lines of `text`, owned (a file's content, a diff, a body, a log).
pub fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// Widest a table column gets; longer cells are shortened.
const MAX_COLUMN_WIDTH: usize = 60;

/// Columns padded to their widest cell (at most 60 characters), a rule under the header;
/// nothing when there are no columns.
pub fn table(columns: &[String], rows: &[Vec<String>]) -> Vec<String> {
    if columns.is_empty() {
        return Vec::new();
    }
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, header)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(header))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
                .min(MAX_COLUMN_WIDTH)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| pad(&shorten(c, *w), *w))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let mut out = vec![line(columns)];
    out.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    );
    out.extend(rows.iter().map(|r| line(r)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_line_up_by_characters_not_bytes() {
        let lines = table(
            &["id".to_owned(), "nazwa".to_owned()],
            &[vec!["1".to_owned(), "żółw".to_owned()]],
        );
        assert_eq!(lines, ["id | nazwa", "---+------", "1  | żółw "]);
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert!(table(&[], &[]).is_empty());
    }
}
