//! Secrets in the OS keychain (Windows Credential Manager, macOS Keychain, Linux keyutils),
//! one entry per secret under the service `dark8`; the keychain cannot list entries, so the
//! names (never the values) are kept in a small index file beside the database.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::VaultError;

/// The keychain service every DARK8 entry is filed under.
pub const SERVICE: &str = "dark8";

/// The entry holding the file vault's key when the file is keyed by the keychain.
pub const FILE_KEY_ENTRY: &str = "__dark8_vault_file_key";

/// Secrets in the OS keychain.
#[derive(Debug)]
pub struct KeychainVault {
    index: PathBuf,
}

fn entry(name: &str) -> Result<keyring::Entry, VaultError> {
    keyring::Entry::new(SERVICE, name).map_err(|e| VaultError::Keychain(e.to_string()))
}

/// Reads `name` from the keychain; `Ok(None)` when it is not there.
pub fn read(name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
    match entry(name)?.get_password() {
        Ok(value) => Ok(Some(Zeroizing::new(value))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(VaultError::Keychain(e.to_string())),
    }
}

/// Writes `name` to the keychain.
pub fn write(name: &str, value: &str) -> Result<(), VaultError> {
    entry(name)?
        .set_password(value)
        .map_err(|e| VaultError::Keychain(e.to_string()))
}

impl KeychainVault {
    /// The keychain vault whose name index lives at `index`.
    pub fn new(index: &Path) -> KeychainVault {
        KeychainVault {
            index: index.to_path_buf(),
        }
    }

    /// Every name, sorted.
    pub fn names(&self) -> Vec<String> {
        std::fs::read_to_string(&self.index)
            .ok()
            .and_then(|text| serde_json::from_str::<BTreeSet<String>>(&text).ok())
            .map(|names| names.into_iter().collect())
            .unwrap_or_default()
    }

    fn save_names(&self, names: &BTreeSet<String>) -> Result<(), VaultError> {
        let text = serde_json::to_string(names).map_err(|e| VaultError::Corrupt(e.to_string()))?;
        if let Some(dir) = self.index.parent() {
            std::fs::create_dir_all(dir).map_err(|source| VaultError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&self.index, text).map_err(|source| VaultError::Io {
            path: self.index.clone(),
            source,
        })
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
        read(name)
    }

    /// Stores `value` under `name`.
    pub fn set(&self, name: &str, value: &str) -> Result<(), VaultError> {
        write(name, value)?;
        let mut names: BTreeSet<String> = self.names().into_iter().collect();
        names.insert(name.to_owned());
        self.save_names(&names)
    }

    /// Removes `name`; `false` when it was not there.
    pub fn remove(&self, name: &str) -> Result<bool, VaultError> {
        let existed = match entry(name)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(e) => return Err(VaultError::Keychain(e.to_string())),
        };
        let mut names: BTreeSet<String> = self.names().into_iter().collect();
        let listed = names.remove(name);
        self.save_names(&names)?;
        Ok(existed || listed)
    }
}
