//! The secrets vault: the OS keychain (on Linux the desktop's Secret Service), or an encrypted
//! file where none answers. Every value the vault hands out or takes in is registered with
//! the [`Redactor`], so it is hidden on every way out from then on.

mod choice;
mod deadline;
mod desktop_keychain;
mod file;
mod fingerprints;
mod keychain;
mod machine_key;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use choice::{choose_backend, resolve_backend, BackendChoice, ChoiceReason, SecretHome};
pub use desktop_keychain::{
    probe as probe_desktop_keychain, Absence, DesktopKeychain, PROBE_TIMEOUT,
};
pub use file::{FileKey, FileVault};
pub use fingerprints::FingerprintBook;
pub use keychain::KeychainVault;
pub use machine_key::{key_home, machine_key, KeyHome};

use crate::redact::Redactor;

/// The variable that may hold the file vault's passphrase (for scripts and CI).
pub const PASSPHRASE_VAR: &str = "DARK8_VAULT_PASSPHRASE";

/// Where secrets are kept (`[vault] backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Decided at first use and remembered: an existing vault file stays; the keychain on
    /// Windows and macOS; on Linux the desktop's Secret Service when its default collection
    /// is unlocked, else the encrypted file ([`resolve_backend`]).
    #[default]
    Auto,
    /// The OS keychain (Secret Service on Linux: GNOME Keyring, KWallet, KeePassXC, …).
    Keychain,
    /// The encrypted file.
    File,
}

/// Where the encrypted file's key comes from (`[vault] file_key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKeySource {
    /// An existing file opens with the key it was made with; a new one gets a random key in
    /// the OS keychain when one is at hand (on Linux: a ready Secret Service), else a
    /// passphrase.
    #[default]
    Auto,
    /// A passphrase: `DARK8_VAULT_PASSPHRASE` or a prompt.
    Passphrase,
    /// A random key kept in the OS keychain.
    Keychain,
}

/// The vault section of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VaultConfig {
    /// Where secrets are kept.
    pub backend: Backend,
    /// Where the file vault's key comes from.
    pub file_key: FileKeySource,
}

/// A vault operation failed; messages are for the user, in Polish.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The name is not allowed.
    #[error("niedozwolona nazwa sekretu „{0}”: użyj liter, cyfr, `_`, `-` i `.` (do 64 znaków)")]
    BadName(String),
    /// No such secret.
    #[error("nie ma sekretu „{0}”")]
    Missing(String),
    /// The passphrase or key does not open the file.
    #[error("złe hasło sejfu albo uszkodzony plik sejfu")]
    WrongKey,
    /// A new vault's passphrase is too short.
    #[error("hasło sejfu musi mieć co najmniej 8 znaków")]
    WeakPassphrase,
    /// The file vault needs a passphrase and none was given.
    #[error("sejf jest zaszyfrowany hasłem, a hasła nie podano")]
    NoPassphrase,
    /// The file is not a vault DARK8 can read.
    #[error("plik sejfu jest uszkodzony: {0}")]
    Corrupt(String),
    /// Encryption failed.
    #[error("błąd szyfrowania: {0}")]
    Crypto(String),
    /// The value is too short or too predictable to be kept as a secret.
    #[error("tej wartości nie przechowam jako sekretu: {0}")]
    WeakSecret(&'static str),
    /// The OS keychain refused.
    #[error("błąd systemowego pęku kluczy: {0}")]
    Keychain(String),
    /// The OS keychain did not answer in time (e.g. an unlock prompt nobody answered).
    #[error("systemowy pęk kluczy nie odpowiedział w ciągu {0} s")]
    KeychainTimeout(u64),
    /// Reading or writing a file failed.
    #[error("błąd pliku {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl VaultError {
    /// What to do about it, in Polish.
    pub fn hint(&self) -> &'static str {
        match self {
            VaultError::BadName(_) => "Np. `dark8 secret set GITHUB_TOKEN`.",
            VaultError::Missing(_) => "Lista sekretów: `dark8 secret list`.",
            VaultError::WrongKey | VaultError::NoPassphrase => {
                "Podaj hasło sejfu w zmiennej DARK8_VAULT_PASSPHRASE albo w terminalu, gdy DARK8 o nie zapyta."
            }
            VaultError::WeakPassphrase => "Wybierz dłuższe hasło (najlepiej kilka słów).",
            VaultError::WeakSecret(_) => {
                "Sekret musi mieć co najmniej 8 znaków i nie dać się zgadnąć: wygeneruj długi, losowy token (np. `openssl rand -hex 24`)."
            }
            VaultError::Corrupt(_) => {
                "Przywróć plik vault.json z kopii zapasowej albo usuń go (sekrety przepadną)."
            }
            VaultError::Keychain(_) | VaultError::KeychainTimeout(_) => {
                "Odblokuj pęk kluczy pulpitu (GNOME Keyring, KWallet; stan pokaże `dark8 doctor`) albo ustaw `[vault] backend = \"file\"` w konfiguracji, aby używać zaszyfrowanego pliku."
            }
            VaultError::Crypto(_) | VaultError::Io { .. } => {
                "Sprawdź uprawnienia katalogu danych DARK8 (`dark8 doctor`)."
            }
        }
    }
}

/// True for names made of letters, digits, `_`, `-` and `.`, 1 to 64 characters.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with("__")
}

/// Where the vault's files are.
#[derive(Debug, Clone)]
pub struct VaultFiles {
    /// The encrypted file vault.
    pub file: PathBuf,
    /// The secrets' keyed fingerprints (readable without the passphrase).
    pub fingerprints: PathBuf,
    /// The keychain vault's name index.
    pub index: PathBuf,
    /// What `backend = "auto"` decided at first use.
    pub choice: PathBuf,
    /// DARK8's own keys when they are not in the keychain ([`machine_key`]).
    pub keys: PathBuf,
}

impl VaultFiles {
    /// The vault's files in DARK8's data directory, its own keys in `keys_dir`.
    pub fn new(data_dir: &Path, keys_dir: &Path) -> VaultFiles {
        VaultFiles {
            file: data_dir.join("vault.json"),
            fingerprints: data_dir.join("vault-fingerprints.json"),
            index: data_dir.join("vault-names.json"),
            choice: data_dir.join("vault-backend"),
            keys: keys_dir.to_path_buf(),
        }
    }
}

enum Store {
    Keychain(KeychainVault),
    File(FileVault),
}

/// An open vault.
pub struct Vault {
    store: Store,
    redactor: Redactor,
    book: Option<FingerprintBook>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("backend", &self.backend_name())
            .finish()
    }
}

/// True when the OS keychain can take a key without a prompt: always on Windows and macOS,
/// on Linux when the desktop's Secret Service is ready.
fn keychain_at_hand() -> bool {
    cfg!(any(windows, target_os = "macos"))
        || desktop_keychain::probe(desktop_keychain::PROBE_TIMEOUT).is_ready()
}

/// Where the file vault's key comes from: what the config names, or for `auto` what the
/// file was made with (a new file: the keychain when one is at hand).
pub fn file_key_source(
    configured: FileKeySource,
    file: &Path,
) -> Result<FileKeySource, VaultError> {
    if configured != FileKeySource::Auto {
        return Ok(configured);
    }
    Ok(match FileVault::keyed_by_keychain(file)? {
        Some(true) => FileKeySource::Keychain,
        Some(false) => FileKeySource::Passphrase,
        None if keychain_at_hand() => FileKeySource::Keychain,
        None => FileKeySource::Passphrase,
    })
}

/// True when the vault opens without anyone typing a passphrase (the keychain, a file keyed
/// by the keychain, or `DARK8_VAULT_PASSPHRASE` set) and holds something to open.
pub fn opens_unattended(config: &VaultConfig, files: &VaultFiles, home: SecretHome) -> bool {
    match home {
        SecretHome::Keychain => true,
        SecretHome::File => {
            files.file.exists()
                && (std::env::var_os(PASSPHRASE_VAR).is_some()
                    || matches!(
                        file_key_source(config.file_key, &files.file),
                        Ok(FileKeySource::Keychain)
                    ))
        }
    }
}

impl Vault {
    /// Opens the vault `config` names; `passphrase` is asked only when the file vault needs
    /// one. Every value it holds is registered with `redactor`.
    pub fn open(
        config: &VaultConfig,
        files: &VaultFiles,
        passphrase: impl FnOnce() -> Option<Zeroizing<String>>,
        redactor: Redactor,
    ) -> Result<Vault, VaultError> {
        Vault::open_with(config, files, passphrase, redactor, None)
    }

    /// [`Vault::open`], keeping `book` in step with the vault from now on: every secret's
    /// fingerprint is recorded as its value is read (secrets stored before fingerprints
    /// existed included), those of removed secrets are dropped, and the book is handed to the
    /// redactor.
    pub fn open_with(
        config: &VaultConfig,
        files: &VaultFiles,
        passphrase: impl FnOnce() -> Option<Zeroizing<String>>,
        redactor: Redactor,
        mut book: Option<FingerprintBook>,
    ) -> Result<Vault, VaultError> {
        let store = match resolve_backend(config.backend, files)? {
            SecretHome::Keychain => Store::Keychain(KeychainVault::new(&files.index)),
            SecretHome::File => {
                let key = match file_key_source(config.file_key, &files.file)? {
                    FileKeySource::Keychain => FileKey::Raw(keychain_file_key()?),
                    FileKeySource::Passphrase | FileKeySource::Auto => {
                        FileKey::Passphrase(passphrase().ok_or(VaultError::NoPassphrase)?)
                    }
                };
                Store::File(FileVault::open(&files.file, key)?)
            }
        };
        let mut vault = Vault {
            store,
            redactor,
            book: None,
        };
        let names = vault.names();
        let mut changed = book.as_mut().is_some_and(|b| b.retain(&names));
        for name in &names {
            // `get` registers the value with the redactor.
            if let (Ok(value), Some(book)) = (vault.get(name), book.as_mut()) {
                changed |= book.record(name, value.as_str());
            }
        }
        if let Some(book) = book {
            if changed {
                book.save()?;
            }
            book.register(&vault.redactor);
            vault.book = Some(book);
        }
        Ok(vault)
    }

    /// `keychain` or `file`.
    pub fn backend_name(&self) -> &'static str {
        match self.store {
            Store::Keychain(_) => "keychain",
            Store::File(_) => "file",
        }
    }

    /// Every secret's name, sorted.
    pub fn names(&self) -> Vec<String> {
        match &self.store {
            Store::Keychain(k) => k.names(),
            Store::File(f) => f.names(),
        }
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Result<Zeroizing<String>, VaultError> {
        check(name)?;
        let value = match &self.store {
            Store::Keychain(k) => k.get(name)?,
            Store::File(f) => f.get(name).map(|v| Zeroizing::new(v.to_owned())),
        };
        let value = value.ok_or_else(|| VaultError::Missing(name.to_owned()))?;
        self.redactor.add_secret(value.as_str());
        Ok(value)
    }

    /// Stores `value` under `name` (replacing an older value).
    /// Values too short or too predictable for their fingerprint to stay secret are refused
    /// ([`crate::redact::weak_secret`]).
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), VaultError> {
        check(name)?;
        if let Some(reason) = crate::redact::weak_secret(value) {
            return Err(VaultError::WeakSecret(reason));
        }
        self.redactor.add_secret(value);
        match &mut self.store {
            Store::Keychain(k) => k.set(name, value)?,
            Store::File(f) => f.set(name, value)?,
        }
        if let Some(book) = &mut self.book {
            if book.record(name, value) {
                book.save()?;
                book.register(&self.redactor);
            }
        }
        Ok(())
    }

    /// Removes `name`.
    pub fn remove(&mut self, name: &str) -> Result<(), VaultError> {
        check(name)?;
        let removed = match &mut self.store {
            Store::Keychain(k) => k.remove(name)?,
            Store::File(f) => f.remove(name)?,
        };
        if let Some(book) = self.book.as_mut().filter(|_| removed) {
            if book.forget(name) {
                book.save()?;
            }
        }
        if removed {
            Ok(())
        } else {
            Err(VaultError::Missing(name.to_owned()))
        }
    }
}

fn check(name: &str) -> Result<(), VaultError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(VaultError::BadName(name.to_owned()))
    }
}

/// The file vault's random key from the keychain, made on first use.
fn keychain_file_key() -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let mut key = Zeroizing::new([0u8; 32]);
    match keychain::read(keychain::FILE_KEY_ENTRY)? {
        Some(stored) => {
            let bytes =
                Zeroizing::new(hex::decode(stored.as_str()).map_err(|_| VaultError::WrongKey)?);
            if bytes.len() != 32 {
                return Err(VaultError::WrongKey);
            }
            key.copy_from_slice(&bytes);
        }
        None => {
            key = machine_key::random_key()?;
            keychain::write(keychain::FILE_KEY_ENTRY, &hex::encode(key.as_ref()))?;
        }
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(p: &str) -> impl FnOnce() -> Option<Zeroizing<String>> + '_ {
        move || Some(Zeroizing::new(p.to_owned()))
    }

    #[test]
    fn file_vault_round_trip_and_wrong_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let files = VaultFiles::new(dir.path(), &dir.path().join("keys"));
        let config = VaultConfig {
            backend: Backend::File,
            file_key: FileKeySource::Passphrase,
        };
        let redactor = Redactor::default();
        let mut vault =
            Vault::open(&config, &files, pass("dobre hasło 123"), redactor.clone()).unwrap();
        vault.set("GITHUB_TOKEN", "kanarek-sejf-5150").unwrap();
        vault.set("DB.password", "drugi-sekret").unwrap();
        assert_eq!(redactor.text("x kanarek-sejf-5150 y"), "x [UKRYTE] y");
        let on_disk = std::fs::read_to_string(&files.file).unwrap();
        assert!(!on_disk.contains("kanarek"));
        assert!(!on_disk.contains("GITHUB_TOKEN"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&files.file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(vault);
        let fresh = Redactor::default();
        let mut vault =
            Vault::open(&config, &files, pass("dobre hasło 123"), fresh.clone()).unwrap();
        assert_eq!(vault.names(), ["DB.password", "GITHUB_TOKEN"]);
        assert_eq!(
            vault.get("GITHUB_TOKEN").unwrap().as_str(),
            "kanarek-sejf-5150"
        );
        // Opening registers every value with the redactor.
        assert_eq!(fresh.text("drugi-sekret"), "[UKRYTE]");
        vault.remove("DB.password").unwrap();
        assert!(matches!(
            vault.remove("DB.password"),
            Err(VaultError::Missing(_))
        ));
        assert!(matches!(
            vault.set("zła nazwa", "x"),
            Err(VaultError::BadName(_))
        ));
        let wrong = Vault::open(&config, &files, pass("złe hasło 123"), Redactor::default());
        assert!(matches!(wrong, Err(VaultError::WrongKey)));
        let none = Vault::open(&config, &files, || None, Redactor::default());
        assert!(matches!(none, Err(VaultError::NoPassphrase)));
    }

    #[test]
    fn a_new_vault_needs_a_real_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let config = VaultConfig {
            backend: Backend::File,
            file_key: FileKeySource::Passphrase,
        };
        let result = Vault::open(
            &config,
            &VaultFiles::new(dir.path(), &dir.path().join("keys")),
            pass("krótkie"),
            Redactor::default(),
        );
        assert!(matches!(result, Err(VaultError::WeakPassphrase)));
        assert!(!dir.path().join("vault.json").exists());
    }
}
