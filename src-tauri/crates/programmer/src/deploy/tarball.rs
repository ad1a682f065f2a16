//! A release tarball of the project's tracked files (or, outside git, every file .gitignore
//! does not exclude), with a `sha256sum`-format checksum file beside it.

use super::Details;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use dark8_tools::{ToolContext, ToolError};
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};

use super::Report;

fn io(what: &str, path: &Path, err: &std::io::Error) -> ToolError {
    ToolError::new(
        format!("Nie można {what} {}: {err}.", path.display()),
        "Sprawdź miejsce na dysku i uprawnienia katalogu projektu.",
    )
}

/// The files to package, relative to `dir`: everything .gitignore does not exclude, never
/// `dist/`, `.git/`, virtual environments or build output.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !matches!(
                name.as_ref(),
                ".git" | "dist" | ".venv" | "node_modules" | "target" | "__pycache__"
            )
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// Writes `dist/<name>-<version>.tar.gz` (entries under `<name>-<version>/`) and its `.sha256`.
pub(crate) fn prepare(
    ctx: &ToolContext,
    dir: &Path,
    name: &str,
    version: &str,
) -> Result<Report, ToolError> {
    let stem = format!("{name}-{version}");
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| io("utworzyć", &dist, &e))?;
    let archive_path = dist.join(format!("{stem}.tar.gz"));
    let partial = dist.join(format!(".{stem}.tar.gz.part"));
    let list = files(dir);
    (ctx.progress)(
        format!("Pakuję {} plików do dist/{stem}.tar.gz", list.len()),
        Some(0.3),
    );
    {
        let file = File::create(&partial).map_err(|e| io("utworzyć", &partial, &e))?;
        let mut builder = tar::Builder::new(GzEncoder::new(file, Compression::default()));
        builder.mode(tar::HeaderMode::Deterministic);
        for relative in &list {
            builder
                .append_path_with_name(dir.join(relative), Path::new(&stem).join(relative))
                .map_err(|e| io("spakować", relative, &e))?;
        }
        let encoder = builder
            .into_inner()
            .map_err(|e| io("zamknąć", &partial, &e))?;
        let file = encoder.finish().map_err(|e| io("zamknąć", &partial, &e))?;
        file.sync_all().map_err(|e| io("zapisać", &partial, &e))?;
    }
    std::fs::rename(&partial, &archive_path).map_err(|e| io("zapisać", &archive_path, &e))?;
    let mut hasher = Sha256::new();
    let mut file = File::open(&archive_path).map_err(|e| io("odczytać", &archive_path, &e))?;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|e| io("odczytać", &archive_path, &e))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    let digest = hex::encode(hasher.finalize());
    let sum_path = dist.join(format!("{stem}.tar.gz.sha256"));
    let mut sum = File::create(&sum_path).map_err(|e| io("utworzyć", &sum_path, &e))?;
    writeln!(sum, "{digest}  {stem}.tar.gz").map_err(|e| io("zapisać", &sum_path, &e))?;
    let size = std::fs::metadata(&archive_path)
        .map(|m| m.len())
        .unwrap_or(0);
    Ok(Report {
        summary: format!(
            "Archiwum dist/{stem}.tar.gz ({} plików, {size} B) i suma dist/{stem}.tar.gz.sha256 (sprawdzenie: `sha256sum -c`).",
            list.len()
        ),
        files: vec![format!("dist/{stem}.tar.gz"), format!("dist/{stem}.tar.gz.sha256")],
        notes: Vec::new(),
        details: Some(Details::Tarball {
            sha256: digest,
            entries: list.len(),
            bytes: size,
        }),
    })
}
