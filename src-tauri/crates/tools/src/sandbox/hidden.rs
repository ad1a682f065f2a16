//! The user's secret stores: a sandboxed program may neither read nor write them.

use std::path::PathBuf;

/// Secret stores relative to the home directory.
const IN_HOME: &[&str] = &[
    ".ssh",
    ".gnupg",
    ".aws",
    ".azure",
    ".kube",
    ".docker",
    ".netrc",
    ".git-credentials",
    ".password-store",
    ".pki",
    ".local/share/keyrings",
    ".config/gh",
    ".config/hub",
    ".config/gcloud",
    ".config/chromium",
    ".config/google-chrome",
    ".config/BraveSoftware",
    ".config/microsoft-edge",
    ".mozilla",
    ".thunderbird",
];

/// The built-in secret stores under the current user's home (`HOME`, or `USERPROFILE` on
/// Windows).
pub fn secret_stores() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    match home {
        Some(home) => secret_stores_in(&home),
        None => Vec::new(),
    }
}

/// The built-in secret stores under `home`.
pub fn secret_stores_in(home: &std::path::Path) -> Vec<PathBuf> {
    IN_HOME.iter().map(|p| home.join(p)).collect()
}
