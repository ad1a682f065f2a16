//! `fs_read {path, start_line?, end_line?, max_bytes?}`: a text file or a range of its lines.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use dark8_protocol::RiskClass;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::io_error;
use super::text::{binary, human_size, looks_binary, read_text, DEFAULT_MAX_BYTES};
use crate::declare::{ToolArgs, ToolResult, TypedTool};
use crate::tool::{ToolContext, ToolError, ToolOutput};

/// Arguments of `fs_read`.
#[derive(Debug, Deserialize, JsonSchema, ToolArgs)]
#[serde(deny_unknown_fields)]
pub struct Args {
    /// Ścieżka pliku (file path)
    #[schemars(length(min = 1))]
    #[tool(path)]
    path: String,
    /// Pierwsza linia, od 1 (first line, 1-based)
    #[serde(default)]
    #[schemars(range(min = 1))]
    start_line: Option<u64>,
    /// Ostatnia linia, włącznie (last line, inclusive)
    #[serde(default)]
    #[schemars(range(min = 1))]
    end_line: Option<u64>,
    /// Limit bajtów (byte limit, default 1 MiB)
    #[serde(default)]
    #[schemars(range(min = 1, max = 67108864))]
    max_bytes: Option<u64>,
}

/// What `fs_read` read: the whole file (with its line count) or a range of lines.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
pub struct FileText {
    /// The file.
    pub path: PathBuf,
    /// Its text (or the range's).
    pub content: String,
    /// Lines in the whole file (whole-file reads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<usize>,
    /// First line read (range reads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_line: Option<u64>,
    /// Last line read (range reads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u64>,
    /// Whether the range was cut at the byte limit (range reads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
}

/// Reads a text file.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsRead;

impl TypedTool for FsRead {
    type Args = Args;
    type Output = FileText;
    const NAME: &'static str = "fs_read";
    const DESCRIPTION_PL: &'static str = "Czyta plik tekstowy (całość do limitu rozmiaru albo zakres linii); odmawia plików binarnych";
    const DESCRIPTION_EN: &'static str =
        "Reads a text file (whole up to a size limit, or a range of lines); refuses binary files";
    const RISK: RiskClass = RiskClass::Read;
    fn render(output: &FileText) -> Vec<String> {
        crate::text::lines(&output.content)
    }
    async fn run(&self, args: Args, ctx: ToolContext) -> ToolResult<FileText> {
        let path = ctx.resolve(&args.path)?;
        let max = args.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
        if args.start_line.is_none() && args.end_line.is_none() {
            let text = read_text(&path, max)?;
            let lines = text.lines().count();
            return Ok(ToolOutput {
                summary: format!(
                    "Przeczytano {} ({lines} linii, {}).",
                    args.path,
                    human_size(text.len() as u64)
                ),
                data: FileText {
                    path,
                    content: text,
                    lines: Some(lines),
                    ..FileText::default()
                },
            });
        }
        let start = args.start_line.unwrap_or(1);
        let end = args.end_line.unwrap_or(u64::MAX);
        if end < start {
            return Err(ToolError::new(
                format!("Zły zakres linii: {start}–{end}."),
                "end_line musi być nie mniejsze niż start_line.",
            ));
        }
        let file = std::fs::File::open(&path).map_err(|e| io_error("odczytać", &path, &e))?;
        let mut reader = BufReader::new(file);
        let mut content = String::new();
        let mut line = Vec::new();
        let mut number = 0u64;
        let mut truncated = false;
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| io_error("odczytać", &path, &e))?;
            if read == 0 {
                break;
            }
            number += 1;
            if looks_binary(&line) {
                return Err(binary(&path));
            }
            if number < start {
                continue;
            }
            if number > end {
                break;
            }
            let text = std::str::from_utf8(&line).map_err(|_| binary(&path))?;
            if (content.len() + text.len()) as u64 > max {
                truncated = true;
                break;
            }
            content.push_str(text);
        }
        if number < start {
            return Err(ToolError::new(
                format!("Plik {} ma tylko {number} linii.", args.path),
                "Podaj mniejszy start_line.",
            ));
        }
        let last = number.min(end);
        let cut = if truncated {
            format!(" Obcięto na limicie {}.", human_size(max))
        } else {
            String::new()
        };
        Ok(ToolOutput {
            summary: format!("Przeczytano linie {start}–{last} z {}.{cut}", args.path),
            data: FileText {
                path,
                content,
                start_line: Some(start),
                end_line: Some(last),
                truncated: Some(truncated),
                lines: None,
            },
        })
    }
}
