//! How a tool's result reads at the terminal: the part of its data a person wants to see
//! (a file's content, a listing, hits, a diff), before the one-line summary.

use serde_json::Value;

/// The lines to print on stdout for `tool`'s result data (nothing for tools whose output was
/// already streamed as progress, such as `shell_run`).
pub fn human_lines(tool: &str, data: &Value) -> Vec<String> {
    match tool {
        "fs_read" => text(data, "content"),
        "fs_diff" | "fs_rename_symbol" | "git_diff" => text(data, "diff"),
        "fs_list" => list(data),
        "fs_search" => hits(data),
        "http_request" => text(data, "body"),
        "process_logs" => text(data, "output"),
        "code_analyze" => text(data, "report").into_iter().skip(1).collect(),
        "db_query" => table(data),
        "db_tables" => tables(data),
        "git_log" => commits(data),
        "process_list" => processes(data),
        "memory_search" => recollections(data),
        "ws_exchange" => data["replies"]
            .as_array()
            .map(|r| {
                r.iter()
                    .filter_map(|m| m["data"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn recollections(data: &Value) -> Vec<String> {
    data["results"]
        .as_array()
        .map(|found| {
            found
                .iter()
                .map(|r| {
                    let when = r["when"].as_str().unwrap_or_default();
                    let when = when.get(..16).unwrap_or(when).replace('T', " ");
                    format!("  • {when}  {}", r["text"].as_str().unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default()
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Columns padded to their widest cell, a rule under the header.
fn table(data: &Value) -> Vec<String> {
    let columns: Vec<String> = data["columns"]
        .as_array()
        .map(|c| c.iter().map(cell).collect())
        .unwrap_or_default();
    if columns.is_empty() {
        return Vec::new();
    }
    let rows: Vec<Vec<String>> = data["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r.as_array()
                        .map(|c| c.iter().map(cell).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .chain(std::iter::once(&columns[i]))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
                .min(60)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| crate::output::pad(&crate::output::shorten(c, *w), *w))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let mut out = vec![line(&columns)];
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

fn tables(data: &Value) -> Vec<String> {
    data["tables"]
        .as_array()
        .map(|tables| {
            tables
                .iter()
                .map(|t| {
                    let columns: Vec<String> = t["columns"]
                        .as_array()
                        .map(|c| {
                            c.iter()
                                .map(|c| format!("{} {}", cell(&c["name"]), cell(&c["type"])))
                                .collect()
                        })
                        .unwrap_or_default();
                    format!("{} ({})", cell(&t["name"]), columns.join(", "))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn commits(data: &Value) -> Vec<String> {
    data["commits"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| {
                    format!(
                        "{}  {}  {}  {}",
                        c["hash"].as_str().unwrap_or("").get(..8).unwrap_or(""),
                        c["date"].as_str().unwrap_or("").get(..10).unwrap_or(""),
                        c["author"].as_str().unwrap_or(""),
                        c["subject"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn processes(data: &Value) -> Vec<String> {
    let mut out = vec![format!(
        "{:>8}  {:>6}  {:>10}  NAZWA",
        "PID", "CPU%", "PAMIĘĆ"
    )];
    if let Some(list) = data["processes"].as_array() {
        out.extend(list.iter().map(|p| {
            format!(
                "{:>8}  {:>6.1}  {:>10}  {}",
                p["pid"].as_u64().unwrap_or(0),
                p["cpu_percent"].as_f64().unwrap_or(0.0),
                format!(
                    "{} MiB",
                    p["memory_bytes"].as_u64().unwrap_or(0) / (1024 * 1024)
                ),
                p["name"].as_str().unwrap_or("")
            )
        }));
    }
    out
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
