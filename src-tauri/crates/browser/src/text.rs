//! A page's text for a small model: the main content's blocks (headings, paragraphs, list
//! items, code, table cells) without navigation, footers, asides and hidden text, as
//! Markdown or plain text, cut into chunks; with a question, only the chunks that share the
//! most words with it (Polish folded: case and diacritics do not matter).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// About how many characters one chunk holds.
pub const CHUNK_CHARS: usize = 1200;

/// Chunks returned for a question.
pub const CHUNKS_FOR_QUESTION: usize = 3;

/// One block of the page's main content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// `h1`…`h6`, `p`, `li`, `pre`, `blockquote`, `dt`, `dd`, `table` (rows on lines,
    /// cells between ` | `), or `text`.
    pub kind: String,
    /// Its visible text.
    pub text: String,
}

/// A link of the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Link {
    /// What it says.
    pub text: String,
    /// Where it leads (absolute).
    pub href: String,
}

/// What the extraction script returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageContent {
    /// The main content's blocks in order.
    pub blocks: Vec<Block>,
    /// The visible links of the main content.
    pub links: Vec<Link>,
    /// The tables: rows of cell texts.
    pub tables: Vec<Vec<Vec<String>>>,
}

/// The script that returns a [`PageContent`] as JSON.
pub const SCRIPT: &str = r#"(() => {
  const skip = 'nav, footer, aside, header, script, style, noscript, template, [aria-hidden="true"], [hidden]';
  const clean = (t) => (t || '').replace(/[ \t\u00a0]+/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  const visible = (el) => {
    if (el.closest(skip)) return false;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const root = document.querySelector('main, article, [role=main]') || document.body;
  if (!root) return { blocks: [], links: [], tables: [] };
  const kinds = 'h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, dt, dd, table';
  const blocks = [];
  for (const el of root.querySelectorAll(kinds)) {
    if (!visible(el)) continue;
    const parent = el.parentElement && el.parentElement.closest(kinds);
    if (parent && root.contains(parent)) continue;
    const text = el.tagName === 'PRE' ? (el.innerText || '').trimEnd()
      : el.tagName === 'TABLE'
        ? [...el.rows].slice(0, 100).map((r) => [...r.cells].map((c) => clean(c.innerText)).join(' | ')).join('\n')
        : clean(el.innerText);
    if (text) blocks.push({ kind: el.tagName.toLowerCase(), text });
  }
  if (blocks.length === 0) {
    for (const line of clean(root.innerText).split('\n')) {
      if (line.trim()) blocks.push({ kind: 'text', text: line.trim() });
    }
  }
  const links = [...root.querySelectorAll('a[href]')].filter(visible).slice(0, 200)
    .map((a) => ({ text: clean(a.innerText).slice(0, 120), href: a.href }))
    .filter((l) => l.href.startsWith('http'));
  const tables = [...root.querySelectorAll('table')].filter(visible).slice(0, 10)
    .map((t) => [...t.rows].slice(0, 100).map((r) => [...r.cells].map((c) => clean(c.innerText))));
  return { blocks, links, tables };
})()"#;

/// One block as Markdown.
fn markdown_of(block: &Block) -> String {
    match block.kind.as_str() {
        "h1" => format!("# {}", block.text),
        "h2" => format!("## {}", block.text),
        "h3" => format!("### {}", block.text),
        "h4" | "h5" | "h6" => format!("#### {}", block.text),
        "li" | "dd" => format!("- {}", block.text),
        "pre" => format!("```\n{}\n```", block.text),
        "blockquote" => format!("> {}", block.text),
        "table" => block
            .text
            .lines()
            .enumerate()
            .map(|(i, row)| {
                let cells = row.split(" | ").count();
                let line = format!("| {row} |");
                if i == 0 {
                    format!("{line}\n|{}", " --- |".repeat(cells))
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => block.text.clone(),
    }
}

/// The blocks as text, Markdown or plain, one paragraph each.
pub fn render(blocks: &[Block], markdown: bool) -> Vec<String> {
    blocks
        .iter()
        .map(|b| {
            if markdown {
                markdown_of(b)
            } else {
                b.text.clone()
            }
        })
        .collect()
}

/// Paragraphs joined into chunks of about [`CHUNK_CHARS`] characters (a longer paragraph is
/// a chunk of its own).
pub fn chunks(paragraphs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for paragraph in paragraphs {
        if !current.is_empty() && current.chars().count() + paragraph.chars().count() > CHUNK_CHARS
        {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(paragraph);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The folded words of `text` that carry meaning (three letters or more).
fn words(text: &str) -> Vec<String> {
    dark8_nlp::normalize::fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_owned)
        .collect()
}

/// The indexes of the chunks that best answer `question`, in document order: the
/// [`CHUNKS_FOR_QUESTION`] with the most of its words (a shared word prefix of five letters
/// counts, so Polish inflection does not hide a match); none when no chunk shares a word.
pub fn relevant(chunks: &[String], question: &str) -> Vec<usize> {
    let asked = words(question);
    let stem = |w: &str| w.chars().take(5).collect::<String>();
    let asked: Vec<String> = asked.iter().map(|w| stem(w)).collect();
    let mut scored: Vec<(usize, usize)> = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let found: std::collections::BTreeSet<String> =
                words(chunk).iter().map(|w| stem(w)).collect();
            (i, asked.iter().filter(|w| found.contains(*w)).count())
        })
        .filter(|(_, score)| *score > 0)
        .collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut best: Vec<usize> = scored
        .into_iter()
        .take(CHUNKS_FOR_QUESTION)
        .map(|(i, _)| i)
        .collect();
    best.sort_unstable();
    best
}

/// An extractive summary: the first sentences of the content up to about `chars` characters.
pub fn summary(paragraphs: &[String], chars: usize) -> String {
    let mut out = String::new();
    for paragraph in paragraphs.iter().filter(|p| !p.starts_with('#')) {
        for sentence in paragraph.split_inclusive(['.', '!', '?']) {
            let sentence = sentence.trim();
            if sentence.is_empty() {
                continue;
            }
            if !out.is_empty() && out.chars().count() + sentence.chars().count() > chars {
                return out;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(sentence);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(kind: &str, text: &str) -> Block {
        Block {
            kind: kind.to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn markdown_chunks_and_the_chunks_a_question_needs() {
        let blocks = vec![
            block("h1", "Cennik"),
            block("p", "Plan podstawowy kosztuje 20 zł miesięcznie."),
            block("li", "Wsparcie e-mailem"),
        ];
        assert_eq!(
            render(&blocks, true),
            [
                "# Cennik",
                "Plan podstawowy kosztuje 20 zł miesięcznie.",
                "- Wsparcie e-mailem"
            ]
        );
        let long: Vec<String> = (0..10)
            .map(|i| format!("{i} {}", "słowo ".repeat(40)))
            .collect();
        let pieces = chunks(&long);
        assert!(
            pieces.len() > 1
                && pieces
                    .iter()
                    .all(|c| c.chars().count() <= CHUNK_CHARS + 300)
        );
        let text = vec![
            "Pogoda w Krakowie jest dziś słoneczna.".to_owned(),
            "Ceny biletów komunikacji miejskiej wzrosły.".to_owned(),
        ];
        assert_eq!(relevant(&text, "Ile kosztują bilety?"), [1]);
        assert!(relevant(&text, "xyz").is_empty());
        assert_eq!(summary(&text, 45), "Pogoda w Krakowie jest dziś słoneczna.");
    }
}
