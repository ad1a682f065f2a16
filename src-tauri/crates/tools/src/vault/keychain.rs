//! Secrets in the OS keychain (Windows Credential Manager, macOS Keychain, the desktop's
//! Secret Service on Linux), one entry per secret under the service `dark8`; not every
//! keychain can list entries, so the names (never the values) are kept in a small index file
//! beside the database. Every call runs on its own thread with a time limit: a keychain that
//! waits for an unlock prompt nobody answers gives a Polish error, not a hung DARK8.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// How long one keychain call may take (long enough to answer an unlock prompt).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(60);

fn entry(name: &str) -> Result<keyring::Entry, VaultError> {
    keyring::Entry::new(SERVICE, name).map_err(refused)
}

/// The keychain's error in Polish, with the platform's own words kept as the detail.
fn refused(err: keyring::Error) -> VaultError {
    VaultError::Keychain(match &err {
        keyring::Error::PlatformFailure(inner) => format!("nie ma z nim połączenia ({inner})"),
        keyring::Error::NoStorageAccess(inner) => {
            format!("jest zablokowany albo niedostępny ({inner})")
        }
        _ => err.to_string(),
    })
}

/// Runs `call` on the entry `name` within [`CALL_TIMEOUT`].
fn on_entry<T: Send + 'static>(
    name: &str,
    call: impl FnOnce(keyring::Entry) -> Result<T, VaultError> + Send + 'static,
) -> Result<T, VaultError> {
    let entry = entry(name)?;
    super::deadline::within(CALL_TIMEOUT, move || call(entry))
        .unwrap_or(Err(VaultError::KeychainTimeout(CALL_TIMEOUT.as_secs())))
}

/// Reads `name` from the keychain; `Ok(None)` when it is not there.
pub fn read(name: &str) -> Result<Option<Zeroizing<String>>, VaultError> {
    on_entry(name, |entry| match entry.get_password() {
        Ok(value) => Ok(Some(Zeroizing::new(value))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(refused(e)),
    })
}

/// Writes `name` to the keychain.
pub fn write(name: &str, value: &str) -> Result<(), VaultError> {
    let value = Zeroizing::new(value.to_owned());
    on_entry(name, move |entry| {
        entry.set_password(value.as_str()).map_err(refused)
    })
}

/// Deletes `name` from the keychain; `false` when it was not there.
pub fn delete(name: &str) -> Result<bool, VaultError> {
    on_entry(name, |entry| match entry.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(refused(e)),
    })
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
        let existed = delete(name)?;
        let mut names: BTreeSet<String> = self.names().into_iter().collect();
        let listed = names.remove(name);
        self.save_names(&names)?;
        Ok(existed || listed)
    }
}
