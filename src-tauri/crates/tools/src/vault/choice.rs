//! What `backend = "auto"` means on this machine, decided at first use and remembered in
//! `vault-backend` beside the vault, so every later process (the desktop, the daemon, a shell
//! over SSH) keeps its secrets and DARK8's own keys in the same place instead of quietly
//! starting an empty vault where the first one is out of reach.
//!
//! The first decision: a vault file that already exists stays (its secrets are never
//! stranded); Windows and macOS use their keychain; on Linux the desktop's Secret Service when
//! its default collection answers unlocked, else the encrypted file.

use std::io::Write;
use std::path::Path;

use super::desktop_keychain::{self, DesktopKeychain};
use super::{Backend, VaultError, VaultFiles};

/// Where secrets (and DARK8's own keys) are kept, once `auto` is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretHome {
    /// The OS keychain (on Linux the desktop's Secret Service).
    Keychain,
    /// The encrypted file.
    File,
}

impl SecretHome {
    fn as_str(self) -> &'static str {
        match self {
            SecretHome::Keychain => "keychain",
            SecretHome::File => "file",
        }
    }
}

/// Why the vault lives where it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceReason {
    /// `[vault] backend` names it.
    Configured,
    /// `auto` decided it at first use (`vault-backend`).
    Remembered,
    /// A vault file exists already.
    ExistingFile,
    /// The platform's keychain (Windows, macOS).
    PlatformKeychain,
    /// What the desktop's Secret Service said (ready: keychain; otherwise: file).
    DesktopKeychain(DesktopKeychain),
}

/// Where the vault lives and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendChoice {
    /// Where.
    pub home: SecretHome,
    /// Why.
    pub why: ChoiceReason,
}

/// Where the vault lives for `backend`, without deciding anything for good (for reports).
pub fn choose_backend(backend: Backend, files: &VaultFiles) -> BackendChoice {
    let choice = |home, why| BackendChoice { home, why };
    match backend {
        Backend::Keychain => return choice(SecretHome::Keychain, ChoiceReason::Configured),
        Backend::File => return choice(SecretHome::File, ChoiceReason::Configured),
        Backend::Auto => {}
    }
    if let Some(home) = remembered(&files.choice) {
        return choice(home, ChoiceReason::Remembered);
    }
    if files.file.exists() {
        return choice(SecretHome::File, ChoiceReason::ExistingFile);
    }
    if cfg!(any(windows, target_os = "macos")) {
        return choice(SecretHome::Keychain, ChoiceReason::PlatformKeychain);
    }
    let desktop = desktop_keychain::probe(desktop_keychain::PROBE_TIMEOUT);
    let home = if desktop.is_ready() {
        SecretHome::Keychain
    } else {
        SecretHome::File
    };
    choice(home, ChoiceReason::DesktopKeychain(desktop))
}

/// Where the vault lives for `backend`; an `auto` decided now is remembered.
pub fn resolve_backend(backend: Backend, files: &VaultFiles) -> Result<SecretHome, VaultError> {
    let choice = choose_backend(backend, files);
    if backend == Backend::Auto && choice.why != ChoiceReason::Remembered {
        remember(&files.choice, choice.home)?;
        tracing::info!(home = choice.home.as_str(), reason = ?choice.why, "vault backend decided");
    }
    Ok(choice.home)
}

fn remembered(path: &Path) -> Option<SecretHome> {
    match std::fs::read_to_string(path).ok()?.trim() {
        "keychain" => Some(SecretHome::Keychain),
        "file" => Some(SecretHome::File),
        other => {
            tracing::warn!(path = %path.display(), value = other, "unreadable vault-backend, deciding again");
            None
        }
    }
}

fn remember(path: &Path, home: SecretHome) -> Result<(), VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    writeln!(temp, "{}", home.as_str()).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    // An unreadable record is replaced; a fresh one is written only if nobody else wrote one.
    if path.exists() {
        return temp.persist(path).map(|_| ()).map_err(|err| io(err.error));
    }
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        // Another process decided at the same moment: its decision stands.
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(io(err.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> VaultFiles {
        VaultFiles::new(dir, &dir.join("keys"))
    }

    #[test]
    fn configured_backends_are_taken_as_they_are_and_never_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(dir.path());
        assert_eq!(
            resolve_backend(Backend::File, &files).unwrap(),
            SecretHome::File
        );
        assert_eq!(
            resolve_backend(Backend::Keychain, &files).unwrap(),
            SecretHome::Keychain
        );
        assert!(!files.choice.exists());
    }

    #[test]
    fn an_existing_vault_file_stays_and_the_decision_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(dir.path());
        std::fs::write(&files.file, "{}").unwrap();
        assert_eq!(
            choose_backend(Backend::Auto, &files).why,
            ChoiceReason::ExistingFile
        );
        assert_eq!(
            resolve_backend(Backend::Auto, &files).unwrap(),
            SecretHome::File
        );
        assert_eq!(std::fs::read_to_string(&files.choice).unwrap(), "file\n");
        // Later processes read the decision, even once the file is gone.
        std::fs::remove_file(&files.file).unwrap();
        assert_eq!(
            choose_backend(Backend::Auto, &files),
            BackendChoice {
                home: SecretHome::File,
                why: ChoiceReason::Remembered
            }
        );
    }

    #[test]
    fn a_remembered_keychain_is_kept_and_garbage_is_decided_again() {
        let dir = tempfile::tempdir().unwrap();
        let files = files(dir.path());
        std::fs::write(&files.choice, "keychain\n").unwrap();
        assert_eq!(
            resolve_backend(Backend::Auto, &files).unwrap(),
            SecretHome::Keychain
        );
        std::fs::write(&files.choice, "chmura").unwrap();
        std::fs::write(&files.file, "{}").unwrap();
        assert_eq!(
            choose_backend(Backend::Auto, &files).why,
            ChoiceReason::ExistingFile
        );
        resolve_backend(Backend::Auto, &files).unwrap();
        assert_eq!(std::fs::read_to_string(&files.choice).unwrap(), "file\n");
    }
}
