//! Reading files as text: size limits and binary detection shared by the file tools.

use std::io::Read;
use std::path::Path;

use crate::tool::ToolError;

/// Largest file a tool reads whole by default.
pub const DEFAULT_MAX_BYTES: u64 = 1024 * 1024;

/// How much of a file's start decides whether it is binary.
const SNIFF_BYTES: usize = 8192;

/// True when `bytes` look binary (a NUL byte in the first 8 KiB).
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(SNIFF_BYTES).any(|&b| b == 0)
}

/// The whole file as UTF-8 text, refusing files over `max_bytes` and binary files.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, ToolError> {
    let meta = std::fs::metadata(path).map_err(|e| super::io_error("odczytać", path, &e))?;
    if meta.is_dir() {
        return Err(ToolError::new(
            format!("{} to katalog, nie plik.", path.display()),
            "Użyj fs_list, aby zobaczyć jego zawartość.",
        ));
    }
    if meta.len() > max_bytes {
        return Err(ToolError::new(
            format!(
                "Plik {} ma {}, więcej niż limit {}.",
                path.display(),
                human_size(meta.len()),
                human_size(max_bytes)
            ),
            "Podaj zakres linii (start_line, end_line) albo większy max_bytes.",
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| super::io_error("odczytać", path, &e))?;
    text_of(path, bytes)
}

/// `bytes` as UTF-8 text, or a Polish error for binary or non-UTF-8 content.
pub fn text_of(path: &Path, bytes: Vec<u8>) -> Result<String, ToolError> {
    if looks_binary(&bytes) {
        return Err(binary(path));
    }
    String::from_utf8(bytes).map_err(|_| {
        ToolError::new(
            format!("Plik {} nie jest tekstem UTF-8.", path.display()),
            "Przekonwertuj go (np. `iconv -f cp1250 -t utf-8`) albo otwórz w programie do tego typu plików.",
        )
    })
}

/// The error for a binary file.
pub fn binary(path: &Path) -> ToolError {
    ToolError::new(
        format!(
            "Plik {} jest binarny; nie pokażę go jako tekstu.",
            path.display()
        ),
        "Otwórz go w programie do tego typu plików.",
    )
}

/// Bytes as B / KiB / MiB / GiB.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
