//! How a tool's result reads at the terminal: the part of its data a person wants to see
//! (a file's content, a listing, hits, a diff), before the one-line summary.

use serde_json::Value;

/// The lines to print on stdout for `tool`'s result data (nothing for tools whose output was
/// already streamed as progress, such as `shell_run`).
pub fn human_lines(tool: &str, data: &Value) -> Vec<String> {
    match tool {
        "fs_read" => text(data, "content"),
        "fs_diff" | "fs_rename_symbol" => text(data, "diff"),
        "fs_list" => list(data),
        "fs_search" => hits(data),
        _ => Vec::new(),
    }
}

fn text(data: &Value, key: &str) -> Vec<String> {
    data.get(key)
        .and_then(Value::as_str)
        .map(|t| t.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn list(data: &Value) -> Vec<String> {
    let Some(entries) = data.get("entries").and_then(Value::as_array) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|e| {
            let kind = match e["kind"].as_str() {
                Some("dir") => "katalog",
                Some("symlink") => "dowiązanie",
                _ => "plik",
            };
            let size = e["size"].as_u64().unwrap_or(0);
            let modified = e["modified"].as_str().unwrap_or("");
            let name = e["path"].as_str().unwrap_or("");
            format!("{kind:<10} {size:>12}  {modified:<20}  {name}")
        })
        .collect()
}

fn hits(data: &Value) -> Vec<String> {
    let Some(hits) = data.get("hits").and_then(Value::as_array) else {
        return Vec::new();
    };
    hits.iter()
        .map(|h| {
            format!(
                "{}:{}: {}",
                h["path"].as_str().unwrap_or(""),
                h["line"].as_u64().unwrap_or(0),
                h["text"].as_str().unwrap_or("")
            )
        })
        .collect()
}
