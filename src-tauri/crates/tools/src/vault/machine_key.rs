//! Keys DARK8 keeps for itself, never in the database and never behind the vault's
//! passphrase (they are needed by every process, with the vault locked): the audit chain's
//! HMAC key and the secret fingerprints' key. In the OS keychain when the vault lives there,
//! else in a 0600 file in DARK8's `keys/` directory beside (not inside) the data directory.
//! A key file that exists is always used, wherever the vault lives now: an audit chain keyed
//! before the vault moved to the keychain still verifies.

use std::io::Write;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::{keychain, SecretHome, VaultError};

/// Where a machine key is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyHome {
    /// The OS keychain entry of that name.
    Keychain(String),
    /// This file.
    File(PathBuf),
}

/// Where the key `name` lives when secrets live at `home`, with `dir` the keys directory.
pub fn key_home(name: &str, home: SecretHome, dir: &Path) -> KeyHome {
    let file = dir.join(format!("{name}.key"));
    match home {
        SecretHome::Keychain if !file.exists() => KeyHome::Keychain(format!("__dark8_{name}_key")),
        _ => KeyHome::File(file),
    }
}

/// The 32-byte key `name`, made (random) and stored the first time.
pub fn machine_key(
    name: &str,
    home: SecretHome,
    dir: &Path,
) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    match key_home(name, home, dir) {
        KeyHome::Keychain(entry) => match keychain::read(&entry)? {
            Some(stored) => decode(stored.as_str()),
            None => {
                let key = random_key()?;
                keychain::write(&entry, &hex::encode(key.as_ref()))?;
                Ok(key)
            }
        },
        KeyHome::File(path) => file_key(&path),
    }
}

fn file_key(path: &Path) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let io = |source: std::io::Error| VaultError::Io {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::read_to_string(path) {
        Ok(text) => return decode(text.trim()),
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(io(err)),
        Err(_) => {}
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    restrict_dir(dir);
    let key = random_key()?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    restrict_file(temp.path());
    temp.write_all(hex::encode(key.as_ref()).as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io)?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(key),
        // Another process made it first: use that one.
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(io)?;
            decode(text.trim())
        }
        Err(err) => Err(io(err.error)),
    }
}

fn decode(hex_text: &str) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let bytes = Zeroizing::new(
        hex::decode(hex_text)
            .map_err(|_| VaultError::Corrupt("klucz DARK8 nie jest szesnastkowy".to_owned()))?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    if bytes.len() != key.len() {
        return Err(VaultError::Corrupt("klucz DARK8 ma złą długość".to_owned()));
    }
    key.copy_from_slice(&bytes);
    Ok(key)
}

/// 32 random bytes.
pub(super) fn random_key() -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let mut key = Zeroizing::new([0u8; 32]);
    getrandom::fill(key.as_mut()).map_err(|e| VaultError::Crypto(format!("losowość: {e}")))?;
    Ok(key)
}

#[cfg(unix)]
fn restrict_dir(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
}

#[cfg(unix)]
fn restrict_file(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict_dir(_dir: &Path) {}

#[cfg(not(unix))]
fn restrict_file(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_key_is_made_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let first = machine_key("audit", SecretHome::File, &keys).unwrap();
        let again = machine_key("audit", SecretHome::File, &keys).unwrap();
        assert_eq!(*first, *again);
        let other = machine_key("fingerprints", SecretHome::File, &keys).unwrap();
        assert_ne!(*first, *other);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(keys.join("audit.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // A key file that exists wins over the keychain.
        assert_eq!(
            key_home("audit", SecretHome::Keychain, &keys),
            KeyHome::File(keys.join("audit.key"))
        );
        assert_eq!(
            key_home("nowy", SecretHome::Keychain, &keys),
            KeyHome::Keychain("__dark8_nowy_key".to_owned())
        );
        std::fs::write(keys.join("audit.key"), "zzz").unwrap();
        assert!(matches!(
            machine_key("audit", SecretHome::File, &keys),
            Err(VaultError::Corrupt(_))
        ));
    }
}
