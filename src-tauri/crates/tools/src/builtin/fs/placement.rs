//! Where a copied or moved file lands: a destination that is an existing directory takes it
//! under its own name, any other destination is the new name.

use std::path::{Path, PathBuf};

use crate::tool::ToolError;

/// The resolved place of a copy or move.
#[derive(Debug)]
pub struct Target {
    /// The path the file or directory will have.
    pub path: PathBuf,
    /// Whether something is there already.
    pub exists: bool,
}

/// Checks the source and works out the target of copying or moving `from` to `destination`
/// (`source_text` and `destination_text` as the user wrote them, for the messages).
pub fn target_of(
    from: &Path,
    source_text: &str,
    destination: &Path,
    destination_text: &str,
) -> Result<Target, ToolError> {
    if !from.exists() {
        return Err(ToolError::new(
            format!("Nie ma pliku ani katalogu {source_text}."),
            "Sprawdź nazwę: `dark8 tools call fs_list`.",
        ));
    }
    let path = if destination.is_dir() {
        match from.file_name() {
            Some(name) => destination.join(name),
            None => destination.to_path_buf(),
        }
    } else {
        destination.to_path_buf()
    };
    if path == from {
        return Err(ToolError::new(
            format!("{source_text} już jest w {destination_text}."),
            "Podaj inne miejsce albo inną nazwę.",
        ));
    }
    if from.is_dir() && path.starts_with(from) {
        return Err(ToolError::new(
            format!("Nie umieszczę katalogu {source_text} w nim samym."),
            "Podaj miejsce poza tym katalogiem.",
        ));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(ToolError::new(
                format!("Nie ma katalogu {}.", parent.display()),
                "Najpierw go utwórz (`Utwórz katalog …`) albo podaj istniejący.",
            ));
        }
    }
    let exists = path.exists();
    Ok(Target { path, exists })
}
