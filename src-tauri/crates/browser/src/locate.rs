//! Which Chromium, Chrome or Edge DARK8 drives: the configured path, else the first known
//! executable on PATH, else the usual install locations. DARK8 never downloads a browser.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Browser executables DARK8 can drive, in order of preference.
pub const EXECUTABLES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "chrome",
    "msedge",
];

/// Well-known browser locations that are not on PATH (Windows).
#[cfg(windows)]
const INSTALL_PATHS: &[&str] = &[
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
];
#[cfg(not(windows))]
const INSTALL_PATHS: &[&str] = &[];

/// The browser to drive: `configured` when given (it must exist), else the first one found.
pub fn find(configured: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = configured {
        return path.is_file().then(|| path.to_path_buf());
    }
    EXECUTABLES
        .iter()
        .find_map(|name| which::which(name).ok())
        .or_else(|| {
            INSTALL_PATHS
                .iter()
                .map(PathBuf::from)
                .find(|path| path.is_file())
        })
}

/// What `path --version` says (e.g. `Chromium 156.0.8078.114 …`), within three seconds.
pub async fn version(path: &Path) -> Option<String> {
    let run = tokio::process::Command::new(path)
        .arg("--version")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(3), run)
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(str::to_owned)
}

/// The Polish hint for a machine without a browser.
pub fn install_hint() -> &'static str {
    "Zainstaluj Chromium (`sudo apt install chromium`) albo Chrome/Edge; inną ścieżkę podaj w [browser] path."
}
