//! Handing things to the system: a project's folder to the file manager, a web address to
//! the system browser. The webview gets these two commands and no opener permission of its
//! own: a folder must be a project DARK8 knows (or the window's workspace), an address must
//! be http or https.

use std::path::{Path, PathBuf};

use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

use crate::state::DesktopState;

type State<'a> = tauri::State<'a, DesktopState>;

/// Whether `folder` may be opened: an existing directory that is the workspace or one of the
/// `known` project directories (compared after resolving links).
pub fn folder_allowed(folder: &Path, workspace: &Path, known: &[PathBuf]) -> bool {
    let Ok(folder) = folder.canonicalize() else {
        return false;
    };
    folder.is_dir()
        && std::iter::once(workspace)
            .chain(known.iter().map(PathBuf::as_path))
            .filter_map(|p| p.canonicalize().ok())
            .any(|allowed| allowed == folder)
}

/// The web address `url` when the system browser may open it (http or https).
pub fn web_address(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

/// Opens a project's folder in the system's file manager.
#[tauri::command]
pub async fn open_folder(app: AppHandle, state: State<'_>, path: String) -> Result<(), String> {
    let known: Vec<PathBuf> = state
        .dark8
        .project_summaries()
        .await
        .map_err(|e| crate::commands::polish(&e))?
        .into_iter()
        .map(|s| PathBuf::from(s.project.path))
        .collect();
    if !folder_allowed(Path::new(&path), &state.workspace, &known) {
        return Err(format!(
            "Nie otwieram folderu {path}: to nie jest projekt znany DARK8. Podpowiedź: otwórz go z ekranu Projekty."
        ));
    }
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| format!("Nie udało się otworzyć folderu {path}: {e}. Podpowiedź: sprawdź, czy system ma menedżer plików (xdg-open)."))
}

/// Opens a web address in the system's browser.
#[tauri::command]
pub fn open_in_system_browser(app: AppHandle, url: String) -> Result<(), String> {
    let Some(url) = web_address(&url) else {
        return Err(format!(
            "Nie otwieram adresu „{url}”: tylko adresy http i https. Podpowiedź: wpisz pełny adres, np. https://docs.rs."
        ));
    };
    app.opener()
        .open_url(&url, None::<&str>)
        .map_err(|e| format!("Nie udało się otworzyć przeglądarki systemowej: {e}. Podpowiedź: ustaw domyślną przeglądarkę (xdg-settings)."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_folders_open() {
        let workspace = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let known = vec![project.path().to_path_buf()];
        assert!(folder_allowed(workspace.path(), workspace.path(), &known));
        assert!(folder_allowed(
            &project.path().join("."),
            workspace.path(),
            &known
        ));
        assert!(!folder_allowed(other.path(), workspace.path(), &known));
        assert!(!folder_allowed(
            &project.path().join("nie-ma"),
            workspace.path(),
            &known
        ));
        let file = project.path().join("a.txt");
        std::fs::write(&file, "a").unwrap();
        assert!(!folder_allowed(
            &file,
            workspace.path(),
            std::slice::from_ref(&file)
        ));
    }

    #[test]
    fn only_web_addresses_go_to_the_system_browser() {
        assert_eq!(
            web_address(" https://docs.rs/tokio "),
            Some("https://docs.rs/tokio".into())
        );
        assert!(web_address("http://127.0.0.1:8000/a").is_some());
        for refused in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "dark8://konsola",
            "docs.rs",
            "",
        ] {
            assert_eq!(web_address(refused), None, "{refused}");
        }
    }
}
