//! The encrypted file vault, for machines without a usable OS keychain: one file holding every
//! secret, sealed with XChaCha20-Poly1305 under a key derived from a passphrase with Argon2id
//! (or a random key kept in the keychain). Written atomically (temp file + rename), mode 0600.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use super::VaultError;

/// Format version of the file.
const FORMAT: u32 = 1;
/// Argon2id cost: 64 MiB, 3 passes, 1 lane (OWASP's second recommended setting).
const ARGON_MEMORY_KIB: u32 = 64 * 1024;
const ARGON_PASSES: u32 = 3;

/// The file on disk: everything but the ciphertext is public.
#[derive(Debug, Serialize, Deserialize)]
struct Sealed {
    format: u32,
    kdf: Kdf,
    nonce: String,
    ciphertext: String,
}

/// Where the key comes from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Kdf {
    /// Argon2id over a passphrase.
    Argon2id {
        salt: String,
        memory_kib: u32,
        passes: u32,
        lanes: u32,
    },
    /// A random key stored in the OS keychain.
    Keychain,
}

/// The key that opens the file.
pub enum FileKey {
    /// A passphrase (Argon2id derives the key).
    Passphrase(Zeroizing<String>),
    /// A raw 32-byte key (kept in the keychain).
    Raw(Zeroizing<[u8; 32]>),
}

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKey::Passphrase(_) => "FileKey::Passphrase(..)",
            FileKey::Raw(_) => "FileKey::Raw(..)",
        })
    }
}

/// An open file vault: the secrets in memory (zeroed on drop).
pub struct FileVault {
    path: PathBuf,
    key: Zeroizing<[u8; 32]>,
    kdf: Kdf,
    secrets: BTreeMap<String, Zeroizing<String>>,
}

impl std::fmt::Debug for FileVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileVault")
            .field("path", &self.path)
            .field("names", &self.secrets.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn random<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| VaultError::Crypto(format!("losowość: {e}")))?;
    Ok(bytes)
}

fn derive(passphrase: &str, kdf: &Kdf) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    let Kdf::Argon2id {
        salt,
        memory_kib,
        passes,
        lanes,
    } = kdf
    else {
        return Err(VaultError::WrongKey);
    };
    let salt = hex::decode(salt).map_err(|_| VaultError::Corrupt("salt".into()))?;
    let params = Params::new(*memory_kib, *passes, *lanes, Some(32))
        .map_err(|e| VaultError::Crypto(format!("Argon2: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
        .map_err(|e| VaultError::Crypto(format!("Argon2: {e}")))?;
    Ok(key)
}

impl FileVault {
    /// Opens the vault at `path` with `key`, or creates an empty one there.
    pub fn open(path: &Path, key: FileKey) -> Result<FileVault, VaultError> {
        if !path.exists() {
            let kdf = match &key {
                FileKey::Passphrase(_) => Kdf::Argon2id {
                    salt: hex::encode(random::<16>()?),
                    memory_kib: ARGON_MEMORY_KIB,
                    passes: ARGON_PASSES,
                    lanes: 1,
                },
                FileKey::Raw(_) => Kdf::Keychain,
            };
            let raw = match key {
                FileKey::Passphrase(passphrase) => {
                    if passphrase.chars().count() < 8 {
                        return Err(VaultError::WeakPassphrase);
                    }
                    derive(&passphrase, &kdf)?
                }
                FileKey::Raw(raw) => raw,
            };
            let vault = FileVault {
                path: path.to_path_buf(),
                key: raw,
                kdf,
                secrets: BTreeMap::new(),
            };
            vault.save()?;
            return Ok(vault);
        }
        let text = std::fs::read_to_string(path).map_err(|e| VaultError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let sealed: Sealed =
            serde_json::from_str(&text).map_err(|e| VaultError::Corrupt(e.to_string()))?;
        if sealed.format != FORMAT {
            return Err(VaultError::Corrupt(format!(
                "nieznany format {}",
                sealed.format
            )));
        }
        let raw = match key {
            FileKey::Passphrase(passphrase) => derive(&passphrase, &sealed.kdf)?,
            FileKey::Raw(raw) => raw,
        };
        let nonce = hex::decode(&sealed.nonce).map_err(|_| VaultError::Corrupt("nonce".into()))?;
        if nonce.len() != 24 {
            return Err(VaultError::Corrupt("nonce".into()));
        }
        let ciphertext = hex::decode(&sealed.ciphertext)
            .map_err(|_| VaultError::Corrupt("szyfrogram".into()))?;
        let cipher = XChaCha20Poly1305::new(raw.as_ref().into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&nonce), ciphertext.as_ref())
                .map_err(|_| VaultError::WrongKey)?,
        );
        let map: BTreeMap<String, String> =
            serde_json::from_slice(&plain).map_err(|e| VaultError::Corrupt(e.to_string()))?;
        Ok(FileVault {
            path: path.to_path_buf(),
            key: raw,
            kdf: sealed.kdf,
            secrets: map
                .into_iter()
                .map(|(k, v)| (k, Zeroizing::new(v)))
                .collect(),
        })
    }

    /// Whether the file at `path` was sealed with a keychain key (`Some(false)`: a
    /// passphrase; `None`: there is no file).
    pub fn keyed_by_keychain(path: &Path) -> Result<Option<bool>, VaultError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(VaultError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let sealed: Sealed =
            serde_json::from_str(&text).map_err(|e| VaultError::Corrupt(e.to_string()))?;
        Ok(Some(matches!(sealed.kdf, Kdf::Keychain)))
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.secrets.get(name).map(|v| v.as_str())
    }

    /// Every name, sorted.
    pub fn names(&self) -> Vec<String> {
        self.secrets.keys().cloned().collect()
    }

    /// Stores `value` under `name` and writes the file.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), VaultError> {
        let previous = self
            .secrets
            .insert(name.to_owned(), Zeroizing::new(value.to_owned()));
        if let Err(err) = self.save() {
            // Keep memory and disk in agreement.
            match previous {
                Some(old) => self.secrets.insert(name.to_owned(), old),
                None => self.secrets.remove(name),
            };
            return Err(err);
        }
        Ok(())
    }

    /// Removes `name`; `false` when it was not there.
    pub fn remove(&mut self, name: &str) -> Result<bool, VaultError> {
        let Some(old) = self.secrets.remove(name) else {
            return Ok(false);
        };
        if let Err(err) = self.save() {
            self.secrets.insert(name.to_owned(), old);
            return Err(err);
        }
        Ok(true)
    }

    /// Seals everything with a fresh nonce and replaces the file atomically.
    fn save(&self) -> Result<(), VaultError> {
        let map: BTreeMap<&str, &str> = self
            .secrets
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let mut plain = serde_json::to_vec(&map).map_err(|e| VaultError::Corrupt(e.to_string()))?;
        let nonce = random::<24>()?;
        let cipher = XChaCha20Poly1305::new(self.key.as_ref().into());
        let sealed = cipher.encrypt(XNonce::from_slice(&nonce), plain.as_ref());
        plain.zeroize();
        let ciphertext = sealed.map_err(|_| VaultError::Crypto("szyfrowanie".into()))?;
        let text = serde_json::to_string_pretty(&Sealed {
            format: FORMAT,
            kdf: self.kdf.clone(),
            nonce: hex::encode(nonce),
            ciphertext: hex::encode(ciphertext),
        })
        .map_err(|e| VaultError::Corrupt(e.to_string()))?;
        write_private_atomically(&self.path, text.as_bytes())
    }
}

/// Writes `bytes` to a temp file beside `path` (mode 0600), syncs it and renames it over.
fn write_private_atomically(path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
    use std::io::Write;
    let io = |source| VaultError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".vault-")
        .tempfile_in(dir)
        .map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
